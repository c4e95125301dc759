// Length: the stateful property suite: every command, the economic properties and the liveness
// check share the model and the runner.
import { expect } from "chai";
import fc from "fast-check";
import { connection, coverage, ethers, time } from "./fixtures/hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import {
  DAY,
  HOUR,
  USD,
  cid,
  courtTerms,
  expectFundsConservedFor,
  signAmendment,
  signAttestation,
  signOpen,
  useEscrow,
} from "./fixtures/escrow";
import type { Attestation, EscrowContext, PartySignature, Terms } from "./fixtures/escrow";
import { hearRound, signReport, signSettlement } from "./fixtures/claims";
import { lowerMedian } from "./fixtures/court";
import {
  ALLOWED_TRANSITIONS,
  BPS,
  BUYER_DEFAULTS,
  CancelReason,
  ClaimGround,
  ClaimStatus,
  FINAL_STATES,
  NATIVE,
  PaymentMode,
  SELLER_DEFAULTS,
  TradeState,
  actions,
  attempt,
  balanceDeadline,
  balanceDue,
  claimWindowStart,
  creditKey,
  depositAmount,
  fulfilmentDeadline,
  graceEnd,
  latestDelivery,
  responseDeadline,
  same,
} from "./fixtures/model";
import type { Accounts, Consent, Model, Revert, TradeModel } from "./fixtures/model";

/*
 * Stateful property tests: random sequences of every action on the escrow (all three payment modes,
 * proposals, signed openings, payments, bonds, lots, halts, amendments, claims, court hearings,
 * appeals, rulings, cancellations, withdrawals (one token, or as `withdrawMany`), attestations (one, or as
 * a batch of one), the guarantor pool, operator bonds, admin switches and
 * time jumps across every deadline), by random actors including unauthorised ones and with random
 * amounts, run against the reference model in test/fixtures/model.ts.
 *
 * Invariants checked after every step:
 *  1. Funds conservation per token: the escrow's balance equals escrowed + seller bonds + withdrawable
 *     credits + guarantor pool + operator bonds, as the model counts them and as the views report them.
 *  2. Model and contract agree on the touched trade (every field of `trade` and `claim`), on every
 *     credit, the pool, the buyer's debt and the operators' bonds; at the end of a sequence on every
 *     trade it touched (on all trades every fifth sequence), and the fixture's conservation check holds.
 *  3. A command the model refuses reverts with the custom error the model names, and nothing changes.
 *  4. Only allowed transitions happen: every TradeStateChanged event is an edge of the state machine
 *     and the model took the same path; finished trades never move again.
 *  5. What leaves a trade never exceeds what entered it plus the operator bond it may draw on; a
 *     finished trade holds nothing (everything that entered left again).
 *  6. An operator's bond is slashed only on a trade where that operator attested.
 *  7. Nobody is paid twice: the seller and the treasury never get more than the net price (plus what
 *     the seller itself paid back), the buyer's refunds never exceed what it paid (plus the seller's
 *     voluntary refunds), and bond paid out never exceeds bond posted.
 *
 * Every `npm test` runs FUZZ_RUNS sequences (default 1,000) from the same seed, so it gives the same
 * answer every run; FUZZ_SEED=<seed> replays another, and `npm run test:fuzz` runs 10,000 from a
 * seed drawn at random (FUZZ_SEED=random), printed at the start and on failure.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? (coverage ? 100 : 1_000));
const MAX_COMMANDS = Number(process.env.FUZZ_COMMANDS ?? 8);
/** Liveness sequences are fewer and shorter: each is followed by every open trade played out alone. */
const LIVENESS_RUNS = Math.max(10, Math.floor(RUNS / 10));
const LIVENESS_COMMANDS = 5;
/** The seed of `npm test`'s sequences (a 1,000-sequence run of it passed when it was chosen). */
const FIXED_SEED = 50_472_861;
const SEED =
  process.env.FUZZ_SEED === "random"
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? FIXED_SEED);
const GAS = { gasLimit: 12_000_000 };

type Signer = HardhatEthersSigner;
type Role = keyof Accounts;

type Real = {
  ctx: EscrowContext;
  signers: Record<string, Signer>;
  arbitrators: Signer[];
  courtCost: bigint;
  appealCost: bigint;
};

/** Counters of what a run did, reported at the end. */
const stats = { sequences: 0, steps: 0, succeeded: 0, reverted: 0 };
/** Accepted and refused steps per command. */
const perCommand: Record<string, { accepted: number; refused: number }> = {};
let currentCommand = "prelude";
/** Trades a sequence's steps touched. */
const touchedTrades = new Set<bigint>();
const reachedStates = new Set<TradeState>();

// ------------------------------------------------------------------------------------------------
// Running one step on both sides
// ------------------------------------------------------------------------------------------------

function signerOf(r: Real, m: Model, role: Role): Signer {
  const signer = r.signers[m.accounts[role].toLowerCase()];
  if (signer === undefined) throw new Error(`No signer for ${role}.`);
  return signer;
}

/** The next block's timestamp: each transaction runs one second after the last block. */
async function nextBlock(m: Model): Promise<bigint> {
  m.now += 1n;
  await time.setNextBlockTimestamp(m.now);
  return m.now;
}

function contractOf(r: Real, source: Revert["source"]) {
  if (source === "court") return r.ctx.court;
  if (source === "token") return r.ctx.usd;
  return r.ctx.escrow;
}

/**
 * Runs `apply` on the model and `send` on the chain in the same block. If the model refuses, the chain
 * must revert with the same custom error; if it accepts, the chain must succeed and its state changes
 * must be the model's. Then every invariant is checked.
 */
async function step(
  m: Model,
  r: Real,
  touched: bigint | null,
  apply: (draft: Model) => void,
  send: () => Promise<ContractTransactionResponse>,
  /** A batch entry point wraps its item's error in this one (named by the escrow). */
  wrappedIn?: string,
): Promise<void> {
  await nextBlock(m);
  if (touched !== null) touchedTrades.add(touched);
  const before = m.trades.map((t) => t.history.length);
  const expected = attempt(m, apply);
  stats.steps += 1;
  const counts = (perCommand[currentCommand] ??= { accepted: 0, refused: 0 });
  if (expected === null) counts.accepted += 1;
  else counts.refused += 1;
  if (expected !== null) {
    stats.reverted += 1;
    await expect(send()).to.be.revertedWithCustomError(
      wrappedIn === undefined ? contractOf(r, expected.source) : r.ctx.escrow,
      wrappedIn ?? expected.error,
    );
  } else {
    stats.succeeded += 1;
    // The chain has not moved since the model's attempt: its state now is the state before the step.
    const chainBefore = await economicState(m, r);
    const receipt = await (await send()).wait();
    if (receipt === null) throw new Error("No receipt.");
    expectTransitions(m, r, before, receipt.logs);
    await expectEconomics(m, r, touched, chainBefore, receipt.from, receipt.logs);
  }
  await expectAgreement(m, r, touched === null ? [] : [touched]);
}

// ------------------------------------------------------------------------------------------------
// Economic properties: read from the chain's events and views, not from the model's rules
// ------------------------------------------------------------------------------------------------

type EconomicState = { bonds: bigint[]; exposure: bigint; debt: bigint };

async function economicState(m: Model, r: Real): Promise<EconomicState> {
  const { escrow } = r.ctx;
  const [bonds, [exposure], debt] = await Promise.all([
    Promise.all(Object.keys(m.operators).map(async (op) => (await escrow.operatorBond(op))[0])),
    escrow.buyerExposure(m.accounts.buyer, m.usd),
    escrow.debt(m.accounts.buyer, m.usd),
  ]);
  return { bonds, exposure, debt };
}

/**
 * After an accepted step, from the chain alone (the model supplies only the trade's parties, the cap the
 * trade took and the ruling):
 * 8. nobody but the trade's parties and the treasury is credited from a trade;
 * 9. a party in default never cancels for the other's default, and never gains from its own;
 * 10. an operator's bond falls only by its own withdrawal, or by a false-attestation ruling in
 *     proportion to the harm the ruling found;
 * 11. the pool takes new exposure to the buyer only within the trade's cap, while the buyer's recorded
 *     score is above the threshold and unexpired and it owes the pool nothing.
 */
async function expectEconomics(
  m: Model,
  r: Real,
  touched: bigint | null,
  before: EconomicState,
  sender: string,
  logs: readonly { topics: readonly string[]; data: string }[],
): Promise<void> {
  const { escrow } = r.ctx;
  const after = await economicState(m, r);
  const slashes = new Map<string, { tradeId: bigint; amount: bigint }>();
  for (const log of logs) {
    const parsed = escrow.interface.parseLog(log);
    if (parsed === null) continue;
    if (parsed.name === "Credited") {
      const [account, , tradeId] = parsed.args as unknown as [string, string, bigint];
      const t = m.trades[Number(tradeId) - 1];
      if (t === undefined) continue;
      const allowed = [t.terms.buyer, t.terms.seller, m.accounts.treasury];
      expect(
        allowed.some((a) => same(a, account)),
        `trade ${tradeId} credits only its parties and the treasury, not ${account}`,
      ).to.equal(true);
    } else if (parsed.name === "TradeCancelled") {
      const [tradeId, reasonOf, , bondToBuyer, bondToSeller] = parsed.args as unknown as bigint[];
      const t = m.trades[Number(tradeId) - 1] as TradeModel;
      const reason = Number(reasonOf) as CancelReason;
      if (BUYER_DEFAULTS.has(reason)) {
        expect(same(sender, t.terms.buyer), `the buyer cancels for its own default`).to.equal(
          false,
        );
        expect(bondToBuyer, `a defaulting buyer takes no bond, trade ${tradeId}`).to.equal(0n);
      }
      if (SELLER_DEFAULTS.has(reason)) {
        expect(bondToSeller, `a defaulting seller keeps no bond, trade ${tradeId}`).to.equal(0n);
        // The seller may close an undelivered trade, but the buyer gets the whole remedy.
        if (reason !== CancelReason.NotDelivered)
          expect(same(sender, t.terms.seller), `the seller cancels for its own default`).to.equal(
            false,
          );
      }
    } else if (parsed.name === "OperatorSlashed") {
      const [operator, tradeId, , amount] = parsed.args as unknown as [
        string,
        bigint,
        string,
        bigint,
      ];
      slashes.set(operator.toLowerCase(), { tradeId, amount });
    }
  }
  for (const [i, op] of Object.keys(m.operators).entries()) {
    const [was, now] = [before.bonds[i] ?? 0n, after.bonds[i] ?? 0n];
    if (now >= was) continue;
    const slash = slashes.get(op);
    if (slash === undefined) {
      expect(same(sender, op), `only ${op} withdraws its own bond`).to.equal(true);
      continue;
    }
    const t = m.trades[Number(slash.tradeId) - 1] as TradeModel;
    const { refundBps: asked, ruling, ground } = t.claim;
    const bps = ruling === 0n ? asked / 2n : ruling - 1n < asked ? ruling - 1n : asked;
    expect(ground, `slashed for a false attestation, trade ${slash.tradeId}`).to.equal(
      ClaimGround.FalseAttestation,
    );
    expect(slash.amount, `slash in proportion to the ruling, trade ${slash.tradeId}`).to.equal(
      (was * bps) / BPS,
    );
    expect(was - now, `the bond falls by the slash, ${op}`).to.equal(slash.amount);
  }
  if (after.exposure > before.exposure) {
    const t = touched === null ? undefined : m.trades[Number(touched) - 1];
    const [credit, threshold] = await Promise.all([
      escrow.creditScore(m.accounts.buyer),
      escrow.creditThreshold(),
    ]);
    expect(t, "new exposure comes from the trade the step touched").to.not.equal(undefined);
    expect(after.exposure, `exposure within the cap of trade ${touched}`).to.be.at.most(
      t?.exposureCap ?? 0n,
    );
    expect(credit.score, "new exposure needs a score above the threshold").to.be.greaterThan(
      threshold,
    );
    expect(BigInt(credit.expiresAt), "new exposure needs an unexpired score").to.be.at.least(m.now);
    expect(before.debt, "new exposure needs a buyer that owes the pool nothing").to.equal(0n);
  }
}

