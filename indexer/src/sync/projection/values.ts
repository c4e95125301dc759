/** Small conversions every projection step shares: event values to column values. */
import { commitmentToCid } from "@trade-escrow/sdk/cid";
import { effectiveLatestDelivery, metaEvidenceSubject } from "@trade-escrow/sdk/history";
import type { TradeRecord } from "@trade-escrow/sdk/history";
import { paymentModeNames, tradeStateNames } from "@trade-escrow/sdk/contracts";
import { encodeRecord, stageDeadline } from "../../internal/index.js";
import type { EncodedTradeRecord, TradeRow } from "../../store/index.js";
import type { ChainEvent } from "../decode.js";

export const lower = (a: unknown) => String(a).toLowerCase();
export const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
export const num = (v: unknown) => Number(v);

/** The account of the guarantor pool's balance rows. */
export const POOL = "pool";

/** The CID a commitment names, null for a malformed one, undefined for none (`0x`). */
export function cidOf(commitment: unknown): string | null | undefined {
  if (typeof commitment !== "string" || commitment === "0x") return undefined;
  try {
    return commitmentToCid(commitment).toString();
  } catch {
    return null;
  }
}

/**
 * The trade an event belongs to: ERC-1497's evidence group is the trade id, and its meta-evidence id
 * names a version of the trade's terms (the sdk's `metaEvidenceSubject`).
 */
export function tradeIdOf(e: ChainEvent): bigint | undefined {
  const a = e.args;
  if (typeof a.tradeId === "bigint") return a.tradeId;
  if (e.contract !== "escrow") return undefined;
  if (e.eventName === "Evidence") return a.evidenceGroupID as bigint;
  if (e.eventName === "MetaEvidence" || e.eventName === "Dispute")
    return metaEvidenceSubject(a.metaEvidenceID as bigint).tradeId;
  return undefined;
}

export function disputeIdOf(e: ChainEvent): bigint | undefined {
  const a = e.args;
  if (typeof a.disputeId === "bigint") return a.disputeId;
  if (typeof a.disputeID === "bigint") return a.disputeID;
  return undefined;
}

/** The block columns of a row an event writes. */
export const position = (e: ChainEvent) => ({
  block_number: num(e.blockNumber),
  block_timestamp: num(e.timestamp),
  transaction_hash: e.transactionHash,
});

/** The row of a trade in `trades`. */
export function tradeRow(t: TradeRecord): TradeRow {
  const deadline = stageDeadline(t);
  return {
    id: t.tradeId.toString(),
    state: t.state,
    state_name: tradeStateNames[t.state]!,
    mode: t.terms.mode,
    mode_name: paymentModeNames[t.terms.mode]!,
    buyer: lower(t.terms.buyer),
    seller: lower(t.terms.seller),
    operator: lower(t.terms.operator),
    token: lower(t.terms.token),
    price: t.terms.price.toString(),
    quantity: t.terms.quantity.toString(),
    version: t.version,
    terms_hash: t.termsHash,
    escrowed: t.escrowed.toString(),
    released: t.released.toString(),
    refunded: t.refunded.toString(),
    seller_bond: t.sellerBond.toString(),
    lots_done: t.lotsDone,
    received_quantity: t.receivedQuantity.toString(),
    stage_at: num(t.stageAt),
    stage_deadline: deadline === 0n ? null : num(deadline),
    arrived_at: num(t.arrivedAt),
    latest_delivery: num(effectiveLatestDelivery(t)),
    ship_window: t.terms.shipWindow,
    delivery_grace: t.terms.deliveryGrace,
    late_balance_paid_at: t.lateBalancePaidAt === 0n ? null : num(t.lateBalancePaidAt),
    created_block: num(t.createdAt.blockNumber),
    created_at: num(t.createdAt.timestamp),
    created_tx: t.createdAt.transactionHash,
    updated_block: num(t.updatedAt.blockNumber),
    updated_at: num(t.updatedAt.timestamp),
    record: encodeRecord(t) as EncodedTradeRecord,
  };
}
