/**
 * Kysely over the store's own `Sql`, so that typed queries run where raw ones do.
 *
 * Why Kysely, and why this way: the store runs on two backends (PGlite embedded, a Postgres server
 * through `pg`) with one SQL dialect, and database.ts already owns what differs between them: int8
 * parsed into numbers, the schema on the search path, errors turned into retryable or final
 * `StoreError`s, PGlite's one-statement-at-a-time transactions and pg's dedicated client per
 * transaction. Kysely's own PostgresDialect would bring a second pool with none of that, and
 * PGlite would need a third-party dialect. Kysely's seam is small, though: a `Driver` whose
 * connection executes one compiled statement. The one below sends it through `Sql.query`, so every
 * statement, typed or raw, takes the same path on both backends; the Postgres adapter, compiler and
 * introspector are Kysely's own. Transactions stay `Database.transaction`'s: `kyselyOf(tx)` builds
 * queries on the transaction's `Sql` (Kysely's `transaction()` is not used and refuses).
 */
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from "kysely";
import type { Sql } from "./database.js";
import type { Tables } from "./schema.js";

/** Typed queries on the store's tables. */
export type QueryBuilder = Kysely<Tables>;

class SqlConnection implements DatabaseConnection {
  constructor(private readonly sql: Sql) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: await this.sql.query<R>(compiled.sql, compiled.parameters) };
  }

  // eslint-disable-next-line require-yield -- no generator body: streaming is never asked for
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The store does not stream query results.");
  }
}

class SqlDriver implements Driver {
  private readonly connection: SqlConnection;
  constructor(sql: Sql) {
    this.connection = new SqlConnection(sql);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error("Use Database.transaction, then kyselyOf(tx).");
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * Typed queries that run on `sql` (the database, or one transaction on it). Closing it closes
 * nothing: the connection is `sql`'s owner's.
 *
 * @example
 * const row = await kyselyOf(db).selectFrom("trades").selectAll().where("id", "=", "7").executeTakeFirst();
 */
export function kyselyOf(sql: Sql): QueryBuilder {
  return new Kysely<Tables>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new SqlDriver(sql),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}
