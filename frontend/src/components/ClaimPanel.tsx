import { useState } from "react";
import type { Address, Hex } from "viem";
import { ClaimGround, claimGroundNames } from "@trade-escrow/sdk/contracts";
import type { ManifestDocument } from "@trade-escrow/sdk/manifest";
import * as escrow from "../actions/escrow.js";
import * as claims from "../actions/claims.js";
import { humanize } from "../lib/format.js";
import { commitmentOf } from "../lib/manifest.js";
import { sameAddress } from "../lib/terms.js";
import { actionsNow } from "../lib/tradeActions.js";
import { AppealPanel } from "./AppealPanel.js";
import { DocumentUploader } from "./DocumentUploader.js";
import { EvidencePanel } from "./EvidencePanel.js";
import { SettlementPanel } from "./SettlementPanel.js";
import type { PanelProps } from "./TradeActions.js";

/** The agency's signed inspection report as the agency hands it to the buyer. */
type SignedReport = {
  report: {
    tradeId: string;
    agency: string;
    varianceBps: number;
    material: boolean;
    reportCid: Hex;
    nonce: string;
    deadline: string;
  };
  signature: Hex;
};

/**
 * Claims: the buyer files one with the agency's report and evidence; the seller accepts or
 * contests it (paying the court's fee); either party adds evidence, settles by agreement or appeals
 * a first ruling; anyone executes a ruling or a default judgment.
 */
export function ClaimPanel({ trade, terms, clients, tx, now }: PanelProps) {
  const id = BigInt(trade.id);
  const isBuyer = sameAddress(trade.buyer, clients.account);
  const isSeller = sameAddress(trade.seller, clients.account);
  const [ground, setGround] = useState<number>(ClaimGround.SpecificationVariance);
  const [refundPercent, setRefundPercent] = useState("10");
  const [evidence, setEvidence] = useState<ManifestDocument[]>([]);
  const [report, setReport] = useState("");
  const [counter, setCounter] = useState<ManifestDocument[]>([]);
  const claim = trade.claim;
  // What the escrow would take now from this account (the sdk's availableActions): a claim from
  // Shipped on once port arrival opened the window, until it closes; the seller's answer until its
  // business days run out; the default judgment after them.
  const can = new Set(actionsNow({ trade, terms, now }, clients.account).map((a) => a.name));

  if (claim === null) {
    if (!isBuyer || !can.has("fileClaim")) return null;
    let signed: SignedReport | undefined;
    try {
      signed = report.trim() === "" ? undefined : (JSON.parse(report) as SignedReport);
    } catch {
      signed = undefined;
    }
    const first = evidence[0];
    return (
      <details className="panel">
        <summary>
          <h3>File a claim</h3>
        </summary>
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (signed === undefined || first === undefined) return;
            const r = signed.report;
            void tx.run("File the claim", () =>
              claims.fileClaim(
                clients,
                id,
                terms,
                {
                  ground,
                  refundBps: Math.round(Number(refundPercent) * 100),
                  evidenceCid: commitmentOf(first.cid),
                },
                {
                  tradeId: BigInt(r.tradeId),
                  agency: r.agency as Address,
                  varianceBps: r.varianceBps,
                  material: r.material,
                  reportCid: r.reportCid,
                  nonce: BigInt(r.nonce),
                  deadline: BigInt(r.deadline),
                },
                signed.signature,
              ),
            );
          }}
        >
          <label>
            Ground{" "}
            <select value={ground} onChange={(e) => setGround(Number(e.target.value))}>
              {claimGroundNames.map((name, i) => (
                <option key={name} value={i}>
                  {humanize(name)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Refund asked (% of the price){" "}
            <input
              inputMode="decimal"
              value={refundPercent}
              onChange={(e) => setRefundPercent(e.target.value)}
            />
          </label>
          <DocumentUploader
            label="Evidence (photos, videos)"
            types={["photo", "video", "photos-and-videos", "other"]}
            documents={evidence}
            onChange={setEvidence}
          />
          <label>
            The accredited agency's signed inspection report (JSON)
            <textarea rows={5} value={report} onChange={(e) => setReport(e.target.value)} />
          </label>
          {report.trim() !== "" && signed === undefined && (
            <p role="alert" className="error">
              This is not a signed inspection report.
            </p>
          )}
          <button type="submit" disabled={tx.busy || signed === undefined || first === undefined}>
            File the claim
          </button>
        </form>
      </details>
    );
  }

  const status = claim.status;
  return (
    <div className="panel">
      <h3>Claim: {humanize(status)}</h3>
      {isSeller && can.has("acceptClaim") && (
        <div className="form">
          <button
            type="button"
            disabled={tx.busy}
            onClick={() => void tx.run("Accept the claim", () => escrow.acceptClaim(clients, id))}
          >
            Accept the claim (the refund executes)
          </button>
          <DocumentUploader
            label="Counter-evidence"
            types={["inspection-report", "photo", "video", "other"]}
            documents={counter}
            onChange={setCounter}
          />
          <button
            type="button"
            disabled={tx.busy || counter[0] === undefined}
            onClick={() =>
              void tx.run("Contest the claim", async () => {
                const cost = await escrow.arbitrationCost(clients, terms);
                return escrow.contestClaim(clients, id, terms, commitmentOf(counter[0]!.cid), cost);
              })
            }
          >
            Contest before the court (pays the court's fee)
          </button>
        </div>
      )}
      {can.has("enforceDefaultJudgment") && (
        <button
          type="button"
          disabled={tx.busy}
          onClick={() =>
            void tx.run("Enforce the default judgment", () =>
              escrow.enforceDefaultJudgment(clients, id),
            )
          }
        >
          Enforce the default judgment (after the response window)
        </button>
      )}
      {(isBuyer || isSeller) && can.has("submitEvidence") && (
        <EvidencePanel tradeId={id} terms={terms} clients={clients} tx={tx} />
      )}
      {(isBuyer || isSeller) && can.has("settleClaim") && (
        <SettlementPanel trade={trade} terms={terms} clients={clients} tx={tx} />
      )}
      {can.has("appealRuling") && (
        <AppealPanel tradeId={id} terms={terms} clients={clients} tx={tx} />
      )}
      {can.has("executeRuling") && (
        <button
          type="button"
          disabled={tx.busy}
          onClick={() => void tx.run("Execute the ruling", () => escrow.executeRuling(clients, id))}
        >
          Execute the court's ruling
        </button>
      )}
    </div>
  );
}
