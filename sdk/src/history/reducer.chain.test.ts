// Length: one history of every kind of trade, compared with the chain after every transaction.
import { createTestClient, getContract, http, maxUint256, parseEther, zeroAddress } from "viem";
import type { Address, Hex } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttestationKind,
  ClaimGround,
  ClaimStatus,
  Milestone,
  PaymentMode,
  TradeState,
  arbitrationCourtAbi,
  warehouseReceiptAbi,
} from "../contracts/index.js";
import { signAttestation, signCreditScore, signInspectionReport } from "../eip712/index.js";
import { balanceDeadline, effectiveLatestDelivery } from "./index.js";
import type { Attestation, InspectionReport, Terms } from "../eip712/index.js";
import { localAccount } from "../../test/chain/accounts.js";
import type { Role } from "../../test/chain/accounts.js";
import { revertOf, useChain } from "../../test/chain/clients.js";
import { deployTestStack } from "../../test/chain/deploy.js";
import { NATIVE, createHistoryCheck } from "../../test/chain/history.js";
import type { HistoryCheck } from "../../test/chain/history.js";
import { startDevNode } from "../../test/chain/node.js";
import type { DevNode } from "../../test/chain/node.js";
import { DAY, USD, courtTerms, createTrades, documentCid } from "../../test/chain/trades.js";
import type { Trades } from "../../test/chain/trades.js";
import { mockStablecoinAbi } from "../../test/generated/mocks.js";

// Issue 6: trade state is derived from events by the sdk's one reducer, and the derived state must
// be the contract's. Long scenarios run on a development node (anvil), and after every transaction
// the escrow's events since its deployment are read (`readEscrowEvents`), reduced
// (`reduceEscrowEvents`) and compared with every view at the same block: `trade(id)` (all 16
// fields) and `claim(id)` for each trade, `withdrawable`, `operatorBond`, `pool`, `debt` and
// `buyerExposure` for every account and token involved.
//
// The scenarios move the node's clock by weeks, so this file starts a node of its own: the shared
// node of the global setup keeps its clock for the other files' signatures and deadlines.

type Chain = ReturnType<typeof useChain>;

let node: DevNode | undefined;
let ctx: Chain;
let trades: Trades;
let history: HistoryCheck;
let testClient: ReturnType<typeof createTestClient>;
let steps = 0;

beforeAll(async () => {
  node = await startDevNode();
  const chain = await deployTestStack(node.url);
  ctx = useChain(chain);
  trades = createTrades(ctx);
  testClient = createTestClient({
    chain: hardhat,
    mode: "hardhat",
    transport: http(chain.rpcUrl, { retryCount: 0 }),
  });
  const roles: Role[] = [
    "admin",
    "treasury",
    "buyer",
    "seller",
    "operator",
    "operator2",
    "agency",
    "relayer",
    "stranger",
  ];
  history = createHistoryCheck({
    chain,
    accounts: roles.map((role) => localAccount(role).address),
    operators: [localAccount("operator").address, localAccount("operator2").address],
    tokens: [chain.usd, NATIVE],
  });
}, 90_000);

afterAll(async () => {
  await node?.stop();
});

// ---------------------------------------------------------------------------------------------
// Steps: one transaction, then the comparison
// ---------------------------------------------------------------------------------------------

/** Sends one transaction, waits for it, and compares the reducer with the chain. */
async function step(name: string, send: () => Promise<Hex>): Promise<void> {
  await ctx.mined(send());
  await check(name);
}

async function check(name: string): Promise<void> {
  steps += 1;
  await history.expectReducerMatchesChain(name);
}

/** Moves the node's clock `seconds` forward and mines a block. */
async function travel(seconds: number | bigint): Promise<void> {
  await testClient.increaseTime({ seconds: Number(seconds) });
  await testClient.mine({ blocks: 1 });
}

/** Moves the node's clock just past `deadline`. */
async function travelPast(deadline: bigint): Promise<void> {
  const now = await ctx.latestTimestamp();
  if (deadline >= now) await travel(deadline - now + 1n);
}

const escrow = (role: Role) => ctx.escrowAs(role).write;
const view = (tradeId: bigint) => trades.tradeView(tradeId);
const stageDeadline = (tradeId: bigint) => ctx.escrowAs("stranger").read.stageDeadline([tradeId]);

const usd = (role: Role) =>
  getContract({ address: ctx.chain.usd, abi: mockStablecoinAbi, client: ctx.walletOf(role) }).write;

const court = (role: Role) =>
  getContract({
    address: ctx.chain.arbitrationCourt,
    abi: arbitrationCourtAbi,
    client: { public: ctx.publicClient, wallet: ctx.walletOf(role) },
  });

/** Opens `terms` with both parties' sdk signatures (relayed), then compares. */
async function open(name: string, terms: Terms): Promise<bigint> {
  const tradeId = await trades.openTrade(terms);
  await check(name);
  return tradeId;
}

/** Deposit, balance, shipment of a protected trade, one comparison after each. */
async function payAndShip(name: string, tradeId: bigint, terms: Terms): Promise<void> {
  await step(`${name}: pay the deposit`, () => escrow("buyer").payDeposit([tradeId]));
  if (terms.sellerBond !== 0n)
    await step(`${name}: post the seller's bond`, () => escrow("seller").postSellerBond([tradeId]));
  await step(`${name}: start fulfilment`, () => escrow("seller").startFulfilment([tradeId]));
  await step(`${name}: pay the balance`, () => escrow("buyer").payBalance([tradeId]));
  await step(`${name}: ship`, async () =>
    escrow("seller").markShipped([tradeId, await documentCid(`bl-${tradeId}`)]),
  );
}

/** An operator's attestation, time-stamped now. */
async function attestation(
  tradeId: bigint,
  kind: AttestationKind,
  fields: Partial<Attestation> = {},
): Promise<Attestation> {
  return {
    tradeId,
    kind,
    lot: 0,
    quantity: 0n,
    time: await ctx.latestTimestamp(),
    documentCid: await documentCid(`attestation-${tradeId}-${kind}-${fields.lot ?? 0}`),
    nonce: trades.nextNonce(),
    deadline: await trades.deadline(),
    ...fields,
  };
}

