import { sql } from "kysely";
import type { Database } from "./database.js";
import { kyselyOf } from "./kysely.js";
import type {
  EventRow,
  ReputationRow,
  TradeDetailJson,
  TradeDetailRows,
  TradeListRow,
} from "./schema.js";

export type { EventRow, ReputationRow, TradeDetailRows, TradeListRow } from "./schema.js";

/** The filters of the trade list (already validated by the API). */
export type TradeFilters = {
  party?: string;
  role?: "buyer" | "seller" | "operator";
  states?: number[];
  token?: string;
  mode?: number;
  createdFrom?: number;
  createdTo?: number;
  /** Trades with a smaller id than this (the cursor). */
  before?: string;
  limit: number;
};

/** The same columns with numerics as text (JSON numbers would lose digits). */
const TRADE_JSON_COLUMNS = `id::text, state, state_name, mode, mode_name, buyer, seller, operator, token,
  price::text, quantity::text, version, terms_hash, escrowed::text, released::text, refunded::text,
  seller_bond::text, lots_done, received_quantity::text, stage_at, stage_deadline, arrived_at,
  latest_delivery, ship_window, delivery_grace, late_balance_paid_at, created_block, created_at,
  created_tx, updated_block, updated_at`;

export type Queries = ReturnType<typeof createQueries>;

const position = ["block_number", "block_timestamp", "transaction_hash"] as const;

/**
 * The SQL the API runs (every filter a parameter; the deferred migration indexes each one). Plain
 * reads are Kysely's, typed by `Tables`; the two answers Postgres builds as one JSON value (the
 * trade list and the trade page) and the averages are SQL text typed by the same tables.
 */
