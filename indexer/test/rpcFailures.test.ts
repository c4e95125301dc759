import { http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { address } from "@trade-escrow/stack/devchain";
import { startFaultyProxy } from "./chain/faultyProxy.js";
import type { FaultyProxy } from "./chain/faultyProxy.js";
import {
  expectCreditsMatchViews,
  expectTradesMatchViews,
  startIndexer,
  testChain,
  testClient,
} from "./helpers.js";

// The node behind a proxy that fails requests (HTTP 500), drops connections, stalls past the client's
// timeout and refuses wide log ranges: the indexer must end exactly where a healthy one would.

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
    proxy = await startFaultyProxy(chain.deployed.rpcUrl, {
      failRate: 0.15,
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
      expect(proxy.stats.rangeRefused).toBeGreaterThan(0);
    } finally {
      await indexer.close();
    }
  });

  it("survives a dead node and resumes when it comes back", async () => {
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
