import type { Database } from "./database.js";

/**
 * Versioned migrations, applied in order on start, each in its own transaction with its version
 * recorded in `schema_migrations`. `deferred` ones hold the indexes only the API needs: they are
 * applied once the first backfill has caught up, so that the backfill writes into tables with
 * nothing but their primary keys (scripts/bench.ts measures the difference).
 */
export type Migration = { version: number; name: string; deferred?: boolean; sql: string };

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "initial tables",
    sql: /* sql */ `
      -- Where the sync stands: written in the same transaction as the data it covers.
      CREATE TABLE sync_state (
        id int PRIMARY KEY CHECK (id = 1),
        chain_id int8 NOT NULL,
        escrow text NOT NULL,
        court text,
        ratings text,
        start_block int8 NOT NULL,
        indexed_block int8 NOT NULL,
        indexed_hash text,
        finalized_block int8 NOT NULL,
        backfill_done boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- Blocks the indexer read: those with events, and every block of the unfinalized tail.
      CREATE TABLE blocks (
        number int8 PRIMARY KEY,
        hash text NOT NULL,
        parent_hash text NOT NULL,
        timestamp int8 NOT NULL
      );

      -- Every log of the three contracts, decoded; append-only (a reorg deletes the dropped blocks').
      CREATE TABLE events (
        block_number int8 NOT NULL,
        log_index int4 NOT NULL,
        block_hash text NOT NULL,
        block_timestamp int8 NOT NULL,
        transaction_hash text NOT NULL,
        transaction_index int4 NOT NULL,
        contract text NOT NULL,
        address text NOT NULL,
        event_name text NOT NULL,
        trade_id numeric,
        dispute_id numeric,
        args jsonb NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );

      -- The current state of each trade, derived by the sdk's reducer; record is its whole TradeRecord.
      CREATE TABLE trades (
        id numeric PRIMARY KEY,
        state int2 NOT NULL,
        state_name text NOT NULL,
        mode int2 NOT NULL,
        mode_name text NOT NULL,
        buyer text NOT NULL,
        seller text NOT NULL,
        operator text NOT NULL,
        token text NOT NULL,
        price numeric NOT NULL,
        quantity numeric NOT NULL,
        version int4 NOT NULL,
        terms_hash text NOT NULL,
        escrowed numeric NOT NULL,
        released numeric NOT NULL,
        refunded numeric NOT NULL,
        seller_bond numeric NOT NULL,
        lots_done int4 NOT NULL,
        received_quantity numeric NOT NULL,
        stage_at int8 NOT NULL,
        stage_deadline int8,
        arrived_at int8 NOT NULL,
        created_block int8 NOT NULL,
        created_at int8 NOT NULL,
        created_tx text NOT NULL,
        updated_block int8 NOT NULL,
        updated_at int8 NOT NULL,
        record jsonb NOT NULL
      );

      -- Every version of every trade's terms (version 0 the original).
      CREATE TABLE amendments (
        trade_id numeric NOT NULL,
        version int4 NOT NULL,
        terms_hash text NOT NULL,
        terms jsonb NOT NULL,
        block_number int8 NOT NULL,
        block_timestamp int8 NOT NULL,
        transaction_hash text NOT NULL,
        log_index int4 NOT NULL,
        PRIMARY KEY (trade_id, version)
      );

      -- Lots as the operator attested them, with their title transfer.
      CREATE TABLE lots (
        trade_id numeric NOT NULL,
        lot int4 NOT NULL,
        operator text NOT NULL,
        receipt_id numeric NOT NULL,
        quantity numeric NOT NULL,
        received_at int8 NOT NULL,
        holder text NOT NULL,
        kind text NOT NULL,
        document_cid text,
        halted boolean NOT NULL,
        halt_reasons int2 NOT NULL,
        title_transferred boolean NOT NULL,
        title_block int8,
        title_at int8,
        title_tx text,
        block_number int8 NOT NULL,
        block_timestamp int8 NOT NULL,
        transaction_hash text NOT NULL,
        updated_block int8 NOT NULL,
        PRIMARY KEY (trade_id, lot)
      );

      -- Documents the chain commits (manifests, shipping, lots, claims, evidence).
      CREATE TABLE documents (
        block_number int8 NOT NULL,
        log_index int4 NOT NULL,
        role text NOT NULL,
        trade_id numeric,
        dispute_id numeric,
        cid text,
        commitment text NOT NULL,
        submitted_by text,
        block_timestamp int8 NOT NULL,
        transaction_hash text NOT NULL,
        PRIMARY KEY (block_number, log_index, role)
      );

      -- What the indexer found when it read each document from the store (off chain; never rolled back).
      CREATE TABLE document_status (
        cid text PRIMARY KEY,
        status text NOT NULL,
        size int8,
        error text,
        attempts int4 NOT NULL DEFAULT 0,
        checked_at timestamptz
      );

      -- Manifest entries, read from verified manifests (content-addressed: immutable).
      CREATE TABLE manifest_entries (
        manifest_cid text NOT NULL,
        position int4 NOT NULL,
        cid text NOT NULL,
        type text NOT NULL,
        name text NOT NULL,
        media_type text NOT NULL,
        size int8 NOT NULL,
        PRIMARY KEY (manifest_cid, position)
      );

      -- Operator attestations: receipts, title transfers, port arrivals.
      CREATE TABLE attestations (
        block_number int8 NOT NULL,
        log_index int4 NOT NULL,
        trade_id numeric NOT NULL,
        operator text NOT NULL,
        kind text NOT NULL,
        lot int4,
        quantity numeric,
        time int8,
        document_cid text,
        block_timestamp int8 NOT NULL,
        transaction_hash text NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );

      -- Each trade's claim, its status from the reducer.
      CREATE TABLE claims (
        trade_id numeric PRIMARY KEY,
        status int2 NOT NULL,
        status_name text NOT NULL,
        ground int2 NOT NULL,
        ground_name text NOT NULL,
        refund_bps int4 NOT NULL,
        costs numeric NOT NULL,
        filed_at int8 NOT NULL,
        agency text NOT NULL,
        report_cid text,
        evidence_cid text,
        dispute_id numeric,
        ruling numeric NOT NULL,
        outcome text,
        refund numeric,
        costs_paid numeric,
        filed_block int8 NOT NULL,
        updated_block int8 NOT NULL
      );

      -- Court disputes, folded from the court's events.
      CREATE TABLE disputes (
        id numeric PRIMARY KEY,
        arbitrable text NOT NULL,
        trade_id numeric,
        phase text NOT NULL,
        round int4 NOT NULL,
        attempt int4 NOT NULL,
        draw_block int8,
        panel jsonb NOT NULL,
        ruling numeric,
        reveals int4,
        appealed boolean NOT NULL,
        final_ruling numeric,
        created_block int8 NOT NULL,
        created_at int8 NOT NULL,
        updated_block int8 NOT NULL
      );

      -- Sealed and revealed votes.
      CREATE TABLE votes (
        block_number int8 NOT NULL,
        log_index int4 NOT NULL,
        dispute_id numeric NOT NULL,
        round int4 NOT NULL,
        attempt int4 NOT NULL,
        arbitrator text NOT NULL,
        kind text NOT NULL,
        commitment text,
        choice numeric,
        block_timestamp int8 NOT NULL,
        transaction_hash text NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );

      -- Seller ratings, one per completed trade.
      CREATE TABLE ratings (
        block_number int8 NOT NULL,
        log_index int4 NOT NULL,
        seller text NOT NULL,
        trade_id numeric NOT NULL,
        buyer text NOT NULL,
        service int2 NOT NULL,
        speed int2 NOT NULL,
        accuracy int2 NOT NULL,
        block_timestamp int8 NOT NULL,
        transaction_hash text NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );

      -- Money by account: escrow credits (withdrawable), debts, guarantor pools, court fees.
      CREATE TABLE balances (
        kind text NOT NULL,
        account text NOT NULL,
        token text NOT NULL,
        amount numeric NOT NULL,
        updated_block int8 NOT NULL,
        PRIMARY KEY (kind, account, token)
      );

      -- Operators' bond accounts (the reducer's).
      CREATE TABLE operators (
        address text PRIMARY KEY,
        bond numeric NOT NULL,
        required numeric NOT NULL,
        open_trades numeric NOT NULL,
        updated_block int8 NOT NULL
      );

      -- The row of each mutable table as it was before a block not yet final changed it.
      CREATE TABLE undo_log (
        seq bigserial PRIMARY KEY,
        block_number int8 NOT NULL,
        tbl text NOT NULL,
        pk jsonb NOT NULL,
        prev jsonb
      );
      CREATE INDEX undo_log_block ON undo_log (block_number);
    `,
  },
  {
    version: 2,
    name: "API indexes",
    deferred: true,
    sql: /* sql */ `
      CREATE INDEX IF NOT EXISTS events_trade ON events (trade_id, block_number, log_index) WHERE trade_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS events_dispute ON events (dispute_id, block_number, log_index) WHERE dispute_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS trades_buyer ON trades (buyer, id);
      CREATE INDEX IF NOT EXISTS trades_seller ON trades (seller, id);
      CREATE INDEX IF NOT EXISTS trades_operator ON trades (operator, id);
      CREATE INDEX IF NOT EXISTS trades_state ON trades (state, id);
      CREATE INDEX IF NOT EXISTS trades_token ON trades (token, id);
      CREATE INDEX IF NOT EXISTS trades_created ON trades (created_at, id);
      CREATE INDEX IF NOT EXISTS documents_trade ON documents (trade_id) WHERE trade_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS documents_cid ON documents (cid);
      CREATE INDEX IF NOT EXISTS attestations_operator ON attestations (operator, block_number, log_index);
      CREATE INDEX IF NOT EXISTS attestations_trade ON attestations (trade_id);
      CREATE INDEX IF NOT EXISTS votes_dispute ON votes (dispute_id, block_number, log_index);
      CREATE INDEX IF NOT EXISTS ratings_seller ON ratings (seller, block_timestamp);
      CREATE INDEX IF NOT EXISTS disputes_trade ON disputes (trade_id);
      CREATE INDEX IF NOT EXISTS document_status_pending ON document_status (status) WHERE status <> 'verified';
    `,
  },
  {
    version: 3,
    name: "sync fault",
    sql: /* sql */ `
      -- Set when the chain contradicts a block the indexer had declared final (see SyncFault): the
      -- syncer stops and stays stopped, and the API reports it, until the data is indexed afresh.
      ALTER TABLE sync_state ADD COLUMN IF NOT EXISTS fault jsonb;
    `,
  },
  {
    version: 4,
    name: "ratings carry their time",
    sql: /* sql */ `
      -- SellerRated carries ratedAt (the rating block's time, set by the contract); the reputation
      -- averages filter on it. Rows indexed before it existed had the same value as block_timestamp.
      ALTER TABLE ratings ADD COLUMN IF NOT EXISTS rated_at int8;
      UPDATE ratings SET rated_at = block_timestamp WHERE rated_at IS NULL;
      ALTER TABLE ratings ALTER COLUMN rated_at SET NOT NULL;
      CREATE INDEX IF NOT EXISTS ratings_seller_rated ON ratings (seller, rated_at);
      `,
  },
  {
    version: 5,
    name: "delivery windows",
    sql: /* sql */ `
      -- The terms' ship window and delivery grace, the latest delivery in force (a balance paid after
      -- its due time moves it to the payment plus the ship window) and that payment's time.
      ALTER TABLE trades ADD COLUMN IF NOT EXISTS latest_delivery int8;
      ALTER TABLE trades ADD COLUMN IF NOT EXISTS ship_window int8;
      ALTER TABLE trades ADD COLUMN IF NOT EXISTS delivery_grace int8;
      ALTER TABLE trades ADD COLUMN IF NOT EXISTS late_balance_paid_at int8;
    `,
  },
];

const BOOKKEEPING = /* sql */ `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version int PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** The versions applied so far. */
export async function appliedMigrations(db: Database): Promise<Set<number>> {
  await db.exec(BOOKKEEPING);
  const rows = await db.query<{ version: number }>("SELECT version FROM schema_migrations");
  return new Set(rows.map((row) => row.version));
}

/**
 * Applies the migrations not applied yet, in order; with `deferred: false` (on start) it stops before
 * the deferred ones (later ones still apply). Concurrent starts on one server serialize on an advisory lock.
 * Returns the versions it applied.
 */
export async function migrate(db: Database, options: { deferred: boolean }): Promise<number[]> {
  await db.exec(BOOKKEEPING);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.deferred === true && !options.deferred) continue;
    const done = await db.transaction(async (tx) => {
      if (db.kind === "postgres") {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`${db.schema}.migrations`]);
      }
      const rows = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [
        migration.version,
      ]);
      if (rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
