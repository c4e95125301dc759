import { useState } from "react";
import type { AuditReport, Check, CheckKind } from "@trade-escrow/sdk/audit";
import { AuditEvidence } from "./AuditEvidence.js";

/** The check families in the order the verifier runs them, with what each proves. */
const kinds: readonly { kind: CheckKind; title: string; what: string }[] = [
  { kind: "code", title: "Code", what: "The contracts hold the expected bytecode." },
  { kind: "history", title: "History", what: "Every event folds into one consistent history." },
  {
    kind: "trade",
    title: "Trades",
    what: "Each trade rebuilt from events equals the chain's view.",
  },
  { kind: "accounts", title: "Accounts", what: "Credits, bonds, pools and debts equal the views." },
  {
    kind: "signature",
    title: "Signatures",
    what: "Each accepted signature was given by the party, who held the role.",
  },
  {
    kind: "document",
    title: "Documents",
    what: "Each document's bytes hash to the CID committed.",
  },
  {
    kind: "arbitration",
    title: "Arbitration",
    what: "Votes match their commitments, rulings their votes, refunds their rulings.",
  },
  { kind: "funds", title: "Funds", what: "The money held equals the money owed." },
];

const statusLabel: Record<Check["status"], string> = {
  passed: "✓ passed",
  failed: "✗ failed",
  skipped: "– skipped",
};

function CheckItem({ check }: { check: Check }) {
  return (
    <li
      className={`audit-check audit-${check.status}`}
      data-testid="audit-check"
      data-status={check.status}
      data-kind={check.kind}
    >
      <p>
        <span className={`badge badge-${check.status === "passed" ? "ok" : "bad"}`}>
          {statusLabel[check.status]}
        </span>{" "}
        <strong>{check.subject}</strong>
        {check.problem !== undefined && (
          <>
            {" "}
            <span className="badge" data-testid="audit-problem">
              {check.problem}
            </span>
          </>
        )}
      </p>
      <p>{check.message}</p>
      <AuditEvidence evidence={check.evidence} />
    </li>
  );
}

/** An audit's outcome: a summary, then every check by family, failures first and open. */
export function AuditReportView({ report }: { report: AuditReport }) {
  const [onlyProblems, setOnlyProblems] = useState(false);
  const { totals } = report;
  return (
    <section aria-labelledby="audit-result" className="audit-report">
      <h2 id="audit-result">Result</h2>
      <div
        className={`banner ${report.passed ? "banner-ok" : "banner-bad"}`}
        role={report.passed ? "status" : "alert"}
        data-testid="audit-summary"
      >
        <p>
          <strong>
            {report.passed
              ? "Every check passed: the record on chain and IPFS is consistent."
              : `${totals.failed} ${totals.failed === 1 ? "check" : "checks"} failed.`}
          </strong>{" "}
          {totals.passed} passed, {totals.failed} failed, {totals.skipped} skipped.
        </p>
        <p className="muted">
          {report.tradeId === undefined ? "The whole contract" : `Trade ${report.tradeId}`} of
          escrow <code>{report.escrow}</code> on chain {report.chainId}, blocks {report.fromBlock}{" "}
          to {report.blockNumber}; documents from <code>{report.ipfs}</code> (untrusted, every block
          hashed); {(report.durationMs / 1000).toFixed(1)} s.
        </p>
      </div>
      <label className="inline">
        <input
          type="checkbox"
          checked={onlyProblems}
          onChange={(e) => setOnlyProblems(e.target.checked)}
        />{" "}
        Show only failed and skipped checks
      </label>
      {kinds.map(({ kind, title, what }) => {
        const counts = report.byKind[kind];
        const checks = report.checks.filter(
          (c) => c.kind === kind && (!onlyProblems || c.status !== "passed"),
        );
        const all = counts.passed + counts.failed + counts.skipped;
        return (
          <details
            key={kind}
            className="panel"
            open={counts.failed > 0}
            data-testid={`audit-kind-${kind}`}
          >
            <summary>
              <h3>
                {title}:{" "}
                {all === 0
                  ? "nothing to check"
                  : `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`}
              </h3>
            </summary>
            <p className="muted">{what}</p>
            {checks.length === 0 ? (
              <p className="state state-empty">
                {all === 0 ? "No check of this kind applied." : "No failed or skipped check."}
              </p>
            ) : (
              <ul className="audit-checks">
                {[...checks]
                  .sort((a, b) => rank(a) - rank(b))
                  .map((check, i) => (
                    <CheckItem key={`${check.subject}-${i}`} check={check} />
                  ))}
              </ul>
            )}
          </details>
        );
      })}
    </section>
  );
}

const rank = (check: Check) => (check.status === "failed" ? 0 : check.status === "skipped" ? 1 : 2);
