import { useState } from "react";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { ManifestDocument } from "@trade-escrow/sdk/manifest";
import type { Clients } from "../actions/client.js";
import * as escrow from "../actions/escrow.js";
import type { useTransaction } from "../hooks/useTransaction.js";
import { commitmentOf } from "../lib/manifest.js";
import { DocumentUploader } from "./DocumentUploader.js";

/** A party adds evidence to an open claim: the document uploads to IPFS, its CID goes on chain. */
export function EvidencePanel(props: {
  tradeId: bigint;
  terms: Terms;
  clients: Clients;
  tx: ReturnType<typeof useTransaction>;
}) {
  const { tradeId, terms, clients, tx } = props;
  const [documents, setDocuments] = useState<ManifestDocument[]>([]);
  // The uploader renders only once opened: one file field on the page while the panel is closed.
  const [open, setOpen] = useState(false);
  const last = documents.at(-1);
  return (
    <details className="panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h3>Add evidence</h3>
      </summary>
      {open && (
        <div className="form">
          <DocumentUploader
            label="More evidence (inspection report, photos, videos)"
            types={["inspection-report", "photo", "video", "photos-and-videos", "other"]}
            documents={documents}
            onChange={setDocuments}
          />
          <button
            type="button"
            disabled={tx.busy || last === undefined}
            onClick={() =>
              last !== undefined &&
              void tx
                .run("Submit evidence", () =>
                  escrow.submitEvidence(clients, tradeId, terms, commitmentOf(last.cid)),
                )
                .then((ok) => ok && setDocuments([]))
            }
          >
            Submit {last?.name ?? "the evidence"} to the claim
          </button>
        </div>
      )}
    </details>
  );
}
