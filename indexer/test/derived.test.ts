import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttestationKind, Milestone, TradeState } from "@trade-escrow/sdk/contracts";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { address } from "@trade-escrow/sdk/devchain";
import { DAY } from "@trade-escrow/stack/devchain";
import {
  databaseKinds,
  expectCreditsMatchViews,
  expectTradesMatchViews,
  startIndexer,
  testChain,
} from "./helpers.js";
import type { TestIndexer } from "./helpers.js";

// One long scenario on the chain, followed by two indexers at once (PGlite and the Postgres server).
// After every step both catch up and their derived tables must equal the contract's views: every trade's
// `trade`, `claim` and `stageDeadline`, every credit's `withdrawable`, every operator's `operatorBond`.

describe("derived tables against the contract's views, after every step", () => {
  const chain = testChain();
  const { actions } = chain;
  const indexers = new Map<string, TestIndexer>();
  const ids: bigint[] = [];

  beforeAll(async () => {
    for (const kind of databaseKinds) indexers.set(kind, await startIndexer(kind));
  });
  afterAll(async () => {
    for (const indexer of indexers.values()) await indexer.close();
  });

  const check = async (label: string, credits = false) => {
    for (const [kind, indexer] of indexers) {
      await indexer.catchUp();
      try {
        await expectTradesMatchViews(indexer, ids);
        if (credits) await expectCreditsMatchViews(indexer);
      } catch (error) {
        throw new Error(`${kind}, after "${label}": ${(error as Error).message}`, { cause: error });
      }
    }
  };

  const run = async (label: string, step: () => Promise<unknown>, credits = false) => {
    await step();
    await check(label, credits);
  };
  /** Deposit, start, balance and ship, checked after each. */
  const payAndShip = async (id: bigint, terms: Terms) => {
    await run("deposit", () => actions.deposit(id, terms));
    await run("start", () => actions.start(id, terms));
    await run("balance", () => actions.balance(id, terms));
    await run("ship", () => actions.ship(id, terms));
  };

  it("a protected trade in the native coin: propose, accept, pay, ship, deliver, withdraw, rate", async () => {
    const terms = await chain.buildTerms({ sellerBond: 10n ** 18n });
    let id = 0n;
    await run("propose and accept", async () => {
      id = await actions.proposeAndAccept(terms);
      ids.push(id);
    });
    await run("post bond", () => actions.postBond(id, terms));
    await payAndShip(id, terms);
    await run("milestone", () => actions.milestone(id, terms, Milestone.Departed));
    await run("deliver", () => actions.deliver(id, terms), true);
    await run("withdraw", () => actions.withdraw("seller"), true);
    await run("rate", () => actions.rate(id, terms, [5, 4, 3]));
    expect((await actions.view(id)).state).toBe(TradeState.Completed);
  });

  it("an ERC-20 trade in two lots, opened with an EIP-712 signature", async () => {
    const terms: Terms = await chain.buildTerms({
      token: chain.deployment.usd,
      price: 50_000n * 10n ** 6n,
      lots: 2,
      buyer: address("buyer2"),
      seller: address("seller2"),
      operator: address("operator2"),
    });
    let id = 0n;
    await run("open signed", async () => {
      id = await actions.openSigned(terms);
      ids.push(id);
    });
    await payAndShip(id, terms);
    await run("receipt lot 1", () => actions.attest(id, terms, AttestationKind.Receipt, 1, 5n));
    await run(
      "title lot 1",
      () => actions.attest(id, terms, AttestationKind.TitleTransfer, 1, 0n),
      true,
    );
    await run(
      "lot 2",
      () => actions.attest(id, terms, AttestationKind.ReceiptAndTitleTransfer, 2, 5n),
      true,
    );
    expect((await actions.view(id)).state).toBe(TradeState.Completed);
  });

  it("a short delivery halts the trade; an amendment resumes it", async () => {
    const terms = await chain.buildTerms({ buyer: address("buyer3"), seller: address("seller3") });
    let id = 0n;
    await run("open", async () => {
      id = await actions.proposeAndAccept(terms);
      ids.push(id);
    });
    await payAndShip(id, terms);
    await run("short delivery", () => actions.deliver(id, terms, 8n));
    expect((await actions.view(id)).state).toBe(TradeState.Halted);
    const amended = { ...terms, quantity: 8n, price: 8n * 10n ** 18n };
    await run("amend", () => actions.amend(id, terms, amended, 1), true);
    const [row] = await indexers
      .get("pglite")!
      .db.query("SELECT count(*)::int AS n FROM amendments WHERE trade_id = $1", [id.toString()]);
    expect(row).toEqual({ n: 2 });
  });

  it("a claim heard by the court: filed, contested, voted, ruled, executed", async () => {
    const terms = await chain.buildTerms({ claimWindow: 3 * DAY });
    let id = 0n;
    await run("open", async () => {
      id = await actions.proposeAndAccept(terms);
      ids.push(id);
    });
    await payAndShip(id, terms);
    await run("port arrival", () => actions.attest(id, terms, AttestationKind.PortArrival, 0, 0n));
    await run("deliver", () => actions.deliver(id, terms));
    await run("file claim", () => actions.fileClaim(id, terms, 1_000));
    await run("contest", () => actions.contest(id, terms));
    const disputeId = (await actions.claim(id)).disputeId;
    await run("hear", () => actions.hear(disputeId, 501n));
    await run("finalize", () => actions.finalizeRuling(disputeId));
    await run("execute", () => actions.executeRuling(id), true);
    for (const indexer of indexers.values()) {
      const [dispute] = await indexer.db.query<Record<string, unknown>>(
        "SELECT * FROM disputes WHERE id = $1",
        [disputeId.toString()],
      );
      expect(dispute).toMatchObject({
        trade_id: id.toString(),
        phase: "Solved",
        final_ruling: "501",
      });
      const votes = await indexer.db.query("SELECT kind FROM votes WHERE dispute_id = $1", [
        disputeId.toString(),
      ]);
      expect(votes).toHaveLength(6);
    }
  });

  it("a late balance moves the latest delivery; the trade shipped and never delivered is cancelled", async () => {
    const now = (await chain.publicClient.getBlock()).timestamp;
    // Due 14 days before a latest delivery 20 days away.
    const terms = await chain.buildTerms({
      buyer: address("buyer2"),
      seller: address("seller3"),
      latestDelivery: now + 20n * BigInt(DAY),
      sellerBond: 10n ** 17n,
    });
    let id = 0n;
    await run("open", async () => {
      id = await actions.proposeAndAccept(terms);
      ids.push(id);
    });
    await run("post bond", () => actions.postBond(id, terms));
    await run("deposit", () => actions.deposit(id, terms));
    await run("start", () => actions.start(id, terms));
    await run("the balance is past due", () => actions.increaseTime(7 * DAY));
    await run("late balance", () => actions.balance(id, terms));
    const paidAt = (await chain.publicClient.getBlock()).timestamp;
    const moved = Number(paidAt) + 14 * DAY;
    for (const indexer of indexers.values()) {
      const [row] = await indexer.db.query<Record<string, unknown>>(
        "SELECT latest_delivery, late_balance_paid_at, stage_deadline FROM trades WHERE id = $1",
        [id.toString()],
      );
      expect(row).toEqual({
        latest_delivery: moved,
        late_balance_paid_at: Number(paidAt),
        stage_deadline: moved,
      });
    }
    await run("after the terms' latest delivery", () => actions.increaseTime(13 * DAY + DAY / 2));
    await run("ship within the moved latest delivery", () => actions.ship(id, terms));
    await run("grace period over", () => actions.increaseTime(15 * DAY));
    await run("cancel undelivered", () => actions.cancelUndelivered(id, terms, "buyer"), true);
    expect((await actions.view(id)).state).toBe(TradeState.Cancelled);
  });

  it("a withdrawn proposal and a missed start are cancelled", async () => {
    const proposed = await chain.buildTerms();
    let withdrawn = 0n;
    await run("propose", async () => {
      withdrawn = await actions.propose(proposed);
      ids.push(withdrawn);
    });
    await run("withdraw proposal", () => actions.withdrawProposal(withdrawn, proposed));
    const terms = await chain.buildTerms();
    let id = 0n;
    await run("open", async () => {
      id = await actions.proposeAndAccept(terms);
      ids.push(id);
    });
    await run("deposit", () => actions.deposit(id, terms));
    await run(
      "missed start",
      async () => {
        await actions.increaseTime(10 * DAY);
        await actions.cancelForMissedStart(id, terms);
      },
      true,
    );
    expect((await actions.view(id)).state).toBe(TradeState.Cancelled);
  });
});
