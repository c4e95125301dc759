// Length: the reducer event by event, one case per escrow event.
import { getAddress, zeroAddress } from "viem";
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import {
  AttestationKind,
  CancelReason,
  ClaimGround,
  PaymentMode,
  TradeState,
} from "../contracts/index.js";
import type { Terms } from "../eip712/index.js";
import {
  HistoryError,
  applyEscrowEvent,
  balanceDeadline,
  balanceKey,
  buyerExposures,
  createEscrowState,
  effectiveLatestDelivery,
  reduceEscrowEvents,
} from "./index.js";
import type { EscrowEvent, EscrowEventData, EscrowEventName, EscrowState } from "./index.js";

// The reducer's error paths: a history that the contract could not have written (an event before
// its trade, a state change from the wrong state, money taken that was never there) is refused with
// a HistoryError that says what contradicts what. The happy paths are checked against the chain in
// reducer.chain.test.ts.

const ESCROW: Address = "0x00000000000000000000000000000000000e5c90";
const BUYER: Address = "0x0000000000000000000000000000000000000b0b";
const SELLER: Address = "0x000000000000000000000000000000000000a11c";
const OPERATOR: Address = "0x0000000000000000000000000000000000000123";
const TOKEN: Address = "0x0000000000000000000000000000000000005d00";
const TERMS_HASH: Hex = `0x${"11".repeat(32)}`;
const TX: Hex = `0x${"22".repeat(32)}`;

const terms: Terms = {
  buyer: BUYER,
  seller: SELLER,
  operator: OPERATOR,
  token: TOKEN,
  mode: PaymentMode.Protected,
  price: 1_000n,
  quantity: 10n,
  toleranceBps: 0,
  depositBps: 3_000,
  lots: 2,
  latestDelivery: 10_000n,
  shipWindow: 2_000,
  deliveryGrace: 2_000,
  depositWindow: 3_600,
  fulfilmentDays: 3,
  claimWindow: 0,
  responseDays: 7,
  collectAfter: 0,
  feeBps: 100,
  sellerBond: 0n,
  arbitrator: zeroAddress,
  arbitratorExtraData: "0x",
  manifestCid: "0x01",
};

let logIndex = 0;

/** An escrow event as `readEscrowEvents` returns it, in block 1 (at `timestamp`, 1,000 by default). */
function event<name extends EscrowEventName>(
  eventName: name,
  args: Extract<EscrowEventData, { eventName: name }>["args"],
  timestamp = 1_000n,
): EscrowEvent {
  return {
    eventName,
    args,
    blockNumber: 1n,
    timestamp,
    transactionHash: TX,
    logIndex: logIndex++,
  } as EscrowEvent;
}

const stateChanged = (tradeId: bigint, from: TradeState, to: TradeState) =>
  event("TradeStateChanged", { tradeId, from, to });

/** Trade 1 opened in one transaction (Signed), as the escrow emits it. */
const opened = (tradeId = 1n): EscrowEvent[] => [
  stateChanged(tradeId, TradeState.None, TradeState.Signed),
  event("TradeOpened", { tradeId, buyer: BUYER, seller: SELLER, termsHash: TERMS_HASH, terms }),
];

/** Trade 1 paid and shipped. */
const shipped = (): EscrowEvent[] => [
  ...opened(),
  stateChanged(1n, TradeState.Signed, TradeState.Deposited),
  event("DepositPaid", { tradeId: 1n, payer: BUYER, amount: 300n }),
  stateChanged(1n, TradeState.Deposited, TradeState.InFulfilment),
  event("BalancePaid", { tradeId: 1n, payer: BUYER, amount: 700n }),
  stateChanged(1n, TradeState.InFulfilment, TradeState.Shipped),
];

/** The HistoryError that folding `events` throws. */
function refusal(events: EscrowEvent[], state: EscrowState = createEscrowState(ESCROW)) {
  try {
    for (const e of events) applyEscrowEvent(state, e);
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryError);
    const historyError = error as HistoryError;
    expect(historyError.retryable).toBe(false);
    expect(historyError.shortMessage).toMatch(/\.$/);
    return historyError.shortMessage;
  }
  throw new Error("Expected the history to be refused.");
}

describe("reduceEscrowEvents", () => {
  it("folds an opening into a Signed trade that holds its operator", () => {
    const state = reduceEscrowEvents(ESCROW, shipped());
    expect(state.trades.get(1n)).toMatchObject({
      state: TradeState.Shipped,
      escrowed: 1_000n,
      termsHash: TERMS_HASH,
      stageAt: 1_000n,
    });
    expect(state.operators.get(OPERATOR)?.openTrades).toBe(1n);
    expect(state.opening.size).toBe(0);
    expect(state.eventCount).toBe(7);
  });
});

