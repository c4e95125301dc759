import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TradeState } from "@trade-escrow/sdk/contracts";
import type { SyncEvent } from "../src/sync/index.js";
import { address } from "@trade-escrow/sdk/devchain";
import {
  databaseKinds,
  expectCreditsMatchViews,
  expectTradesMatchViews,
  startIndexer,
  testChain,
} from "./helpers.js";
import type { TestIndexer } from "./helpers.js";

// Reorgs made on the development node: evm_snapshot, blocks the indexer reads, evm_revert, then
// other blocks at the same heights. The indexer must roll back to the common ancestor and apply the
// new ones.

/** Every stored event's block hash is the chain's, and the stored events are exactly the chain's logs. */
async function expectEventsAreCanonical(indexer: TestIndexer): Promise<void> {
  const chain = testChain();
  const rows = await indexer.db.query<{ block_number: number; block_hash: string; n: number }>(
    "SELECT block_number, block_hash, count(*)::int AS n FROM events GROUP BY 1, 2 ORDER BY 1",
  );
  const { deployment: deployed } = chain;
  const logs = await chain.publicClient.getLogs({
    address: [deployed.tradeEscrow, deployed.arbitrationCourt, deployed.sellerRatings],
    fromBlock: BigInt(deployed.deploymentBlock),
    toBlock: BigInt((await indexer.store.readCheckpoint())!.indexedBlock),
  });
  const expected = new Map<number, { hash: string; n: number }>();
  for (const log of logs) {
    const entry = expected.get(Number(log.blockNumber)) ?? { hash: log.blockHash!, n: 0 };
    entry.n += 1;
    expected.set(Number(log.blockNumber), entry);
  }
  expect(rows.map((r) => [r.block_number, r.block_hash, r.n])).toEqual(
    [...expected.entries()].map(([number, e]) => [number, e.hash, e.n]),
  );
  const [undo] = await indexer.db.query<{ n: number }>("SELECT count(*)::int AS n FROM undo_log");
  expect(undo!.n).toBeLessThan(1_000);
}

describe.each(databaseKinds)("reorgs (%s)", (kind) => {
  const chain = testChain();
  const { actions } = chain;
  let indexer: TestIndexer;
  const reorgs: Extract<SyncEvent, { type: "reorg" }>[] = [];

  beforeAll(async () => {
    indexer = await startIndexer(kind, { finalityDepth: 20 });
    indexer.syncer.subscribe((event) => {
      if (event.type === "reorg") reorgs.push(event);
    });
  });
  afterAll(() => indexer.close());

  it("replaces blocks it indexed with the new chain's, rolling trades, credits and operators back", async () => {
    const terms = await chain.buildTerms({ buyer: address("buyer3"), seller: address("seller3") });
    const id = await actions.proposeAndAccept(terms);
    await actions.deposit(id, terms);
    await indexer.catchUp();
    const snapshot = await actions.snapshot();
    const before = await actions.head();

    // The branch the indexer sees, then loses: the trade moves on, a second trade opens.
    await actions.start(id, terms);
    await actions.balance(id, terms);
    const doomedTerms = await chain.buildTerms({ operator: address("operator2") });
    const doomed = await actions.proposeAndAccept(doomedTerms);
    await indexer.catchUp();
    await expectTradesMatchViews(indexer, [id, doomed]);
    const [seen] = await indexer.db.query("SELECT state FROM trades WHERE id = $1", [
      id.toString(),
    ]);
    expect(seen).toEqual({ state: TradeState.InFulfilment });

    // The other branch: the same heights, other blocks, and a few more.
    await actions.revert(snapshot);
    expect(await actions.head()).toBe(before);
    await actions.mine(2);
    const otherTerms = await chain.buildTerms({ price: 3n * 10n ** 18n });
    const other = await actions.proposeAndAccept(otherTerms);
    expect(other).toBe(doomed); // the same id, other terms
    await actions.start(id, terms);
    await actions.mine(3);
    await indexer.catchUp();

    expect(reorgs.length).toBeGreaterThan(0);
    expect(reorgs.at(-1)!.ancestor).toBeLessThanOrEqual(Number(before));
    await expectTradesMatchViews(indexer, [id, other]);
    await expectCreditsMatchViews(indexer);
    await expectEventsAreCanonical(indexer);
    const [row] = await indexer.db.query<{ price: string }>(
      "SELECT price FROM trades WHERE id = $1",
      [other.toString()],
    );
    expect(row!.price).toBe((3n * 10n ** 18n).toString());
  });

  it("notices a replaced tip while idle (same height, other hash)", async () => {
    const terms = await chain.buildTerms();
    const id = await actions.proposeAndAccept(terms);
    await indexer.catchUp();
    const snapshot = await actions.snapshot();
    await actions.deposit(id, terms);
    await indexer.catchUp();
    const count = reorgs.length;
    await actions.revert(snapshot);
    await actions.mine(1); // one block at the height the deposit had: empty
    await new Promise((r) => setTimeout(r, 300));
    await indexer.catchUp();
    expect(reorgs.length).toBeGreaterThan(count);
    await expectTradesMatchViews(indexer, [id]);
    await expectEventsAreCanonical(indexer);
  });
});
