import { http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { address } from "@trade-escrow/sdk/devchain";
import { startFaultyProxy } from "./chain/faultyProxy.js";
import type { FaultyProxy } from "./chain/faultyProxy.js";
import {
  expectCreditsMatchViews,
  expectTradesMatchViews,
  startIndexer,
  testChain,
  testClient,
} from "./helpers.js";

// The node behind a proxy that fails requests (HTTP 500), answers JSON-RPC errors, drops connections,
// stalls past the client's timeout and refuses wide log ranges, and that dies (every request fails)
// in the middle of the backfill and after it: the indexer must end exactly where a healthy one would.

describe("RPC failures", () => {
  const chain = testChain();
  let proxy: FaultyProxy;

  beforeAll(async () => {
    // Some trades so there is something to backfill.
    for (let i = 0; i < 3; i += 1) {
      const terms = await chain.buildTerms({
        buyer: address("buyer2"),
        seller: address("seller2"),
      });
      const id = await chain.actions.proposeAndAccept(terms);
      await chain.actions.deposit(id, terms);
    }
    proxy = await startFaultyProxy(chain.deployment.rpcUrl, {
      failRate: 0.15,
      rpcErrorRate: 0.1,
      dropRate: 0.05,
      stallRate: 0.05,
      stallMs: 600,
      maxLogRange: 16,
    });
  });
  afterAll(() => proxy.close());

  it("backfills and follows through failures, timeouts and refused ranges, then matches the views", async () => {
    const client = testClient(http(proxy.url, { retryCount: 0, timeout: 300 }));
    const indexer = await startIndexer("pglite", {
      client,
      rpcTimeoutMs: 400,
      retry: { baseMs: 5, maxMs: 50 },
    });
    try {
      await indexer.catchUp(90_000);
      const terms = await chain.buildTerms();
      const id = await chain.actions.proposeAndAccept(terms);
      await chain.actions.deposit(id, terms);
      await indexer.catchUp(90_000);
      const ids = (await indexer.db.query<{ id: string }>("SELECT id FROM trades ORDER BY id")).map(
        (r) => BigInt(r.id),
      );
      expect(ids.length).toBe(Number(id));
      await expectTradesMatchViews(indexer, ids);
      await expectCreditsMatchViews(indexer);
      expect(proxy.stats.failed).toBeGreaterThan(0);
      expect(proxy.stats.rpcErrors, JSON.stringify(proxy.stats)).toBeGreaterThan(0);
      expect(proxy.stats.dropped).toBeGreaterThan(0);
      expect(proxy.stats.stalled).toBeGreaterThan(0);
      expect(proxy.stats.rangeRefused).toBeGreaterThan(0);
    } finally {
      await indexer.close();
    }
  });

  it("survives the node dying mid-backfill and resumes where it stopped when it comes back", async () => {
    for (let i = 0; i < 30; i += 1) await chain.rpc("evm_mine");
    const slow = await startFaultyProxy(chain.deployment.rpcUrl, { delayMs: 10 });
    const client = testClient(http(slow.url, { retryCount: 0, timeout: 300 }));
    const indexer = await startIndexer("pglite", {
      client,
      maxRange: 2,
      rpcTimeoutMs: 400,
      retry: { baseMs: 5, maxMs: 50 },
    });
    try {
      const head = Number(await chain.actions.head());
      const deadline = Date.now() + 30_000;
      while ((indexer.syncer.status().indexedBlock ?? 0) <= chain.deployment.deploymentBlock + 3) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 10));
      }
      slow.kill();
      const killedAt = indexer.syncer.status().indexedBlock!;
      await new Promise((r) => setTimeout(r, 600));
      const status = indexer.syncer.status();
      expect(status).toMatchObject({ running: true, backfillDone: false });
      expect(status.lastError).toBeDefined();
      expect(status.indexedBlock).toBeLessThan(head - 3);
      expect(status.indexedBlock! - killedAt).toBeLessThanOrEqual(2); // at most the batch in flight
      const failed = slow.stats.failed;
      expect(failed).toBeGreaterThan(1); // it kept asking
      slow.heal();
      await indexer.catchUp(90_000);
      const ids = (await indexer.db.query<{ id: string }>("SELECT id FROM trades ORDER BY id")).map(
        (r) => BigInt(r.id),
      );
      expect(ids.length).toBeGreaterThan(0);
      await expectTradesMatchViews(indexer, ids);
      await expectCreditsMatchViews(indexer);
    } finally {
      slow.heal();
      await indexer.close();
      await slow.close();
    }
  });

  it("survives a dead node after the backfill and resumes when it comes back", async () => {
    const client = testClient(http(proxy.url, { retryCount: 0, timeout: 300 }));
    const indexer = await startIndexer("pglite", {
      client,
      rpcTimeoutMs: 400,
      retry: { baseMs: 5, maxMs: 50 },
    });
    try {
      await indexer.catchUp(90_000);
      proxy.kill();
      const terms = await chain.buildTerms();
      const id = await chain.actions.proposeAndAccept(terms);
      await new Promise((r) => setTimeout(r, 500));
      const status = indexer.syncer.status();
      expect(status.running).toBe(true);
      expect(status.lastError).toBeDefined();
      proxy.heal();
      await indexer.catchUp(90_000);
      await expectTradesMatchViews(indexer, [id]);
    } finally {
      proxy.heal();
      await indexer.close();
    }
  });
});
