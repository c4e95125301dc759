import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { Logger } from "../internal/index.js";
import { StoreError, silentLogger } from "../internal/index.js";

/** Something that runs SQL: the database, or one transaction on it. */
export type Sql = {
  /** Rows of one statement with `$1`-style parameters. int8 reads as `number`, numeric as `string`. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
};

/** Postgres, embedded (PGlite) or a server (`pg`): one SQL dialect either way. */
export type Database = Sql & {
  readonly kind: "pglite" | "postgres";
  /** The schema every table lives in. */
  readonly schema: string;
  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type CreateDatabaseParameters = {
  /** `postgres://…`: a Postgres server. Absent: PGlite. */
  url?: string;
  /** PGlite's data directory; absent: in memory (tests). */
  dataDir?: string;
  /** The schema to create and use (default `public`). */
  schema?: string;
  /** Connections to a server (default 10). */
  poolSize?: number;
  logger?: Logger;
};

const INT8 = 20;
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the database: PGlite in `dataDir` (or in memory), or the Postgres server at `url`; creates
 * `schema` if needed and points every connection at it.
 *
 * @example
 * const db = await createDatabase({ dataDir: ".data/indexer" });
 * const db = await createDatabase({ url: process.env.DATABASE_URL, schema: "indexer" });
 */
export async function createDatabase(parameters: CreateDatabaseParameters = {}): Promise<Database> {
  const schema = parameters.schema ?? "public";
  if (!SCHEMA.test(schema)) throw new StoreError(`"${schema}" is not a schema name.`);
  const logger = parameters.logger ?? silentLogger;
  return parameters.url === undefined
    ? openPglite(parameters.dataDir, schema, logger)
    : openPostgres(parameters.url, schema, parameters.poolSize ?? 10, logger);
}

function wrap(error: unknown, text: string): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(`The database refused a statement: ${message}.`, {
    cause: error,
    details: text.slice(0, 200),
    // A statement the database refused for its content fails again; a lost connection may not.
    retryable: !/syntax|violates|does not exist|invalid input|out of range/i.test(message),
  });
}

async function openPglite(
  dataDir: string | undefined,
  schema: string,
  logger: Logger,
): Promise<Database> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(dataDir !== undefined && { dataDir }),
    parsers: { [INT8]: (value: string) => Number(value) },
  });
  if (schema !== "public") {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  }
  logger.debug({ dataDir: dataDir ?? "(memory)", schema }, "PGlite opened");
  // PGlite runs one statement at a time; a transaction holds it until it ends.
  const run = (target: Pick<PGlite, "query" | "exec">): Sql => ({
    async query<Row>(text: string, params: readonly unknown[] = []) {
      try {
        const result = await target.query<Row>(text, params as unknown[]);
        return result.rows;
      } catch (error) {
        throw wrap(error, text);
      }
    },
    async exec(text: string) {
      try {
        await target.exec(text);
      } catch (error) {
        throw wrap(error, text);
      }
    },
  });
  return {
    kind: "pglite",
    schema,
    ...run(db),
    transaction: (fn) => db.transaction((tx) => fn(run(tx))),
    close: () => db.close(),
  };
}

async function openPostgres(
  url: string,
  schema: string,
  poolSize: number,
  logger: Logger,
): Promise<Database> {
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === INT8
        ? (value: string) => Number(value)
        : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its connection emits here; the pool replaces it.
  pool.on("error", (error) => logger.warn({ err: error }, "Postgres connection lost"));
  // A lost connection can emit more than one error, and the last after pg-pool (or `transaction`
  // below) stopped listening, as the client is being discarded: with no listener left, Node would end
  // the process. Every client keeps this one for its life; queries still fail through their promises.
  pool.on("connect", (client) =>
    client.on("error", (error) => logger.debug({ err: error }, "Postgres client error")),
  );
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end();
    throw wrap(error, "CREATE SCHEMA");
  }
  logger.debug({ schema }, "Postgres connected");
  const run = (target: pg.Pool | pg.PoolClient): Sql => ({
    async query<Row>(text: string, params: readonly unknown[] = []) {
      try {
        const result = await target.query(text, params as unknown[]);
        return result.rows as Row[];
      } catch (error) {
        throw wrap(error, text);
      }
    },
    async exec(text: string) {
      try {
        await target.query(text);
      } catch (error) {
        throw wrap(error, text);
      }
    },
  });
  return {
    kind: "postgres",
    schema,
    ...run(pool),
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw wrap(error, "connect");
      }
      // A connection that fails mid-transaction (the server restarting, the backend terminated) is
      // destroyed rather than handed back to the pool. While checked out, nothing else listens to
      // the client's errors: without this listener a lost connection would end the process.
      let broken = false;
      const onError = (error: Error) => {
        broken = true;
        logger.warn({ err: error }, "Postgres connection lost in a transaction");
      };
      client.on("error", onError);
      try {
        await client.query("BEGIN");
        const result = await fn(run(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        const rolledBack = await client.query("ROLLBACK").then(
          () => true,
          () => false,
        );
        broken ||= !rolledBack;
        throw error instanceof StoreError ? error : wrap(error, "BEGIN/COMMIT");
      } finally {
        client.removeListener("error", onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
