import type { Database } from "./database.js";
import type { SyncFault } from "./tables.js";

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

const TRADE_COLUMNS = `id, state, state_name, mode, mode_name, buyer, seller, operator, token, price,
  quantity, version, terms_hash, escrowed, released, refunded, seller_bond, lots_done,
  received_quantity, stage_at, stage_deadline, arrived_at, latest_delivery, ship_window,
  delivery_grace, late_balance_paid_at, created_block, created_at, created_tx, updated_block,
  updated_at`;

/** The same columns with numerics as text (JSON numbers would lose digits). */
const TRADE_JSON_COLUMNS = `id::text, state, state_name, mode, mode_name, buyer, seller, operator, token,
  price::text, quantity::text, version, terms_hash, escrowed::text, released::text, refunded::text,
  seller_bond::text, lots_done, received_quantity::text, stage_at, stage_deadline, arrived_at,
  latest_delivery, ship_window, delivery_grace, late_balance_paid_at, created_block, created_at,
  created_tx, updated_block, updated_at`;

export type Queries = ReturnType<typeof createQueries>;

type DbRow = Record<string, unknown>;
type DbRows = DbRow[];

/** The SQL the API runs (every filter a parameter; the deferred migration indexes each one). */
export function createQueries(db: Database) {
  return {
    async syncState() {
      const [row] = await db.query<{
        chain_id: number;
        indexed_block: number;
        finalized_block: number;
        backfill_done: boolean;
        fault: SyncFault | null;
      }>(
        "SELECT chain_id, indexed_block, finalized_block, backfill_done, fault FROM sync_state WHERE id = 1",
      );
      return row;
    },

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
      const sql = `SELECT coalesce(json_agg(t ORDER BY t.id::numeric DESC), '[]') AS rows FROM (
        SELECT ${TRADE_JSON_COLUMNS} FROM trades ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY trades.id DESC LIMIT ${p(f.limit + 1)}) t`;
      const [row] = await db.query<{ rows: Record<string, unknown>[] }>(sql, params);
      return row!.rows;
    },

    async trade(id: string) {
      const [row] = await db.query<Record<string, unknown>>(
        `SELECT ${TRADE_COLUMNS}, record FROM trades WHERE id = $1::numeric`,
        [id],
      );
      return row;
    },

    /**
     * Everything the trade page shows, in one round trip (PGlite answers one statement at a time, so
     * the detail endpoint asks once). Numeric columns come as text: JSON numbers would lose digits.
     */
    async tradeDetail(id: string) {
      const [row] = await db.query<{ detail: Record<string, DbRows | DbRow | null> }>(
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
      const detail = row!.detail;
      if (detail.trade === null) return undefined;
      return {
        trade: detail.trade as DbRow,
        versions: detail.versions as DbRows,
        lots: detail.lots as DbRows,
        claim: (detail.claim as DbRow | null) ?? undefined,
        events: detail.events as DbRows,
        documents: detail.documents as DbRows,
        entries: detail.entries as DbRows,
        disputes: detail.disputes as DbRows,
      };
    },

    tradeVersions: (id: string) =>
      db.query<Record<string, unknown>>(
        `SELECT version, terms_hash, terms, block_number, block_timestamp, transaction_hash
         FROM amendments WHERE trade_id = $1::numeric ORDER BY version`,
        [id],
      ),

    tradeLots: (id: string) =>
      db.query<Record<string, unknown>>(
        "SELECT * FROM lots WHERE trade_id = $1::numeric ORDER BY lot",
        [id],
      ),

    tradeClaim: async (id: string) =>
      (
        await db.query<Record<string, unknown>>(
          "SELECT * FROM claims WHERE trade_id = $1::numeric",
          [id],
        )
      )[0],

    tradeEvents: (id: string) =>
      db.query<Record<string, unknown>>(
        `SELECT block_number, log_index, block_hash, block_timestamp, transaction_hash, contract,
           event_name, dispute_id, args
         FROM events WHERE trade_id = $1::numeric ORDER BY block_number, log_index`,
        [id],
      ),

    tradeDocuments: (id: string) =>
      db.query<Record<string, unknown>>(
        `SELECT d.role, d.cid, d.commitment, d.submitted_by, d.block_number, d.log_index,
           d.block_timestamp, d.transaction_hash, s.status, s.size, s.error, s.checked_at
         FROM documents d LEFT JOIN document_status s ON s.cid = d.cid
         WHERE d.trade_id = $1::numeric ORDER BY d.block_number, d.log_index, d.role`,
        [id],
      ),

    manifestEntries: (manifestCids: string[]) =>
      db.query<Record<string, unknown>>(
        `SELECT e.manifest_cid, e.position, e.cid, e.type, e.name, e.media_type, e.size, s.status
         FROM manifest_entries e LEFT JOIN document_status s ON s.cid = e.cid
         WHERE e.manifest_cid = ANY($1::text[]) ORDER BY e.manifest_cid, e.position`,
        [manifestCids],
      ),

    tradeDisputes: (id: string) =>
      db.query<Record<string, unknown>>(
        "SELECT * FROM disputes WHERE trade_id = $1::numeric ORDER BY id",
        [id],
      ),

    async document(cid: string) {
      const [status] = await db.query<Record<string, unknown>>(
        "SELECT * FROM document_status WHERE cid = $1",
        [cid],
      );
      const references = await db.query<Record<string, unknown>>(
        `SELECT role, trade_id, dispute_id, submitted_by, block_number, log_index, block_timestamp,
           transaction_hash FROM documents WHERE cid = $1 ORDER BY block_number, log_index`,
        [cid],
      );
      const listedIn = await db.query<Record<string, unknown>>(
        "SELECT manifest_cid, type, name, media_type, size FROM manifest_entries WHERE cid = $1",
        [cid],
      );
      return { status, references, listedIn };
    },

    /** Records an upload's bytes as verified (they were hashed into its CID as they were stored). */
    async markDocumentVerified(cid: string, size: number): Promise<void> {
      await db.query(
        `INSERT INTO document_status (cid, status, size, checked_at) VALUES ($1, 'verified', $2, now())
         ON CONFLICT (cid) DO UPDATE SET status = 'verified', size = EXCLUDED.size, error = NULL, checked_at = now()`,
        [cid, size],
      );
    },

    listDisputes: (limit: number, before?: string) =>
      db.query<Record<string, unknown>>(
        `SELECT * FROM disputes ${before === undefined ? "" : "WHERE id < $2::numeric"}
         ORDER BY id DESC LIMIT $1`,
        before === undefined ? [limit + 1] : [limit + 1, before],
      ),

    async dispute(id: string) {
      const [row] = await db.query<Record<string, unknown>>(
        "SELECT * FROM disputes WHERE id = $1::numeric",
        [id],
      );
      if (row === undefined) return undefined;
      const votes = await db.query<Record<string, unknown>>(
        `SELECT round, attempt, arbitrator, kind, commitment, choice, block_number, block_timestamp,
           transaction_hash FROM votes WHERE dispute_id = $1::numeric ORDER BY block_number, log_index`,
        [id],
      );
      const events = await db.query<Record<string, unknown>>(
        `SELECT block_number, log_index, block_timestamp, transaction_hash, contract, event_name, args
         FROM events WHERE dispute_id = $1::numeric ORDER BY block_number, log_index`,
        [id],
      );
      return { row, votes, events };
    },

    /**
     * Averages over the ratings given since `since` (unix seconds, inclusive), and all-time. The rows
     * are the SellerRated events, so only ratings the contract accepted (after issue 16, only trades
     * that cost something to fake); each is dated by its event's `ratedAt`, not by a block look-up.
     */
    async sellerReputation(seller: string, since: number) {
      const [row] = await db.query<Record<string, unknown>>(
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
      db.query<Record<string, unknown>>(
        `SELECT trade_id, buyer, service, speed, accuracy, rated_at, block_number, block_timestamp, transaction_hash
         FROM ratings WHERE seller = $1 ORDER BY block_number DESC, log_index DESC LIMIT $2`,
        [seller, limit],
      ),

    /** The chain time the API measures "the last 180 days" from: the newest indexed block's. */
    async chainTime(): Promise<number> {
      const [row] = await db.query<{ t: number | null }>(
        "SELECT max(number) AS n, max(timestamp) AS t FROM blocks",
      );
      return row?.t ?? Math.floor(Date.now() / 1000);
    },

    listOperators: () =>
      db.query<Record<string, unknown>>(
        `SELECT o.address, o.bond, o.required, o.open_trades, o.updated_block,
           (SELECT count(*)::int FROM attestations a WHERE a.operator = o.address) AS attestations
         FROM operators o ORDER BY o.address`,
      ),

    async operator(address: string, limit: number, before?: { block: number; logIndex: number }) {
      const [row] = await db.query<Record<string, unknown>>(
        "SELECT * FROM operators WHERE address = $1",
        [address],
      );
      const params: unknown[] = [address, limit + 1];
      let cursor = "";
      if (before !== undefined) {
        params.push(before.block, before.logIndex);
        cursor = "AND (block_number, log_index) < ($3, $4)";
      }
      const attestations = await db.query<Record<string, unknown>>(
        `SELECT trade_id, kind, lot, quantity, time, document_cid, block_number, log_index,
           block_timestamp, transaction_hash FROM attestations
         WHERE operator = $1 ${cursor} ORDER BY block_number DESC, log_index DESC LIMIT $2`,
        params,
      );
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
      const byToken = await db.query<Record<string, unknown>>(
        `SELECT token, count(*)::int AS trades, sum(price)::text AS volume,
           coalesce(sum(price) FILTER (WHERE state_name = 'Completed'), 0)::text AS completed_volume,
           sum(escrowed)::text AS escrowed, sum(refunded)::text AS refunded
         FROM trades GROUP BY token ORDER BY token`,
      );
      const [counts] = await db.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM trades) AS trades, (SELECT count(*)::int FROM events) AS events,
           (SELECT count(*)::int FROM disputes) AS disputes, (SELECT count(*)::int FROM ratings) AS ratings`,
      );
      return { byState, byToken, counts: counts! };
    },

    /** Timeline entries of blocks `from`..`to` (the live stream). */
    eventsBetween: (from: number, to: number) =>
      db.query<Record<string, unknown>>(
        `SELECT block_number, log_index, block_hash, block_timestamp, transaction_hash, contract,
           event_name, trade_id, dispute_id, args
         FROM events WHERE block_number BETWEEN $1 AND $2 ORDER BY block_number, log_index LIMIT 5000`,
        [from, to],
      ),
  };
}
