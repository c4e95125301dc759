import type { AuditProgress } from "@trade-escrow/sdk/audit";

const stepLabels: Record<AuditProgress["step"], string> = {
  code: "Comparing the contracts' code",
  events: "Reading the events",
  history: "Replaying the history",
  trade: "Comparing trades with the chain",
  accounts: "Comparing accounts",
  signature: "Checking signatures",
  document: "Fetching and hashing documents",
  arbitration: "Recounting votes and rulings",
  funds: "Counting the money",
};

/** The steps in the order the verifier runs them (its progress reports these). */
const steps: readonly AuditProgress["step"][] = [
  "code",
  "events",
  "trade",
  "signature",
  "document",
  "arbitration",
  "funds",
];

/** Where a running audit is: the step, its count, and a bar over the steps. */
export function AuditProgressBar(props: { progress: AuditProgress | undefined }) {
  const { progress } = props;
  const index = progress === undefined ? 0 : Math.max(0, steps.indexOf(progress.step));
  const within = progress !== undefined && progress.total > 0 ? progress.done / progress.total : 0;
  const percent = Math.round(((index + within) / steps.length) * 100);
  const label =
    progress === undefined ? "Connecting to the chain and IPFS" : stepLabels[progress.step];
  return (
    <div className="audit-progress" role="status" aria-live="polite" data-testid="audit-progress">
      <label>
        {label}
        {progress !== undefined && progress.total > 0 && ` (${progress.done} of ${progress.total})`}
        …{" "}
        <progress max={100} value={percent}>
          {percent}%
        </progress>
      </label>
    </div>
  );
}
