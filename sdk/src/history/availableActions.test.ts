import { zeroAddress } from "viem";
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import {
  AttestationKind,
  CancelReason,
  ClaimGround,
  ClaimStatus,
  PaymentMode,
  TradeState,
} from "../contracts/index.js";
import type { Terms } from "../eip712/index.js";
import {
  addBusinessDays,
  availableAction,
  availableActions,
  tradeActionWindows,
  tradeRolesOf,
} from "./index.js";
import type { ActionTradeFields, TradeActionName } from "./index.js";

// The rules of availableActions, state by state and deadline by deadline, on records built by hand.
// Whether they are the contract's is checked against the chain in availableActions.chain.test.ts.

const BUYER: Address = "0x0000000000000000000000000000000000000b0b";
const SELLER: Address = "0x000000000000000000000000000000000000a11c";
const OPERATOR: Address = "0x0000000000000000000000000000000000000123";
const STRANGER: Address = "0x0000000000000000000000000000000000000999";
const TOKEN: Address = "0x0000000000000000000000000000000000005d00";
const DAY = 86_400n;
// Monday 2030-01-07 10:00 UTC: every time below is fixed.
const T0 = BigInt(Date.UTC(2030, 0, 7, 10) / 1000);

const baseTerms: Terms = {
  buyer: BUYER,
  seller: SELLER,
  operator: OPERATOR,
  token: TOKEN,
  mode: PaymentMode.Protected,
  price: 1_000n,
  quantity: 10n,
  toleranceBps: 0,
  depositBps: 3_000,
  lots: 1,
  latestDelivery: T0 + 60n * DAY,
  shipWindow: 14 * 86_400,
  deliveryGrace: 14 * 86_400,
  depositWindow: 72 * 3_600,
  fulfilmentDays: 3,
  claimWindow: 5 * 86_400,
  responseDays: 7,
  collectAfter: 0,
  feeBps: 100,
  sellerBond: 0n,
  arbitrator: zeroAddress,
  arbitratorExtraData: "0x",
  manifestCid: "0x01",
};

function trade(fields: Partial<ActionTradeFields> = {}, terms: Partial<Terms> = {}) {
  return {
    state: TradeState.Signed,
    stageAt: T0,
    escrowed: 0n,
    released: 0n,
    refunded: 0n,
    sellerBond: 0n,
    arrivedAt: 0n,
    lateBalancePaidAt: 0n,
    claim: undefined,
    proposedBySeller: false,
    ...fields,
    terms: { ...baseTerms, ...terms },
  } satisfies ActionTradeFields;
}

const names = (t: ActionTradeFields, account: Address | undefined, now: bigint) =>
  availableActions(t, account, now)
    .map((a) => a.name)
    .sort();
const sorted = (list: TradeActionName[]) => [...list].sort();

const claim = (status: ClaimStatus, filedAt = T0) => ({
  status,
  ground: ClaimGround.SpecificationVariance,
  refundBps: 1_000,
  filedAt,
  costs: 0n,
  disputeId: 0n,
  ruling: 0n,
});

describe("tradeRolesOf", () => {
  it("knows the parties and never takes the zero address for an operator", () => {
    expect(tradeRolesOf(baseTerms, BUYER)).toEqual(["buyer"]);
    expect(tradeRolesOf(baseTerms, OPERATOR.toUpperCase().replace("0X", "0x") as Address)).toEqual([
      "operator",
    ]);
    expect(tradeRolesOf({ ...baseTerms, operator: zeroAddress }, zeroAddress)).toEqual([]);
    expect(tradeRolesOf(baseTerms, STRANGER)).toEqual([]);
  });
});

