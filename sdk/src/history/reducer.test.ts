import { zeroAddress } from "viem";
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import { AttestationKind, ClaimGround, PaymentMode, TradeState } from "../contracts/index.js";
import type { Terms } from "../eip712/index.js";
import { HistoryError, applyEscrowEvent, createEscrowState, reduceEscrowEvents } from "./index.js";
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

/** An escrow event as `readEscrowEvents` returns it, in block 1. */
function event<name extends EscrowEventName>(
  eventName: name,
  args: Extract<EscrowEventData, { eventName: name }>["args"],
): EscrowEvent {
  return {
    eventName,
    args,
    blockNumber: 1n,
    timestamp: 1_000n,
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
