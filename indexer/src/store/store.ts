import type { Logger } from "../internal/index.js";
import { StoreMismatchError, silentLogger } from "../internal/index.js";
import type { Database, Sql } from "./database.js";
import type { RowOf } from "./schema.js";
import { appliedMigrations, migrate, migrations } from "./migrations.js";
import { appendTables, blockColumn, mutableTables } from "./tables.js";
import type {
  AppendTable,
  BatchWrite,
  Checkpoint,
  MutableTable,
  Row,
  SyncFault,
} from "./tables.js";

export type CreateStoreParameters = { db: Database; logger?: Logger };

/** Reads and writes of the sync engine; the API reads through `db` (see queries.ts). */
export type Store = ReturnType<typeof createStore>;

/**
 * The indexer's store on a database: migrations, the checkpoint, batch writes (data and checkpoint in
 * one transaction), reads of the rows a batch changes, and rollback of blocks a reorg dropped.
 */
export function createStore(parameters: CreateStoreParameters) {
  const { db } = parameters;
  const logger = parameters.logger ?? silentLogger;
  let columns: Map<string, string[]> | undefined;

  /** Each table's columns (from the catalog, once): the upsert lists. */
  async function columnsOf(table: string): Promise<string[]> {
    if (columns === undefined) {
      const rows = await db.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
        [db.schema],
      );
      columns = new Map();
      for (const row of rows) {
        const list = columns.get(row.table_name) ?? [];
        list.push(row.column_name);
        columns.set(row.table_name, list);
      }
    }
    const list = columns.get(table);
    if (list === undefined) throw new Error(`No table ${table}.`);
    return list;
  }

  async function readCheckpoint(sql: Sql = db): Promise<Checkpoint | undefined> {
    const [row] = await sql.query<Record<string, unknown>>("SELECT * FROM sync_state WHERE id = 1");
    if (row === undefined) return undefined;
    return {
      chainId: row.chain_id as number,
      escrow: row.escrow as string,
      court: row.court as string | null,
      ratings: row.ratings as string | null,
      startBlock: row.start_block as number,
      indexedBlock: row.indexed_block as number,
      indexedHash: row.indexed_hash as string | null,
      finalizedBlock: row.finalized_block as number,
      backfillDone: row.backfill_done as boolean,
      fault: (row.fault as SyncFault | null | undefined) ?? null,
    };
  }

  return {
    db,

    /** Applies the pending migrations (the deferred indexes too once the backfill is done). */
    async migrate(): Promise<void> {
      const applied = await migrate(db, { deferred: false });
      const checkpoint = await readCheckpoint();
      if (checkpoint?.backfillDone === true)
        applied.push(...(await migrate(db, { deferred: true })));
      if (applied.length > 0) logger.info({ applied }, "migrations applied");
      columns = undefined;
    },

    /** Creates the indexes the API needs (after the first backfill). Returns the ms it took. */
    async createDeferredIndexes(): Promise<number> {
      const started = performance.now();
      const applied = await migrate(db, { deferred: true });
      const ms = performance.now() - started;
      if (applied.length > 0) logger.info({ applied, ms: Math.round(ms) }, "API indexes created");
      return ms;
    },

    /** The versions of every migration and whether each is applied. */
    async migrationStatus(): Promise<{ version: number; name: string; applied: boolean }[]> {
      const applied = await appliedMigrations(db);
      return migrations.map((m) => ({
        version: m.version,
        name: m.name,
        applied: applied.has(m.version),
      }));
    },

    readCheckpoint,

    /**
     * The checkpoint for this chain and these contracts, created at `startBlock - 1` on first use.
     *
     * @throws {StoreMismatchError} when the database indexes another chain or escrow.
     */
    async initCheckpoint(init: {
      chainId: number;
      escrow: string;
      court: string;
      ratings: string;
      startBlock: number;
    }): Promise<Checkpoint> {
      const existing = await readCheckpoint();
      if (existing !== undefined) {
        if (
          existing.chainId !== init.chainId ||
          existing.escrow.toLowerCase() !== init.escrow.toLowerCase()
        ) {
          throw new StoreMismatchError(
            `The database indexes escrow ${existing.escrow} on chain ${existing.chainId}, not ${init.escrow} on chain ${init.chainId}.`,
          );
        }
        return existing;
      }
      await db.query(
        `INSERT INTO sync_state (id, chain_id, escrow, court, ratings, start_block, indexed_block, finalized_block)
         VALUES (1, $1, $2, $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING`,
        [
          init.chainId,
          init.escrow.toLowerCase(),
          init.court.toLowerCase(),
          init.ratings.toLowerCase(),
          init.startBlock,
          init.startBlock - 1,
        ],
      );
      return (await readCheckpoint())!;
    },

    /**
     * Records why the sync stopped (it stays stopped: `initCheckpoint` returns the fault on every
     * start). The data is left exactly as it was.
     */
    async recordFault(fault: SyncFault): Promise<void> {
      await db.query("UPDATE sync_state SET fault = $1::jsonb, updated_at = now() WHERE id = 1", [
        JSON.stringify(fault),
      ]);
    },

    /** The rows of `table` with the given primary keys (missing ones are absent). */
    async loadRows<T extends MutableTable>(
      table: T,
      keys: Row[],
      sql: Sql = db,
    ): Promise<RowOf<T>[]> {
      if (keys.length === 0) return [];
      const pk = mutableTables[table];
      return sql.query<RowOf<T>>(
        `SELECT t.* FROM ${table} t
         JOIN json_populate_recordset(null::${table}, $1::json) k USING (${pk.join(", ")})`,
        [JSON.stringify(keys)],
      );
    },

    /** The stored hashes of blocks `from`..`to`. */
    async blockHashes(from: number, to: number): Promise<Map<number, string>> {
      const rows = await db.query<{ number: number; hash: string }>(
        "SELECT number, hash FROM blocks WHERE number BETWEEN $1 AND $2",
        [from, to],
      );
      return new Map(rows.map((row) => [row.number, row.hash]));
    },

    /** Writes one batch and its checkpoint in one transaction; prunes undo entries now final. */
    async write(batch: BatchWrite): Promise<void> {
      const columnLists = new Map<string, string[]>();
      for (const table of [...appendTables, ...Object.keys(mutableTables)]) {
        columnLists.set(table, await columnsOf(table));
      }
      await db.transaction(async (tx) => {
        for (const table of appendTables) {
          const rows = batch.append[table];
          if (rows === undefined || rows.length === 0) continue;
          await tx.query(
            `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1::json)
             ON CONFLICT DO NOTHING`,
            [JSON.stringify(rows)],
          );
        }
        if (batch.undo.length > 0) {
          await tx.query(
            `INSERT INTO undo_log (block_number, tbl, pk, prev)
             SELECT (e->>'block')::int8, e->>'table', (e->'pk')::jsonb,
                    CASE WHEN json_typeof(e->'prev') = 'null' THEN NULL ELSE (e->'prev')::jsonb END
             FROM json_array_elements($1::json) e`,
            [JSON.stringify(batch.undo)],
          );
        }
        for (const table of Object.keys(mutableTables) as MutableTable[]) {
          const rows = batch.upserts[table];
          if (rows === undefined || rows.length === 0) continue;
          const pk = mutableTables[table] as readonly string[];
          const set = columnLists
            .get(table)!
            .filter((c) => !pk.includes(c))
            .map((c) => `${c} = EXCLUDED.${c}`)
            .join(", ");
          await tx.query(
            `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1::json)
             ON CONFLICT (${pk.join(", ")}) DO UPDATE SET ${set}`,
            [JSON.stringify(rows)],
          );
        }
        if (batch.documentCids.length > 0) {
          await tx.query(
            `INSERT INTO document_status (cid, status)
             SELECT DISTINCT c, 'pending' FROM unnest($1::text[]) c ON CONFLICT (cid) DO NOTHING`,
            [batch.documentCids],
          );
        }
        const c = batch.checkpoint;
        await tx.query(
          `UPDATE sync_state SET indexed_block = $1, indexed_hash = $2,
             finalized_block = GREATEST(finalized_block, $3),
             backfill_done = backfill_done OR $4, updated_at = now() WHERE id = 1`,
          [c.indexedBlock, c.indexedHash, c.finalizedBlock, c.backfillDone ?? false],
        );
        await tx.query("DELETE FROM undo_log WHERE block_number <= $1", [c.finalizedBlock]);
      });
    },

    /**
     * Drops every block above `ancestor`: deletes their append-only rows, puts back each mutable row as
     * it was before the first dropped block changed it, and moves the checkpoint to `ancestor`.
     * Returns how many rows it deleted and restored.
     */
    async rollback(
      ancestor: { number: number; hash: string },
      sql?: Sql,
    ): Promise<{ deleted: number; restored: number }> {
      const run = async (tx: Sql) => {
        let deleted = 0;
        for (const table of appendTables) {
          const rows = await tx.query(
            `DELETE FROM ${table} WHERE ${blockColumn[table as AppendTable]} > $1 RETURNING 1`,
            [ancestor.number],
          );
          deleted += rows.length;
        }
        let restored = 0;
        for (const table of Object.keys(mutableTables) as MutableTable[]) {
          const pk = mutableTables[table] as readonly string[];
          const match = pk.map((c) => `t.${c} = k.${c}`).join(" AND ");
          // The first undo entry of each row above the ancestor holds the row as it was at the ancestor.
          const first = `
            SELECT DISTINCT ON (pk) pk, prev FROM undo_log
            WHERE tbl = '${table}' AND block_number > $1 ORDER BY pk, block_number, seq`;
          await tx.query(
            `DELETE FROM ${table} t USING (
               SELECT (jsonb_populate_record(null::${table}, f.pk)).* FROM (${first}) f
             ) k WHERE ${match}`,
            [ancestor.number],
          );
          const rows = await tx.query(
            `INSERT INTO ${table}
             SELECT (jsonb_populate_record(null::${table}, f.prev)).* FROM (${first}) f
             WHERE f.prev IS NOT NULL RETURNING 1`,
            [ancestor.number],
          );
          restored += rows.length;
        }
        await tx.query("DELETE FROM undo_log WHERE block_number > $1", [ancestor.number]);
        await tx.query(
          `UPDATE sync_state SET indexed_block = $1, indexed_hash = $2,
             finalized_block = LEAST(finalized_block, $1), updated_at = now() WHERE id = 1`,
          [ancestor.number, ancestor.hash],
        );
        return { deleted, restored };
      };
      return sql === undefined ? db.transaction(run) : run(sql);
    },
  };
}
