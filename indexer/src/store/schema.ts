/**
 * The tables of `migrations.ts` as TypeScript sees them: one interface per table, `Tables` the whole
 * schema (Kysely's `Database` interface; the name `Database` is the connection's, see database.ts).
 *
 * Column types are what both drivers read: int2/int4/int8 as `number` (database.ts parses int8 into
 * a number on PGlite and on pg alike), numeric as a decimal `string` (uint256 amounts and ids keep
 * every digit), jsonb as the JSON it holds, boolean as `boolean`, timestamptz as `Date`. A column a
 * later migration added is nullable where rows written before it may lack it. Change a migration,
 * change its interface here in the same commit.
 */
import type { Generated, Selectable } from "kysely";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { ApiJson } from "../internal/index.js";
import type { SyncFault } from "./tables.js";

/** numeric: a decimal string. */
type Numeric = string;

export interface SyncStateTable {
  id: number;
  chain_id: number;
  escrow: string;
  court: string | null;
  ratings: string | null;
  start_block: number;
  indexed_block: number;
  indexed_hash: string | null;
  finalized_block: number;
  backfill_done: Generated<boolean>;
  updated_at: Generated<Date>;
  fault: SyncFault | null;
}

export interface BlocksTable {
  number: number;
  hash: string;
  parent_hash: string;
  timestamp: number;
}

export interface EventsTable {
  block_number: number;
  log_index: number;
  block_hash: string;
  block_timestamp: number;
  transaction_hash: string;
  transaction_index: number;
  contract: "escrow" | "court" | "ratings";
  address: string;
  event_name: string;
  trade_id: Numeric | null;
  dispute_id: Numeric | null;
  /** The event's arguments, bigints as decimal strings (`toApiJson`). */
  args: Record<string, unknown>;
}

export interface TradesTable {
  id: Numeric;
  state: number;
  state_name: string;
  mode: number;
  mode_name: string;
  buyer: string;
  seller: string;
  operator: string;
  token: string;
  price: Numeric;
  quantity: Numeric;
  version: number;
  terms_hash: string;
  escrowed: Numeric;
  released: Numeric;
  refunded: Numeric;
  seller_bond: Numeric;
  lots_done: number;
  received_quantity: Numeric;
  stage_at: number;
  stage_deadline: number | null;
  arrived_at: number;
  /** Migration 5: null on rows written before it. */
  latest_delivery: number | null;
  ship_window: number | null;
  delivery_grace: number | null;
  late_balance_paid_at: number | null;
  created_block: number;
  created_at: number;
  created_tx: string;
  updated_block: number;
  updated_at: number;
  /** The reducer's whole TradeRecord, bigints as `"123n"` (`encodeRecord`; read with `decodeRecord`). */
  record: EncodedTradeRecord;
}

/** A stored TradeRecord before `decodeRecord`: what the sync reads of it without decoding. */
export type EncodedTradeRecord = { terms: { operator: string } } & Record<string, unknown>;

export interface AmendmentsTable {
  trade_id: Numeric;
  version: number;
  terms_hash: string;
  /** The terms, bigints as decimal strings. */
  terms: ApiJson<Terms>;
  block_number: number;
  block_timestamp: number;
  transaction_hash: string;
  log_index: number;
}

export interface LotsTable {
  trade_id: Numeric;
  lot: number;
  operator: string;
  receipt_id: Numeric;
  quantity: Numeric;
  received_at: number;
  holder: string;
  kind: string;
  document_cid: string | null;
  halted: boolean;
  halt_reasons: number;
  title_transferred: boolean;
  title_block: number | null;
  title_at: number | null;
  title_tx: string | null;
  block_number: number;
  block_timestamp: number;
  transaction_hash: string;
  updated_block: number;
}

export interface DocumentsTable {
  block_number: number;
  log_index: number;
  role: string;
  trade_id: Numeric | null;
  dispute_id: Numeric | null;
  /** null: the commitment names no CID. */
  cid: string | null;
  commitment: string;
  submitted_by: string | null;
  block_timestamp: number;
  transaction_hash: string;
}

export interface DocumentStatusTable {
  cid: string;
  status: string;
  size: number | null;
  error: string | null;
  attempts: Generated<number>;
  checked_at: Date | null;
}

export interface ManifestEntriesTable {
  manifest_cid: string;
  position: number;
  cid: string;
  type: string;
  name: string;
  media_type: string;
  size: number;
}

export interface AttestationsTable {
  block_number: number;
  log_index: number;
  trade_id: Numeric;
  operator: string;
  kind: string;
  lot: number | null;
  quantity: Numeric | null;
  time: number | null;
  document_cid: string | null;
  block_timestamp: number;
  transaction_hash: string;
}

export interface ClaimsTable {
  trade_id: Numeric;
  status: number;
  status_name: string;
  ground: number;
  ground_name: string;
  refund_bps: number;
  costs: Numeric;
  filed_at: number;
  agency: string;
  report_cid: string | null;
  evidence_cid: string | null;
  dispute_id: Numeric | null;
  ruling: Numeric;
  outcome: string | null;
  refund: Numeric | null;
  costs_paid: Numeric | null;
  filed_block: number;
  updated_block: number;
}

