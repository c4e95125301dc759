/** The API's shapes of stored rows: trade summaries, timeline entries, camelCased rows. */
import type { EventRow, TradeListRow } from "../store/index.js";

/** `snake_case` to `camelCase`, as `camel` renames keys. */
type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<SnakeToCamel<Tail>>}`
  : S;
type CamelKey<S extends string> = S extends "block_number"
  ? "block"
  : S extends "block_timestamp"
    ? "timestamp"
    : SnakeToCamel<S>;

/** A row with `camel`'s keys. */
export type Camel<T> = { [K in keyof T as CamelKey<K & string>]: T[K] };

/** snake_case keys to camelCase, block columns to `block`/`timestamp`/`transactionHash`. */
export function camel<T extends object>(row: T): Camel<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const name =
      key === "block_number"
        ? "block"
        : key === "block_timestamp"
          ? "timestamp"
          : key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[name] = value;
  }
  return out as Camel<T>; // the same renaming, spelled for the type checker above
}

export function tradeSummary(row: TradeListRow, finalized: number) {
  return {
    id: String(row.id),
    state: row.state,
    stateName: row.state_name,
    mode: row.mode,
    modeName: row.mode_name,
    buyer: row.buyer,
    seller: row.seller,
    operator: row.operator,
    token: row.token,
    price: row.price,
    quantity: row.quantity,
    version: row.version,
    termsHash: row.terms_hash,
    escrowed: row.escrowed,
    released: row.released,
    refunded: row.refunded,
    sellerBond: row.seller_bond,
    lotsDone: row.lots_done,
    receivedQuantity: row.received_quantity,
    stageAt: row.stage_at,
    stageDeadline: row.stage_deadline ?? null,
    arrivedAt: row.arrived_at,
    // Nullable int8 columns (null for rows written before the column existed).
    latestDelivery: row.latest_delivery ?? null,
    shipWindow: row.ship_window ?? null,
    deliveryGrace: row.delivery_grace ?? null,
    lateBalancePaidAt: row.late_balance_paid_at ?? null,
    createdBlock: row.created_block,
    createdAt: row.created_at,
    createdTx: row.created_tx,
    updatedBlock: row.updated_block,
    updatedAt: row.updated_at,
    final: row.updated_block <= finalized,
  };
}

/** An event row as the timeline reads it; a dispute's events have no block hash. */
type TimelineRow<H, D> = Omit<EventRow, "block_hash" | "dispute_id"> & {
  block_hash: H;
  dispute_id: D;
};

export function timelineEntry<H extends string | null, D extends string | null>(
  row: TimelineRow<H, D>,
  finalized: number,
) {
  return {
    block: row.block_number,
    logIndex: row.log_index,
    blockHash: row.block_hash,
    timestamp: row.block_timestamp,
    transactionHash: row.transaction_hash,
    contract: row.contract,
    event: row.event_name,
    disputeId: row.dispute_id,
    ...(row.trade_id !== undefined && { tradeId: row.trade_id ?? null }),
    args: row.args,
    final: row.block_number <= finalized,
  };
}
