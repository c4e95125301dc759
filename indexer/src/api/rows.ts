/** The API's shapes of stored rows: trade summaries, timeline entries, camelCased rows. */

type DbRow = Record<string, unknown>;

/** A nullable int8 column (null for rows written before the column existed). */
const nullableNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export function tradeSummary(row: DbRow, finalized: number) {
  return {
    id: String(row.id),
    state: row.state as number,
    stateName: row.state_name as string,
    mode: row.mode as number,
    modeName: row.mode_name as string,
    buyer: row.buyer as string,
    seller: row.seller as string,
    operator: row.operator as string,
    token: row.token as string,
    price: row.price as string,
    quantity: row.quantity as string,
    version: row.version as number,
    termsHash: row.terms_hash as string,
    escrowed: row.escrowed as string,
    released: row.released as string,
    refunded: row.refunded as string,
    sellerBond: row.seller_bond as string,
    lotsDone: row.lots_done as number,
    receivedQuantity: row.received_quantity as string,
    stageAt: row.stage_at as number,
    stageDeadline: (row.stage_deadline as number | null) ?? null,
    arrivedAt: row.arrived_at as number,
    latestDelivery: nullableNumber(row.latest_delivery),
    shipWindow: nullableNumber(row.ship_window),
    deliveryGrace: nullableNumber(row.delivery_grace),
    lateBalancePaidAt: nullableNumber(row.late_balance_paid_at),
    createdBlock: row.created_block as number,
    createdAt: row.created_at as number,
    createdTx: row.created_tx as string,
    updatedBlock: row.updated_block as number,
    updatedAt: row.updated_at as number,
    final: (row.updated_block as number) <= finalized,
  };
}

/** snake_case keys to camelCase, block columns to `block`/`timestamp`/`transactionHash`. */
export function camel(row: DbRow): DbRow {
  const out: DbRow = {};
  for (const [key, value] of Object.entries(row)) {
    const name =
      key === "block_number"
        ? "block"
        : key === "block_timestamp"
          ? "timestamp"
          : key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[name] = value;
  }
  return out;
}

export function timelineEntry(row: DbRow, finalized: number) {
  return {
    block: row.block_number as number,
    logIndex: row.log_index as number,
    blockHash: row.block_hash as string,
    timestamp: row.block_timestamp as number,
    transactionHash: row.transaction_hash as string,
    contract: row.contract as "escrow" | "court" | "ratings",
    event: row.event_name as string,
    disputeId: (row.dispute_id as string | null) ?? null,
    ...(row.trade_id !== undefined && { tradeId: (row.trade_id as string | null) ?? null }),
    args: row.args as Record<string, unknown>,
    final: (row.block_number as number) <= finalized,
  };
}
