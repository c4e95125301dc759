import { http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { address } from "@trade-escrow/sdk/devchain";
import { createApiApp } from "../src/api/index.js";
import { createLogger } from "../src/internal/index.js";
import { createDatabase, createStore } from "../src/store/index.js";
import type { Database } from "../src/store/index.js";
import { createSyncer } from "../src/sync/index.js";
import type { SyncEvent } from "../src/sync/index.js";
import { startFaultyProxy } from "./chain/faultyProxy.js";
import type { FaultyProxy } from "./chain/faultyProxy.js";
import { startTcpProxy } from "./database/tcpProxy.js";
import type { TcpProxy } from "./database/tcpProxy.js";
import { POSTGRES_URL, openDatabase, startIndexer, testChain, testClient } from "./helpers.js";

// The Postgres server "restarting" under the indexer, without touching the server others share: the
// indexer connects through a TCP proxy with an application name of its own; another client
// terminates its backends (pg_terminate_backend) in the middle of the backfill, then the proxy cuts
// every connection and refuses new ones for a while. The indexer must reconnect, retry the batches
// whose transactions were aborted, and end with exactly the tables of an uninterrupted run; the API
// answers a JSON 503 while the database is unreachable, never a 500, and the process never dies.

/** Every table of the schema, rows sorted, minus what differs between runs by nature (times, seq). */
async function tablesOf(db: Database): Promise<Record<string, string[]>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [db.schema],
  );
  const out: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    out[table] = rows
      .map((row) => {
        // When it ran (sync_state, schema_migrations), and undo_log's serial (an aborted
        // transaction consumes sequence values).
        const { updated_at: _u, applied_at: _a, seq: _s, ...rest } = row;
        return JSON.stringify(rest);
      })
      .sort();
  }
  return out;
}

async function until(condition: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met in ${ms} ms.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("database failures (Postgres)", () => {
  const chain = testChain();
  const deployed = inject("chain");
  let rpc: FaultyProxy;
  let pg: TcpProxy;
  const schemas: string[] = [];

  beforeAll(async () => {
    // Trades and empty blocks: a backfill of a few seconds through a slow node, 2 blocks a range.
    for (let i = 0; i < 3; i += 1) {
      const terms = await chain.buildTerms({
        buyer: address("buyer2"),
        seller: address("seller3"),
      });
      const id = await chain.actions.proposeAndAccept(terms);
      await chain.actions.deposit(id, terms);
      await chain.actions.start(id, terms);
    }
    for (let i = 0; i < 40; i += 1) await chain.rpc("evm_mine");
    rpc = await startFaultyProxy(deployed.rpcUrl, { delayMs: 10 });
    pg = await startTcpProxy({
      host: "127.0.0.1",
      port: Number(new URL(POSTGRES_URL).port || 5432),
    });
  });
  afterAll(async () => {
    await rpc?.close();
    await pg?.close();
    for (const schema of schemas) await (await openDatabase("postgres", { schema })).drop();
  });

  it("reconnects after terminated backends and an unreachable server, and ends as an uninterrupted run", async () => {
    const head = Number(await chain.actions.head());
    const tag = `${process.pid}_${Date.now().toString(36)}`;
    const schema = `indexer_dbfail_${tag}`;
    const application = `indexer_dbfail_${tag}`;
    schemas.push(schema);
    const url = new URL(POSTGRES_URL);
    url.port = String(pg.port);
    url.searchParams.set("application_name", application);
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? "silent" });
    const db = await createDatabase({ url: url.toString(), schema, logger });
    const store = createStore({ db, logger });
    await store.migrate();
    const syncer = createSyncer({
      client: testClient(http(rpc.url, { retryCount: 0 })),
      store,
      contracts: {
        escrow: deployed.tradeEscrow,
        court: deployed.arbitrationCourt,
        ratings: deployed.sellerRatings,
      },
      startBlock: deployed.deploymentBlock,
      finalityDepth: 3,
      maxRange: 2,
      pollingIntervalMs: 25,
      retry: { baseMs: 20, maxMs: 200 },
      logger,
    });
    const api = createApiApp({
      db,
      status: syncer.status,
      subscribe: syncer.subscribe,
      cacheMs: 0,
    });
    const errors: Extract<SyncEvent, { type: "error" }>[] = [];
    syncer.subscribe((event) => {
      if (event.type === "error") errors.push(event);
    });
    const admin = await createDatabase({ url: POSTGRES_URL });
    try {
      await syncer.start();
      await until(() => (syncer.status().indexedBlock ?? 0) > deployed.deploymentBlock + 4);

      // 1. Terminate the indexer's backends (only its own: by application name) until a batch's
      // transaction is cut, mid-backfill.
      let terminated = 0;
      for (let i = 0; i < 200 && !errors.some((e) => /terminat/i.test(e.message)); i += 1) {
        const [row] = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1 AND pid <> pg_backend_pid()) t`,
          [application],
        );
        terminated += row!.n;
        await new Promise((r) => setTimeout(r, 5 + (i % 7) * 5));
      }
      expect(terminated).toBeGreaterThan(0);
      expect(errors.some((e) => /terminat/i.test(e.message) && e.retryable)).toBe(true);
      const afterTerminations = syncer.status().indexedBlock!;
      expect(afterTerminations).toBeLessThan(head - 3); // still backfilling
      await until(() => syncer.status().indexedBlock! > afterTerminations);

      // 2. The server unreachable: connections cut, new ones dropped. No progress, a clear 503.
      const failuresBefore = errors.length;
      pg.down();
      await until(() => errors.length > failuresBefore + 1);
      const stalled = syncer.status().indexedBlock!;
      expect(syncer.status()).toMatchObject({ running: true, backfillDone: false });
      expect(syncer.status().lastError).toMatch(/database/i);
      for (const path of ["/health", "/trades?limit=5", "/trades/1", "/totals"]) {
        const response = await api.request(path);
        expect([path, response.status]).toEqual([path, 503]);
        expect(response.headers.get("content-type")).toContain("application/json");
        expect(await response.json()).toEqual({
          error: {
            code: "database_unavailable",
            message: "The database is unreachable for now; try again in a few seconds.",
          },
        });
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(syncer.status().indexedBlock).toBe(stalled);
      expect(pg.stats.refused).toBeGreaterThan(0);

      // 3. Back up: it reconnects and catches up; the API answers again.
      pg.up();
      await syncer.waitForBlock(head, 60_000);
      const health = await api.request("/health");
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ indexedBlock: head, lastError: null });
      await syncer.stop();

      // 4. The same chain indexed without interruption: every table equal.
      const reference = await startIndexer("postgres", {
        client: testClient(http(rpc.url, { retryCount: 0 })),
        finalityDepth: 3,
        maxRange: 2,
      });
      try {
        await reference.syncer.waitForBlock(head, 60_000);
        await reference.syncer.stop();
        const expected = await tablesOf(reference.db);
        const actual = await tablesOf(db);
        expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
        expect(actual.events!.length).toBeGreaterThan(0);
        expect(actual.trades!.length).toBeGreaterThanOrEqual(3);
        for (const table of Object.keys(expected))
          expect(actual[table], table).toEqual(expected[table]);
      } finally {
        await reference.close();
      }
    } finally {
      await syncer.stop();
      await db.close();
      await admin.close();
    }
  });
});