describe("applyEscrowEvent refuses impossible histories", () => {
  it("refuses an event of a trade that was never opened", () => {
    expect(refusal([event("DepositPaid", { tradeId: 7n, payer: BUYER, amount: 1n })])).toBe(
      "Trade 7 has an event before it was opened.",
    );
  });

  it("refuses terms that come without the trade's first state change", () => {
    expect(refusal(opened().slice(1))).toBe("Trade 1 was created without a state change.");
  });

  it("refuses terms that do not fit the trade's first state", () => {
    expect(
      refusal([
        stateChanged(1n, TradeState.None, TradeState.Proposed),
        event("TradeOpened", {
          tradeId: 1n,
          buyer: BUYER,
          seller: SELLER,
          termsHash: TERMS_HASH,
          terms,
        }),
      ]),
    ).toBe("Trade 1 was created Proposed by a TradeOpened event.");
  });

  it("refuses a trade created twice", () => {
    expect(refusal([...opened(), stateChanged(1n, TradeState.None, TradeState.Proposed)])).toBe(
      "Trade 1 was created twice.",
    );
  });

  it("refuses a state change from a state the trade is not in", () => {
    expect(
      refusal([...opened(), stateChanged(1n, TradeState.Deposited, TradeState.Cancelled)]),
    ).toBe("Trade 1 moved from Deposited but was Signed by the history.");
  });

  it("refuses a state change the state machine does not have", () => {
    expect(refusal([...opened(), stateChanged(1n, TradeState.Signed, TradeState.Completed)])).toBe(
      "Trade 1 cannot move from Signed to Completed.",
    );
    expect(refusal([...shipped(), stateChanged(1n, TradeState.Shipped, 12 as TradeState)])).toBe(
      "Trade 1 cannot move from Shipped to 12.",
    );
  });

  it("refuses a claim event before a claim was filed", () => {
    expect(
      refusal([
        ...shipped(),
        event("ClaimContested", { tradeId: 1n, arbitrator: OPERATOR, disputeId: 1n }),
      ]),
    ).toBe("Trade 1 has a claim event before a claim.");
  });

  it("refuses a second claim", () => {
    const filed = () =>
      event("ClaimFiled", {
        tradeId: 1n,
        ground: ClaimGround.SpecificationVariance,
        refundBps: 100,
        costs: 0n,
        agency: OPERATOR,
        reportCid: "0x",
        evidenceCid: "0x",
      });
    expect(refusal([...shipped(), filed(), filed()])).toBe("Trade 1 has a second claim.");
  });

  it("refuses a release of more than the trade holds", () => {
    expect(
      refusal([
        ...shipped(),
        event("FundsReleased", { tradeId: 1n, sellerAmount: 1_000n, fee: 1n }),
      ]),
    ).toBe("Trade 1 would take 1001 from its escrowed of 1000.");
  });

  it("refuses a claim's costs above the seller's bond", () => {
    expect(
      refusal([
        ...shipped(),
        event("ClaimFiled", {
          tradeId: 1n,
          ground: ClaimGround.MaterialDamage,
          refundBps: 10_000,
          costs: 50n,
          agency: OPERATOR,
          reportCid: "0x",
          evidenceCid: "0x",
        }),
        event("ClaimResolved", { tradeId: 1n, outcome: 0, refund: 100n, costs: 50n }),
      ]),
    ).toBe("Trade 1 would take 50 from its sellerBond of 0.");
  });

  it("refuses a voluntary refund of more than the seller was paid", () => {
    expect(
      refusal([...opened(), event("VoluntaryRefund", { tradeId: 1n, seller: SELLER, amount: 1n })]),
    ).toBe("Trade 1 would take 1 from its released of 0.");
  });

  it("refuses title to a lot out of order", () => {
    expect(
      refusal([
        ...shipped(),
        event("LotReceived", {
          tradeId: 1n,
          lot: 1,
          operator: OPERATOR,
          receiptId: 65_537n,
          quantity: 5n,
          receivedAt: 1_000n,
          holder: BUYER,
          kind: AttestationKind.ReceiptAndTitleTransfer,
          documentCid: "0x",
        }),
        event("TitleTransferred", { tradeId: 1n, lot: 2, buyer: BUYER, receiptId: 65_538n }),
      ]),
    ).toBe("Trade 1 passed title to lot 2 after 0 lots.");
  });

  it("refuses a cancellation that refunds other than what the trade held, or gives the bond to the wrong side", () => {
    const cancelled = (
      reason: number,
      buyerRefund: bigint,
      bondToBuyer = 0n,
      bondToSeller = 0n,
    ) => [
      stateChanged(1n, TradeState.Shipped, TradeState.Cancelled),
      event("TradeCancelled", { tradeId: 1n, reason, buyerRefund, bondToBuyer, bondToSeller }),
    ];
    expect(refusal([...shipped(), ...cancelled(CancelReason.NotDelivered, 900n)])).toBe(
      "Trade 1 was cancelled refunding 900; it held 1000.",
    );
    const bonded = [
      ...shipped(),
      event("SellerBondPosted", { tradeId: 1n, seller: SELLER, amount: 50n }),
    ];
    // Not delivered: the seller defaulted, so its bond is the buyer's.
    expect(refusal([...bonded, ...cancelled(CancelReason.NotDelivered, 1_000n, 0n, 50n)])).toBe(
      "Trade 1 was cancelled (NotDelivered) giving 0 of the bond to the buyer and 50 to the seller; it held 50.",
    );
    // Title not attested: nobody defaulted, so the bond goes back to the seller.
    expect(refusal([...bonded, ...cancelled(CancelReason.TitleNotAttested, 1_000n, 50n, 0n)])).toBe(
      "Trade 1 was cancelled (TitleNotAttested) giving 50 of the bond to the buyer and 0 to the seller; it held 50.",
    );
    const ok = reduceEscrowEvents(ESCROW, [
      ...bonded,
      ...cancelled(CancelReason.TitleNotAttested, 1_000n, 0n, 50n),
    ]).trades.get(1n)!;
    expect(ok).toMatchObject({ state: TradeState.Cancelled, escrowed: 0n, sellerBond: 0n });
  });

  it("refuses a withdrawal that differs from the credit", () => {
    expect(
      refusal([
        event("Credited", { account: SELLER, token: TOKEN, tradeId: 1n, amount: 10n }),
        event("Withdrawn", { account: SELLER, token: TOKEN, amount: 11n }),
      ]),
    ).toBe(
      `Account ${SELLER.toLowerCase()}|${TOKEN.toLowerCase()} withdrew 11 but was credited 10.`,
    );
  });

  it("refuses a repayment that does not add up to the debt", () => {
    expect(
      refusal([event("DebtRepaid", { buyer: BUYER, token: TOKEN, amount: 5n, remaining: 0n })]),
    ).toBe(
      `Debt ${BUYER.toLowerCase()}|${TOKEN.toLowerCase()} was 0; a repayment of 5 cannot leave 0.`,
    );
  });

  it("refuses an operator freed by more trades than it held", () => {
    // Unreachable through the state machine (a trade frees its operator once, when it ends): a
    // state folded elsewhere, then changed by hand.
    const state = reduceEscrowEvents(ESCROW, [
      ...shipped(),
      stateChanged(1n, TradeState.Shipped, TradeState.Completed),
    ]);
    state.trades.get(1n)!.state = TradeState.Shipped;
    expect(refusal([stateChanged(1n, TradeState.Shipped, TradeState.Completed)], state)).toBe(
      `Operator ${OPERATOR} was freed by more trades than it held.`,
    );
  });
});

