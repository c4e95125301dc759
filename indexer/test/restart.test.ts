import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDatabase } from "../src/store/index.js";
import type { Database } from "../src/store/index.js";
import { address } from "@trade-escrow/sdk/devchain";
import { startFaultyProxy } from "./chain/faultyProxy.js";
import type { FaultyProxy } from "./chain/faultyProxy.js";
import { freePort } from "@trade-escrow/sdk/devchain";
import { POSTGRES_URL, databaseKinds, openDatabase, startIndexer, testChain } from "./helpers.js";

// The indexer as its own process (src/main.ts), killed with SIGKILL in the middle of its backfill and
// started again on the same database: it must end with exactly what an uninterrupted run stores.

const INDEXER = resolve(dirname(fileURLToPath(import.meta.url)), "..");

type Health = { indexedBlock: number | null; headBlock: number | null; backfillDone: boolean };

async function health(url: string): Promise<{ status: number; body: Health } | undefined> {
  try {
    const response = await fetch(`${url}/api/health`);
    return { status: response.status, body: (await response.json()) as Health };
  } catch {
    return undefined;
  }
}

/** Rows of every derived table, in a stable order (what two runs must agree on). */
async function snapshot(db: Database) {
  const tables: Record<string, string> = {
    events:
      "SELECT block_number, log_index, block_hash, event_name, trade_id, args FROM events ORDER BY 1, 2",
    trades: "SELECT * FROM trades ORDER BY id",
    amendments: "SELECT * FROM amendments ORDER BY trade_id, version",
    lots: "SELECT * FROM lots ORDER BY trade_id, lot",
    balances: "SELECT * FROM balances ORDER BY kind, account, token",
    operators: "SELECT * FROM operators ORDER BY address",
    documents: "SELECT * FROM documents ORDER BY block_number, log_index, role",
    attestations: "SELECT * FROM attestations ORDER BY block_number, log_index",
    ratings: "SELECT * FROM ratings ORDER BY block_number, log_index",
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(tables)) out[name] = await db.query(sql);
  return out;
}

describe.each(databaseKinds)("kill and restart mid-backfill (%s)", (kind) => {
  const chain = testChain();
  const deployed = inject("chain");
  let proxy: FaultyProxy;
  let dir: string;
  let schema: string | undefined;

  beforeAll(async () => {
    for (let i = 0; i < 4; i += 1) {
      const terms = await chain.buildTerms({
        buyer: address("buyer3"),
        seller: address("seller2"),
      });
      const id = await chain.actions.proposeAndAccept(terms);
      await chain.actions.deposit(id, terms);
      await chain.actions.start(id, terms);
    }
    // A slow node, so that the backfill in ranges of 2 blocks takes seconds.
    proxy = await startFaultyProxy(deployed.rpcUrl, { delayMs: 15 });
    dir = await mkdtemp(join(tmpdir(), "indexer-restart-"));
    if (kind === "postgres") schema = `indexer_restart_${process.pid}_${Date.now().toString(36)}`;
  });
  afterAll(async () => {
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
    if (schema !== undefined) await (await openDatabase("postgres", { schema })).drop();
  });

  const spawnIndexer = async (): Promise<{
    child: ChildProcess;
    url: string;
    output: () => string;
  }> => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: INDEXER,
      env: {
        ...process.env,
        RPC_URL: proxy.url,
        ESCROW_ADDRESS: deployed.tradeEscrow,
        COURT_ADDRESS: deployed.arbitrationCourt,
        RATINGS_ADDRESS: deployed.sellerRatings,
        START_BLOCK: String(deployed.deploymentBlock),
        ...(kind === "pglite"
          ? { DATA_DIR: join(dir, "db"), DATABASE_URL: "" }
          : { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema }),
        IPFS_DIR: join(dir, "ipfs"),
        PORT: String(port),
        HOST: "127.0.0.1",
        FINALITY_DEPTH: "2",
        POLLING_INTERVAL_MS: "50",
        MAX_LOG_RANGE: "2",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    child.stderr?.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    return { child, url: `http://127.0.0.1:${port}`, output: () => output };
  };

  const exited = (child: ChildProcess) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) done();
      else child.once("exit", () => done());
    });

  it("loses nothing and duplicates nothing", async () => {
    const head = Number(await chain.actions.head());
    const first = await spawnIndexer();
    // Wait until it is part-way through the backfill, then kill it without warning.
    let killedAt = -1;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const h = await health(first.url);
      const indexed = h?.body.indexedBlock ?? -1;
      if (h !== undefined && indexed > deployed.deploymentBlock + 10) {
        killedAt = indexed;
        first.child.kill("SIGKILL");
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await exited(first.child);
    expect(killedAt, first.output()).toBeGreaterThan(deployed.deploymentBlock);
    expect(killedAt).toBeLessThan(head);

    const second = await spawnIndexer();
    let caughtUp = false;
    const until = Date.now() + 90_000;
    while (Date.now() < until) {
      const h = await health(second.url);
      if (h?.status === 200 && (h.body.indexedBlock ?? 0) >= head) {
        caughtUp = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    second.child.kill("SIGTERM");
    await exited(second.child);
    expect(caughtUp, second.output()).toBe(true);

    // The same chain indexed without interruption, in this process.
    const reference = await startIndexer(kind === "pglite" ? "pglite" : "postgres", {
      finalityDepth: 2,
    });
    let restarted: Database | undefined;
    try {
      await reference.syncer.waitForBlock(head, 60_000);
      await reference.syncer.stop();
      restarted =
        kind === "pglite"
          ? await createDatabase({ dataDir: join(dir, "db") })
          : await createDatabase({ url: POSTGRES_URL, schema });
      const [state] = await restarted.query<{ indexed_block: number }>(
        "SELECT indexed_block FROM sync_state",
      );
      const upTo = state!.indexed_block;
      const cut = (rows: Record<string, unknown[]>) => {
        // Compare up to the block both runs reached.
        return Object.fromEntries(
          Object.entries(rows).map(([name, list]) => [
            name,
            list.filter((r) => {
              const row = r as Record<string, unknown>;
              const block = (row.block_number ?? row.created_block ?? 0) as number;
              return block <= upTo;
            }),
          ]),
        );
      };
      const expected = cut(await snapshot(reference.db));
      const actual = cut(await snapshot(restarted));
      expect(actual.events!.length).toBeGreaterThan(0);
      for (const name of Object.keys(expected)) expect(actual[name], name).toEqual(expected[name]);
    } finally {
      await restarted?.close();
      await reference.close();
    }
  });
});
