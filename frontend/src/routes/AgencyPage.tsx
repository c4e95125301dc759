import { useState } from "react";
import { useBlock } from "wagmi";
import type { ManifestDocument } from "@trade-escrow/sdk/manifest";
import * as inspection from "../actions/inspection.js";
import { DocumentUploader } from "../components/DocumentUploader.js";
import { TransactionStatus } from "../components/TransactionStatus.js";
import { useClients } from "../hooks/useClients.js";
import { useTransaction } from "../hooks/useTransaction.js";
import { toReadableError } from "../lib/errors.js";
import {
  encodeSignedReport,
  inspectionFormSchema,
  toInspectionReport,
} from "../lib/inspectionSchema.js";
import { commitmentOf } from "../lib/manifest.js";
import { useTitle } from "../router.js";

/**
 * The accredited inspection agency: reports on a trade's goods (pre-shipment or on arrival) with
 * the variance found and whether the damage is material, the report itself on IPFS; signs it
 * (EIP-712) for the buyer's claim, or lodges it on chain.
 */
export function AgencyPage() {
  useTitle("Inspection agency");
  const { clients, reason } = useClients();
  const tx = useTransaction();
  const [tradeId, setTradeId] = useState("");
  const [variance, setVariance] = useState("");
  const [material, setMaterial] = useState(false);
  const [documents, setDocuments] = useState<ManifestDocument[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [signed, setSigned] = useState("");
  // The escrow judges the report's deadline by the chain's clock.
  const block = useBlock({ watch: true });

  const report = () => {
    if (clients === undefined) return undefined;
    const parsed = inspectionFormSchema.safeParse({
      tradeId,
      variancePercent: variance,
      material,
      reportCid: documents[0] === undefined ? "" : commitmentOf(documents[0].cid),
    });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
      setErrors(next);
      return undefined;
    }
    setErrors({});
    const now =
      block.data !== undefined ? Number(block.data.timestamp) : Math.floor(Date.now() / 1000);
    return toInspectionReport(parsed.data, clients.account, now);
  };

  const sign = async () => {
    const r = report();
    if (r === undefined || clients === undefined) return;
    try {
      setSigned(encodeSignedReport(r, await inspection.signReport(clients, r)));
    } catch (error) {
      setErrors({ form: toReadableError(error).title });
    }
  };

  const field = (name: string) =>
    errors[name] === undefined ? null : (
      <p role="alert" className="error">
        {errors[name]}
      </p>
    );

  return (
    <div className="workspace">
      <h1>Inspection agency</h1>
      <p className="lead">
        Report on a trade's goods: the variance from the contract and whether the damage is
        material, with the report on IPFS. Sign it for the buyer's claim, or lodge it on chain.
      </p>
      {clients === undefined ? (
        <p className="banner" role="status">
          {reason === "wrong-network"
            ? "Switch your wallet to the right network to report."
            : "Connect the accredited agency's wallet to report."}
        </p>
      ) : (
        <form
          className="form panel"
          aria-label="Inspection report"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void sign();
          }}
        >
          <label>
            Trade id{" "}
            <input
              inputMode="numeric"
              value={tradeId}
              onChange={(e) => setTradeId(e.target.value)}
            />
          </label>
          {field("tradeId")}
          <label>
            Variance found (% of the contract){" "}
            <input
              inputMode="decimal"
              value={variance}
              onChange={(e) => setVariance(e.target.value)}
            />
          </label>
          {field("variancePercent")}
          <label className="inline">
            <input
              type="checkbox"
              checked={material}
              onChange={(e) => setMaterial(e.target.checked)}
            />{" "}
            Material damage (accident, flood)
          </label>
          <DocumentUploader
            label="The inspection report"
            types={["inspection-report", "third-party-inspection-report", "photo", "video"]}
            documents={documents}
            onChange={setDocuments}
          />
          {field("reportCid")}
          {field("form")}
          <div className="row">
            <button type="submit">Sign the report (EIP-712) for the buyer</button>
            <button
              type="button"
              disabled={tx.busy}
              onClick={() => {
                const r = report();
                if (r !== undefined)
                  void tx.run("Lodge the report", () =>
                    inspection.submitInspectionReport(clients, r),
                  );
              }}
            >
              Lodge the report on chain
            </button>
          </div>
          {signed !== "" && (
            <label>
              The signed report: the buyer pastes it into the claim
              <textarea readOnly rows={10} value={signed} data-testid="signed-report" />
            </label>
          )}
          <TransactionStatus status={tx.status} />
        </form>
      )}
    </div>
  );
}