/** The operator of `terms` attests: signed with the sdk and relayed, or sent by itself. */
async function attest(
  name: string,
  terms: Terms,
  message: Attestation,
  by: "relayed" | "operator" = "operator",
): Promise<void> {
  const operatorRole: Role =
    terms.operator === localAccount("operator2").address ? "operator2" : "operator";
  if (by === "relayed") {
    const signature = await signAttestation(localAccount(operatorRole), {
      domain: ctx.domain,
      message,
    });
    await step(name, () => escrow("relayer").attest([message, signature]));
  } else {
    await step(name, () => escrow(operatorRole).attest([message, "0x"]));
  }
}

/** The agency's signed inspection report of a trade. */
async function inspection(
  tradeId: bigint,
  varianceBps: number,
  material = false,
): Promise<{ report: InspectionReport; signature: Hex }> {
  const report: InspectionReport = {
    tradeId,
    agency: localAccount("agency").address,
    varianceBps,
    material,
    reportCid: await documentCid(`inspection-${tradeId}`),
    nonce: trades.nextNonce(),
    deadline: await trades.deadline(),
  };
  const signature = await signInspectionReport(localAccount("agency"), {
    domain: ctx.domain,
    message: report,
  });
  return { report, signature };
}

async function fileClaim(
  name: string,
  tradeId: bigint,
  terms: Terms,
  ground: ClaimGround,
  refundBps: number,
  costs = 0n,
): Promise<void> {
  const material = ground === ClaimGround.MaterialDamage;
  const { report, signature } = await inspection(tradeId, material ? 0 : refundBps, material);
  const request = {
    ground,
    refundBps,
    costs,
    evidenceCid: await documentCid(`photos-${tradeId}`),
  };
  await step(name, () => escrow("buyer").fileClaim([tradeId, request, report, signature]));
}

/** What the court charges for a hearing under the tests' court terms. */
const hearingCost = () => court("stranger").read.arbitrationCost([courtTerms]);

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