/**
 * The TradeStateChanged events of a step are allowed edges, and exactly the model's new path; an
 * OperatorSlashed event names an operator that attested on the trade.
 */
function expectTransitions(
  m: Model,
  r: Real,
  before: number[],
  logs: readonly { topics: readonly string[]; data: string }[],
): void {
  const seen = new Map<bigint, TradeState[]>();
  for (const log of logs) {
    const parsed = r.ctx.escrow.interface.parseLog(log);
    if (parsed?.name === "OperatorSlashed") {
      // 6. The contract slashes only an operator that attested on the trade.
      const [operator, tradeId] = parsed.args as unknown as [string, bigint];
      const attested = m.trades[Number(tradeId) - 1]?.attested[operator.toLowerCase()];
      expect(attested, `slashed operator ${operator} attested on trade ${tradeId}`).to.equal(true);
    }
    if (parsed?.name !== "TradeStateChanged") continue;
    const [id, from, to] = parsed.args as unknown as [bigint, bigint, bigint];
    expect(
      ALLOWED_TRANSITIONS.has(`${from}>${to}`),
      `transition ${from}>${to} of trade ${id}`,
    ).to.equal(true);
    const path = seen.get(id) ?? [];
    path.push(Number(to) as TradeState);
    seen.set(id, path);
  }
  for (const t of m.trades) {
    const added = t.history.slice(before[Number(t.id) - 1] ?? 1);
    expect(seen.get(t.id) ?? [], `state path of trade ${t.id}`).to.deep.equal(added);
    for (const s of added) reachedStates.add(s);
  }
}

function tradeView(t: TradeModel) {
  return {
    state: BigInt(t.state),
    version: BigInt(t.version),
    lotsDone: BigInt(t.lotsDone),
    proposedBySeller: t.proposedBySeller,
    pendingLot: t.pendingLot,
    pendingTitle: t.pendingTitle,
    stageAt: t.stageAt,
    escrowed: t.escrowed,
    receivedQuantity: t.receivedQuantity,
    released: t.released,
    pendingQuantity: t.pendingQuantity,
    pendingTime: t.pendingTime,
    sellerBond: t.sellerBond,
    arrivedAt: t.arrivedAt,
    refunded: t.refunded,
    claimStatus: BigInt(t.claim.status),
    claimRefundBps: t.claim.refundBps,
    claimFiledAt: t.claim.filedAt,
    claimCosts: t.claim.costs,
    claimRuling: t.claim.ruling,
  };
}

async function chainTradeView(r: Real, id: bigint) {
  const [v, c] = await Promise.all([r.ctx.escrow.trade(id), r.ctx.escrow.claim(id)]);
  return {
    state: v.state,
    version: v.version,
    lotsDone: v.lotsDone,
    proposedBySeller: v.proposedBySeller,
    pendingLot: v.pendingLot,
    pendingTitle: v.pendingTitle,
    stageAt: v.stageAt,
    escrowed: v.escrowed,
    receivedQuantity: v.receivedQuantity,
    released: v.released,
    pendingQuantity: v.pendingQuantity,
    pendingTime: v.pendingTime,
    sellerBond: v.sellerBond,
    arrivedAt: v.arrivedAt,
    refunded: v.refunded,
    claimStatus: c.status,
    claimRefundBps: c.refundBps,
    claimFiledAt: c.filedAt,
    claimCosts: c.costs,
    claimRuling: c.ruling,
  };
}

const CREDITED: Role[] = ["buyer", "seller", "treasury"];

/** What the model says the escrow owes, per token. */
function owed(m: Model): Record<string, bigint> {
  const sum: Record<string, bigint> = { [NATIVE]: 0n, [m.usd.toLowerCase()]: 0n };
  const add = (token: string, amount: bigint) => {
    const key = token.toLowerCase();
    sum[key] = (sum[key] ?? 0n) + amount;
  };
  for (const t of m.trades) add(t.terms.token, t.escrowed + t.sellerBond);
  for (const [key, amount] of Object.entries(m.credits)) add(key.split("|")[1] ?? "", amount);
  add(m.usd, m.pool.balance);
  for (const op of Object.values(m.operators)) add(NATIVE, op.bond);
  return sum;
}

/** Invariants 1, 2 and 5 to 7 (3 and 4 are checked by `step`). */
async function expectAgreement(m: Model, r: Real, ids: readonly bigint[]): Promise<void> {
  const { escrow, usd } = r.ctx;
  const address = await escrow.getAddress();
  const creditKeys = CREDITED.flatMap((role) =>
    [NATIVE, m.usd].map((token) => [m.accounts[role], token] as const),
  );
  const [eth, stable, pool, debt, exposure, ops, credits, trades] = await Promise.all([
    ethers.provider.getBalance(address),
    usd.balanceOf(address),
    escrow.pool(m.usd),
    escrow.debt(m.accounts.buyer, m.usd),
    escrow.buyerExposure(m.accounts.buyer, m.usd),
    Promise.all(Object.keys(m.operators).map((op) => escrow.operatorBond(op))),
    Promise.all(creditKeys.map(([account, token]) => escrow.withdrawable(account, token))),
    Promise.all(ids.map((id) => chainTradeView(r, id))),
  ]);

  // 1. Funds conservation, per token.
  const o = owed(m);
  expect(eth, "native coin held = owed").to.equal(m.held[NATIVE] ?? 0n);
  expect(eth, "native coin held = owed").to.equal(o[NATIVE]);
  expect(stable, "stablecoin held = owed").to.equal(m.held[m.usd.toLowerCase()] ?? 0n);
  expect(stable, "stablecoin held = owed").to.equal(o[m.usd.toLowerCase()]);

  // 2. Model and contract agree.
  expect({ balance: pool[0], committed: pool[1], debt }, "pool and debt").to.deep.equal({
    ...m.pool,
    debt: m.debt,
  });
  expect([...exposure], "the buyer's exposure and cap").to.deep.equal([m.exposure, m.exposureCap]);
  expect(
    ops.map(([bond, required, openTrades]) => ({ bond, required, openTrades })),
    "operator bonds",
  ).to.deep.equal(Object.values(m.operators));
  expect(credits, "credits").to.deep.equal(
    creditKeys.map(([account, token]) => m.credits[creditKey(account, token)] ?? 0n),
  );
  for (const [i, id] of ids.entries()) {
    const t = m.trades[Number(id) - 1];
    if (t === undefined) continue;
    expect(trades[i], `trade ${id}`).to.deep.equal(tradeView(t));
  }

  for (const t of m.trades) {
    const sum = (record: Record<string, bigint>, filter: (key: string) => boolean) =>
      Object.entries(record)
        .filter(([key]) => filter(key))
        .reduce((total, [, amount]) => total + amount, 0n);
    const paidIn = sum(t.paidIn, () => true);
    const slashed = sum(t.paidOut, (key) => key.startsWith("slash|"));
    const paidOut = sum(t.paidOut, (key) => !key.startsWith("slash|"));
    // 5. What leaves a trade never exceeds what entered it (plus the operator bond it may draw on),
    // and what stays in it is exactly its escrow and bond; a finished trade holds nothing.
    expect(paidOut, `out <= in, trade ${t.id}`).to.be.at.most(paidIn);
    expect(paidIn - paidOut, `in - out = held, trade ${t.id}`).to.equal(t.escrowed + t.sellerBond);
    // A ruling slashes each operator at most once a trade, and never more than it ever posted.
    expect(new Set(t.slashed).size, `each operator slashed once, trade ${t.id}`).to.equal(
      t.slashed.length,
    );
    const drawable = t.slashed.reduce((total, op) => total + (m.operatorBondPosted[op] ?? 0n), 0n);
    expect(slashed, `slash <= the slashed operator's bond, trade ${t.id}`).to.be.at.most(drawable);
    if (FINAL_STATES.has(t.state)) {
      expect(t.escrowed + t.sellerBond, `finished trade ${t.id} holds nothing`).to.equal(0n);
    }
    // 7. Nobody is paid twice.
    const sellerIn = (t.paidIn[t.terms.seller.toLowerCase()] ?? 0n) - t.bondPosted;
    const buyerIn = t.paidIn[t.terms.buyer.toLowerCase()] ?? 0n;
    const priceOut = sum(t.paidOut, (key) => key.startsWith("price|"));
    const refundOut = sum(t.paidOut, (key) => key.startsWith("refund|"));
    const bondOut = sum(t.paidOut, (key) => key.startsWith("bond|") || key.startsWith("costs|"));
    expect(priceOut, `seller and treasury paid at most the price, trade ${t.id}`).to.be.at.most(
      t.terms.price - t.refunded + sellerIn,
    );
    expect(refundOut, `buyer refunded at most what it paid, trade ${t.id}`).to.be.at.most(
      buyerIn + sellerIn,
    );
    expect(bondOut, `bond paid out at most once, trade ${t.id}`).to.be.at.most(t.bondPosted);
  }
}

// ------------------------------------------------------------------------------------------------
// Arbitraries
// ------------------------------------------------------------------------------------------------

/** Who acts: usually the party the action belongs to, sometimes anyone else. */
type Actor = "rightful" | Role;
const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Actor>("rightful") },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Actor>("buyer", "seller", "operator", "stranger", "admin"),
  },
);

function resolveActor(actor: Actor, rightful: Role): Role {
  return actor === "rightful" ? rightful : actor;
}

