import { useState } from "react";
import { Milestone, milestoneNames } from "@trade-escrow/sdk/contracts";
import * as escrow from "../actions/escrow.js";
import { humanize } from "../lib/format.js";
import type { PanelProps } from "./panelProps.js";

/** The seller records a logistics milestone (departed, arrived at port, customs cleared, ...). */
export function MilestoneForm({ trade, terms, clients, tx }: PanelProps) {
  const [milestone, setMilestone] = useState<number>(Milestone.Departed);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void tx.run("Record milestone", () =>
          escrow.recordMilestone(clients, BigInt(trade.id), terms, milestone, "0x"),
        );
      }}
    >
      <label>
        Logistics milestone{" "}
        <select value={milestone} onChange={(e) => setMilestone(Number(e.target.value))}>
          {milestoneNames.slice(1).map((name, i) => (
            <option key={name} value={i + 1}>
              {humanize(name)}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="submit" disabled={tx.busy}>
        Record milestone
      </button>
    </form>
  );
}