export interface DisputesTable {
  id: Numeric;
  arbitrable: string;
  trade_id: Numeric | null;
  phase: string;
  round: number;
  attempt: number;
  draw_block: number | null;
  /** The arbitrators drawn, lower case. */
  panel: string[];
  ruling: Numeric | null;
  reveals: number | null;
  appealed: boolean;
  final_ruling: Numeric | null;
  created_block: number;
  created_at: number;
  updated_block: number;
}

export interface VotesTable {
  block_number: number;
  log_index: number;
  dispute_id: Numeric;
  round: number;
  attempt: number;
  arbitrator: string;
  kind: "commit" | "reveal";
  commitment: string | null;
  choice: Numeric | null;
  block_timestamp: number;
  transaction_hash: string;
}

export interface RatingsTable {
  block_number: number;
  log_index: number;
  seller: string;
  trade_id: Numeric;
  buyer: string;
  service: number;
  speed: number;
  accuracy: number;
  block_timestamp: number;
  transaction_hash: string;
  /** Migration 4: the contract's time of the rating. */
  rated_at: number;
}

export interface BalancesTable {
  /** credit, debt, pool-balance, pool-committed, court-credit. */
  kind: string;
  account: string;
  token: string;
  amount: Numeric;
  updated_block: number;
}

export interface OperatorsTable {
  address: string;
  bond: Numeric;
  required: Numeric;
  open_trades: Numeric;
  updated_block: number;
}

export interface UndoLogTable {
  seq: Generated<number>;
  block_number: number;
  tbl: string;
  pk: Record<string, unknown>;
  prev: Record<string, unknown> | null;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Generated<Date>;
}

/** Every table of the store (Kysely's `Database` interface). */
export interface Tables {
  sync_state: SyncStateTable;
  blocks: BlocksTable;
  events: EventsTable;
  trades: TradesTable;
  amendments: AmendmentsTable;
  lots: LotsTable;
  documents: DocumentsTable;
  document_status: DocumentStatusTable;
  manifest_entries: ManifestEntriesTable;
  attestations: AttestationsTable;
  claims: ClaimsTable;
  disputes: DisputesTable;
  votes: VotesTable;
  ratings: RatingsTable;
  balances: BalancesTable;
  operators: OperatorsTable;
  undo_log: UndoLogTable;
  schema_migrations: SchemaMigrationsTable;
}

/** A row of `table` as read. */
export type RowOf<T extends keyof Tables> = Selectable<Tables[T]>;

export type TradeRow = RowOf<"trades">;
export type LotRow = RowOf<"lots">;
export type ClaimRow = RowOf<"claims">;
export type DisputeRow = RowOf<"disputes">;
export type BalanceRow = RowOf<"balances">;
export type OperatorRow = RowOf<"operators">;

// ----- Rows the API's queries read (queries.ts) -----

/** Some columns of a table's row. */
type Columns<T extends keyof Tables, K extends keyof RowOf<T>> = Pick<RowOf<T>, K>;
/** The columns of a LEFT JOIN's right side: null when nothing matched. */
type Nullable<T> = { [K in keyof T]: T[K] | null };
type Position = "block_number" | "block_timestamp" | "transaction_hash";

/** A trade of the list: every column but the record (numerics as text through JSON). */
export type TradeListRow = Omit<TradeRow, "record">;

/** A timeline entry's columns (`trade_id` only where the query reads it: the live stream). */
export type EventRow = Columns<
  "events",
  Position | "log_index" | "block_hash" | "contract" | "event_name" | "dispute_id" | "args"
> & { trade_id?: string | null };

/** Everything the trade page shows, as `tradeDetail` reads it (numerics as text through JSON). */
export type TradeDetailRows = {
  trade: TradeRow;
  versions: Columns<"amendments", Position | "version" | "terms_hash" | "terms">[];
  lots: RowOf<"lots">[];
  claim: RowOf<"claims"> | undefined;
  events: EventRow[];
  documents: (Columns<
    "documents",
    Position | "role" | "cid" | "commitment" | "submitted_by" | "log_index"
  > &
    Nullable<Columns<"document_status", "status" | "size" | "error">>)[];
  entries: (Columns<
    "manifest_entries",
    "manifest_cid" | "position" | "cid" | "type" | "name" | "media_type" | "size"
  > &
    Nullable<Columns<"document_status", "status">>)[];
  disputes: RowOf<"disputes">[];
};

export type TradeDetailJson = Omit<TradeDetailRows, "trade" | "claim"> & {
  trade: TradeRow | null;
  claim: RowOf<"claims"> | null;
};

/** A seller's rating averages (`sellerReputation`). */
export type ReputationRow = {
  recent_count: number;
  recent_service: number | null;
  recent_speed: number | null;
  recent_accuracy: number | null;
  total_count: number;
  total_service: number | null;
  total_speed: number | null;
  total_accuracy: number | null;
  last_rated_at: number | null;
};
