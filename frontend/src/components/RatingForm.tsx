import { useState } from "react";
import * as escrow from "../actions/escrow.js";
import { humanize } from "../lib/format.js";
import type { PanelProps } from "./panelProps.js";

/** The buyer rates the seller of a completed trade: service, speed and accuracy, 1 to 5 each. */
export function RatingForm({ trade, terms, clients, tx }: PanelProps) {
  const [scores, setScores] = useState({ service: 5, speed: 5, accuracy: 5 });
  return (
    <form
      className="rating"
      onSubmit={(e) => {
        e.preventDefault();
        void tx.run("Rate the seller", () =>
          escrow.rateSeller(clients, BigInt(trade.id), terms, scores),
        );
      }}
    >
      <fieldset>
        <legend>Rate the seller (1 to 5)</legend>
        {(["service", "speed", "accuracy"] as const).map((k) => (
          <label key={k}>
            {humanize(k)}{" "}
            <input
              type="number"
              min={1}
              max={5}
              value={scores[k]}
              onChange={(e) => setScores({ ...scores, [k]: Number(e.target.value) })}
            />
          </label>
        ))}
        <button type="submit" disabled={tx.busy}>
          Rate
        </button>
      </fieldset>
    </form>
  );
}