/** Which trade: an existing one, or (rarely) one that does not exist; with stale terms sometimes. */
type TradePick = { n: number; wrongTerms: boolean };
const tradeArb: fc.Arbitrary<TradePick> = fc.record({
  n: fc.nat(),
  wrongTerms: fc.oneof(
    { weight: 15, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
});

/** Whether the model accepts `action` now (on a copy: the model is left as it was). */
function accepts(m: Model, action: (draft: Model) => void): boolean {
  return attempt(structuredClone(m), action) === null;
}

/**
 * The trade a command acts on. Three times in four, when `fits` names trades the action suits, one of
 * those (so that sequences go deep); otherwise any trade, or one that does not exist.
 */
function pick(
  m: Model,
  p: TradePick,
  fits?: (t: TradeModel) => boolean,
): { id: bigint; terms: Terms; t: TradeModel | undefined } {
  const count = m.trades.length;
  const first = m.trades[0];
  if (first === undefined) throw new Error("The prelude opens trades.");
  const candidates = fits === undefined || p.n % 4 === 0 ? [] : m.trades.filter(fits);
  const index = p.n % (count + 1);
  const t =
    candidates.length > 0
      ? candidates[Math.floor(p.n / 4) % candidates.length]
      : index < count
        ? m.trades[index]
        : undefined;
  const terms = t?.terms ?? first.terms;
  return {
    id: t?.id ?? BigInt(count + 1),
    terms: p.wrongTerms ? { ...terms, price: terms.price + 1n } : terms,
    t,
  };
}

type TermsParams = {
  mode: PaymentMode;
  native: boolean;
  price: bigint;
  quantity: number;
  lots: number;
  toleranceBps: number;
  depositBps: number;
  claimWindow: boolean;
  bondShare: number;
  deliveryDays: number;
  /** The ship window and the grace period after the latest delivery, in days. */
  shipDays: number;
  graceDays: number;
  responseDays: number;
  collectAfter: number;
  operator2: boolean;
  mutation: "none" | "staleFee" | "noDeposit" | "pastDelivery" | "tooManyLots" | "noGrace";
};

const termsArb: fc.Arbitrary<TermsParams> = fc.record({
  mode: fc.constantFrom(PaymentMode.Protected, PaymentMode.Direct, PaymentMode.PayAfterUse),
  native: fc.boolean(),
  price: fc.bigInt(1n, USD(200_000)),
  quantity: fc.integer({ min: 1, max: 20 }),
  lots: fc.integer({ min: 1, max: 3 }),
  toleranceBps: fc.constantFrom(0, 500, 2_000, 10_000),
  depositBps: fc.constantFrom(1, 3_000, 10_000),
  claimWindow: fc.boolean(),
  bondShare: fc.constantFrom(0, 0, 500, 10_000),
  deliveryDays: fc.integer({ min: 2, max: 40 }),
  shipDays: fc.constantFrom(1, 3),
  graceDays: fc.constantFrom(1, 7),
  responseDays: fc.constantFrom(1, 7),
  collectAfter: fc.constantFrom(0, HOUR, 14 * DAY),
  operator2: fc.boolean(),
  mutation: fc.oneof(
    { weight: 12, arbitrary: fc.constant<TermsParams["mutation"]>("none") },
    {
      weight: 1,
      arbitrary: fc.constantFrom<TermsParams["mutation"]>(
        "staleFee",
        "noDeposit",
        "pastDelivery",
        "tooManyLots",
        "noGrace",
      ),
    },
  ),
});

function makeTerms(m: Model, r: Real, p: TermsParams): Terms {
  const payAfterUse = p.mode === PaymentMode.PayAfterUse;
  const direct = p.mode === PaymentMode.Direct;
  const native = p.native && !payAfterUse;
  // Native prices in wei span the same digits as the stablecoin's (6 decimals) times 10^6.
  const price = native ? p.price * 1_000_000n : p.price;
  const claimWindow = p.mode === PaymentMode.Protected && p.claimWindow ? 3 * DAY : 0;
  const terms: Terms = {
    buyer: m.accounts.buyer,
    seller: m.accounts.seller,
    operator: p.operator2 ? m.accounts.operator2 : m.accounts.operator,
    token: native ? NATIVE : m.usd,
    mode: p.mode,
    price,
    quantity: BigInt(p.quantity),
    toleranceBps: p.toleranceBps,
    depositBps: direct ? 10_000 : payAfterUse ? 0 : p.depositBps,
    lots: Math.min(p.lots, p.quantity),
    latestDelivery: m.now + BigInt(p.deliveryDays * DAY),
    shipWindow: p.shipDays * DAY,
    deliveryGrace: p.graceDays * DAY,
    depositWindow: 72 * HOUR,
    fulfilmentDays: 3,
    claimWindow,
    responseDays: p.responseDays,
    collectAfter: payAfterUse && p.collectAfter === 0 ? 14 * DAY : p.collectAfter,
    feeBps: m.feeBps,
    sellerBond: direct ? 0n : (price * BigInt(p.bondShare)) / BPS,
    arbitrator: r.ctx.court.target as string,
    arbitratorExtraData: courtTerms(),
    manifestCid: cid("fuzz-manifest"),
  };
  if (p.mutation === "staleFee") terms.feeBps = m.feeBps === 0 ? 1 : m.feeBps - 1;
  if (p.mutation === "noDeposit") terms.depositBps = direct ? 3_000 : 0;
  if (p.mutation === "pastDelivery") terms.latestDelivery = m.now;
  if (p.mutation === "tooManyLots") terms.lots = p.quantity + 1;
  if (p.mutation === "noGrace") terms.deliveryGrace = 0;
  return terms;
}

let nonceCounter = 7_000_000n;
function freshNonce(): bigint {
  nonceCounter += 1n;
  return nonceCounter;
}

/** A consent for `party`: signed by it, forged (signed by the stranger), or replaying a used nonce. */
type ConsentKind = "valid" | "forged" | "replayed";
const consentArb: fc.Arbitrary<ConsentKind> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<ConsentKind>("valid") },
  { weight: 1, arbitrary: fc.constantFrom<ConsentKind>("forged", "replayed") },
);

function consentNonce(m: Model, party: string, kind: ConsentKind): bigint {
  if (kind === "replayed") {
    const used = Object.keys(m.nonces)
      .filter((key) => key.startsWith(`${party.toLowerCase()}|`))
      .map((key) => BigInt(key.split("|")[1] ?? "0"));
    if (used.length > 0) return used[used.length - 1] as bigint;
  }
  return freshNonce();
}

// ------------------------------------------------------------------------------------------------
// Commands
// ------------------------------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, Real>;

/** A command arbitrary; `exec` runs it with hand-picked parameters (the prelude uses the same code). */
type Command<P> = fc.Arbitrary<Cmd> & { exec: (m: Model, r: Real, p: P) => Promise<void> };

function command<P>(
  name: string,
  arb: fc.Arbitrary<P>,
  run: (m: Model, r: Real, p: P) => Promise<void>,
): Command<P> {
  const commands = arb.map((p): Cmd => ({
    check: () => true,
    run: (m: Model, r: Real) => {
      currentCommand = name;
      return run(m, r, p);
    },
    toString: () => `${name}(${fc.stringify(p)})`,
  }));
  return Object.assign(commands, { exec: run });
}

/** When a timed action runs: now, or after a jump to exactly its deadline, or to one second after. */
type When = "now" | "at" | "after";
type TradeCall = TradePick & { actor: Actor; when: When };
const tradeCallArb: fc.Arbitrary<TradeCall> = fc
  .tuple(tradeArb, actorArb, fc.constantFrom<When>("now", "now", "at", "after"))
  .map(([trade, actor, when]) => ({ ...trade, actor, when }));

/** Moves the chain to just before `deadline` (+1 for "after"), so the next transaction runs at it. */
async function jumpTo(m: Model, deadline: bigint, when: When): Promise<void> {
  const target = deadline + (when === "after" ? 1n : 0n) - 1n;
  if (when === "now" || target <= m.now) return;
  await time.increaseTo(target);
  m.now = target;
}

type EscrowFn =
  | "acceptTrade"
  | "withdrawProposal"
  | "payDeposit"
  | "payBalance"
  | "postSellerBond"
  | "startFulfilment"
  | "release"
  | "payDirect"
  | "confirmReceipt"
  | "cancelForMissedDeposit"
  | "cancelForMissedStart"
  | "cancelUnshipped"
  | "cancelUndelivered"
  | "acceptClaim"
  | "enforceDefaultJudgment"
  | "executeRuling";

/** The model's `fn` on trade `id`, by id alone as the escrow takes it; `acceptTrade` names the terms. */
function modelStep(d: Model, fn: EscrowFn, caller: string, id: bigint, terms: Terms): void {
  if (fn === "acceptTrade") actions.acceptTrade(d, caller, id, terms);
  else actions[fn](d, caller, id);
}

/**
 * The escrow's arguments for `fn` on trade `id`: the trade id alone (the escrow keeps the terms), but
 * for `acceptTrade`, whose caller names the terms it accepts.
 */
function chainArgs(fn: string, id: bigint, terms: Terms): unknown[] {
  return fn === "acceptTrade" ? [id, terms] : [id];
}

/** An action on one trade (the model takes its terms; the escrow the trade id) and maybe a payment. */
function simple(
  fn: EscrowFn,
  rightful: (t: TradeModel | undefined, m: Model) => Role,
  value: (t: TradeModel | undefined, terms: Terms, r: Real) => bigint = () => 0n,
  deadline?: (t: TradeModel) => bigint | null,
): fc.Arbitrary<Cmd> {
  return command(fn, tradeCallArb, async (m, r, p) => {
    const timed = deadline !== undefined && p.when !== "now";
    const { id, terms, t } = pick(m, p, (c) => {
      // A timed pick is judged at the time it will run.
      const at = timed ? deadline(c) : null;
      if (timed && (at === null || at + 1n <= m.now)) return false;
      const probe = at === null ? m : { ...m, now: at + (p.when === "after" ? 1n : 0n) };
      return accepts(probe, (d) => modelStep(d, fn, m.accounts[rightful(c, m)], c.id, c.terms));
    });
    const at = timed && t !== undefined ? deadline(t) : null;
    if (at !== null) await jumpTo(m, at, p.when);
    const role = resolveActor(p.actor, rightful(t, m));
    const caller = signerOf(r, m, role);
    const amount = same(terms.token, NATIVE) ? value(t, terms, r) : 0n;
    await step(
      m,
      r,
      t?.id ?? null,
      (d) => modelStep(d, fn, caller.address, id, terms),
      () => {
        const method = r.ctx.escrow.connect(caller)[fn] as unknown as (
          ...args: unknown[]
        ) => Promise<ContractTransactionResponse>;
        return method(...chainArgs(fn, id, terms), amount === 0n ? GAS : { ...GAS, value: amount });
      },
    );
  });
}

