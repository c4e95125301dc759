import { useApp } from "../context.js";
import { explorerTxUrl } from "../config.js";
import type { TransactionStatus as Status } from "../hooks/useTransaction.js";
import { shortHash } from "../lib/format.js";

function TxLink({ hash }: { hash: string }) {
  const { config } = useApp();
  const url = explorerTxUrl(config.chain, hash);
  return url === undefined ? (
    <code title={hash}>{shortHash(hash)}</code>
  ) : (
    <a href={url} target="_blank" rel="noreferrer">
      {shortHash(hash)}
    </a>
  );
}

/** Pending, confirmed or failed: what happened to the last transaction, announced to screen readers. */
export function TransactionStatus({ status }: { status: Status }) {
  if (status.type === "idle") return null;
  return (
    <div
      className={`tx tx-${status.type}`}
      role="status"
      aria-live="polite"
      data-testid="tx-status"
    >
      {status.type === "wallet" && <p>{status.label}: confirm in your wallet…</p>}
      {status.type === "pending" && (
        <p>
          {status.label}: pending <TxLink hash={status.hash} />
        </p>
      )}
      {status.type === "confirmed" && (
        <p>
          {status.label}: confirmed in block {status.blockNumber.toString()}{" "}
          <TxLink hash={status.hash} />
        </p>
      )}
      {status.type === "failed" && (
        <div role="alert">
          <p>
            {status.label} failed: {status.error.title}
          </p>
          {status.error.detail !== undefined && (
            <p className="muted">
              <code>{status.error.detail}</code>
            </p>
          )}
          {status.hash !== undefined && (
            <p>
              <TxLink hash={status.hash} />
            </p>
          )}
        </div>
      )}
    </div>
  );
}