describe("the history reducer against the chain, after every transaction", () => {
  // What every scenario needs: the operator's bond, a second operator, the court's arbitrators, and
  // test USD for the seller and the admin (each step compared like the scenarios' own).
  beforeAll(async () => {
    await check("deployment");
    await step("set the operator's bond requirement", () =>
      escrow("admin").setOperatorBondRequirement([
        localAccount("operator").address,
        parseEther("1"),
      ]),
    );
    await step("the operator posts its bond", () =>
      escrow("operator").postOperatorBond([parseEther("2")], { value: parseEther("2") }),
    );
    const operatorRole = await ctx.escrowAs("stranger").read.OPERATOR_ROLE();
    await step("accredit a second operator", () =>
      escrow("admin").grantRole([operatorRole, localAccount("operator2").address]),
    );
    for (const role of ["arbitrator1", "arbitrator2", "arbitrator3"] as const) {
      await step(`accredit ${role}`, () =>
        court("admin").write.accreditArbitrator([localAccount(role).address]),
      );
    }
    for (const role of ["seller", "admin"] as const) {
      await step(`mint USD to the ${role}`, () =>
        usd("admin").mint([localAccount(role).address, USD(1_000_000)]),
      );
      await step(`the ${role} approves the escrow`, () =>
        usd(role).approve([ctx.chain.tradeEscrow, maxUint256]),
      );
    }
  });

  it("(a) a protected trade: bond, two lots, port arrival, an accepted claim, release, withdrawals", async () => {
    const terms = await trades.buildTerms({
      quantity: 100n,
      lots: 2,
      claimWindow: 5 * DAY,
      sellerBond: USD(5_000),
    });
    const id = await open("a: open", terms);
    await payAndShip("a", id, terms);
    await step("a: departed", async () =>
      escrow("seller").recordMilestone([id, Milestone.Departed, await documentCid("dep")]),
    );
    await attest(
      "a: receipt of lot 1",
      terms,
      await attestation(id, AttestationKind.Receipt, { lot: 1, quantity: 50n }),
      "relayed",
    );
    expect((await view(id)).state).toBe(TradeState.Received);
    await attest(
      "a: title to lot 1",
      terms,
      await attestation(id, AttestationKind.TitleTransfer, { lot: 1 }),
    );
    await attest(
      "a: port arrival",
      terms,
      await attestation(id, AttestationKind.PortArrival),
      "relayed",
    );
    await attest(
      "a: receipt and title of lot 2",
      terms,
      await attestation(id, AttestationKind.ReceiptAndTitleTransfer, { lot: 2, quantity: 48n }),
    );
    expect((await view(id)).state).toBe(TradeState.Delivered);
    await fileClaim("a: file a 10% claim", id, terms, ClaimGround.SpecificationVariance, 1_000);
    await step("a: the seller's evidence", async () =>
      escrow("seller").submitEvidence([id, await documentCid("counter")]),
    );
    await step("a: accept the claim", () => escrow("seller").acceptClaim([id]));
    expect((await view(id)).refunded).toBe(USD(10_000));
    await travelPast(await stageDeadline(id));
    await step("a: release after the claim window", () => escrow("stranger").release([id]));
    expect((await view(id)).state).toBe(TradeState.Completed);
    for (const role of ["buyer", "seller", "treasury"] as const) {
      await step(`a: the ${role} withdraws`, () => escrow(role).withdraw([ctx.chain.usd]));
    }
    await step("a: the operator takes back some bond", () =>
      escrow("operator").withdrawOperatorBond([parseEther("0.5")]),
    );
  });

  it("(b) a short delivery halts; two amendments, the second fitting, pass title and lower the price", async () => {
    const terms = await trades.buildTerms({ quantity: 100n, lots: 1 });
    const id = await trades.proposedTradeId(await escrow("seller").proposeTrade([terms]));
    await check("b: the seller proposes");
    await step("b: the buyer accepts", () => escrow("buyer").acceptTrade([id, terms]));
    await payAndShip("b", id, terms);
    await step("b: customs cleared", async () =>
      escrow("operator").recordMilestone([
        id,
        Milestone.CustomsCleared,
        await documentCid("customs"),
      ]),
    );
    await attest(
      "b: a short lot with title attested",
      terms,
      await attestation(id, AttestationKind.ReceiptAndTitleTransfer, { lot: 1, quantity: 80n }),
      "relayed",
    );
    expect(await view(id)).toMatchObject({ state: TradeState.Halted, pendingTitle: true });
    const first: Terms = { ...terms, quantity: 90n };
    await step("b: amendment 1 (80 of 90 is still out)", () => trades.amend(id, terms, first));
    expect((await view(id)).state).toBe(TradeState.Halted);
    const second: Terms = { ...first, quantity: 80n, price: USD(80_000) };
    await step("b: amendment 2 (80 of 80, price lowered)", () => trades.amend(id, first, second));
    expect(await view(id)).toMatchObject({ state: TradeState.Completed, version: 2 });
    await step("b: the buyer withdraws its refund", () =>
      escrow("buyer").withdraw([ctx.chain.usd]),
    );
  });

  it("(c) native coin: a missed start forfeits the bond; a proposal withdrawn; missed deposit and balance", async () => {
    const native = {
      token: zeroAddress,
      price: parseEther("2"),
      sellerBond: parseEther("0.5"),
    };
    const terms = await trades.buildTerms(native);
    const id = await open("c: open in the native coin", terms);
    const deposit = (terms.price * BigInt(terms.depositBps)) / 10_000n;
    await step("c: pay the deposit", () => escrow("buyer").payDeposit([id], { value: deposit }));
    await step("c: post the bond", () =>
      escrow("seller").postSellerBond([id], { value: terms.sellerBond }),
    );
    await travelPast(await stageDeadline(id));
    await step("c: cancel for the missed start", () => escrow("buyer").cancelForMissedStart([id]));
    expect((await view(id)).state).toBe(TradeState.Cancelled);
    await step("c: the buyer withdraws refund and bond", () => escrow("buyer").withdraw([NATIVE]));

    const proposal = await trades.buildTerms({ ...native, price: parseEther("3") });
    const proposed = await trades.proposedTradeId(await escrow("buyer").proposeTrade([proposal]));
    await check("c: the buyer proposes");
    await step("c: the buyer withdraws its proposal", () =>
      escrow("buyer").withdrawProposal([proposed]),
    );

    const unpaid = await trades.buildTerms(native);
    const unpaidId = await open("c: open, never paid", unpaid);
    await travelPast(await stageDeadline(unpaidId));
    await step("c: cancel for the missed deposit", () =>
      escrow("seller").cancelForMissedDeposit([unpaidId]),
    );

    const lateTerms = await trades.buildTerms({
      ...native,
      latestDelivery: (await ctx.latestTimestamp()) + BigInt(20 * DAY),
    });
    const lateId = await open("c: open, balance never paid", lateTerms);
    await step("c: pay the deposit (2)", () =>
      escrow("buyer").payDeposit([lateId], {
        value: (lateTerms.price * BigInt(lateTerms.depositBps)) / 10_000n,
      }),
    );
    await step("c: post the bond (2)", () =>
      escrow("seller").postSellerBond([lateId], { value: lateTerms.sellerBond }),
    );
    await step("c: start fulfilment (2)", () => escrow("seller").startFulfilment([lateId]));
    // The balance is due shipWindow before the latest delivery; the seller may cancel once it passed.
    expect(await stageDeadline(lateId)).toBe(balanceDeadline(lateTerms));
    expect(balanceDeadline(lateTerms)).toBe(
      lateTerms.latestDelivery - BigInt(lateTerms.shipWindow),
    );
    await travelPast(balanceDeadline(lateTerms));
    await step("c: the seller cancels, the balance missed", () =>
      escrow("seller").cancelUnshipped([lateId]),
    );
    await step("c: the seller withdraws its bond", () => escrow("seller").withdraw([NATIVE]));
  });

  it("(d1) a false attestation heard by the court: draw, commit, reveal, close, finalize, execute, slash", async () => {
    const terms = await trades.buildTerms({ claimWindow: 5 * DAY, sellerBond: USD(2_000) });
    const id = await open("d1: open", terms);
    await payAndShip("d1", id, terms);
    await attest(
      "d1: receipt and title",
      terms,
      await attestation(id, AttestationKind.ReceiptAndTitleTransfer, { lot: 1, quantity: 10n }),
    );
    await fileClaim(
      "d1: claim a false attestation",
      id,
      terms,
      ClaimGround.FalseAttestation,
      2_000,
    );
    const cost = await hearingCost();
    await step("d1: the seller contests", async () =>
      escrow("seller").contestClaim([id, await documentCid("counter-d1")], { value: cost }),
    );
    const { disputeId } = await ctx.escrowAs("stranger").read.claim([id]);
    await testClient.mine({ blocks: 1 });
    await step("d1: draw the panel", () => court("stranger").write.drawPanel([disputeId]));
    const panel = await court("stranger").read.panel([disputeId]);
    const roleOf = (address: Address): Role => {
      const role = (["arbitrator1", "arbitrator2", "arbitrator3"] as const).find(
        (r) => localAccount(r).address === address,
      );
      if (role === undefined) throw new Error(`${address} is no test arbitrator.`);
      return role;
    };
    // Two votes for the 20% refund (choice 2,001), one to reject (choice 1): the median refunds 20%.
    const votes = panel.map((member, i) => ({
      member,
      choice: i === 0 ? 1n : 2_001n,
      salt: `0x${(i + 1).toString(16).padStart(64, "0")}` as Hex,
    }));
    for (const vote of votes) {
      const commitment = await court("stranger").read.commitmentOf([
        disputeId,
        0,
        0,
        vote.member,
        vote.choice,
        vote.salt,
      ]);
      await step(`d1: ${roleOf(vote.member)} commits`, () =>
        court(roleOf(vote.member)).write.commitVote([disputeId, commitment]),
      );
    }
    await travel(2 * DAY + 1);
    for (const vote of votes) {
      await step(`d1: ${roleOf(vote.member)} reveals`, () =>
        court(roleOf(vote.member)).write.revealVote([disputeId, vote.choice, vote.salt]),
      );
    }
    await step("d1: close the round", () => court("stranger").write.closeRound([disputeId]));
    await travel(3 * DAY + 1);
    await step("d1: finalize (the ruling reaches the escrow)", () =>
      court("stranger").write.finalize([disputeId]),
    );
    expect(await ctx.escrowAs("stranger").read.claim([id])).toMatchObject({
      status: ClaimStatus.Ruled,
      ruling: 2_001n,
    });
    await step("d1: execute the ruling (the operator is slashed)", () =>
      escrow("stranger").executeRuling([id]),
    );
    expect((await view(id)).state).toBe(TradeState.Completed);
    // Slashed in proportion: the ruling's 20% of the 1.5 posted; the rest stays.
    expect((await ctx.escrowAs("stranger").read.operatorBond([terms.operator]))[0]).toBe(
      parseEther("1.2"),
    );
    await step("d1: the operator posts a new bond", () =>
      escrow("operator").postOperatorBond([parseEther("2")], { value: parseEther("2") }),
    );
    await step("d1: the buyer withdraws the slashed bond", () =>
      escrow("buyer").withdraw([NATIVE]),
    );
  });

  it("(d2) a claim filed after port arrival, before title, contested, then settled by the parties", async () => {
    const settled = await trades.buildTerms({ claimWindow: 10 * DAY, quantity: 100n });
    const settledId = await open("d2: open", settled);
    await payAndShip("d2", settledId, settled);
    await attest(
      "d2: port arrival",
      settled,
      await attestation(settledId, AttestationKind.PortArrival),
    );
    await fileClaim("d2: claim 15%", settledId, settled, ClaimGround.OdometerDiscrepancy, 1_500);
    await step("d2: the seller contests", async () =>
      escrow("seller").contestClaim([settledId, await documentCid("counter-d2")], {
        value: await hearingCost(),
      }),
    );
    const refund = USD(10_000);
    await step("d2: settle for 10,000 while the court hears it", async () =>
      escrow("relayer").settleClaim([
        settledId,
        refund,
        await trades.consentToSettle(localAccount("buyer"), settledId, refund),
        await trades.consentToSettle(localAccount("seller"), settledId, refund),
      ]),
    );
    await attest(
      "d2: receipt and title after the settlement",
      settled,
      await attestation(settledId, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 1,
        quantity: 100n,
      }),
      "relayed",
    );
    expect((await view(settledId)).state).toBe(TradeState.Delivered);
    await travelPast(await stageDeadline(settledId));
    await step("d2: release", () => escrow("stranger").release([settledId]));
  });

  it("(d3) material damage on a halted trade, unanswered: a default judgment refunds everything", async () => {
    const damaged = await trades.buildTerms({
      claimWindow: 7 * DAY,
      quantity: 100n,
      lots: 2,
      sellerBond: USD(3_000),
    });
    const damagedId = await open("d3: open", damaged);
    await payAndShip("d3", damagedId, damaged);
    await attest(
      "d3: port arrival",
      damaged,
      await attestation(damagedId, AttestationKind.PortArrival),
    );
    await attest(
      "d3: an oversized lot halts",
      damaged,
      await attestation(damagedId, AttestationKind.Receipt, { lot: 1, quantity: 120n }),
    );
    expect(await view(damagedId)).toMatchObject({ state: TradeState.Halted, pendingLot: true });
    await fileClaim(
      "d3: claim material damage",
      damagedId,
      damaged,
      ClaimGround.MaterialDamage,
      0,
      USD(1_000),
    );
    await travel(11 * DAY + 1);
    await step("d3: default judgment", () =>
      escrow("stranger").enforceDefaultJudgment([damagedId]),
    );
    expect(await view(damagedId)).toMatchObject({ state: TradeState.Refunded, pendingLot: false });
    await step("d3: the buyer withdraws", () => escrow("buyer").withdraw([ctx.chain.usd]));
  });

  it("(e) direct payment: a voluntary refund, receipt confirmed by the buyer and automatically", async () => {
    const direct = {
      mode: PaymentMode.Direct,
      depositBps: 10_000,
      claimWindow: 0,
      sellerBond: 0n,
      collectAfter: 3 * DAY,
    };
    const terms = await trades.buildTerms({ ...direct, operator: zeroAddress });
    const id = await open("e1: open without an operator", terms);
    await step("e1: pay directly", () => escrow("buyer").payDirect([id]));
    await step("e1: ship", async () =>
      escrow("seller").markShipped([id, await documentCid("bl-e1")]),
    );
    await step("e1: refund 5,000 voluntarily", () =>
      escrow("seller").refundVoluntarily([id, USD(5_000)]),
    );
    await step("e1: the buyer confirms receipt", () => escrow("buyer").confirmReceipt([id]));
    expect((await view(id)).state).toBe(TradeState.Completed);

    const auto = await trades.buildTerms({ ...direct, collectAfter: DAY });
    const autoId = await open("e2: open with an operator", auto);
    await step("e2: pay directly", () => escrow("buyer").payDirect([autoId]));
    await step("e2: ship", async () =>
      escrow("seller").markShipped([autoId, await documentCid("bl-e2")]),
    );
    await travelPast(await stageDeadline(autoId));
    await step("e2: anyone confirms after collectAfter", () =>
      escrow("stranger").confirmReceipt([autoId]),
    );
    for (const role of ["buyer", "seller", "treasury"] as const) {
      await step(`e: the ${role} withdraws`, () => escrow(role).withdraw([ctx.chain.usd]));
    }
  });

  it("(f) pay after use: score, pool, a failed collection and its debt, repayment, pool withdrawal", async () => {
    const now = await ctx.latestTimestamp();
    const score = {
      buyer: localAccount("buyer").address,
      score: 700,
      issuedAt: now,
      expiresAt: now + 90n * BigInt(DAY),
      nonce: trades.nextNonce(),
    };
    const signature = await signCreditScore(localAccount("oracle"), {
      domain: ctx.domain,
      message: score,
    });
    await step("f: record the buyer's credit score", () =>
      escrow("relayer").recordCreditScore([score, signature]),
    );
    await step("f: fund the pool", () => escrow("admin").fundPool([ctx.chain.usd, USD(500_000)]));
    await step("f: cap each buyer's exposure", () =>
      escrow("admin").setBuyerExposureCap([ctx.chain.usd, USD(60_000)]),
    );
    const payAfterUse = {
      mode: PaymentMode.PayAfterUse,
      depositBps: 0,
      claimWindow: 0,
      collectAfter: 2 * DAY,
      price: USD(50_000),
    };
    const terms = await trades.buildTerms(payAfterUse);
    const id = await open("f1: open (the pool commits the price)", terms);
    const lowered: Terms = { ...terms, price: USD(40_000) };
    await step("f1: amend the price down", () => trades.amend(id, terms, lowered));
    await step("f1: start fulfilment", () => escrow("seller").startFulfilment([id]));
    await step("f1: ship", async () =>
      escrow("seller").markShipped([id, await documentCid("bl-f1")]),
    );
    await attest(
      "f1: receipt and title",
      lowered,
      await attestation(id, AttestationKind.ReceiptAndTitleTransfer, { lot: 1, quantity: 10n }),
    );
    expect((await view(id)).state).toBe(TradeState.Delivered);
    await step("f1: the buyer revokes its allowance", () =>
      usd("buyer").approve([ctx.chain.tradeEscrow, 0n]),
    );
    await travelPast(await stageDeadline(id));
    await step("f1: confirmed automatically, the collection fails", () =>
      escrow("stranger").confirmReceipt([id]),
    );
    expect(
      await ctx.escrowAs("stranger").read.debt([localAccount("buyer").address, ctx.chain.usd]),
    ).toBe(USD(40_000));
    await step("f1: the buyer approves again", () =>
      usd("buyer").approve([ctx.chain.tradeEscrow, maxUint256]),
    );
    await step("f1: repay 15,000", () => escrow("buyer").repayDebt([ctx.chain.usd, USD(15_000)]));
    await step("f1: repay the rest", () => escrow("buyer").repayDebt([ctx.chain.usd, USD(25_000)]));

    const collected = await trades.buildTerms(payAfterUse);
    const collectedId = await open("f2: open", collected);
    await step("f2: start fulfilment", () => escrow("seller").startFulfilment([collectedId]));
    await step("f2: ship", async () =>
      escrow("seller").markShipped([collectedId, await documentCid("bl-f2")]),
    );
    await attest(
      "f2: receipt and title",
      collected,
      await attestation(collectedId, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 1,
        quantity: 10n,
      }),
      "relayed",
    );
    await step("f2: the buyer confirms, the price is collected", () =>
      escrow("buyer").confirmReceipt([collectedId]),
    );
    await step("f: the admin withdraws from the pool", () =>
      escrow("admin").withdrawPool([ctx.chain.usd, USD(100_000), localAccount("admin").address]),
    );
    await step("f: the seller withdraws", () => escrow("seller").withdraw([ctx.chain.usd]));
  });

  it("(g) amendments change the operator, lower the bond, and raise the price of a received lot", async () => {
    const terms = await trades.buildTerms({ sellerBond: USD(10_000) });
    const id = await open("g: open", terms);
    await step("g: pay the deposit", () => escrow("buyer").payDeposit([id]));
    await step("g: post the bond", () => escrow("seller").postSellerBond([id]));
    const moved: Terms = { ...terms, operator: localAccount("operator2").address };
    await step("g: amendment 1 (another operator)", () => trades.amend(id, terms, moved));
    const lighter: Terms = { ...moved, sellerBond: USD(4_000) };
    await step("g: amendment 2 (a lower bond)", () => trades.amend(id, moved, lighter));
    expect((await view(id)).sellerBond).toBe(USD(4_000));
    await step("g: start fulfilment", () => escrow("seller").startFulfilment([id]));
    await step("g: pay the balance", () => escrow("buyer").payBalance([id]));
    await step("g: ship", async () =>
      escrow("seller").markShipped([id, await documentCid("bl-g")]),
    );
    await attest(
      "g: receipt by the new operator",
      lighter,
      await attestation(id, AttestationKind.Receipt, { lot: 1, quantity: 10n }),
      "relayed",
    );
    const dearer: Terms = { ...lighter, price: USD(110_000) };
    await step("g: amendment 3 (a higher price)", () => trades.amend(id, lighter, dearer));
    await step("g: pay the raised balance", () => escrow("buyer").payBalance([id]));
    await attest(
      "g: title transfer",
      dearer,
      await attestation(id, AttestationKind.TitleTransfer, { lot: 1 }),
    );
    expect((await view(id)).state).toBe(TradeState.Completed);
    for (const role of ["seller", "treasury"] as const) {
      await step(`g: the ${role} withdraws`, () => escrow(role).withdraw([ctx.chain.usd]));
    }
  });

  it("(h) lots paid as their title passes; amendments refund, halt, resume and block title", async () => {
    await step("h: move the treasury", () =>
      escrow("admin").setTreasury([localAccount("stranger").address]),
    );
    // Three lots with no claim window: each title releases its lot's share of the price.
    const terms = await trades.buildTerms({
      quantity: 90n,
      lots: 3,
      toleranceBps: 0,
      price: USD(90_000),
    });
    const id = await open("h1: open three lots", terms);
    await payAndShip("h1", id, terms);
    await attest(
      "h1: receipt of lot 1",
      terms,
      await attestation(id, AttestationKind.Receipt, { lot: 1, quantity: 30n }),
    );
    await attest(
      "h1: title to lot 1 (its share released)",
      terms,
      await attestation(id, AttestationKind.TitleTransfer, { lot: 1 }),
      "relayed",
    );
    await attest(
      "h1: receipt and title of lot 2",
      terms,
      await attestation(id, AttestationKind.ReceiptAndTitleTransfer, { lot: 2, quantity: 30n }),
    );
    expect((await view(id)).released).toBe(USD(60_000));
    const cheaper: Terms = { ...terms, price: USD(84_000) };
    await step("h1: amend the price below what was paid", () => trades.amend(id, terms, cheaper));
    await attest(
      "h1: an oversized lot 3 halts",
      cheaper,
      await attestation(id, AttestationKind.Receipt, { lot: 3, quantity: 40n }),
    );
    const bigger: Terms = { ...cheaper, quantity: 100n };
    await step("h1: amend the quantity (the lot is received)", () =>
      trades.amend(id, cheaper, bigger),
    );
    expect(await view(id)).toMatchObject({ state: TradeState.Received, pendingTitle: false });
    await attest(
      "h1: title to lot 3",
      bigger,
      await attestation(id, AttestationKind.TitleTransfer, { lot: 3 }),
    );
    expect((await view(id)).state).toBe(TradeState.Completed);

    // A combined attestation that halted; an amendment that fits but raises the price blocks title.
    const single = await trades.buildTerms({ toleranceBps: 0, price: USD(50_000) });
    const singleId = await open("h2: open", single);
    await payAndShip("h2", singleId, single);
    await attest(
      "h2: an oversized lot with title attested halts",
      single,
      await attestation(singleId, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 1,
        quantity: 12n,
      }),
    );
    const fits: Terms = { ...single, quantity: 12n, price: USD(60_000) };
    await step("h2: amend to fit at a higher price (title waits)", () =>
      trades.amend(singleId, single, fits),
    );
    expect(await view(singleId)).toMatchObject({
      state: TradeState.Received,
      pendingTitle: false,
    });
    const tooMany: Terms = { ...fits, quantity: 20n };
    await step("h2: amend so the received lot falls short", () =>
      trades.amend(singleId, fits, tooMany),
    );
    expect((await view(singleId)).state).toBe(TradeState.Halted);
    await step("h2: amend back", () => trades.amend(singleId, tooMany, fits));
    await step("h2: pay the raised balance", () => escrow("buyer").payBalance([singleId]));
    await attest(
      "h2: port arrival while received",
      fits,
      await attestation(singleId, AttestationKind.PortArrival),
    );
    await attest(
      "h2: title transfer",
      fits,
      await attestation(singleId, AttestationKind.TitleTransfer, { lot: 1 }),
    );
    expect((await view(singleId)).state).toBe(TradeState.Completed);

    // A delivered trade amended to a lower price, then released.
    const delivered = await trades.buildTerms({ claimWindow: 3 * DAY });
    const deliveredId = await open("h3: open", delivered);
    await payAndShip("h3", deliveredId, delivered);
    await attest(
      "h3: receipt and title",
      delivered,
      await attestation(deliveredId, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 1,
        quantity: 10n,
      }),
    );
    const discounted: Terms = { ...delivered, price: USD(90_000) };
    await step("h3: amend the delivered trade's price down", () =>
      trades.amend(deliveredId, delivered, discounted),
    );
    await travelPast(await stageDeadline(deliveredId));
    await step("h3: release", () => escrow("stranger").release([deliveredId]));
    await step("h: restore the treasury", () =>
      escrow("admin").setTreasury([localAccount("treasury").address]),
    );
  });

  it("(i) endings: title after the window, a full refund before title, cancellations", async () => {
    // The claim window ends before the last title passes: the money is released with it.
    const late = await trades.buildTerms({ claimWindow: DAY });
    const lateId = await open("i1: open", late);
    await payAndShip("i1", lateId, late);
    await attest("i1: port arrival", late, await attestation(lateId, AttestationKind.PortArrival));
    await travel(DAY + 1);
    await attest(
      "i1: receipt and title after the window",
      late,
      await attestation(lateId, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 1,
        quantity: 10n,
      }),
      "relayed",
    );
    expect((await view(lateId)).state).toBe(TradeState.Completed);

    // Material damage accepted while the lot waits for title: everything back, costs capped by the bond.
    const damaged = await trades.buildTerms({ claimWindow: 5 * DAY, sellerBond: USD(1_000) });
    const damagedId = await open("i2: open", damaged);
    await payAndShip("i2", damagedId, damaged);
    await attest(
      "i2: port arrival",
      damaged,
      await attestation(damagedId, AttestationKind.PortArrival),
    );
    await attest(
      "i2: receipt",
      damaged,
      await attestation(damagedId, AttestationKind.Receipt, { lot: 1, quantity: 10n }),
    );
    await fileClaim(
      "i2: claim material damage and costs above the bond",
      damagedId,
      damaged,
      ClaimGround.MaterialDamage,
      0,
      USD(2_000),
    );
    await step("i2: accept the claim", () => escrow("seller").acceptClaim([damagedId]));
    expect(await view(damagedId)).toMatchObject({ state: TradeState.Refunded, pendingLot: false });

    // Pay after use, fulfilment never started: the pool's guarantee is released.
    const unstarted = await trades.buildTerms({
      mode: PaymentMode.PayAfterUse,
      depositBps: 0,
      collectAfter: DAY,
      price: USD(20_000),
    });
    const unstartedId = await open("i3: open pay after use", unstarted);
    await travelPast(await stageDeadline(unstartedId));
    await step("i3: cancel for the missed start", () =>
      escrow("buyer").cancelForMissedStart([unstartedId]),
    );

    // Fully paid, never shipped: the buyer cancels and takes the seller's bond.
    const unshipped = await trades.buildTerms({
      sellerBond: USD(2_500),
      latestDelivery: (await ctx.latestTimestamp()) + BigInt(10 * DAY),
    });
    const unshippedId = await open("i4: open", unshipped);
    await step("i4: pay the deposit", () => escrow("buyer").payDeposit([unshippedId]));
    await step("i4: post the bond", () => escrow("seller").postSellerBond([unshippedId]));
    await step("i4: start fulfilment", () => escrow("seller").startFulfilment([unshippedId]));
    // Due 14 days before a latest delivery 10 days away: late already, so delivery moves with it.
    await step("i4: pay the balance late", () => escrow("buyer").payBalance([unshippedId]));
    const paidAt = await ctx.latestTimestamp();
    const latest = effectiveLatestDelivery(
      (await history.reduceAt(await ctx.publicClient.getBlockNumber())).state.trades.get(
        unshippedId,
      )!,
    );
    expect(latest).toBe(paidAt + BigInt(unshipped.shipWindow));
    expect(await stageDeadline(unshippedId)).toBe(latest);
    await travelPast(unshipped.latestDelivery);
    expect(await revertOf(ctx.simulateAs("buyer").cancelUnshipped([unshippedId]))).toEqual({
      errorName: "EscrowDeadlineNotReached",
      args: [unshippedId, latest],
    });
    await travelPast(latest);
    await step("i4: the buyer cancels, nothing shipped", () =>
      escrow("buyer").cancelUnshipped([unshippedId]),
    );

    // The seller proposes and withdraws; admin steps the reducer passes over.
    const proposal = await trades.buildTerms();
    const proposedId = await trades.proposedTradeId(
      await escrow("seller").proposeTrade([proposal]),
    );
    await check("i5: the seller proposes");
    await step("i5: the seller withdraws its proposal", () =>
      escrow("seller").withdrawProposal([proposedId]),
    );
    await step("i: pause", () => escrow("admin").pause());
    await step("i: unpause", () => escrow("admin").unpause());
    await step("i: a nonce invalidated", () => escrow("buyer").invalidateNonce([999_999n]));
    await step("i: the credit threshold set", () => escrow("admin").setCreditThreshold([600]));
    for (const role of ["buyer", "seller", "treasury", "stranger"] as const) {
      await step(`i: the ${role} withdraws`, () => escrow(role).withdraw([ctx.chain.usd]));
    }
  });

  it("(j) undelivered trades end: a late balance moves delivery; lost goods, no title, a held lot, a raised price unpaid, pay after use", async () => {
    const buyer = localAccount("buyer").address;
    const seller = localAccount("seller").address;
    const receiptOwner = (receiptId: bigint) =>
      ctx.publicClient.readContract({
        address: ctx.chain.warehouseReceipt,
        abi: warehouseReceiptAbi,
        functionName: "ownerOf",
        args: [receiptId],
      });

    // j1: the balance comes after its due time; the seller ships after the terms' latest delivery,
    // within the moved one; nothing arrives, and after the grace period the buyer cancels.
    const lost = await trades.buildTerms({
      sellerBond: USD(1_000),
      latestDelivery: (await ctx.latestTimestamp()) + BigInt(20 * DAY),
    });
    const lostId = await open("j1: open", lost);
    await step("j1: pay the deposit", () => escrow("buyer").payDeposit([lostId]));
    await step("j1: post the bond", () => escrow("seller").postSellerBond([lostId]));
    await step("j1: start fulfilment", () => escrow("seller").startFulfilment([lostId]));
    // A day late, so the moved latest delivery is a day after the terms' own: the shipment between
    // them has a day to spare whatever seconds the node's clock gains between the steps.
    await travelPast(balanceDeadline(lost) + BigInt(DAY));
    await step("j1: pay the balance late", () => escrow("buyer").payBalance([lostId]));
    const paidAt = await ctx.latestTimestamp();
    const moved = paidAt + BigInt(lost.shipWindow);
    expect(moved).toBeGreaterThan(lost.latestDelivery);
    expect(await stageDeadline(lostId)).toBe(moved);
    const { state: reduced } = await history.reduceAt(await ctx.publicClient.getBlockNumber());
    expect(reduced.trades.get(lostId)!.lateBalancePaidAt).toBe(paidAt);
    expect(effectiveLatestDelivery(reduced.trades.get(lostId)!)).toBe(moved);
    await travelPast(lost.latestDelivery);
    await step("j1: ship after the terms' latest delivery, within the moved one", async () =>
      escrow("seller").markShipped([lostId, await documentCid("bl-j1")]),
    );
    const graceEnd = moved + BigInt(lost.deliveryGrace);
    const credit = (account: Address) =>
      ctx.escrowAs("stranger").read.withdrawable([account, ctx.chain.usd]);
    const buyerCredit = await credit(buyer);
    expect(await stageDeadline(lostId)).toBe(graceEnd);
    expect(await revertOf(ctx.simulateAs("buyer").cancelUndelivered([lostId]))).toEqual({
      errorName: "EscrowDeadlineNotReached",
      args: [lostId, graceEnd],
    });
    await travelPast(graceEnd);
    // Either party may close it (the seller too, the buyer still getting the whole remedy); no one else.
    expect(await revertOf(ctx.simulateAs("stranger").cancelUndelivered([lostId]))).toEqual({
      errorName: "EscrowUnauthorized",
      args: [lostId, localAccount("stranger").address],
    });
    await step("j1: the buyer cancels, nothing delivered", () =>
      escrow("buyer").cancelUndelivered([lostId]),
    );
    expect(await view(lostId)).toMatchObject({
      state: TradeState.Cancelled,
      escrowed: 0n,
      sellerBond: 0n,
    });
    // The price and the seller's bond, to the buyer.
    expect(await credit(buyer)).toBe(buyerCredit + lost.price + lost.sellerBond);
    const stranger = localAccount("stranger").address;
    const before = await ctx.publicClient.readContract({
      address: ctx.chain.usd,
      abi: mockStablecoinAbi,
      functionName: "balanceOf",
      args: [stranger],
    });
    await step("j1: the buyer withdraws to another address", () =>
      escrow("buyer").withdrawTo([ctx.chain.usd, stranger]),
    );
    expect(
      await ctx.publicClient.readContract({
        address: ctx.chain.usd,
        abi: mockStablecoinAbi,
        functionName: "balanceOf",
        args: [stranger],
      }),
    ).toBe(before + buyerCredit + lost.price + lost.sellerBond);

    // j2: received in the terms, title never attested: the buyer is refunded, the bond returned,
    // and the lot's warehouse receipt goes back to the seller.
    const untitled = await trades.buildTerms({ sellerBond: USD(1_000) });
    const untitledId = await open("j2: open", untitled);
    await payAndShip("j2", untitledId, untitled);
    await attest(
      "j2: receipt of the lot",
      untitled,
      await attestation(untitledId, AttestationKind.Receipt, { lot: 1, quantity: 10n }),
    );
    const receiptId = (untitledId << 16n) | 1n;
    expect(await receiptOwner(receiptId)).toBe(ctx.chain.tradeEscrow);
    expect(await stageDeadline(untitledId)).toBe(
      untitled.latestDelivery + BigInt(untitled.deliveryGrace),
    );
    await travelPast(await stageDeadline(untitledId));
    const sellerCredit = await credit(seller);
    await step("j2: the buyer cancels, title never attested", () =>
      escrow("buyer").cancelUndelivered([untitledId]),
    );
    expect(await view(untitledId)).toMatchObject({
      state: TradeState.Cancelled,
      pendingLot: false,
      pendingQuantity: 0n,
      pendingTime: 0n,
    });
    expect(await receiptOwner(receiptId)).toBe(seller);
    expect(await credit(seller)).toBe(sellerCredit + untitled.sellerBond);

    // j3: a short lot halted the trade and no amendment came: the lot goes back, the bond to the buyer.
    const short = await trades.buildTerms({ toleranceBps: 0, sellerBond: USD(500) });
    const shortId = await open("j3: open", short);
    await payAndShip("j3", shortId, short);
    await attest(
      "j3: a short lot halts",
      short,
      await attestation(shortId, AttestationKind.Receipt, { lot: 1, quantity: 8n }),
    );
    expect(await view(shortId)).toMatchObject({ state: TradeState.Halted, pendingLot: true });
    await travelPast(await stageDeadline(shortId));
    await step("j3: the buyer cancels the halted trade", () =>
      escrow("buyer").cancelUndelivered([shortId]),
    );
    expect(await receiptOwner((shortId << 16n) | 1n)).toBe(seller);

    // j4: the price raised after dispatch and never paid: the seller cancels, the buyer in default.
    const raised = await trades.buildTerms();
    const raisedId = await open("j4: open", raised);
    await payAndShip("j4", raisedId, raised);
    const dearer: Terms = { ...raised, price: USD(120_000) };
    await step("j4: amend the price up after dispatch", () =>
      trades.amend(raisedId, raised, dearer),
    );
    await travelPast(await stageDeadline(raisedId));
    expect(await revertOf(ctx.simulateAs("buyer").cancelUndelivered([raisedId]))).toEqual({
      errorName: "EscrowUnauthorized",
      args: [raisedId, buyer],
    });
    await step("j4: the seller cancels, the raised balance unpaid", () =>
      escrow("seller").cancelUndelivered([raisedId]),
    );

    // j5: pay after use: the exposure cap refuses a trade above it; one within it ships, never
    // arrives, and its cancellation frees the pool's cover and the buyer's exposure.
    const now = await ctx.latestTimestamp();
    const score = {
      buyer,
      score: 700,
      issuedAt: now,
      expiresAt: now + 200n * BigInt(DAY),
      nonce: trades.nextNonce(),
    };
    const signature = await signCreditScore(localAccount("oracle"), {
      domain: ctx.domain,
      message: score,
    });
    await step("j5: record a fresh credit score", () =>
      escrow("relayer").recordCreditScore([score, signature]),
    );
    const payAfterUse = {
      mode: PaymentMode.PayAfterUse,
      depositBps: 0,
      claimWindow: 0,
      collectAfter: DAY,
    };
    const tooMuch = await trades.buildTerms({ ...payAfterUse, price: USD(70_000) });
    expect(
      await revertOf(
        ctx
          .simulateAs("relayer")
          .openTrade([
            tooMuch,
            await trades.consentToOpen(localAccount("buyer"), tooMuch),
            await trades.consentToOpen(localAccount("seller"), tooMuch),
          ]),
      ),
    ).toEqual({
      errorName: "EscrowExposureAboveCap",
      args: [buyer, ctx.chain.usd, USD(70_000), USD(60_000)],
    });
    const pau = await trades.buildTerms({ ...payAfterUse, price: USD(30_000) });
    const pauId = await open("j5: open pay after use", pau);
    expect(await ctx.escrowAs("stranger").read.buyerExposure([buyer, ctx.chain.usd])).toEqual([
      USD(30_000),
      USD(60_000),
    ]);
    await step("j5: start fulfilment", () => escrow("seller").startFulfilment([pauId]));
    await step("j5: ship", async () =>
      escrow("seller").markShipped([pauId, await documentCid("bl-j5")]),
    );
    await travelPast(await stageDeadline(pauId));
    await step("j5: the buyer cancels, nothing delivered", () =>
      escrow("buyer").cancelUndelivered([pauId]),
    );
    expect(await ctx.escrowAs("stranger").read.buyerExposure([buyer, ctx.chain.usd])).toEqual([
      0n,
      USD(60_000),
    ]);
    for (const role of ["buyer", "seller"] as const) {
      await step(`j: the ${role} withdraws`, () => escrow(role).withdraw([ctx.chain.usd]));
    }
  });

  it("compared the reducer with the chain after every step", () => {
    expect(history.comparisons()).toBe(steps);
    expect(steps).toBeGreaterThan(200);
  });
});