const proposerOf = (t: TradeModel | undefined): Role =>
  t?.proposedBySeller === true ? "seller" : "buyer";
const acceptorOf = (t: TradeModel | undefined): Role =>
  t?.proposedBySeller === true ? "buyer" : "seller";

const proposeCmd = command(
  "proposeTrade",
  fc.tuple(termsArb, fc.constantFrom<Role>("buyer", "seller", "seller", "stranger")),
  async (m, r, [params, role]) => {
    const terms = makeTerms(m, r, params);
    const caller = signerOf(r, m, role);
    await step(
      m,
      r,
      BigInt(m.trades.length + 1),
      (d) => actions.proposeTrade(d, caller.address, terms),
      () => r.ctx.escrow.connect(caller).proposeTrade(terms, GAS),
    );
  },
);

const openCmd = command(
  "openTrade",
  fc.tuple(termsArb, consentArb, consentArb),
  async (m, r, [params, buyerKind, sellerKind]) => {
    const terms = makeTerms(m, r, params);
    const deadline = m.now + BigInt(DAY);
    const sign = async (role: Role, kind: ConsentKind): Promise<[Consent, PartySignature]> => {
      const party = m.accounts[role];
      const nonce = consentNonce(m, party, kind);
      const signer = signerOf(r, m, kind === "forged" ? "stranger" : role);
      const sig = await signOpen(r.ctx, signer, terms, nonce, deadline);
      return [{ signed: true, nonce, forged: kind === "forged" }, sig];
    };
    const [buyerConsent, buyerSig] = await sign("buyer", buyerKind);
    const [sellerConsent, sellerSig] = await sign("seller", sellerKind);
    const relayer = signerOf(r, m, "relayer");
    await step(
      m,
      r,
      BigInt(m.trades.length + 1),
      (d) => actions.openTrade(d, relayer.address, terms, buyerConsent, sellerConsent),
      () => r.ctx.escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig, GAS),
    );
  },
);

const shipCmd = command("markShipped", tradeCallArb, async (m, r, p) => {
  const { id, t } = pick(m, p, (c) =>
    accepts(m, (d) => actions.markShipped(d, m.accounts.seller, c.id)),
  );
  const caller = signerOf(r, m, resolveActor(p.actor, "seller"));
  await step(
    m,
    r,
    t?.id ?? null,
    (d) => actions.markShipped(d, caller.address, id),
    () => r.ctx.escrow.connect(caller).markShipped(id, cid(`bill-${id}`), GAS),
  );
});

type AttestParams = TradeCall & {
  kind: number;
  lotDelta: number;
  quantity: "rest" | "lot" | "random" | "zero";
  randomQuantity: number;
  timeOf: "now" | "shipped" | "early" | "future" | "late";
  relayed: boolean;
  forged: boolean;
  /** Sent as a batch of one (`attestBatch`), which wraps any error in EscrowBatchItemFailed. */
  batched: boolean;
};

