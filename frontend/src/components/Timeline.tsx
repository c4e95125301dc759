import { useApp } from "../context.js";
import { explorerTxUrl } from "../config.js";
import type { TimelineEntry } from "../lib/api.js";
import {
  attestationKindNames,
  cancelReasonNames,
  milestoneNames,
} from "@trade-escrow/sdk/contracts";
import type { PaymentToken } from "../config.js";
import { formatAmount, formatTime, humanize, shortAddress, shortHash } from "../lib/format.js";

const hidden = new Set(["TradeStateChanged"]);

const amountArgs = new Set([
  "amount",
  "sellerAmount",
  "fee",
  "refund",
  "costs",
  "price",
  "buyerRefund",
  "bondToBuyer",
  "bondToSeller",
]);

/** The event's arguments in words: amounts in the trade's token, enums by name, addresses shortened. */
function describeArgs(entry: TimelineEntry, token: PaymentToken): string {
  const { args } = entry;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (key === "tradeId" || key === "terms" || key === "termsHash" || typeof value === "object")
      continue;
    const text = String(value);
    if (amountArgs.has(key) && /^\d+$/.test(text))
      parts.push(`${humanize(key).toLowerCase()} ${formatAmount(text, token)}`);
    else if (key === "milestone") parts.push(humanize(milestoneNames[Number(value)] ?? text));
    else if (key === "reason" && entry.event === "TradeCancelled")
      parts.push(humanize(cancelReasonNames[Number(value)] ?? text));
    else if (key === "kind" && entry.event === "LotReceived")
      parts.push(humanize(attestationKindNames[Number(value)] ?? text));
    else if (/^0x[0-9a-fA-F]{40}$/.test(text))
      parts.push(`${humanize(key).toLowerCase()} ${shortAddress(text)}`);
    else
      parts.push(
        `${humanize(key).toLowerCase()} ${text.length > 20 ? `${text.slice(0, 12)}…` : text}`,
      );
  }
  return parts.join(", ");
}

/** Every event of a trade, oldest first, each with its block, time and transaction. */
export function Timeline({ entries, token }: { entries: TimelineEntry[]; token: PaymentToken }) {
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
            <span className="muted">{describeArgs(entry, token)}</span>
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