describe("availableActions", () => {
  it("lets the other party accept a proposal until the latest delivery, and the proposer withdraw", () => {
    const proposed = trade({ state: TradeState.Proposed, proposedBySeller: true });
    expect(names(proposed, BUYER, T0)).toEqual(["acceptTrade"]);
    expect(names(proposed, SELLER, T0)).toEqual(["withdrawProposal"]);
    expect(names(proposed, BUYER, baseTerms.latestDelivery)).toEqual([]);
    expect(names(proposed, STRANGER, T0)).toEqual([]);
  });

  it("takes the deposit until its window closes, then lets the seller cancel", () => {
    const signed = trade();
    const end = T0 + 72n * 3_600n;
    expect(names(signed, BUYER, end)).toEqual(
      sorted(["payDeposit", "payDepositWithPermit", "amend"]),
    );
    expect(availableAction(signed, BUYER, T0, "payDeposit")).toMatchObject({
      amount: 300n,
      until: end,
      callers: ["buyer"],
    });
    expect(names(signed, BUYER, end + 1n)).toEqual(["amend"]);
    expect(names(signed, SELLER, end)).toEqual(["amend"]);
    expect(availableAction(signed, SELLER, end + 1n, "cancelForMissedDeposit")).toMatchObject({
      after: end,
      reason: CancelReason.DepositMissed,
    });
    // No permit for the native coin.
    expect(names(trade({}, { token: zeroAddress }), BUYER, T0)).toEqual(
      sorted(["payDeposit", "amend"]),
    );
  });

  it("asks for the seller's bond before fulfilment starts, within the business days", () => {
    const deposited = trade({ state: TradeState.Deposited }, { sellerBond: 500n });
    expect(names(deposited, SELLER, T0)).toEqual(sorted(["postSellerBond", "amend"]));
    const bonded = { ...deposited, sellerBond: 500n };
    const start = addBusinessDays(T0, 3);
    expect(names(bonded, SELLER, start)).toEqual(sorted(["startFulfilment", "amend"]));
    expect(names(bonded, SELLER, start + 1n)).toEqual(["amend"]);
    expect(names(bonded, BUYER, start + 1n)).toEqual(
      sorted(["payBalance", "payBalanceWithPermit", "amend", "cancelForMissedStart"]),
    );
  });

  it("pay after use starts from signing, with no deposit and no cancellation for one", () => {
    const signed = trade({}, { mode: PaymentMode.PayAfterUse, depositBps: 0, claimWindow: 0 });
    expect(names(signed, SELLER, T0)).toEqual(sorted(["startFulfilment", "amend"]));
    expect(names(signed, BUYER, T0 + 10n * DAY)).toEqual(sorted(["cancelForMissedStart", "amend"]));
    expect(names(signed, SELLER, T0 + 10n * DAY)).toEqual(["amend"]);
  });

  it("ships only once the balance is in, and cancels the unshipped trade by who is not in default", () => {
    const unpaid = trade({ state: TradeState.InFulfilment, escrowed: 300n });
    const balanceDue = baseTerms.latestDelivery - 14n * DAY;
    expect(names(unpaid, SELLER, balanceDue + 1n)).toEqual(sorted(["cancelUnshipped", "amend"]));
    expect(names(unpaid, BUYER, balanceDue + 1n)).toEqual(
      sorted(["payBalance", "payBalanceWithPermit", "amend"]),
    );
    const paid = { ...unpaid, escrowed: 1_000n };
    expect(names(paid, SELLER, baseTerms.latestDelivery)).toEqual(sorted(["markShipped", "amend"]));
    expect(availableAction(paid, BUYER, baseTerms.latestDelivery + 1n, "cancelUnshipped")).toEqual({
      name: "cancelUnshipped",
      callers: ["buyer"],
      after: baseTerms.latestDelivery,
      reason: CancelReason.NotShipped,
    });
    // A late balance moves the latest delivery: the seller keeps its ship window.
    const late = { ...paid, lateBalancePaidAt: baseTerms.latestDelivery - DAY };
    expect(
      availableAction(late, SELLER, baseTerms.latestDelivery + DAY, "markShipped")?.until,
    ).toBe(baseTerms.latestDelivery + 13n * DAY);
  });

  it("opens the claim window at port arrival, from Shipped on, and milestones through Delivered", () => {
    const shipped = trade({ state: TradeState.Shipped, escrowed: 1_000n, stageAt: T0 });
    expect(names(shipped, BUYER, T0)).toEqual(["amend", "attest"]);
    expect(availableAction(shipped, STRANGER, T0, "attest")?.kinds).toEqual([
      AttestationKind.Receipt,
      AttestationKind.ReceiptAndTitleTransfer,
      AttestationKind.PortArrival,
    ]);
    const arrived = { ...shipped, arrivedAt: T0 + DAY };
    expect(names(arrived, BUYER, T0 + 6n * DAY)).toEqual(sorted(["amend", "attest", "fileClaim"]));
    expect(names(arrived, BUYER, T0 + 6n * DAY + 1n)).toEqual(sorted(["amend", "attest"]));
    expect(names(arrived, OPERATOR, T0)).toEqual(sorted(["amend", "attest", "recordMilestone"]));
    const delivered = { ...arrived, state: TradeState.Delivered, stageAt: T0 + 2n * DAY };
    expect(names(delivered, OPERATOR, T0 + 2n * DAY)).toEqual(sorted(["amend", "recordMilestone"]));
    expect(names(delivered, STRANGER, T0 + 6n * DAY)).toEqual(["amend"]);
    expect(names(delivered, STRANGER, T0 + 6n * DAY + 1n)).toEqual(sorted(["amend", "release"]));
  });

  it("takes title only once the price is paid in full, and port arrival once", () => {
    const raised = trade({ state: TradeState.Received, escrowed: 800n, arrivedAt: T0 });
    expect(availableAction(raised, OPERATOR, T0, "attest")).toBeUndefined();
    expect(availableAction({ ...raised, escrowed: 1_000n }, OPERATOR, T0, "attest")?.kinds).toEqual(
      [AttestationKind.TitleTransfer],
    );
    const halted = { ...raised, state: TradeState.Halted, arrivedAt: 0n };
    expect(availableAction(halted, OPERATOR, T0, "attest")?.kinds).toEqual([
      AttestationKind.PortArrival,
    ]);
  });

  it("gives an undelivered trade to either party after the grace period, to the seller alone while a raised price is unpaid", () => {
    const graceEnd = baseTerms.latestDelivery + 14n * DAY;
    const received = trade({ state: TradeState.Received, escrowed: 1_000n });
    for (const account of [BUYER, SELLER])
      expect(availableAction(received, account, graceEnd + 1n, "cancelUndelivered")).toMatchObject({
        callers: ["buyer", "seller"],
        reason: CancelReason.TitleNotAttested,
      });
    expect(availableAction(received, BUYER, graceEnd, "cancelUndelivered")).toBeUndefined();
    const owes = { ...received, state: TradeState.Shipped, escrowed: 900n };
    expect(availableAction(owes, BUYER, graceEnd + 1n, "cancelUndelivered")).toBeUndefined();
    expect(availableAction(owes, SELLER, graceEnd + 1n, "cancelUndelivered")?.reason).toBe(
      CancelReason.BalanceMissed,
    );
    // A claim in progress decides the money first.
    const claimed = { ...received, claim: claim(ClaimStatus.Filed) };
    expect(availableAction(claimed, BUYER, graceEnd + 1n, "cancelUndelivered")).toBeUndefined();
  });

  it("walks a claim: the seller answers in business days, then anyone enforces; a hearing freezes the terms", () => {
    const filed = trade({
      state: TradeState.Delivered,
      escrowed: 1_000n,
      arrivedAt: T0,
      claim: claim(ClaimStatus.Filed),
    });
    const response = addBusinessDays(T0, 7);
    expect(names(filed, SELLER, response)).toEqual(
      sorted([
        "acceptClaim",
        "contestClaim",
        "settleClaim",
        "submitEvidence",
        "amend",
        "recordMilestone",
      ]),
    );
    expect(names(filed, STRANGER, response + 1n)).toEqual(
      sorted(["enforceDefaultJudgment", "settleClaim", "amend"]),
    );
    const contested = { ...filed, claim: claim(ClaimStatus.Contested) };
    expect(names(contested, BUYER, T0)).toEqual(
      sorted(["appealRuling", "settleClaim", "submitEvidence"]),
    );
    const ruled = { ...filed, claim: claim(ClaimStatus.Ruled) };
    expect(names(ruled, STRANGER, T0)).toEqual(["executeRuling"]);
    expect(names(ruled, OPERATOR, T0)).toEqual(
      sorted(["executeRuling", "submitEvidence", "recordMilestone"]),
    );
    const resolved = { ...filed, claim: claim(ClaimStatus.Resolved) };
    expect(names(resolved, BUYER, T0 + 10n * DAY)).toEqual(sorted(["amend", "release"]));
  });

  it("direct payment: paid straight to the seller, confirmed by the buyer or automatically, refundable", () => {
    const direct = {
      mode: PaymentMode.Direct,
      depositBps: 10_000,
      claimWindow: 0,
      collectAfter: 3 * 86_400,
    };
    const signed = trade({}, direct);
    expect(names(signed, BUYER, T0)).toEqual(sorted(["payDirect", "amend"]));
    expect(names(signed, SELLER, T0 + 4n * DAY)).toEqual(
      sorted(["cancelForMissedDeposit", "amend"]),
    );
    const shipped = trade({ state: TradeState.Shipped, released: 1_000n }, direct);
    expect(names(shipped, BUYER, T0)).toEqual(sorted(["confirmReceipt", "amend", "attest"]));
    expect(names(shipped, STRANGER, T0 + 3n * DAY)).toEqual(sorted(["amend", "attest"]));
    expect(availableAction(shipped, STRANGER, T0 + 3n * DAY + 1n, "confirmReceipt")).toEqual({
      name: "confirmReceipt",
      callers: ["anyone"],
      after: T0 + 3n * DAY,
    });
    // The buyer's own confirmation has no deadline, and is listed once.
    expect(
      availableActions(shipped, BUYER, T0 + 4n * DAY).filter((a) => a.name === "confirmReceipt"),
    ).toEqual([{ name: "confirmReceipt", callers: ["buyer"] }]);
    const completed = { ...shipped, state: TradeState.Completed };
    expect(names(completed, SELLER, T0)).toEqual(["refundVoluntarily"]);
    // No operator: no attestation, no operator's milestone.
    const alone = trade(
      { state: TradeState.Shipped, released: 1_000n },
      { ...direct, operator: zeroAddress },
    );
    expect(names(alone, zeroAddress, T0 + 4n * DAY)).toEqual(sorted(["amend", "confirmReceipt"]));
  });

  it("lists with no account every action someone may send now; a finished trade offers nothing", () => {
    const signed = trade();
    expect(names(signed, undefined, T0)).toEqual(
      sorted(["payDeposit", "payDepositWithPermit", "amend"]),
    );
    for (const state of [TradeState.Completed, TradeState.Cancelled, TradeState.Refunded])
      expect(tradeActionWindows(trade({ state }))).toEqual([]);
  });
});
