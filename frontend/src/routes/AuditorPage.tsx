import { useState } from "react";
import type { FormEvent } from "react";
import { AuditProgressBar } from "../components/AuditProgressBar.js";
import { AuditReportView } from "../components/AuditReportView.js";
import { useApp } from "../context.js";
import { gatewayUrl, useAudit } from "../hooks/useAudit.js";
import { parseAuditScope } from "../lib/auditScope.js";
import { useTitle } from "../router.js";

/**
 * The auditor: anyone, no wallet. Picks one trade or the whole contract and runs the sdk's verifier
 * in this browser, against the chain's RPC and IPFS, never the indexer.
 */
export function AuditorPage() {
  useTitle("Auditor");
  const { config } = useApp();
  const { run, start, running } = useAudit();
  const initialTrade = new URLSearchParams(window.location.search).get("trade") ?? "";
  const [scope, setScope] = useState<"contract" | "trade">(
    initialTrade === "" ? "contract" : "trade",
  );
  const [tradeId, setTradeId] = useState(initialTrade);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseAuditScope({ scope, tradeId });
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    void start(parsed.scope);
  };

  return (
    <div className="workspace">
      <h1>Auditor</h1>
      <p className="lead audit-lead">
        Check the record yourself: this browser reads the chain at{" "}
        <code>{config.chain.rpcUrls.default.http[0]}</code> and the documents from{" "}
        <code>{gatewayUrl(config.indexerUrl)}</code>, hashes every block against its CID, and trusts
        neither the platform's index nor the gateway.
      </p>
      <form className="form panel" aria-label="Audit" onSubmit={submit} noValidate>
        <fieldset>
          <legend>What to check</legend>
          <label className="inline">
            <input
              type="radio"
              name="scope"
              value="contract"
              checked={scope === "contract"}
              onChange={() => setScope("contract")}
            />{" "}
            The whole contract
          </label>
          <label className="inline">
            <input
              type="radio"
              name="scope"
              value="trade"
              checked={scope === "trade"}
              onChange={() => setScope("trade")}
            />{" "}
            One trade
          </label>
        </fieldset>
        {scope === "trade" && (
          <label>
            Trade id{" "}
            <input
              inputMode="numeric"
              value={tradeId}
              onChange={(e) => setTradeId(e.target.value)}
              aria-invalid={errors.tradeId !== undefined}
              aria-describedby={errors.tradeId !== undefined ? "trade-id-error" : undefined}
            />
          </label>
        )}
        {errors.tradeId !== undefined && (
          <p id="trade-id-error" role="alert" className="error">
            {errors.tradeId}
          </p>
        )}
        <button type="submit" disabled={running}>
          {running ? "Checking…" : "Run the audit in this browser"}
        </button>
      </form>
      {run.type === "running" && <AuditProgressBar progress={run.progress} />}
      {run.type === "failed" && (
        <div className="state state-error" role="alert">
          <p>The audit could not run: {run.error.title}</p>
          {run.error.detail !== undefined && <p>{run.error.detail}</p>}
          <button type="button" onClick={() => void start(run.scope)}>
            Try again
          </button>
        </div>
      )}
      {run.type === "done" && <AuditReportView report={run.report} />}
    </div>
  );
}
