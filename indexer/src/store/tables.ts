/** A row as the store reads and writes it: int8 as number, numeric as decimal string, jsonb as JSON. */
export type Row = Record<string, unknown>;

/**
 * Tables whose rows change after they are written (current state). Before a block that is not yet
 * final changes one of their rows, the row as it was goes to `undo_log`, so a reorg can put it back.
 */
export const mutableTables = {
  trades: ["id"],
  lots: ["trade_id", "lot"],
  claims: ["trade_id"],
  disputes: ["id"],
  balances: ["kind", "account", "token"],
  operators: ["address"],
} as const satisfies Record<string, readonly string[]>;

export type MutableTable = keyof typeof mutableTables;

/** Append-only tables, each row tagged with its block: a reorg deletes the rows of dropped blocks. */
export const appendTables = [
  "blocks",
  "events",
  "amendments",
  "documents",
  "attestations",
  "votes",
  "ratings",
] as const;

export type AppendTable = (typeof appendTables)[number];

/** The block column of each append-only table. */
export const blockColumn: Record<AppendTable, string> = {
  blocks: "number",
  events: "block_number",
  amendments: "block_number",
  documents: "block_number",
  attestations: "block_number",
  votes: "block_number",
  ratings: "block_number",
};

/** One row of a mutable table as it was before block `block` changed it (null: it did not exist). */
export type UndoEntry = { block: number; table: MutableTable; pk: Row; prev: Row | null };

/** The primary key of `row` in `table`. */
export function pkOf(table: MutableTable, row: Row): Row {
  const pk: Row = {};
  for (const column of mutableTables[table]) pk[column] = row[column];
  return pk;
}

/** A string key of `row`'s primary key in `table` (for maps). */
export function keyOf(table: MutableTable, row: Row): string {
  return mutableTables[table].map((column) => String(row[column])).join("|");
}

/**
 * Why the syncer stopped following: the chain replaced a block the indexer had declared final (a
 * reorg deeper than the finality depth). Stored in `sync_state.fault`; nothing clears it but indexing
 * afresh into an empty database.
 */
export type SyncFault = {
  type: "finality-violated";
  /** The finalized block the chain contradicts. */
  finalizedBlock: number;
  /** Its hash as the indexer stored it (and the API served it as final). */
  storedHash: string;
  /** Its hash on the chain now. */
  chainHash: string;
  /** The last block indexed when it stopped (its data is kept as it was). */
  indexedBlock: number;
  /** When it was detected (ISO 8601). */
  detectedAt: string;
  message: string;
};

/** Where the sync stands. */
export type Checkpoint = {
  chainId: number;
  escrow: string;
  court: string | null;
  ratings: string | null;
  startBlock: number;
  /** The last block whose data is stored (startBlock - 1 before any). */
  indexedBlock: number;
  indexedHash: string | null;
  /** Data at or below this block is final. */
  finalizedBlock: number;
  backfillDone: boolean;
  /** Set when the sync stopped on a contradiction of final data. */
  fault: SyncFault | null;
};

/** What one sync step writes, in one transaction with its checkpoint. */
export type BatchWrite = {
  append: Partial<Record<AppendTable, Row[]>>;
  upserts: Partial<Record<MutableTable, Row[]>>;
  undo: UndoEntry[];
  /** Documents to verify (inserted as pending if new). */
  documentCids: string[];
  checkpoint: Pick<Checkpoint, "indexedBlock" | "indexedHash" | "finalizedBlock"> & {
    backfillDone?: boolean;
  };
};

/** Stable JSON (sorted keys) to compare rows. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
