import { createTestClient, http, maxUint256 } from "viem";
import type { Hex } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttestationKind,
  ClaimGround,
  PaymentMode,
  arbitrationCourtAbi,
} from "../contracts/index.js";
import { signAttestation, signCreditScore, signInspectionReport } from "../eip712/index.js";
import type { AttestationKind as Kind } from "../contracts/index.js";
import type { Terms } from "../eip712/index.js";
import { localAccount } from "../../test/chain/accounts.js";
import type { Role } from "../../test/chain/accounts.js";
import { excludedActions } from "../../test/chain/actionCalls.js";
import { createActionProbe } from "../../test/chain/actionProbe.js";
import type { ActionProbe } from "../../test/chain/actionProbe.js";
import { useChain } from "../../test/chain/clients.js";
import { deployTestStack } from "../../test/chain/deploy.js";
import { NATIVE, createHistoryCheck } from "../../test/chain/history.js";
import { startDevNode } from "../../test/chain/node.js";
import type { DevNode } from "../../test/chain/node.js";
import { DAY, USD, courtTerms, createTrades, documentCid } from "../../test/chain/trades.js";
import type { Trades } from "../../test/chain/trades.js";
import { mockStablecoinAbi } from "../../test/generated/mocks.js";

// Issue 23: availableActions says what the escrow would accept now, from whom. Several trades run on
// a development node (anvil) of this file's own; at many points of each (every state, with and without
// a claim, halted, before and after each deadline) and for each account (buyer, seller, operator,
// stranger), every action is simulated (eth_call from that account, at the block time under test via a
// block override) and must succeed exactly when availableActions lists it. `attest` is simulated once
// per attestation kind against the kinds it lists. Excluded: see `excludedActions` (test/chain/actionCalls.ts).
//
// Fixed times: the chain starts at Monday 2034-01-02 10:00 UTC and every block is one second after the
// one before (anvil's block timestamp interval), so every run simulates at the same times.

const T0 = 2_019_808_800n;

type Chain = ReturnType<typeof useChain>;
let node: DevNode | undefined;
let ctx: Chain;
let trades: Trades;
let probe: ActionProbe;
let testClient: ReturnType<typeof createTestClient>;
let hearingCost = 0n;
let cid: Hex;
let nonce = 1_000_000n;

beforeAll(async () => {
  node = await startDevNode();
  const chain = await deployTestStack(node.url);
  ctx = useChain(chain);
  trades = createTrades(ctx);
  testClient = createTestClient({
    chain: hardhat,
    mode: "anvil",
    transport: http(chain.rpcUrl, { retryCount: 0 }),
  });
  await testClient.setNextBlockTimestamp({ timestamp: T0 });
  await testClient.mine({ blocks: 1 });
  await testClient.setBlockTimestampInterval({ interval: 1 });
  cid = await documentCid("availableActions");
  hearingCost = await ctx.publicClient.readContract({
    address: chain.arbitrationCourt,
    abi: arbitrationCourtAbi,
    functionName: "arbitrationCost",
    args: [courtTerms],
  });
  const history = createHistoryCheck({
    chain,
    accounts: [],
    operators: [],
    tokens: [chain.usd, NATIVE],
  });
  probe = createActionProbe({ ctx, history, call: { nonce: nextNonce, hearingCost, cid } });
  // The seller pays bonds and refunds in USD; the pool guarantees pay after use; the oracle scores the buyer.
  const usd = (role: Role) => ({
    address: chain.usd,
    abi: mockStablecoinAbi,
    account: localAccount(role).address,
  });
  for (const role of ["seller", "admin"] as const) {
    await send(() =>
      ctx.walletOf("admin").writeContract({
        ...usd("admin"),
        functionName: "mint",
        args: [localAccount(role).address, USD(1_000_000)],
      }),
    );
    await send(() =>
      ctx.walletOf(role).writeContract({
        ...usd(role),
        functionName: "approve",
        args: [chain.tradeEscrow, maxUint256],
      }),
    );
  }
  await send(() => escrow("admin").fundPool([chain.usd, USD(500_000)]));
  await send(() => escrow("admin").setBuyerExposureCap([chain.usd, USD(500_000)]));
  const now = await ctx.latestTimestamp();
  const score = {
    buyer: localAccount("buyer").address,
    score: 700,
    issuedAt: now,
    expiresAt: now + 365n * BigInt(DAY),
    nonce: nextNonce(),
  };
  const signature = await signCreditScore(localAccount("oracle"), {
    domain: ctx.domain,
    message: score,
  });
  await send(() => escrow("stranger").recordCreditScore([score, signature]));
}, 120_000);

