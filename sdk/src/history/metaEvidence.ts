/**
 * ERC-1497 meta-evidence ids. The escrow publishes the manifest of each version of a trade's terms
 * (when a trade that can reach a court is signed, and at each amendment) as the meta-evidence
 * `(tradeId << 16) | version`, and a dispute names the version it is about
 * (`TradeFlow.metaEvidenceId`); evidence groups stay the trade id.
 */
export function metaEvidenceId(tradeId: bigint, version: number): bigint {
  return (tradeId << 16n) | BigInt(version);
}

/** The trade and terms version a meta-evidence id names. */
export function metaEvidenceSubject(id: bigint): { tradeId: bigint; version: number } {
  return { tradeId: id >> 16n, version: Number(id & 0xffffn) };
}