const attestCmd = command(
  "attest",
  fc
    .tuple(
      tradeCallArb,
      fc.record({
        kind: fc.constantFrom(0, 1, 2, 2, 3),
        lotDelta: fc.oneof(
          { weight: 8, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.constant(1) },
        ),
        quantity: fc.constantFrom<AttestParams["quantity"]>(
          "rest",
          "rest",
          "lot",
          "random",
          "zero",
        ),
        randomQuantity: fc.integer({ min: 1, max: 24 }),
        timeOf: fc.constantFrom<AttestParams["timeOf"]>(
          "now",
          "now",
          "shipped",
          "early",
          "future",
          "late",
        ),
        relayed: fc.boolean(),
        forged: fc.oneof(
          { weight: 10, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
        batched: fc.oneof(
          { weight: 3, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      }),
    )
    .map(([call, rest]) => ({ ...call, ...rest })),
  async (m, r, p: AttestParams) => {
    const { id, terms, t } = pick(
      m,
      p,
      (c) => c.state >= TradeState.Shipped && c.state <= TradeState.Halted,
    );
    const ts = m.now + 1n;
    const stageAt = t?.stageAt ?? ts;
    const received = t?.receivedQuantity ?? 0n;
    const quantity =
      p.quantity === "zero"
        ? 0n
        : p.quantity === "random"
          ? BigInt(p.randomQuantity)
          : p.quantity === "lot"
            ? (terms.quantity + BigInt(terms.lots) - 1n) / BigInt(terms.lots)
            : terms.quantity > received
              ? terms.quantity - received
              : 1n;
    const late = (t === undefined ? terms.latestDelivery : latestDelivery(t)) + 1n;
    const when = {
      now: ts,
      shipped: stageAt,
      early: stageAt - 1n,
      future: ts + 1n,
      late: late <= ts && late >= stageAt ? late : ts,
    }[p.timeOf];
    const attestation: Attestation = {
      tradeId: id,
      kind: p.kind as Attestation["kind"],
      lot: (t?.lotsDone ?? 0) + 1 + p.lotDelta,
      quantity: p.kind === 3 ? 0n : quantity,
      time: when,
      documentCid: cid(`receipt-${id}`),
      nonce: freshNonce(),
      deadline: ts + BigInt(DAY),
    };
    let caller: Signer;
    let signature = "0x";
    let consent: Consent = { signed: false };
    if (p.relayed) {
      caller = signerOf(r, m, "relayer");
      const signer = signerOf(r, m, p.forged ? "stranger" : "operator");
      signature = await signAttestation(r.ctx, signer, attestation);
      // The operator named in the terms must sign; the other accredited operator's signature is forged.
      const forged = p.forged || !same(terms.operator, m.accounts.operator);
      consent = { signed: true, nonce: attestation.nonce, forged };
    } else {
      caller =
        p.actor === "rightful" && same(terms.operator, m.accounts.operator2)
          ? signerOf(r, m, "operator2")
          : signerOf(r, m, resolveActor(p.actor, "operator"));
    }
    await step(
      m,
      r,
      t?.id ?? null,
      (d) =>
        actions.attest(
          d,
          caller.address,
          id,
          {
            kind: attestation.kind,
            lot: attestation.lot,
            quantity: attestation.quantity,
            time: attestation.time,
          },
          consent,
        ),
      () =>
        p.batched
          ? r.ctx.escrow.connect(caller).attestBatch([attestation], [signature], GAS)
          : r.ctx.escrow.connect(caller).attest(attestation, signature, GAS),
      p.batched ? "EscrowBatchItemFailed" : undefined,
    );
  },
);

const refundVoluntarilyCmd = command(
  "refundVoluntarily",
  fc.tuple(tradeCallArb, fc.constantFrom("one", "all", "more", "zero")),
  async (m, r, [p, how]) => {
    const { id, terms, t } = pick(m, p, (c) => c.released > 0n);
    const caller = signerOf(r, m, resolveActor(p.actor, "seller"));
    const released = t?.released ?? 0n;
    const amount = { one: 1n, all: released, more: released + 1n, zero: 0n }[how] ?? 0n;
    await step(
      m,
      r,
      t?.id ?? null,
      (d) => actions.refundVoluntarily(d, caller.address, id, amount),
      () =>
        r.ctx.escrow.connect(caller).refundVoluntarily(id, amount, {
          ...GAS,
          value: same(terms.token, NATIVE) ? amount : 0n,
        }),
    );
  },
);

type AmendParams = TradeCall & {
  price: "same" | "lower" | "higher" | "released";
  factorBps: number;
  deliveryDays: number;
  toleranceBps: number | null;
  lotsDelta: number;
  bond: "same" | "none" | "higher";
  swapOperator: boolean;
  relayed: boolean;
  buyerKind: ConsentKind;
  sellerKind: ConsentKind;
};

const amendCmd = command(
  "amend",
  fc
    .tuple(
      tradeCallArb,
      fc.record({
        price: fc.constantFrom<AmendParams["price"]>("same", "lower", "higher", "released"),
        factorBps: fc.integer({ min: 1, max: 9_999 }),
        deliveryDays: fc.constantFrom(0, 0, 10, 60),
        toleranceBps: fc.constantFrom(null, null, 0, 10_000),
        lotsDelta: fc.constantFrom(0, 0, 0, 1, -1),
        bond: fc.constantFrom<AmendParams["bond"]>("same", "same", "none", "higher"),
        swapOperator: fc.oneof(
          { weight: 6, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
        relayed: fc.boolean(),
        buyerKind: consentArb,
        sellerKind: consentArb,
      }),
    )
    .map(([call, rest]) => ({ ...call, ...rest })),
  async (m, r, p: AmendParams) => {
    const { id, terms, t } = pick(
      m,
      p,
      (c) => c.state >= TradeState.Signed && c.state <= TradeState.Delivered,
    );
    const delta = (terms.price * BigInt(p.factorBps)) / BPS;
    const price = {
      same: terms.price,
      lower: terms.price - delta,
      higher: terms.price + delta,
      released: (t?.released ?? 0n) + (t?.refunded ?? 0n),
    }[p.price];
    const amended: Terms = {
      ...terms,
      price,
      latestDelivery: terms.latestDelivery + BigInt(p.deliveryDays * DAY),
      toleranceBps: p.toleranceBps ?? terms.toleranceBps,
      lots: terms.lots + p.lotsDelta,
      sellerBond:
        terms.mode === PaymentMode.Direct
          ? 0n
          : { same: terms.sellerBond, none: 0n, higher: terms.sellerBond + price / 10n }[p.bond],
      operator: p.swapOperator
        ? same(terms.operator, m.accounts.operator)
          ? m.accounts.operator2
          : m.accounts.operator
        : terms.operator,
    };
    const version = (t?.version ?? 0) + 1;
    const deadline = m.now + BigInt(DAY);
    const sign = async (role: Role, kind: ConsentKind): Promise<[Consent, PartySignature]> => {
      const party = m.accounts[role];
      const nonce = consentNonce(m, party, kind);
      const signer = signerOf(r, m, kind === "forged" ? "stranger" : role);
      const sig = await signAmendment(r.ctx, signer, id, version, amended, nonce, deadline);
      return [{ signed: true, nonce, forged: kind === "forged" }, sig];
    };
    const none: [Consent, PartySignature] = [
      { signed: false },
      { nonce: 0n, deadline: 0n, signature: "0x" },
    ];
    // The buyer calls with the seller's signature, or a relayer carries both signatures.
    const caller = p.relayed
      ? signerOf(r, m, "relayer")
      : signerOf(r, m, resolveActor(p.actor, "buyer"));
    const [buyerConsent, buyerSig] = p.relayed ? await sign("buyer", p.buyerKind) : none;
    const [sellerConsent, sellerSig] = await sign("seller", p.sellerKind);
    await step(
      m,
      r,
      t?.id ?? null,
      (d) => actions.amend(d, caller.address, id, amended, buyerConsent, sellerConsent),
      () => r.ctx.escrow.connect(caller).amend(id, amended, buyerSig, sellerSig, GAS),
    );
  },
);

type ClaimParams = TradeCall & {
  ground: ClaimGround;
  refundBps: number;
  varianceBps: number;
  material: boolean;
  costs: bigint;
  otherTrade: boolean;
  agency: "agency" | "stranger" | "forged";
};

const fileClaimCmd = command(
  "fileClaim",
  fc
    .tuple(
      tradeCallArb,
      fc.record({
        ground: fc.constantFrom(
          ClaimGround.SpecificationVariance,
          ClaimGround.OdometerDiscrepancy,
          ClaimGround.UndisclosedRepairs,
          ClaimGround.MaterialDamage,
          ClaimGround.FalseAttestation,
        ),
        refundBps: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(1, 10_000)),
        varianceBps: fc.oneof(fc.integer({ min: 0, max: 10_001 }), fc.constant(10_000)),
        material: fc.boolean(),
        costs: fc.constantFrom(0n, 0n, USD(1_000), USD(1_000_000)),
        otherTrade: fc.oneof(
          { weight: 12, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
        agency: fc.oneof(
          { weight: 12, arbitrary: fc.constant<ClaimParams["agency"]>("agency") },
          { weight: 1, arbitrary: fc.constantFrom<ClaimParams["agency"]>("stranger", "forged") },
        ),
      }),
    )
    .map(([call, rest]) => ({ ...call, ...rest })),
  async (m, r, p: ClaimParams) => {
    const { id, t } = pick(
      m,
      p,
      (c) => c.claim.status === ClaimStatus.None && claimWindowStart(c) !== 0n,
    );
    const caller = signerOf(r, m, resolveActor(p.actor, "buyer"));
    const request = {
      ground: p.ground,
      refundBps: p.refundBps,
      costs: p.ground === ClaimGround.MaterialDamage ? p.costs : 0n,
      evidenceCid: cid(`evidence-${id}`),
    };
    const named = p.agency === "stranger" ? "stranger" : "agency";
    const report = {
      tradeId: p.otherTrade ? id + 1n : id,
      agency: m.accounts[named],
      varianceBps: p.varianceBps,
      material: p.material,
      reportCid: cid(`inspection-${id}`),
      nonce: freshNonce(),
      deadline: m.now + BigInt(30 * DAY),
    };
    const signer = signerOf(r, m, p.agency === "agency" ? "agency" : "stranger");
    const signature = await signReport(r.ctx, signer, report);
    await step(
      m,
      r,
      t?.id ?? null,
      (d) =>
        actions.fileClaim(
          d,
          caller.address,
          id,
          { ground: request.ground, refundBps: BigInt(request.refundBps), costs: request.costs },
          {
            tradeId: report.tradeId,
            varianceBps: BigInt(report.varianceBps),
            material: report.material,
            accredited: named === "agency",
          },
          { signed: true, nonce: report.nonce, forged: p.agency === "forged" },
        ),
      () => r.ctx.escrow.connect(caller).fileClaim(id, request, report, signature, GAS),
    );
  },
);

const contestCmd = command("contestClaim", tradeCallArb, async (m, r, p) => {
  const { id, t } = pick(m, p, (c) => c.claim.status === ClaimStatus.Filed);
  const caller = signerOf(r, m, resolveActor(p.actor, "seller"));
  await step(
    m,
    r,
    t?.id ?? null,
    (d) => actions.contestClaim(d, caller.address, id),
    () =>
      r.ctx.escrow
        .connect(caller)
        .contestClaim(id, cid(`counter-${id}`), { ...GAS, value: r.courtCost }),
  );
});

const appealCmd = command("appealRuling", tradeCallArb, async (m, r, p) => {
  const { id, t } = pick(m, p, (c) => c.claim.court?.phase === "Appealable");
  const caller = signerOf(r, m, resolveActor(p.actor, "seller"));
  await step(
    m,
    r,
    t?.id ?? null,
    (d) => actions.appealRuling(d, caller.address, id),
    () => r.ctx.escrow.connect(caller).appealRuling(id, { ...GAS, value: r.appealCost }),
  );
});

const settleCmd = command(
  "settleClaim",
  fc.tuple(tradeCallArb, fc.constantFrom("zero", "half", "all", "more"), consentArb, fc.boolean()),
  async (m, r, [p, how, sellerKind, relayed]) => {
    const { id, t } = pick(
      m,
      p,
      (c) => c.claim.status === ClaimStatus.Filed || c.claim.status === ClaimStatus.Contested,
    );
    const escrowed = t?.escrowed ?? 0n;
    const refund = { zero: 0n, half: escrowed / 2n, all: escrowed, more: escrowed + 1n }[how] ?? 0n;
    const deadline = m.now + BigInt(DAY);
    const sign = async (role: Role, kind: ConsentKind): Promise<[Consent, PartySignature]> => {
      const party = m.accounts[role];
      const nonce = consentNonce(m, party, kind);
      const signer = signerOf(r, m, kind === "forged" ? "stranger" : role);
      const sig = await signSettlement(r.ctx, signer, id, refund, nonce, deadline);
      return [{ signed: true, nonce, forged: kind === "forged" }, sig];
    };
    const caller = relayed
      ? signerOf(r, m, "relayer")
      : signerOf(r, m, resolveActor(p.actor, "buyer"));
    const [buyerConsent, buyerSig]: [Consent, PartySignature] = relayed
      ? await sign("buyer", "valid")
      : [{ signed: false }, { nonce: 0n, deadline: 0n, signature: "0x" }];
    const [sellerConsent, sellerSig] = await sign("seller", sellerKind);
    await step(
      m,
      r,
      t?.id ?? null,
      (d) => actions.settleClaim(d, caller.address, id, refund, buyerConsent, sellerConsent),
      () => r.ctx.escrow.connect(caller).settleClaim(id, refund, buyerSig, sellerSig, GAS),
    );
  },
);

/** The court hears the dispute of a contested claim: the panel commits and reveals `votes`. */
const hearCmd = command(
  "courtHears",
  fc.tuple(fc.nat(), fc.array(fc.integer({ min: 1, max: 10_001 }), { minLength: 7, maxLength: 7 })),
  async (m, r, [n, votes]) => {
    const hearing = m.trades.filter((t) => t.claim.court?.phase === "Drawing");
    const t = hearing[n % Math.max(hearing.length, 1)];
    if (t === undefined || t.claim.court === null) return;
    const disputeId = (await r.ctx.escrow.claim(t.id)).disputeId;
    if (BigInt(await time.latest()) < m.now) await time.increaseTo(m.now);
    const { panel } = await hearRound(
      r.ctx,
      disputeId,
      votes.map((v) => BigInt(v)),
    );
    m.now = BigInt(await time.latest());
    const ruling = BigInt(lowerMedian(votes.slice(0, panel.length)));
    stats.steps += 1;
    if (t.claim.court.round === 0) {
      const d = await r.ctx.court.dispute(disputeId);
      t.claim.court.phase = "Appealable";
      t.claim.court.ruling = ruling;
      t.claim.court.appealDeadline = d.appealDeadline;
      expect(d.ruling, "the court's first ruling is the lower median").to.equal(ruling);
    } else {
      actions.deliverRuling(m, t.id, ruling);
    }
    await expectAgreement(m, r, [t.id]);
  },
);

/** Anyone finalizes a first ruling once its appeal window has run out; the court delivers it. */
const finalizeCmd = command(
  "courtFinalizes",
  fc.tuple(fc.nat(), fc.constantFrom<When>("now", "at", "after", "after")),
  async (m, r, [n, when]) => {
    const contested = m.trades.filter((t) => t.claim.court !== null);
    const t = contested[n % Math.max(contested.length, 1)];
    if (t === undefined) return;
    const court = t.claim.court;
    if (court?.phase === "Appealable") await jumpTo(m, court.appealDeadline, when);
    const disputeId = (await r.ctx.escrow.claim(t.id)).disputeId;
    await step(
      m,
      r,
      t.id,
      (d) => actions.finalizeRuling(d, t.id),
      () => r.ctx.court.finalize(disputeId, GAS),
    );
  },
);

const withdrawCmd = command(
  "withdraw",
  fc.tuple(
    fc.constantFrom<Role>("buyer", "seller", "treasury", "stranger", "operator"),
    fc.boolean(),
    fc.constantFrom("one", "many", "toRelayer", "toZero"),
  ),
  async (m, r, [role, native, how]) => {
    const caller = signerOf(r, m, role);
    const token = native ? NATIVE : m.usd;
    const to = { toRelayer: m.accounts.relayer, toZero: NATIVE }[how as string];
    const escrow = r.ctx.escrow.connect(caller);
    await step(
      m,
      r,
      null,
      (d) => actions.withdraw(d, caller.address, token, to),
      // `withdrawMany` of one token is `withdraw`, with the same error.
      () =>
        to !== undefined
          ? escrow.withdrawTo(token, to, GAS)
          : how === "many"
            ? escrow.withdrawMany([token], GAS)
            : escrow.withdraw(token, GAS),
    );
  },
);

/** Jumps to a deadline of some trade (exactly at it, or one second after), or by a fixed span. */
const timeJumpCmd = command(
  "timeJump",
  fc.tuple(fc.nat(), fc.constantFrom(0n, 1n), fc.constantFrom(0, HOUR, DAY, 3 * DAY, 9 * DAY)),
  async (m, _r, [n, offset, span]) => {
    const deadlines: bigint[] = [];
    for (const t of m.trades) {
      if (FINAL_STATES.has(t.state)) continue;
      const terms = t.terms;
      deadlines.push(t.stageAt + BigInt(terms.depositWindow), fulfilmentDeadline(t));
      deadlines.push(terms.latestDelivery, t.stageAt + BigInt(terms.collectAfter));
      deadlines.push(balanceDeadline(terms), latestDelivery(t), graceEnd(t));
      const start = claimWindowStart(t);
      if (start !== 0n) deadlines.push(start + BigInt(terms.claimWindow));
      if (t.claim.status === ClaimStatus.Filed) deadlines.push(responseDeadline(t));
      if (t.claim.court?.phase === "Appealable") deadlines.push(t.claim.court.appealDeadline);
    }
    const ahead = deadlines.filter((d) => d + offset - 1n > m.now).sort((a, b) => (a < b ? -1 : 1));
    const target =
      span !== 0 || ahead.length === 0
        ? m.now + BigInt(span === 0 ? DAY : span)
        : (ahead[n % ahead.length] as bigint) + offset - 1n;
    await time.increaseTo(target);
    m.now = target;
  },
);

const poolCmd = command(
  "pool",
  fc.tuple(
    fc.constantFrom("fund", "withdraw", "repay"),
    fc.constantFrom<Role>("admin", "admin", "stranger"),
    fc.constantFrom(0n, 1n, USD(50_000), USD(500_000)),
  ),
  async (m, r, [what, role, amount]) => {
    const { escrow } = r.ctx;
    if (what === "fund") {
      const platform = signerOf(r, m, "platform");
      await step(
        m,
        r,
        null,
        (d) => actions.fundPool(d, platform.address, amount),
        () => escrow.connect(platform).fundPool(m.usd, amount, GAS),
      );
    } else if (what === "withdraw") {
      const caller = signerOf(r, m, role);
      await step(
        m,
        r,
        null,
        (d) => actions.withdrawPool(d, caller.address, amount),
        () => escrow.connect(caller).withdrawPool(m.usd, amount, m.accounts.platform, GAS),
      );
    } else {
      const buyer = signerOf(r, m, "buyer");
      const repay = amount === USD(500_000) ? m.debt : amount;
      await step(
        m,
        r,
        null,
        (d) => actions.repayDebt(d, buyer.address, repay),
        () => escrow.connect(buyer).repayDebt(m.usd, repay, GAS),
      );
    }
  },
);

/** The buyer withdraws or restores its stablecoin allowance (pay after use then cannot collect). */
const allowanceCmd = command("buyerAllowance", fc.boolean(), async (m, r, approve) => {
  const buyer = signerOf(r, m, "buyer");
  await nextBlock(m);
  await r.ctx.usd
    .connect(buyer)
    .approve(r.ctx.escrow.target, approve ? ethers.MaxUint256 : 0n, GAS);
  m.buyerApproves = approve;
});

const operatorBondCmd = command(
  "operatorBond",
  fc.tuple(
    fc.boolean(),
    fc.constantFrom<Role>("operator", "operator2"),
    fc.constantFrom(0n, 1n, ethers.parseEther("1")),
  ),
  async (m, r, [post, role, amount]) => {
    const caller = signerOf(r, m, role);
    await step(
      m,
      r,
      null,
      (d) =>
        post
          ? actions.postOperatorBond(d, caller.address, amount)
          : actions.withdrawOperatorBond(d, caller.address, amount),
      () =>
        post
          ? r.ctx.escrow.connect(caller).postOperatorBond(amount, { ...GAS, value: amount })
          : r.ctx.escrow.connect(caller).withdrawOperatorBond(amount, GAS),
    );
  },
);

const adminCmd = command(
  "admin",
  fc.tuple(
    fc.constantFrom("setFee", "pause", "unpause", "setCap"),
    fc.constantFrom<Role>("admin", "admin", "stranger"),
    fc.constantFrom(0, 100, 250, 501),
  ),
  async (m, r, [what, role, fee]) => {
    const caller = signerOf(r, m, role);
    const escrow = r.ctx.escrow.connect(caller);
    // The buyer exposure cap: closed, room for one default trade, or for ten.
    const cap = { 0: 0n, 100: USD(150_000), 250: USD(1_000_000), 501: USD(1) }[fee] ?? 0n;
    await step(
      m,
      r,
      null,
      (d) =>
        what === "setFee"
          ? actions.setFee(d, caller.address, fee)
          : what === "setCap"
            ? actions.setBuyerExposureCap(d, caller.address, cap)
            : what === "pause"
              ? actions.pause(d, caller.address)
              : actions.unpause(d, caller.address),
      () =>
        what === "setFee"
          ? escrow.setFee(fee, GAS)
          : what === "setCap"
            ? escrow.setBuyerExposureCap(m.usd, cap, GAS)
            : what === "pause"
              ? escrow.pause(GAS)
              : escrow.unpause(GAS),
    );
  },
);

/**
 * The buyer and the seller are one person: they amend a pay-after-use trade's price up to the pool's
 * whole free balance (or one unit past the buyer's cap), the buyer empties its allowance and confirms
 * receipt, so that collection fails and the pool pays. Economic property 11 bounds what this can take.
 */
const colludeCmd = command(
  "collude",
  fc.tuple(tradeArb, fc.constantFrom("wholePool", "pastCap")),
  async (m, r, [p, target]) => {
    const { id, terms, t } = pick(
      m,
      p,
      (c) =>
        c.terms.mode === PaymentMode.PayAfterUse &&
        c.state >= TradeState.Signed &&
        c.state <= TradeState.Delivered,
    );
    if (t === undefined || terms.mode !== PaymentMode.PayAfterUse) return;
    const room =
      target === "wholePool" ? m.pool.balance - m.pool.committed : m.exposureCap - m.exposure + 1n;
    const amended: Terms = { ...terms, price: terms.price + (room > 0n ? room : 1n) };
    const version = t.version + 1;
    const deadline = m.now + BigInt(DAY);
    const signed = async (role: Role): Promise<[Consent, PartySignature]> => {
      const nonce = freshNonce();
      const sig = await signAmendment(
        r.ctx,
        signerOf(r, m, role),
        id,
        version,
        amended,
        nonce,
        deadline,
      );
      return [{ signed: true, nonce, forged: false }, sig];
    };
    const [buyerConsent, buyerSig] = await signed("buyer");
    const [sellerConsent, sellerSig] = await signed("seller");
    const relayer = signerOf(r, m, "relayer");
    await step(
      m,
      r,
      id,
      (d) => actions.amend(d, relayer.address, id, amended, buyerConsent, sellerConsent),
      () => r.ctx.escrow.connect(relayer).amend(id, amended, buyerSig, sellerSig, GAS),
    );
    const now = m.trades[Number(id) - 1] as TradeModel;
    if (now.state !== TradeState.Delivered) return;
    await allowanceCmd.exec(m, r, false);
    const buyer = signerOf(r, m, "buyer");
    await step(
      m,
      r,
      id,
      (d) => actions.confirmReceipt(d, buyer.address, id),
      () => r.ctx.escrow.connect(buyer).confirmReceipt(id, GAS),
    );
    await allowanceCmd.exec(m, r, true);
  },
);

const valueOfDeposit = (_t: TradeModel | undefined, terms: Terms) => depositAmount(terms);
const valueOfBalance = (t: TradeModel | undefined) => (t === undefined ? 0n : balanceDue(t));
const valueOfBond = (t: TradeModel | undefined, terms: Terms) =>
  terms.sellerBond - (t?.sellerBond ?? 0n);
const valueOfPrice = (_t: TradeModel | undefined, terms: Terms) => terms.price;

const depositDeadline = (t: TradeModel) => t.stageAt + BigInt(t.terms.depositWindow);
const windowEnd = (t: TradeModel) => {
  const start = claimWindowStart(t);
  return start === 0n ? null : start + BigInt(t.terms.claimWindow);
};
const claimResponseDeadline = (t: TradeModel) =>
  t.claim.status === ClaimStatus.Filed ? responseDeadline(t) : null;

const allCommands: fc.Arbitrary<Cmd>[] = [
  proposeCmd,
  openCmd,
  simple("acceptTrade", acceptorOf),
  simple("withdrawProposal", proposerOf),
  simple("payDeposit", () => "buyer", valueOfDeposit, depositDeadline),
  simple("payBalance", () => "buyer", valueOfBalance),
  simple("postSellerBond", () => "seller", valueOfBond),
  simple("startFulfilment", () => "seller", undefined, fulfilmentDeadline),
  shipCmd,
  attestCmd,
  attestCmd,
  simple("release", () => "stranger", undefined, windowEnd),
  simple("payDirect", () => "buyer", valueOfPrice, depositDeadline),
  refundVoluntarilyCmd,
  simple(
    "confirmReceipt",
    () => "buyer",
    undefined,
    (t) => t.stageAt + BigInt(t.terms.collectAfter),
  ),
  simple("cancelForMissedDeposit", () => "seller", undefined, depositDeadline),
  simple("cancelForMissedStart", () => "buyer", undefined, fulfilmentDeadline),
  simple(
    "cancelUnshipped",
    (t) => (t !== undefined && balanceDue(t) === 0n ? "buyer" : "seller"),
    undefined,
    (t) => (balanceDue(t) === 0n ? latestDelivery(t) : balanceDeadline(t.terms)),
  ),
  simple(
    "cancelUndelivered",
    // Either party closes an undelivered trade (the seller alone when the buyer owes a raised price).
    (t) => (t !== undefined && balanceDue(t) === 0n && t.id % 2n === 0n ? "buyer" : "seller"),
    undefined,
    graceEnd,
  ),
  amendCmd,
  fileClaimCmd,
  simple("acceptClaim", () => "seller", undefined, claimResponseDeadline),
  contestCmd,
  settleCmd,
  simple("enforceDefaultJudgment", () => "stranger", undefined, claimResponseDeadline),
  hearCmd,
  appealCmd,
  finalizeCmd,
  simple("executeRuling", () => "stranger"),
  withdrawCmd,
  timeJumpCmd,
  timeJumpCmd,
  poolCmd,
  allowanceCmd,
  colludeCmd,
  operatorBondCmd,
  adminCmd,
];

// ------------------------------------------------------------------------------------------------
// Liveness: a party acting alone gets out of every state, with what the rules give it
// ------------------------------------------------------------------------------------------------

type Party = "buyer" | "seller";
type Exit = EscrowFn | "markShipped";

/**
 * What a party may do without the other (and what anyone may trigger), in the order it tries them. The
 * operator and the other party stay silent; only the court (neutral arbitrators, who vote to reject)
 * still sits.
 */
const EXITS: Record<Party, readonly (readonly [Exit, Role])[]> = {
  buyer: [
    ["withdrawProposal", "buyer"],
    ["payBalance", "buyer"],
    ["confirmReceipt", "buyer"],
    ["cancelForMissedStart", "buyer"],
    ["cancelUnshipped", "buyer"],
    ["cancelUndelivered", "buyer"],
    ["enforceDefaultJudgment", "stranger"],
    ["executeRuling", "stranger"],
    ["release", "stranger"],
  ],
  seller: [
    ["withdrawProposal", "seller"],
    ["cancelForMissedDeposit", "seller"],
    ["postSellerBond", "seller"],
    ["startFulfilment", "seller"],
    ["markShipped", "seller"],
    ["cancelUnshipped", "seller"],
    ["cancelUndelivered", "seller"],
    ["acceptClaim", "seller"],
    ["confirmReceipt", "stranger"],
    ["executeRuling", "stranger"],
    ["release", "stranger"],
  ],
};

/** The remedies the other party has for `party`'s default. */
const REMEDIES: Record<Party, readonly (readonly [EscrowFn, Role])[]> = {
  buyer: [
    ["cancelForMissedDeposit", "seller"],
    ["cancelUnshipped", "seller"],
  ],
  seller: [
    ["cancelForMissedStart", "buyer"],
    ["cancelUnshipped", "buyer"],
    ["enforceDefaultJudgment", "stranger"],
  ],
};

/** Every deadline of a trade: the times at which what a party may do changes. */
function deadlinesOf(t: TradeModel): bigint[] {
  const terms = t.terms;
  const list = [
    depositDeadline(t),
    fulfilmentDeadline(t),
    balanceDeadline(terms),
    latestDelivery(t),
    graceEnd(t),
    t.stageAt + BigInt(terms.collectAfter),
  ];
  const end = windowEnd(t);
  if (end !== null) list.push(end);
  const response = claimResponseDeadline(t);
  if (response !== null) list.push(response);
  if (t.claim.court?.phase === "Appealable") list.push(t.claim.court.appealDeadline);
  return list;
}

/** What `party` has at stake in trade `t`: the buyer its escrowed money, the seller its bond and price. */
function stakeOf(t: TradeModel, party: Party): bigint {
  if (party === "buyer") return t.terms.mode === PaymentMode.Protected ? t.escrowed : 0n;
  const uncollected = t.terms.mode === PaymentMode.PayAfterUse && t.state === TradeState.Delivered;
  return t.sellerBond + t.escrowed + (uncollected ? t.terms.price : 0n);
}

/** `role` calls `fn` on trade `id` if the model accepts it in the next block; whether it did. */
async function tryExit(m: Model, r: Real, id: bigint, fn: Exit, role: Role): Promise<boolean> {
  const t = m.trades[Number(id) - 1] as TradeModel;
  const caller = signerOf(r, m, role);
  const apply = (d: Model) =>
    fn === "markShipped"
      ? actions.markShipped(d, caller.address, id)
      : modelStep(d, fn, caller.address, id, t.terms);
  if (!accepts({ ...m, now: m.now + 1n }, apply)) return false;
  const native = same(t.terms.token, NATIVE);
  const value = !native
    ? 0n
    : fn === "payBalance"
      ? balanceDue(t)
      : fn === "postSellerBond"
        ? valueOfBond(t, t.terms)
        : 0n;
  await step(m, r, id, apply, () => {
    const escrow = r.ctx.escrow.connect(caller);
    if (fn === "markShipped") return escrow.markShipped(id, cid(`alone-${id}`), GAS);
    const method = escrow[fn] as unknown as (
      ...args: unknown[]
    ) => Promise<ContractTransactionResponse>;
    return method(...chainArgs(fn, id, t.terms), value === 0n ? GAS : { ...GAS, value });
  });
  return true;
}

/** The neutral court moves a contested claim one stage on; whether it could. */
async function courtMoves(m: Model, r: Real, id: bigint): Promise<boolean> {
  const t = m.trades[Number(id) - 1] as TradeModel;
  if (t.claim.status !== ClaimStatus.Contested || t.claim.court === null) return false;
  if (t.claim.court.phase === "Drawing") {
    const hearing = m.trades.filter((c) => c.claim.court?.phase === "Drawing");
    await hearCmd.exec(m, r, [hearing.findIndex((c) => c.id === id), [1, 1, 1, 1, 1, 1, 1]]);
    return true;
  }
  if (t.claim.court.phase === "Appealable") {
    const contested = m.trades.filter((c) => c.claim.court !== null);
    await finalizeCmd.exec(m, r, [contested.findIndex((c) => c.id === id), "after"]);
    return true;
  }
  return false;
}

const ALONE_MAX_STEPS = 16;
let livenessSteps = 0;

/**
 * Liveness: `party` keeps every deadline from here on, alone. It must reach a final state (or have
 * nothing at stake) in a bounded number of steps, unless it is already in default (the other party
 * holds a remedy against it). Then, economically: a buyer that received no lot of a protected or
 * pay-after-use trade gets back everything it paid; a seller whose trade completed is paid the net
 * price.
 */
async function expectLiveness(m: Model, r: Real, id: bigint, party: Party): Promise<void> {
  let steps = 0;
  for (; steps < ALONE_MAX_STEPS; steps += 1) {
    const t = m.trades[Number(id) - 1] as TradeModel;
    if (FINAL_STATES.has(t.state)) break;
    let acted = false;
    for (const [fn, role] of EXITS[party]) {
      if (fn === "withdrawProposal" && t.proposedBySeller !== (party === "seller")) continue;
      if (await tryExit(m, r, id, fn, role)) {
        acted = true;
        break;
      }
    }
    if (acted || (await courtMoves(m, r, id))) {
      livenessSteps += 1;
      continue;
    }
    const ahead = deadlinesOf(t).filter((d) => d > m.now);
    if (ahead.length === 0) break;
    const next = ahead.reduce((a, b) => (a < b ? a : b));
    await jumpTo(m, next, "after");
  }
  const t = m.trades[Number(id) - 1] as TradeModel;
  const probe = { ...m, now: m.now + 1n };
  const inDefault = REMEDIES[party].some(([fn, role]) =>
    accepts(probe, (d) => modelStep(d, fn, m.accounts[role], id, t.terms)),
  );
  const finished = FINAL_STATES.has(t.state) || stakeOf(t, party) === 0n;
  expect(
    finished || inDefault,
    `the ${party} alone gets out of trade ${id} (${TradeState[t.state]}) in ${steps} steps`,
  ).to.equal(true);
  if (!FINAL_STATES.has(t.state)) return;
  const out = (flow: string, account: string) =>
    t.paidOut[`${flow}|${account.toLowerCase()}`] ?? 0n;
  // (A direct payment is unprotected by design: the seller is paid before anything ships.)
  const protectedTrade = t.terms.mode !== PaymentMode.Direct;
  if (party === "buyer" && protectedTrade && t.lotsDone === 0 && t.refunded === 0n) {
    const buyer = t.terms.buyer;
    const back = out("refund", buyer) + out("bond", buyer) + out("costs", buyer);
    expect(back, `the buyer alone gets back all it paid, trade ${id}`).to.be.at.least(
      t.paidIn[buyer.toLowerCase()] ?? 0n,
    );
  }
  if (party === "seller" && t.state === TradeState.Completed) {
    const paid = out("price", t.terms.seller) + out("price", m.accounts.treasury);
    expect(paid, `the seller of a completed trade is paid the net price, trade ${id}`).to.equal(
      t.terms.price - t.refunded,
    );
  }
}

// ------------------------------------------------------------------------------------------------
// The run
// ------------------------------------------------------------------------------------------------

describe("TradeEscrow: stateful properties against the reference model", function () {
  let real: Real;
  let base: Model;
  let snapshot: string;

  before(async function () {
    this.timeout(0);
    const ctx = await useEscrow();
    const signers = await ethers.getSigners();
    const at = (i: number): Signer => {
      const s = signers[i];
      if (s === undefined) throw new Error(`Need ${i + 1} accounts.`);
      return s;
    };
    const agency = at(8);
    const arbitrators = signers.slice(9, 16);
    const oracle = at(16);
    const platform = at(17);
    const { escrow, court, usd, admin } = ctx;
    await escrow.connect(admin).grantRole(await escrow.INSPECTOR_ROLE(), agency.address);
    await escrow.connect(admin).grantRole(await escrow.CREDIT_ORACLE_ROLE(), oracle.address);
    for (const a of arbitrators) await court.connect(admin).accreditArbitrator(a.address);
    await usd.mint(platform.address, USD(100_000_000));
    await usd.connect(platform).approve(escrow.target, ethers.MaxUint256);
    const now = BigInt(await time.latest());
    const expiresAt = now + 20n * 365n * BigInt(DAY);
    await escrow
      .connect(oracle)
      .recordCreditScore(
        { buyer: ctx.buyer.address, score: 720, issuedAt: now, expiresAt, nonce: 1n },
        "0x",
      );

    const accounts: Accounts = {
      admin: admin.address,
      treasury: ctx.treasury.address,
      buyer: ctx.buyer.address,
      seller: ctx.seller.address,
      operator: ctx.operator.address,
      operator2: ctx.operator2.address,
      stranger: ctx.stranger.address,
      relayer: ctx.relayer.address,
      agency: agency.address,
      platform: platform.address,
    };
    const bySigner: Record<string, Signer> = {};
    for (const s of [...signers.slice(0, 8), agency, platform])
      bySigner[s.address.toLowerCase()] = s;
    const operators: Model["operators"] = {};
    for (const op of [ctx.operator, ctx.operator2]) {
      const [bond, required, openTrades] = await escrow.operatorBond(op.address);
      operators[op.address.toLowerCase()] = { bond, required, openTrades };
    }
    const usdAddress = (await usd.getAddress()).toLowerCase();
    const escrowAddress = await escrow.getAddress();
    real = {
      ctx,
      signers: bySigner,
      arbitrators,
      courtCost: await court.arbitrationCost(courtTerms()),
      appealCost: BigInt(7) * ethers.parseEther("0.01"),
    };
    base = {
      now: BigInt(await time.latest()),
      feeBps: Number(await escrow.feeBps()),
      feeCapBps: Number(await escrow.feeCapBps()),
      paused: false,
      accounts,
      usd: usdAddress,
      trades: [],
      credits: {},
      held: {
        [NATIVE]: await ethers.provider.getBalance(escrowAddress),
        [usdAddress]: await usd.balanceOf(escrowAddress),
      },
      pool: { balance: 0n, committed: 0n },
      debt: 0n,
      exposure: 0n,
      exposureCap: 0n,
      operators,
      operatorBondPosted: Object.fromEntries(
        Object.entries(operators).map(([op, { bond }]) => [op, bond]),
      ),
      nonces: {},
      buyerApproves: true,
      creditExpiresAt: expiresAt,
      creditOk: true,
    };
    await prelude(base, real);
    reachedStates.clear();
    snapshot = (await connection.provider.send("evm_snapshot", [])) as string;
  });

  it(`keeps every invariant over ${RUNS} random sequences of up to ${MAX_COMMANDS} actions (seed ${SEED})`, async function () {
    this.timeout(0);
    console.log(`      fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${RUNS} sequences`);
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.commands(allCommands, { maxCommands: MAX_COMMANDS, size: "max" }),
        async (cmds) => {
          await connection.provider.send("evm_revert", [snapshot]);
          snapshot = (await connection.provider.send("evm_snapshot", [])) as string;
          stats.sequences += 1;
          const model = structuredClone(base);
          touchedTrades.clear();
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // At the end of a sequence: every trade the sequence touched agrees (every trade, one sequence
          // in five), and the fixture's own conservation check holds over all of them.
          const everything = stats.sequences % 5 === 0;
          await expectAgreement(
            model,
            real,
            model.trades
              .filter((t) => everything || touchedTrades.has(t.id) || t.id > base.trades.length)
              .map((t) => t.id),
          );
          await expectFundsConservedFor(real.ctx.escrow, {
            trades: model.trades.map((t) => [t.id, t.terms.token] as const),
            accounts: Object.values(model.accounts),
            operators: Object.keys(model.operators),
            tokens: [NATIVE, model.usd],
          });
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FUZZ_SHRINK === undefined },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `      ${stats.sequences} sequences, ${stats.steps} steps (${stats.succeeded} accepted, ` +
        `${stats.reverted} refused) in ${seconds} s; states reached: ${[...reachedStates]
          .sort((a, b) => a - b)
          .map((s) => TradeState[s])
          .join(", ")}`,
    );
    console.log(
      `      accepted/refused per command: ${Object.entries(perCommand)
        .filter(([name]) => name !== "prelude")
        .map(([name, c]) => `${name} ${c.accepted}/${c.refused}`)
        .join(", ")}`,
    );
    expect(stats.sequences).to.be.at.least(RUNS);
    // The generator must reach every end of a trade, or the properties prove little.
    if (RUNS >= 1_000)
      for (const state of [TradeState.Completed, TradeState.Cancelled, TradeState.Refunded])
        expect(reachedStates.has(state), `reached ${TradeState[state]}`).to.equal(true);
  });

  it(`liveness: after ${LIVENESS_RUNS} random sequences, the buyer or the seller alone gets out of every open trade (seed ${SEED})`, async function () {
    this.timeout(0);
    const started = Date.now();
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.commands(allCommands, { maxCommands: LIVENESS_COMMANDS, size: "max" }),
        fc.constantFrom<Party>("buyer", "seller"),
        fc.nat(),
        async (cmds, party, n) => {
          await connection.provider.send("evm_revert", [snapshot]);
          snapshot = (await connection.provider.send("evm_snapshot", [])) as string;
          const model = structuredClone(base);
          touchedTrades.clear();
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // The trades the sequence touched or opened, and one more of the prelude's.
          const ids = new Set([...touchedTrades, BigInt((n % base.trades.length) + 1)]);
          for (const t of model.trades) if (t.id > base.trades.length) ids.add(t.id);
          for (const id of ids) {
            const t = model.trades[Number(id) - 1];
            if (t === undefined || FINAL_STATES.has(t.state)) continue;
            await expectLiveness(model, real, id, party);
            checked += 1;
          }
        },
      ),
      { numRuns: LIVENESS_RUNS, seed: SEED, endOnFailure: process.env.FUZZ_SHRINK === undefined },
    );
    console.log(
      `      liveness: ${checked} open trades left alone to one party, ${livenessSteps} steps, in ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(checked).to.be.at.least(LIVENESS_RUNS);
  });
});

// ------------------------------------------------------------------------------------------------
// The prelude: trades in every stage, so that short sequences start deep in the state machine
// ------------------------------------------------------------------------------------------------

async function prelude(m: Model, r: Real): Promise<void> {
  const base: TermsParams = {
    mode: PaymentMode.Protected,
    native: false,
    price: USD(100_000),
    quantity: 10,
    lots: 1,
    toleranceBps: 500,
    depositBps: 3_000,
    claimWindow: false,
    bondShare: 0,
    deliveryDays: 30,
    shipDays: 3,
    graceDays: 7,
    responseDays: 7,
    collectAfter: 0,
    operator2: false,
    mutation: "none",
  };
  const at = (id: bigint): TradeCall => ({
    n: Number(id) - 1,
    wrongTerms: false,
    actor: "rightful",
    when: "now",
  });
  const escrow = r.ctx.escrow;
  const party = (role: Role) => signerOf(r, m, role);
  const tradeOf = (id: bigint): TradeModel => m.trades[Number(id) - 1] as TradeModel;

  // The pool backs pay after use, up to a cap per buyer.
  await step(
    m,
    r,
    null,
    (d) => actions.fundPool(d, m.accounts.platform, USD(1_000_000)),
    () => escrow.connect(party("platform")).fundPool(m.usd, USD(1_000_000), GAS),
  );
  await step(
    m,
    r,
    null,
    (d) => actions.setBuyerExposureCap(d, m.accounts.admin, USD(1_000_000)),
    () => escrow.connect(party("admin")).setBuyerExposureCap(m.usd, USD(1_000_000), GAS),
  );
  const open = async (params: Partial<TermsParams>): Promise<bigint> => {
    const terms = makeTerms(m, r, { ...base, ...params });
    const id = BigInt(m.trades.length + 1);
    await step(
      m,
      r,
      id,
      (d) => actions.proposeTrade(d, m.accounts.buyer, terms),
      () => escrow.connect(party("buyer")).proposeTrade(terms, GAS),
    );
    await step(
      m,
      r,
      id,
      (d) => actions.acceptTrade(d, m.accounts.seller, id, terms),
      () => escrow.connect(party("seller")).acceptTrade(id, terms, GAS),
    );
    return id;
  };
  const act = async (
    id: bigint,
    fn: "payDeposit" | "postSellerBond" | "startFulfilment" | "payBalance" | "payDirect",
    role: Role,
    value = 0n,
  ) => {
    const terms = tradeOf(id).terms;
    const v = same(terms.token, NATIVE) ? value : 0n;
    await step(
      m,
      r,
      id,
      (d) => actions[fn](d, m.accounts[role], id),
      () => {
        const method = escrow.connect(party(role))[fn] as unknown as (
          ...args: unknown[]
        ) => Promise<ContractTransactionResponse>;
        return method(...chainArgs(fn, id, terms), v === 0n ? GAS : { ...GAS, value: v });
      },
    );
  };
  const ship = async (id: bigint) => {
    await step(
      m,
      r,
      id,
      (d) => actions.markShipped(d, m.accounts.seller, id),
      () => escrow.connect(party("seller")).markShipped(id, cid("bill"), GAS),
    );
  };
  const attestNow = async (id: bigint, kind: number, quantity: bigint) => {
    const t = tradeOf(id);
    const a = {
      tradeId: id,
      kind,
      lot: t.lotsDone + 1,
      quantity,
      time: m.now + 1n,
      documentCid: cid("receipt"),
      nonce: 0n,
      deadline: m.now + BigInt(DAY),
    };
    await step(
      m,
      r,
      id,
      (d) => actions.attest(d, m.accounts.operator, id, a, { signed: false }),
      () => escrow.connect(party("operator")).attest(a, "0x", GAS),
    );
  };
  const toShipped = async (id: bigint) => {
    const t = tradeOf(id);
    if (t.terms.mode === PaymentMode.Protected)
      await act(id, "payDeposit", "buyer", depositAmount(t.terms));
    if (t.terms.mode === PaymentMode.Direct) await act(id, "payDirect", "buyer", t.terms.price);
    if (t.terms.sellerBond !== 0n) await act(id, "postSellerBond", "seller", t.terms.sellerBond);
    if (t.terms.mode !== PaymentMode.Direct) await act(id, "startFulfilment", "seller");
    if (balanceDue(t) !== 0n) await act(id, "payBalance", "buyer", balanceDue(tradeOf(id)));
    await ship(id);
  };

  const claim = (id: bigint, ground: ClaimGround, refundBps: number): ClaimParams => ({
    ...at(id),
    ground,
    refundBps,
    varianceBps: refundBps,
    material: ground === ClaimGround.MaterialDamage,
    costs: ground === ClaimGround.MaterialDamage ? USD(1_000) : 0n,
    otherTrade: false,
    agency: "agency",
  });
  const delivered = async (params: Partial<TermsParams>): Promise<bigint> => {
    const id = await open(params);
    await toShipped(id);
    await attestNow(id, 3, 0n);
    await attestNow(id, 2, 10n);
    return id;
  };

  // The court's stages first, as hearings take days: a false-attestation claim ruled on and waiting to
  // be executed; a claim on a lot received but held (no title yet), heard once and appealable.
  const ruled = await delivered({ claimWindow: true, bondShare: 500 });
  await fileClaimCmd.exec(m, r, claim(ruled, ClaimGround.FalseAttestation, 2_000));
  await contestCmd.exec(m, r, at(ruled));
  const heard = await open({ claimWindow: true, bondShare: 500, lots: 2 });
  await toShipped(heard);
  await attestNow(heard, 3, 0n);
  await attestNow(heard, 0, 5n);
  await fileClaimCmd.exec(m, r, claim(heard, ClaimGround.SpecificationVariance, 4_000));
  await contestCmd.exec(m, r, at(heard));
  await hearCmd.exec(m, r, [0, [1_001, 2_001, 3_001, 1, 1, 1, 1]]);
  const court = tradeOf(ruled).claim.court;
  if (court === null) throw new Error(`Trade ${ruled} has no dispute.`);
  await time.increaseTo(court.appealDeadline + 1n);
  m.now = court.appealDeadline + 1n;
  await finalizeCmd.exec(m, r, [0, "now"]);
  await hearCmd.exec(m, r, [0, [2_001, 3_001, 501, 1, 1, 1, 1]]);

  // Then trades in every other stage, their windows still open:
  // a protected trade in the stablecoin with a claim window, a bond and two lots, just signed;
  await open({ claimWindow: true, bondShare: 500, lots: 2 });
  // a protected trade in the native coin, three lots, shipped;
  await toShipped(await open({ native: true, price: USD(50), lots: 3, quantity: 9 }));
  // delivered with the claim window open (arrival attested);
  await delivered({ claimWindow: true, bondShare: 500 });
  // a material-damage claim filed, costs to come from the bond;
  const filed = await delivered({ claimWindow: true, bondShare: 10_000 });
  await fileClaimCmd.exec(m, r, claim(filed, ClaimGround.MaterialDamage, 10_000));
  // a direct trade paid and shipped; pay after use shipped; a direct trade just signed;
  await toShipped(await open({ mode: PaymentMode.Direct, native: true, price: USD(20) }));
  await toShipped(await open({ mode: PaymentMode.PayAfterUse, collectAfter: 14 * DAY }));
  await open({ mode: PaymentMode.Direct, collectAfter: DAY });
  // halted: a protected trade whose only lot came short;
  const halted = await open({ toleranceBps: 0 });
  await toShipped(halted);
  await attestNow(halted, 2, 7n);
  // deposited with the bond posted; pay after use with fulfilment started;
  const deposited = await open({ bondShare: 500, claimWindow: true, lots: 2 });
  await act(deposited, "payDeposit", "buyer", depositAmount(tradeOf(deposited).terms));
  await act(deposited, "postSellerBond", "seller", tradeOf(deposited).terms.sellerBond);
  const started = await open({ mode: PaymentMode.PayAfterUse, collectAfter: DAY, deliveryDays: 8 });
  await act(started, "startFulfilment", "seller");
  // and a proposal by the seller.
  const proposal = makeTerms(m, r, { ...base, native: true, price: USD(30) });
  await step(
    m,
    r,
    BigInt(m.trades.length + 1),
    (d) => actions.proposeTrade(d, m.accounts.seller, proposal),
    () => escrow.connect(party("seller")).proposeTrade(proposal, GAS),
  );
  await expectAgreement(
    m,
    r,
    m.trades.map((t) => t.id),
  );
}
