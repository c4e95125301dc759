import { http } from "viem";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { address } from "@trade-escrow/sdk/devchain";
import { createApiApp } from "../src/api/index.js";
import { createStore } from "../src/store/index.js";
import type { Database, SyncFault } from "../src/store/index.js";
import { createSyncer } from "../src/sync/index.js";
import type { SyncEvent, Syncer } from "../src/sync/index.js";
import { startFaultyProxy } from "./chain/faultyProxy.js";
import {
  databaseKinds,
  expectTradesMatchViews,
  startIndexer,
  testChain,
  testClient,
} from "./helpers.js";
import type { TestIndexer } from "./helpers.js";

// Reorgs around the finality depth, made on the development node (evm_snapshot, blocks the indexer
// reads and finalizes, evm_revert, other blocks at the same heights). A reorg down to the finalized
// block is an ordinary one; a reorg below it contradicts data the API served as final: the indexer
// must stop following, keep the data exactly as it was and say so everywhere (status, `fault`
// event, fatal log, SSE, `/api/health` 503, the database), also after a restart.

const DEPTH = 3;

/** Every table of the store, rows in a stable order (`updated_at` aside): what must not change. */
async function tablesOf(db: Database): Promise<Record<string, unknown[]>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'
     ORDER BY table_name`,
    [db.schema],
  );
  const out: Record<string, unknown[]> = {};
  for (const { table_name: table } of tables) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    out[table] = rows
      .map((row) => {
        const { updated_at: _updated, applied_at: _applied, ...rest } = row;
        return JSON.stringify(rest);
      })
      .sort();
  }
  return out;
}

/** Mines `n` empty blocks one by one (each names its parent, unlike `hardhat_mine`'s). */
async function mineBlocks(n: number): Promise<void> {
  const chain = testChain();
  for (let i = 0; i < n; i += 1) await chain.rpc("evm_mine");
}

/** Resolves with the first sync event of `type`, or fails after `ms`. */
function nextEvent<T extends SyncEvent["type"]>(
  syncer: Syncer,
  type: T,
  ms = 30_000,
): Promise<Extract<SyncEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(`No ${type} event in ${ms} ms (status ${JSON.stringify(syncer.status())}).`),
      );
    }, ms);
    const unsubscribe = syncer.subscribe((event) => {
      if (event.type !== type) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event as Extract<SyncEvent, { type: T }>);
    });
  });
}

async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met in ${ms} ms.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(databaseKinds)("reorgs at the finality depth (%s)", (kind) => {
  const chain = testChain();
  const { actions } = chain;
  let indexer: TestIndexer | undefined;
  afterEach(async () => {
    await indexer?.close();
    indexer = undefined;
  });

  it("rolls back an ordinary reorg whose common ancestor is the finalized block itself", async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    indexer = await startIndexer(kind, { finalityDepth: DEPTH, logger });
    const terms = await chain.buildTerms({ buyer: address("buyer2"), seller: address("seller3") });
    const id = await actions.proposeAndAccept(terms);
    await indexer.catchUp();
    const snapshot = await actions.snapshot();
    const fork = Number(await actions.head());

    // Exactly DEPTH blocks on the branch that will be dropped: the fork block becomes final.
    await actions.deposit(id, terms);
    await mineBlocks(DEPTH - 1);
    expect(Number(await actions.head())).toBe(fork + DEPTH);
    await indexer.catchUp();
    expect(indexer.syncer.status().finalizedBlock).toBe(fork);

    await actions.revert(snapshot);
    await chain.rpc("evm_increaseTime", [7]);
    await mineBlocks(DEPTH + 2);
    await indexer.catchUp();

    const status = indexer.syncer.status();
    expect(status.fault).toBeUndefined();
    expect(status.running).toBe(true);
    await expectTradesMatchViews(indexer, [id]);
    const [row] = await indexer.db.query<{ escrowed: string }>(
      "SELECT escrowed FROM trades WHERE id = $1",
      [id.toString()],
    );
    expect(row!.escrowed).toBe("0");
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it("stops following on a reorg below the finalized block, keeps the data and reports it everywhere", async () => {
    const lines: { level: number; msg: string; fault?: SyncFault }[] = [];
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    indexer = await startIndexer(kind, { finalityDepth: DEPTH, logger });
    const { db, syncer } = indexer;
    const api = createApiApp({ db, status: syncer.status, subscribe: syncer.subscribe });
    const terms = await chain.buildTerms({ buyer: address("buyer3"), seller: address("seller2") });
    const id = await actions.proposeAndAccept(terms);
    await indexer.catchUp();
    const snapshot = await actions.snapshot();
    const fork = Number(await actions.head());

    // The branch the indexer finalizes: a deposit, then enough blocks for it to become final.
    await actions.deposit(id, terms);
    await mineBlocks(DEPTH + 2);
    await indexer.catchUp();
    const checkpoint = (await indexer.store.readCheckpoint())!;
    const finalized = checkpoint.finalizedBlock;
    expect(finalized).toBeGreaterThan(fork);
    const held = (await chain.publicClient.getBlock({ blockNumber: BigInt(finalized) })).hash;
    const [deposited] = await db.query<{ escrowed: string; updated_block: number }>(
      "SELECT escrowed, updated_block FROM trades WHERE id = $1",
      [id.toString()],
    );
    expect(deposited!.escrowed).not.toBe("0");
    expect(deposited!.updated_block).toBeLessThanOrEqual(finalized); // served as final
    const before = await tablesOf(db);

    const stream = await api.request("/stream");
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const faulted = nextEvent(syncer, "fault");

    // The other branch: the deposit never happened, and the chain grows past the old head.
    await actions.revert(snapshot);
    await chain.rpc("evm_increaseTime", [11]);
    await mineBlocks(DEPTH + 6);
    const { fault } = await faulted;
    const chainHash = (await chain.publicClient.getBlock({ blockNumber: BigInt(finalized) })).hash;
    expect(chainHash).not.toBe(held);
    expect(fault).toMatchObject({
      type: "finality-violated",
      finalizedBlock: finalized,
      storedHash: held,
      chainHash,
      indexedBlock: checkpoint.indexedBlock,
    });
    expect(fault.message).toContain(`Block ${finalized} was final as ${held}`);

    // The sync stops; the data is exactly as it was (nothing final rolled back), the fault stored.
    await until(() => !syncer.status().running);
    expect(syncer.status()).toMatchObject({ fault, lastError: fault.message });
    await until(async () => (await indexer!.store.readCheckpoint())!.fault !== null);
    const stored = (await indexer.store.readCheckpoint())!;
    expect(stored.fault).toEqual(fault);
    expect({ ...stored, fault: null }).toEqual(checkpoint);
    const after = await tablesOf(db);
    expect({ ...after, sync_state: [] }).toEqual({ ...before, sync_state: [] });
    await expect(syncer.waitForBlock(checkpoint.indexedBlock + 1, 1_000)).rejects.toThrow(
      /The sync stopped: Block/,
    );

    // Loud: a fatal log line with the details, a `fault` server-sent event, and a 503 health.
    const fatal = lines.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toContain("FINALITY_DEPTH");
    expect(fatal[0]!.fault).toEqual(fault);
    let text = "";
    while (!text.includes("event: fault")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(text).toContain("event: fault");
    expect(text).toContain(`"chainHash":"${chainHash}"`);
    const health = await api.request("/health");
    expect(health.status).toBe(503);
    expect(health.headers.get("x-indexer-fault")).toBe("finality-violated");
    expect(await health.json()).toMatchObject({ fault, backfillDone: true });
    const trade = await api.request(`/trades/${id}`);
    expect(trade.status).toBe(200);
    expect(trade.headers.get("x-indexer-fault")).toBe("finality-violated");

    // New blocks are not followed.
    await actions.proposeAndAccept(await chain.buildTerms());
    await new Promise((r) => setTimeout(r, 300));
    expect(await tablesOf(db)).toEqual(after);

    // A restart on the same database stays stopped, and an API that reads only the database says so.
    await syncer.stop();
    const store = createStore({ db });
    const restarted = createSyncer({
      client: testClient(),
      store,
      contracts: {
        escrow: chain.deployment.tradeEscrow,
        court: chain.deployment.arbitrationCourt,
        ratings: chain.deployment.sellerRatings,
      },
      startBlock: chain.deployment.deploymentBlock,
      finalityDepth: DEPTH,
      pollingIntervalMs: 25,
    });
    const again = nextEvent(restarted, "fault");
    await restarted.start();
    expect((await again).fault).toEqual(fault);
    await until(() => !restarted.status().running);
    await restarted.stop();
    expect(await tablesOf(db)).toEqual(after);
    const offline = await createApiApp({ db }).request("/health");
    expect(offline.status).toBe(503);
    expect(((await offline.json()) as { fault: unknown }).fault).toEqual(fault);
  });
});

describe("a reorg deeper than the finality depth during the backfill", () => {
  const chain = testChain();
  const { actions } = chain;

  it("is caught where the next range does not continue the stored chain, and stops the sync", async () => {
    const snapshot = await actions.snapshot();
    const fork = Number(await actions.head());
    const terms = await chain.buildTerms({ buyer: address("buyer3"), seller: address("seller3") });
    const doomed = await actions.proposeAndAccept(terms);
    await mineBlocks(40);
    const oldHead = Number(await actions.head());
    const oldHashes = new Map<number, string>();
    for (let n = fork; n <= oldHead; n += 1)
      oldHashes.set(n, (await chain.publicClient.getBlock({ blockNumber: BigInt(n) })).hash);

    // A slow node and ranges of 2 blocks: the backfill takes a while.
    const proxy = await startFaultyProxy(chain.deployment.rpcUrl, { delayMs: 15 });
    const indexer = await startIndexer("pglite", {
      client: testClient(http(proxy.url, { retryCount: 0 })),
      finalityDepth: DEPTH,
      maxRange: 2,
    });
    try {
      const faulted = nextEvent(indexer.syncer, "fault");
      await until(() => (indexer.syncer.status().indexedBlock ?? 0) > fork + 4, 30_000);
      expect(indexer.syncer.status().backfillDone).toBe(false);
      // The node goes away while the chain is rewritten from the fork, and comes back longer.
      proxy.kill();
      await new Promise((r) => setTimeout(r, 300)); // requests already let through are answered
      await actions.revert(snapshot);
      await chain.rpc("evm_increaseTime", [13]);
      await mineBlocks(oldHead - fork + 10);
      proxy.heal();

      const { fault } = await faulted;
      const checkpoint = (await indexer.store.readCheckpoint())!;
      expect(fault.finalizedBlock).toBe(checkpoint.indexedBlock);
      expect(fault.finalizedBlock).toBeGreaterThan(fork);
      expect(fault.storedHash).toBe(oldHashes.get(fault.finalizedBlock));
      expect(fault.chainHash).toBe(
        (await chain.publicClient.getBlock({ blockNumber: BigInt(fault.finalizedBlock) })).hash,
      );
      await until(() => !indexer.syncer.status().running);
      // The trade of the replaced branch is still there: nothing final was silently rewritten.
      const rows = await indexer.db.query("SELECT id FROM trades WHERE id = $1", [
        doomed.toString(),
      ]);
      expect(rows).toHaveLength(1);
      expect(checkpoint.fault).toEqual(fault);
    } finally {
      proxy.heal();
      await indexer.close();
      await proxy.close();
    }
  });
});