export function createQueries(db: Database) {
  const k = kyselyOf(db);
  return {
    syncState: () =>
      k
        .selectFrom("sync_state")
        .select(["chain_id", "indexed_block", "finalized_block", "backfill_done", "fault"])
        .where("id", "=", 1)
        .executeTakeFirst(),

    async listTrades(f: TradeFilters) {
      const where: string[] = [];
      const params: unknown[] = [];
      const p = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (f.party !== undefined) {
        const party = p(f.party);
        where.push(
          f.role === undefined
            ? `(buyer = ${party} OR seller = ${party} OR operator = ${party})`
            : `${f.role} = ${party}`,
        );
      }
      if (f.states !== undefined) where.push(`state = ANY(${p(f.states)}::int2[])`);
      if (f.token !== undefined) where.push(`token = ${p(f.token)}`);
      if (f.mode !== undefined) where.push(`mode = ${p(f.mode)}`);
      if (f.createdFrom !== undefined) where.push(`created_at >= ${p(f.createdFrom)}`);
      if (f.createdTo !== undefined) where.push(`created_at <= ${p(f.createdTo)}`);
      if (f.before !== undefined) where.push(`id < ${p(f.before)}::numeric`);
      // One JSON value rather than rows: Postgres builds it, the client parses it natively.
      const text = `SELECT coalesce(json_agg(t ORDER BY t.id::numeric DESC), '[]') AS rows FROM (
        SELECT ${TRADE_JSON_COLUMNS} FROM trades ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY trades.id DESC LIMIT ${p(f.limit + 1)}) t`;
      const [row] = await db.query<{ rows: TradeListRow[] }>(text, params);
      return row!.rows;
    },

    /**
     * Everything the trade page shows, in one round trip (PGlite answers one statement at a time, so
     * the detail endpoint asks once). Numeric columns come as text: JSON numbers would lose digits.
     */
    async tradeDetail(id: string): Promise<TradeDetailRows | undefined> {
      const [row] = await db.query<{ detail: TradeDetailJson }>(
        `SELECT json_build_object(
           'trade', (SELECT row_to_json(t) FROM (
              SELECT id::text, state, state_name, mode, mode_name, buyer, seller, operator, token,
                price::text, quantity::text, version, terms_hash, escrowed::text, released::text,
                refunded::text, seller_bond::text, lots_done, received_quantity::text, stage_at,
                stage_deadline, arrived_at, latest_delivery, ship_window, delivery_grace,
                late_balance_paid_at, created_block, created_at, created_tx, updated_block,
                updated_at, record
              FROM trades WHERE id = $1::numeric) t),
           'versions', (SELECT coalesce(json_agg(v ORDER BY v.version), '[]') FROM (
              SELECT version, terms_hash, terms, block_number, block_timestamp, transaction_hash
              FROM amendments WHERE trade_id = $1::numeric) v),
           'lots', (SELECT coalesce(json_agg(l ORDER BY l.lot), '[]') FROM (
              SELECT trade_id::text, lot, operator, receipt_id::text, quantity::text, received_at,
                holder, kind, document_cid, halted, halt_reasons, title_transferred, title_block,
                title_at, title_tx, block_number, block_timestamp, transaction_hash, updated_block
              FROM lots WHERE trade_id = $1::numeric) l),
           'claim', (SELECT row_to_json(c) FROM (
              SELECT trade_id::text, status, status_name, ground, ground_name, refund_bps,
                costs::text, filed_at, agency, report_cid, evidence_cid, dispute_id::text,
                ruling::text, outcome, refund::text, costs_paid::text, filed_block, updated_block
              FROM claims WHERE trade_id = $1::numeric) c),
           'events', (SELECT coalesce(json_agg(e ORDER BY e.block_number, e.log_index), '[]') FROM (
              SELECT block_number, log_index, block_hash, block_timestamp, transaction_hash, contract,
                event_name, dispute_id::text, args
              FROM events WHERE trade_id = $1::numeric) e),
           'documents', (SELECT coalesce(json_agg(d ORDER BY d.block_number, d.log_index, d.role), '[]') FROM (
              SELECT d.role, d.cid, d.commitment, d.submitted_by, d.block_number, d.log_index,
                d.block_timestamp, d.transaction_hash, s.status, s.size, s.error
              FROM documents d LEFT JOIN document_status s ON s.cid = d.cid
              WHERE d.trade_id = $1::numeric) d),
           'entries', (SELECT coalesce(json_agg(m ORDER BY m.manifest_cid, m.position), '[]') FROM (
              SELECT e.manifest_cid, e.position, e.cid, e.type, e.name, e.media_type, e.size, s.status
              FROM manifest_entries e LEFT JOIN document_status s ON s.cid = e.cid
              WHERE e.manifest_cid IN (
                SELECT cid FROM documents WHERE trade_id = $1::numeric AND role = 'manifest')) m),
           'disputes', (SELECT coalesce(json_agg(x ORDER BY x.id::numeric), '[]') FROM (
              SELECT id::text, arbitrable, trade_id::text, phase, round, attempt, draw_block, panel,
                ruling::text, reveals, appealed, final_ruling::text, created_block, created_at,
                updated_block
              FROM disputes WHERE trade_id = $1::numeric) x)
         ) AS detail`,
        [id],
      );
      const { trade, claim, ...rest } = row!.detail;
      if (trade === null) return undefined;
      return { ...rest, trade, claim: claim ?? undefined };
    },

    async document(cid: string) {
      const status = await k
        .selectFrom("document_status")
        .selectAll()
        .where("cid", "=", cid)
        .executeTakeFirst();
      const references = await k
        .selectFrom("documents")
        .select([
          "role",
          "trade_id",
          "dispute_id",
          "submitted_by",
          "block_number",
          "log_index",
          "block_timestamp",
          "transaction_hash",
        ])
        .where("cid", "=", cid)
        .orderBy("block_number")
        .orderBy("log_index")
        .execute();
      const listedIn = await k
        .selectFrom("manifest_entries")
        .select(["manifest_cid", "type", "name", "media_type", "size"])
        .where("cid", "=", cid)
        .execute();
      return { status, references, listedIn };
    },

    /** Records an upload's bytes as verified (they were hashed into its CID as they were stored). */
    async markDocumentVerified(cid: string, size: number): Promise<void> {
      await k
        .insertInto("document_status")
        .values({ cid, status: "verified", size, checked_at: sql<Date>`now()` })
        .onConflict((oc) =>
          oc.column("cid").doUpdateSet({
            status: "verified",
            size: (eb) => eb.ref("excluded.size"),
            error: null,
            checked_at: sql<Date>`now()`,
          }),
        )
        .execute();
    },

    listDisputes: (limit: number, before?: string) =>
      k
        .selectFrom("disputes")
        .selectAll()
        .$if(before !== undefined, (qb) => qb.where("id", "<", sql<string>`${before}::numeric`))
        .orderBy("id", "desc")
        .limit(limit + 1)
        .execute(),

    async dispute(id: string) {
      const row = await k
        .selectFrom("disputes")
        .selectAll()
        .where("id", "=", sql<string>`${id}::numeric`)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const votes = await k
        .selectFrom("votes")
        .select(["round", "attempt", "arbitrator", "kind", "commitment", "choice", ...position])
        .where("dispute_id", "=", sql<string>`${id}::numeric`)
        .orderBy("block_number")
        .orderBy("log_index")
        .execute();
      const events = await k
        .selectFrom("events")
        .select(["log_index", "contract", "event_name", "args", ...position])
        .where("dispute_id", "=", sql<string>`${id}::numeric`)
        .orderBy("block_number")
        .orderBy("log_index")
        .execute();
      return { row, votes, events };
    },

    /**
     * Averages over the ratings given since `since` (unix seconds, inclusive), and all-time. The rows
     * are the SellerRated events, so only ratings the contract accepted (after issue 16, only trades
     * that cost something to fake); each is dated by its event's `ratedAt`, not by a block look-up.
     */
    async sellerReputation(seller: string, since: number) {
      const [row] = await db.query<ReputationRow>(
        `SELECT
           count(*) FILTER (WHERE rated_at >= $2)::int AS recent_count,
           avg(service) FILTER (WHERE rated_at >= $2)::float8 AS recent_service,
           avg(speed) FILTER (WHERE rated_at >= $2)::float8 AS recent_speed,
           avg(accuracy) FILTER (WHERE rated_at >= $2)::float8 AS recent_accuracy,
           count(*)::int AS total_count,
           avg(service)::float8 AS total_service,
           avg(speed)::float8 AS total_speed,
           avg(accuracy)::float8 AS total_accuracy,
           max(rated_at) AS last_rated_at
         FROM ratings WHERE seller = $1`,
        [seller, since],
      );
      const [trades] = await db.query<{ n: number; completed: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE state_name = 'Completed')::int AS completed
         FROM trades WHERE seller = $1`,
        [seller],
      );
      return { row: row!, trades: trades! };
    },

    sellerRatings: (seller: string, limit: number) =>
      k
        .selectFrom("ratings")
        .select(["trade_id", "buyer", "service", "speed", "accuracy", "rated_at", ...position])
        .where("seller", "=", seller)
        .orderBy("block_number", "desc")
        .orderBy("log_index", "desc")
        .limit(limit)
        .execute(),

    /** The chain time the API measures "the last 180 days" from: the newest indexed block's. */
    async chainTime(): Promise<number> {
      const row = await k
        .selectFrom("blocks")
        .select((eb) => eb.fn.max("timestamp").as("t"))
        .executeTakeFirst();
      return row?.t ?? Math.floor(Date.now() / 1000);
    },

    listOperators: () =>
      k
        .selectFrom("operators as o")
        .select([
          "o.address",
          "o.bond",
          "o.required",
          "o.open_trades",
          "o.updated_block",
          sql<number>`(SELECT count(*)::int FROM attestations a WHERE a.operator = o.address)`.as(
            "attestations",
          ),
        ])
        .orderBy("o.address")
        .execute(),

    async operator(address: string, limit: number, before?: { block: number; logIndex: number }) {
      const row = await k
        .selectFrom("operators")
        .selectAll()
        .where("address", "=", address)
        .executeTakeFirst();
      const attestations = await k
        .selectFrom("attestations")
        .select([
          "trade_id",
          "kind",
          "lot",
          "quantity",
          "time",
          "document_cid",
          "block_number",
          "log_index",
          "block_timestamp",
          "transaction_hash",
        ])
        .where("operator", "=", address)
        .$if(before !== undefined, (qb) =>
          qb.where(
            sql<boolean>`(block_number, log_index) < (${before!.block}, ${before!.logIndex})`,
          ),
        )
        .orderBy("block_number", "desc")
        .orderBy("log_index", "desc")
        .limit(limit + 1)
        .execute();
      const [counts] = await db.query<{ trades: number; open: number }>(
        `SELECT count(*)::int AS trades,
           count(*) FILTER (WHERE state_name NOT IN ('Completed', 'Cancelled', 'Refunded', 'Proposed'))::int AS open
         FROM trades WHERE operator = $1`,
        [address],
      );
      return { row, attestations, counts: counts! };
    },

    async totals() {
      const byState = await db.query<{ state: number; state_name: string; trades: number }>(
        "SELECT state, state_name, count(*)::int AS trades FROM trades GROUP BY 1, 2 ORDER BY 1",
      );
      const byToken = await db.query<{
        token: string;
        trades: number;
        volume: string;
        completed_volume: string;
        escrowed: string;
        refunded: string;
      }>(
        `SELECT token, count(*)::int AS trades, sum(price)::text AS volume,
           coalesce(sum(price) FILTER (WHERE state_name = 'Completed'), 0)::text AS completed_volume,
           sum(escrowed)::text AS escrowed, sum(refunded)::text AS refunded
         FROM trades GROUP BY token ORDER BY token`,
      );
      const [counts] = await db.query<{
        trades: number;
        events: number;
        disputes: number;
        ratings: number;
      }>(
        `SELECT (SELECT count(*)::int FROM trades) AS trades, (SELECT count(*)::int FROM events) AS events,
           (SELECT count(*)::int FROM disputes) AS disputes, (SELECT count(*)::int FROM ratings) AS ratings`,
      );
      return { byState, byToken, counts: counts! };
    },

    /** Timeline entries of blocks `from`..`to` (the live stream). */
    eventsBetween: (from: number, to: number): Promise<EventRow[]> =>
      k
        .selectFrom("events")
        .select([
          "block_number",
          "log_index",
          "block_hash",
          "block_timestamp",
          "transaction_hash",
          "contract",
          "event_name",
          "trade_id",
          "dispute_id",
          "args",
        ])
        .where("block_number", ">=", from)
        .where("block_number", "<=", to)
        .orderBy("block_number")
        .orderBy("log_index")
        .limit(5000)
        .execute(),
  };
}
