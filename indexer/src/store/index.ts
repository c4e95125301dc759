/** The store: Postgres (PGlite embedded, or a server), migrations, batch writes, rollback, API reads. */
export { createDatabase } from "./database.js";
export type { CreateDatabaseParameters, Database, Sql } from "./database.js";
export { migrate, migrations } from "./migrations.js";
export type { Migration } from "./migrations.js";
export { createStore } from "./store.js";
export type { CreateStoreParameters, Store } from "./store.js";
export { appendTables, blockColumn, keyOf, mutableTables, pkOf, stableJson } from "./tables.js";
export type {
  AppendTable,
  BatchWrite,
  Checkpoint,
  MutableTable,
  Row,
  SyncFault,
  UndoEntry,
} from "./tables.js";
export { createQueries } from "./queries.js";
export type {
  EventRow,
  Queries,
  ReputationRow,
  TradeDetailRows,
  TradeFilters,
  TradeListRow,
} from "./queries.js";
export { kyselyOf } from "./kysely.js";
export type { QueryBuilder } from "./kysely.js";
export type {
  BalanceRow,
  ClaimRow,
  DisputeRow,
  EncodedTradeRecord,
  LotRow,
  OperatorRow,
  RowOf,
  Tables,
  TradeRow,
} from "./schema.js";
