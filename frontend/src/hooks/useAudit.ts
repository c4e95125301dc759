import { useCallback, useRef, useState } from "react";
import type { AuditProgress, AuditReport } from "@trade-escrow/sdk/audit";
import { useApp } from "../context.js";
import type { AuditScope } from "../lib/auditScope.js";
import { toReadableError } from "../lib/errors.js";
import type { ReadableError } from "../lib/errors.js";

/** An audit's life as the auditor sees it. */
export type AuditRun =
  | { type: "idle" }
  | { type: "running"; scope: AuditScope; progress: AuditProgress | undefined }
  | { type: "done"; scope: AuditScope; report: AuditReport }
  | { type: "failed"; scope: AuditScope; error: ReadableError };

/** Where the dApp's documents are served: the configured indexer's `/ipfs`, else this origin's. */
export function gatewayUrl(indexerUrl: string): string {
  return `${indexerUrl === "" ? window.location.origin : indexerUrl}/ipfs`;
}

/**
 * Runs the sdk's verifier in the browser against the configured RPC and the IPFS gateway, with its
 * progress. A new run supersedes one under way (its late result is dropped).
 */
export function useAudit() {
  const { config } = useApp();
  const [run, setRun] = useState<AuditRun>({ type: "idle" });
  const current = useRef(0);

  const start = useCallback(
    async (scope: AuditScope) => {
      const id = ++current.current;
      const live = () => id === current.current;
      setRun({ type: "running", scope, progress: undefined });
      try {
        // The verifier (and the contracts' expected bytecode) loads only when an audit runs.
        const { runAudit } = await import("../lib/audit.js");
        const report = await runAudit({
          rpcUrl: config.chain.rpcUrls.default.http[0]!,
          gatewayUrl: gatewayUrl(config.indexerUrl),
          escrow: config.escrow,
          court: config.court,
          scope,
          onProgress: (progress) => {
            if (live()) setRun({ type: "running", scope, progress });
          },
        });
        if (live()) setRun({ type: "done", scope, report });
      } catch (error) {
        if (live()) setRun({ type: "failed", scope, error: toReadableError(error) });
      }
    },
    [config],
  );

  return { run, start, running: run.type === "running" };
}
