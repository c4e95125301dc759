import type { Evidence } from "@trade-escrow/sdk/audit";
import { useApp } from "../context.js";
import { explorerTxUrl } from "../config.js";
import { Link } from "../router.js";

/** The evidence fields in the order a person reads them, with their labels. */
const fields: readonly { key: keyof Evidence; label: string }[] = [
  { key: "tradeId", label: "Trade" },
  { key: "disputeId", label: "Dispute" },
  { key: "cid", label: "Document CID" },
  { key: "field", label: "Field" },
  { key: "expected", label: "Expected" },
  { key: "found", label: "Found" },
  { key: "address", label: "Address" },
  { key: "account", label: "Account" },
  { key: "token", label: "Token" },
  { key: "block", label: "Block" },
  { key: "transaction", label: "Transaction" },
];

/** What one audit check rests on: the chain's block and transaction, the CID, expected and found. */
export function AuditEvidence(props: { evidence: Evidence }) {
  const { config, api } = useApp();
  const present = fields.filter((f) => props.evidence[f.key] !== undefined);
  if (present.length === 0) return null;
  const value = (key: keyof Evidence, text: string) => {
    if (key === "tradeId") return <Link href={`/trades/${text}`}>#{text}</Link>;
    if (key === "cid")
      return (
        <a href={api.ipfsUrl(text)} target="_blank" rel="noreferrer">
          <code>{text}</code>
        </a>
      );
    if (key === "transaction") {
      const url = explorerTxUrl(config.chain, text);
      return url === undefined ? (
        <code>{text}</code>
      ) : (
        <a href={url} target="_blank" rel="noreferrer">
          <code>{text}</code>
        </a>
      );
    }
    return <code>{text}</code>;
  };
  return (
    <dl className="evidence">
      {present.map(({ key, label }) => (
        <div key={key} data-evidence={key}>
          <dt>{label}</dt>
          <dd>{value(key, props.evidence[key]!)}</dd>
        </div>
      ))}
    </dl>
  );
}