describe("the rules of the terms' delivery windows", () => {
  it("keeps the time of a balance paid after its due time, and moves the latest delivery by it", () => {
    // Due at 10,000 - 2,000 = 8,000; paid at 9,000: the seller ships until 9,000 + 2,000.
    expect(balanceDeadline(terms)).toBe(8_000n);
    const late = reduceEscrowEvents(ESCROW, [
      ...opened(),
      stateChanged(1n, TradeState.Signed, TradeState.Deposited),
      event("DepositPaid", { tradeId: 1n, payer: BUYER, amount: 300n }),
      stateChanged(1n, TradeState.Deposited, TradeState.InFulfilment),
      event("BalancePaid", { tradeId: 1n, payer: BUYER, amount: 700n }, 9_000n),
    ]).trades.get(1n)!;
    expect(late.lateBalancePaidAt).toBe(9_000n);
    expect(effectiveLatestDelivery(late)).toBe(11_000n);
    // In time (the default events are at 1,000): the terms' own latest delivery.
    const inTime = reduceEscrowEvents(ESCROW, shipped()).trades.get(1n)!;
    expect(inTime.lateBalancePaidAt).toBe(0n);
    expect(effectiveLatestDelivery(inTime)).toBe(10_000n);
    // Late, but the moved time would be earlier than the terms': the terms' stands.
    expect(effectiveLatestDelivery({ terms, lateBalancePaidAt: 7_000n })).toBe(10_000n);
  });

  it("starts the claim window at the block that attests the port arrival, not the attested time", () => {
    const state = reduceEscrowEvents(ESCROW, [
      ...shipped(),
      event("PortArrivalAttested", { tradeId: 1n, operator: OPERATOR, arrivedAt: 400n }, 1_500n),
    ]);
    expect(state.trades.get(1n)!.arrivedAt).toBe(1_500n);
  });

  it("cancels a shipped trade whose lot the escrow holds, clearing the lot and freeing the operator", () => {
    const state = reduceEscrowEvents(ESCROW, [
      ...shipped(),
      event("LotReceived", {
        tradeId: 1n,
        lot: 1,
        operator: OPERATOR,
        receiptId: 65_537n,
        quantity: 4n,
        receivedAt: 1_000n,
        holder: ESCROW,
        kind: AttestationKind.Receipt,
        documentCid: "0x",
      }),
      stateChanged(1n, TradeState.Shipped, TradeState.Received),
      stateChanged(1n, TradeState.Received, TradeState.Cancelled),
      event("TradeCancelled", {
        tradeId: 1n,
        reason: CancelReason.TitleNotAttested,
        buyerRefund: 1_000n,
        bondToBuyer: 0n,
        bondToSeller: 0n,
      }),
    ]);
    expect(state.trades.get(1n)).toMatchObject({
      state: TradeState.Cancelled,
      escrowed: 0n,
      pendingLot: false,
      pendingQuantity: 0n,
      pendingTime: 0n,
    });
    expect(state.operators.get(OPERATOR)?.openTrades).toBe(0n);
  });

  it("slashes the share of the operator's bond the event names, and refuses more than the bond", () => {
    const bonded = [event("OperatorBondChanged", { operator: OPERATOR, delta: 100n, bond: 100n })];
    const slash = (amount: bigint) =>
      event("OperatorSlashed", { operator: OPERATOR, tradeId: 1n, to: BUYER, amount });
    expect(reduceEscrowEvents(ESCROW, [...bonded, slash(20n)]).operators.get(OPERATOR)?.bond).toBe(
      80n,
    );
    expect(refusal([...bonded, slash(101n)])).toBe(
      `Operator ${OPERATOR} was slashed 101 of a bond of 100.`,
    );
  });

  it("counts each buyer's exposure from the pool's guarantees of its trades, and the caps", () => {
    const payAfterUse: Terms = { ...terms, mode: PaymentMode.PayAfterUse, depositBps: 0 };
    const open = (tradeId: bigint, price: bigint): EscrowEvent[] => [
      stateChanged(tradeId, TradeState.None, TradeState.Signed),
      event("TradeOpened", {
        tradeId,
        buyer: BUYER,
        seller: SELLER,
        termsHash: TERMS_HASH,
        terms: { ...payAfterUse, price },
      }),
    ];
    const guarantee = (tradeId: bigint, committed: bigint) =>
      event("GuaranteeChanged", { tradeId, token: TOKEN, committed });
    const state = reduceEscrowEvents(ESCROW, [
      event("BuyerExposureCapSet", { token: TOKEN, cap: 500n }),
      event("PoolChanged", { token: TOKEN, account: ESCROW, delta: 1_000n, balance: 1_000n }),
      ...open(1n, 100n),
      guarantee(1n, 100n),
      ...open(2n, 250n),
      guarantee(2n, 350n),
      // Trade 1 ends: its cover is freed.
      guarantee(1n, 250n),
    ]);
    expect(state.trades.get(1n)!.guaranteed).toBe(0n);
    expect(state.trades.get(2n)!.guaranteed).toBe(250n);
    expect(buyerExposures(state)).toEqual(new Map([[balanceKey(BUYER, TOKEN), 250n]]));
    expect(state.exposureCaps.get(getAddress(TOKEN))).toBe(500n);
    expect(
      refusal([
        event("PoolChanged", { token: TOKEN, account: ESCROW, delta: 1_000n, balance: 1_000n }),
        ...open(1n, 100n),
        guarantee(1n, 100n),
        ...open(2n, 250n),
        guarantee(2n, 0n),
      ]),
    ).toBe("Trade 2 would free 100 of the pool's cover; it held 0.");
  });
});
