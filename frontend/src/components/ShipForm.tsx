import { useState } from "react";
import type { ManifestDocument } from "@trade-escrow/sdk/manifest";
import * as escrow from "../actions/escrow.js";
import { commitmentOf } from "../lib/manifest.js";
import { DocumentUploader } from "./DocumentUploader.js";
import type { PanelProps } from "./panelProps.js";

/** The seller uploads the shipping documents and marks the goods shipped with the first one. */
export function ShipForm({ trade, terms, clients, tx }: PanelProps) {
  const [shipping, setShipping] = useState<ManifestDocument[]>([]);
  const first = shipping[0];
  return (
    <div>
      <DocumentUploader
        label="Shipping documents (bill of lading, waybill, customs declaration)"
        types={["bill-of-lading", "waybill", "customs-declaration"]}
        documents={shipping}
        onChange={setShipping}
      />
      <button
        type="button"
        disabled={tx.busy || first === undefined}
        onClick={() =>
          first !== undefined &&
          void tx.run("Mark shipped", () =>
            escrow.markShipped(clients, BigInt(trade.id), terms, commitmentOf(first.cid)),
          )
        }
      >
        Mark shipped with {first?.name ?? "a shipping document"}
      </button>
    </div>
  );
}
