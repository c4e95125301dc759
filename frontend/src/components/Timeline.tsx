import { useApp } from "../context.js";
import { explorerTxUrl } from "../config.js";
import type { TimelineEntry } from "../lib/api.js";
import { formatTime, humanize, shortHash } from "../lib/format.js";

const hidden = new Set(["TradeStateChanged"]);

function describeArgs(entry: TimelineEntry): string {
  const { args } = entry;
  if (entry.event === "TradeStateChanged") return `${String(args.from)} → ${String(args.to)}`;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (key === "tradeId" || key === "terms" || typeof value === "object") continue;
    const text = String(value);
    parts.push(`${key} ${text.length > 20 ? `${text.slice(0, 10)}…` : text}`);
  }
  return parts.join(", ");
}

/** Every event of a trade, oldest first, each with its block, time and transaction. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { config } = useApp();
  const shown = entries.filter((e) => !hidden.has(e.event));
  if (shown.length === 0) return <p className="state state-empty">No events yet.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {shown.map((entry) => {
        const url = explorerTxUrl(config.chain, entry.transactionHash);
        return (
          <li key={`${entry.block}-${entry.logIndex}`}>
            <strong>{humanize(entry.event)}</strong>{" "}
            <span className="muted">{describeArgs(entry)}</span>
            <div className="meta">
              <time dateTime={new Date(entry.timestamp * 1000).toISOString()}>
                {formatTime(entry.timestamp)}
              </time>{" "}
              · block {entry.block} · tx{" "}
              {url !== undefined ? (
                <a href={url} target="_blank" rel="noreferrer">
                  {shortHash(entry.transactionHash)}
                </a>
              ) : (
                <code title={entry.transactionHash}>{shortHash(entry.transactionHash)}</code>
              )}{" "}
              {entry.final ? (
                <span className="badge badge-ok">final</span>
              ) : (
                <span className="badge">not final</span>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