afterAll(async () => {
  await node?.stop();
});

// ---------------------------------------------------------------------------------------------
// Steps and probes
// ---------------------------------------------------------------------------------------------

const nextNonce = () => nonce++;
const escrow = (role: Role) => ctx.escrowAs(role).write;

async function send(tx: () => Promise<Hex>): Promise<void> {
  await ctx.mined(tx());
}

/** Mines the next block exactly at `timestamp`. */
async function travelTo(timestamp: bigint): Promise<void> {
  await testClient.setNextBlockTimestamp({ timestamp });
  await testClient.mine({ blocks: 1 });
}

const record = (tradeId: bigint) => probe.record(tradeId);
const expectActionsMatchChain = (step: string, tradeId: bigint) =>
  probe.expectActionsMatchChain(step, tradeId);

/** Sends one step, then checks every action at the new block. */
async function stepThenCheck(name: string, tradeId: bigint, tx: () => Promise<Hex>) {
  await send(tx);
  await expectActionsMatchChain(name, tradeId);
}

/** An attestation of the operator, sent by the operator itself. */
async function attest(terms: Terms, tradeId: bigint, kind: Kind, lot: number, quantity: bigint) {
  const now = await ctx.latestTimestamp();
  const attestation = {
    tradeId,
    kind,
    lot,
    quantity,
    time: now,
    documentCid: cid,
    nonce: nextNonce(),
    deadline: now + 30n * BigInt(DAY),
  };
  if (kind === AttestationKind.PortArrival) attestation.lot = 0;
  const signature = await signAttestation(localAccount("operator"), {
    domain: ctx.domain,
    message: attestation,
  });
  return escrow("stranger").attest([attestation, signature]);
}

async function fileClaim(terms: Terms, tradeId: bigint) {
  const now = await ctx.latestTimestamp();
  const report = {
    tradeId,
    agency: localAccount("agency").address,
    varianceBps: 1_000,
    material: false,
    reportCid: cid,
    nonce: nextNonce(),
    deadline: now + 30n * BigInt(DAY),
  };
  const signature = await signInspectionReport(localAccount("agency"), {
    domain: ctx.domain,
    message: report,
  });
  const request = {
    ground: ClaimGround.SpecificationVariance,
    refundBps: 1_000,
    costs: 0n,
    evidenceCid: cid,
  };
  return escrow("buyer").fileClaim([tradeId, request, report, signature]);
}

// ---------------------------------------------------------------------------------------------
// Trades
// ---------------------------------------------------------------------------------------------

describe("availableActions against the chain's simulation, for every account and action", () => {
  it("a protected trade proposed by the seller, with a bond, a claim from Shipped after port arrival, accepted, then released", async () => {
    const terms = await trades.buildTerms({
      claimWindow: 5 * DAY,
      sellerBond: USD(5_000),
      lots: 2,
    });
    const id = await trades.proposedTradeId(await escrow("seller").proposeTrade([terms]));
    await expectActionsMatchChain("proposed by the seller", id);
    await stepThenCheck("accepted by the buyer", id, () =>
      escrow("buyer").acceptTrade([id, terms]),
    );
    await stepThenCheck("deposit paid", id, () => escrow("buyer").payDeposit([id]));
    await stepThenCheck("bond posted", id, () => escrow("seller").postSellerBond([id]));
    await stepThenCheck("fulfilment started", id, () => escrow("seller").startFulfilment([id]));
    await stepThenCheck("balance paid", id, () => escrow("buyer").payBalance([id]));
    await stepThenCheck("shipped", id, () => escrow("seller").markShipped([id, cid]));
    await stepThenCheck("lot 1 received, title pending", id, () =>
      attest(terms, id, AttestationKind.Receipt, 1, 5n),
    );
    await stepThenCheck("title to lot 1", id, () =>
      attest(terms, id, AttestationKind.TitleTransfer, 1, 0n),
    );
    await stepThenCheck("port arrival (the claim window opens in Shipped)", id, () =>
      attest(terms, id, AttestationKind.PortArrival, 0, 0n),
    );
    await stepThenCheck("a claim filed from Shipped", id, () => fileClaim(terms, id));
    await stepThenCheck("the seller accepts the claim", id, () =>
      escrow("seller").acceptClaim([id]),
    );
    await stepThenCheck("lot 2 received with title: delivered", id, () =>
      attest(terms, id, AttestationKind.ReceiptAndTitleTransfer, 2, 5n),
    );
    await travelTo((await record(id)).arrivedAt + BigInt(terms.claimWindow) + 1n);
    await expectActionsMatchChain("after the claim window", id);
    await stepThenCheck("released", id, () => escrow("stranger").release([id]));
  });

  it("a protected trade halted by a short lot, amended, the price raised, then cancelled undelivered by the seller", async () => {
    const terms = await trades.buildTerms({ quantity: 100n });
    const id = await trades.openTrade(terms);
    await expectActionsMatchChain("opened by both signatures", id);
    await trades.payAndShip(id);
    await expectActionsMatchChain("shipped", id);
    await stepThenCheck("a short lot halts", id, () =>
      attest(terms, id, AttestationKind.Receipt, 1, 80n),
    );
    const fitting: Terms = { ...terms, quantity: 80n };
    await stepThenCheck("amended to fit: received", id, () => trades.amend(id, terms, fitting));
    const raised: Terms = { ...fitting, price: fitting.price + USD(1_000) };
    await stepThenCheck("the price raised: a balance due in Received", id, () =>
      trades.amend(id, fitting, raised),
    );
    await travelTo((await record(id)).terms.latestDelivery + BigInt(terms.deliveryGrace) + 1n);
    await expectActionsMatchChain("past the grace period, the buyer owing", id);
    await stepThenCheck("the seller cancels", id, () => escrow("seller").cancelUndelivered([id]));
  });

  it("direct payment without an operator: paid, shipped, refunded in part, confirmed automatically", async () => {
    const terms = await trades.buildTerms({
      mode: PaymentMode.Direct,
      depositBps: 10_000,
      operator: "0x0000000000000000000000000000000000000000",
      collectAfter: 3 * DAY,
    });
    const id = await trades.openTrade(terms);
    await expectActionsMatchChain("signed", id);
    await stepThenCheck("paid directly", id, () => escrow("buyer").payDirect([id]));
    await stepThenCheck("shipped", id, () => escrow("seller").markShipped([id, cid]));
    await stepThenCheck("refunded in part", id, () =>
      escrow("seller").refundVoluntarily([id, USD(1_000)]),
    );
    await travelTo((await record(id)).stageAt + BigInt(terms.collectAfter) + 1n);
    await stepThenCheck("confirmed by a stranger", id, () =>
      escrow("stranger").confirmReceipt([id]),
    );
  });

  it("pay after use: started from signing, shipped, delivered, collected on confirmation", async () => {
    const terms = await trades.buildTerms({
      mode: PaymentMode.PayAfterUse,
      depositBps: 0,
      collectAfter: 2 * DAY,
      sellerBond: USD(1_000),
    });
    const id = await trades.openTrade(terms);
    await expectActionsMatchChain("signed, the bond unposted", id);
    await stepThenCheck("bond posted", id, () => escrow("seller").postSellerBond([id]));
    await stepThenCheck("fulfilment started", id, () => escrow("seller").startFulfilment([id]));
    await stepThenCheck("shipped", id, () => escrow("seller").markShipped([id, cid]));
    await stepThenCheck("received with title: delivered", id, () =>
      attest(terms, id, AttestationKind.ReceiptAndTitleTransfer, 1, 10n),
    );
    await stepThenCheck("confirmed by the buyer", id, () => escrow("buyer").confirmReceipt([id]));
  });

  it("a claim contested before the court, then settled; another unanswered, enforced by default", async () => {
    const terms = await trades.buildTerms({ claimWindow: 10 * DAY });
    const id = await trades.openTrade(terms);
    await trades.payAndShip(id);
    await stepThenCheck("delivered with title (the window opens)", id, () =>
      attest(terms, id, AttestationKind.ReceiptAndTitleTransfer, 1, 10n),
    );
    await stepThenCheck("a claim filed in Delivered", id, () => fileClaim(terms, id));
    await stepThenCheck("contested", id, () =>
      escrow("seller").contestClaim([id, cid], { value: hearingCost }),
    );
    await stepThenCheck("settled for 1,000", id, async () =>
      escrow("stranger").settleClaim([
        id,
        USD(1_000),
        await trades.consentToSettle(localAccount("buyer"), id, USD(1_000)),
        await trades.consentToSettle(localAccount("seller"), id, USD(1_000)),
      ]),
    );

    const unanswered = await trades.buildTerms({ claimWindow: 10 * DAY });
    const other = await trades.openTrade(unanswered);
    await trades.payAndShip(other);
    await send(() => attest(unanswered, other, AttestationKind.PortArrival, 0, 0n));
    await stepThenCheck("a claim filed in Shipped", other, () => fileClaim(unanswered, other));
    await travelTo((await ctx.latestTimestamp()) + 12n * BigInt(DAY));
    await expectActionsMatchChain("the response window over", other);
    await stepThenCheck("default judgment", other, () =>
      escrow("stranger").enforceDefaultJudgment([other]),
    );
  });

  it("missed deadlines: a deposit, a start, a balance; a proposal withdrawn", async () => {
    const unpaid = await trades.buildTerms();
    const a = await trades.openTrade(unpaid);
    await travelTo((await record(a)).stageAt + BigInt(unpaid.depositWindow) + 1n);
    await stepThenCheck("the seller cancels the unpaid deposit", a, () =>
      escrow("seller").cancelForMissedDeposit([a]),
    );

    const unstarted = await trades.buildTerms();
    const b = await trades.openTrade(unstarted);
    await stepThenCheck("deposit paid", b, () => escrow("buyer").payDeposit([b]));
    await travelTo((await ctx.latestTimestamp()) + 6n * BigInt(DAY));
    await stepThenCheck("the buyer cancels the missed start", b, () =>
      escrow("buyer").cancelForMissedStart([b]),
    );

    const late = await trades.buildTerms({
      latestDelivery: (await ctx.latestTimestamp()) + 20n * BigInt(DAY),
    });
    const c = await trades.openTrade(late);
    await send(() => escrow("buyer").payDeposit([c]));
    await stepThenCheck("started, the balance unpaid", c, () =>
      escrow("seller").startFulfilment([c]),
    );
    await travelTo(late.latestDelivery - BigInt(late.shipWindow) + 1n);
    await stepThenCheck("the balance paid late", c, () => escrow("buyer").payBalance([c]));

    const proposal = await trades.buildTerms();
    const d = await trades.proposedTradeId(await escrow("buyer").proposeTrade([proposal]));
    await expectActionsMatchChain("proposed by the buyer", d);
    await stepThenCheck("withdrawn", d, () => escrow("buyer").withdrawProposal([d]));
  });

  it("covered every action but the excluded, at many points", () => {
    const { checkpoints, simulations, accepted, digest } = probe.summary();
    console.info(
      `availableActions: ${checkpoints} checkpoints, ${simulations} simulated calls (${accepted} accepted), run digest ${digest}; excluded: ${Object.keys(excludedActions).join(", ")}`,
    );
    expect(checkpoints).toBeGreaterThan(30);
  });
});
