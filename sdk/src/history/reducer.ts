// Length: one reducer, one case per escrow event, kept in one file so that each event's effect on
// every record reads in one place, in the order the contract applies it.
import { getAddress, type Address } from "viem";
import {
  AttestationKind,
  CancelReason,
  ClaimStatus,
  cancelReasonNames,
  PaymentMode,
  TradeState,
  tradeStateNames,
} from "../contracts/generated/enums.js";
import type { ClaimGround } from "../contracts/generated/enums.js";
import { balanceDeadline } from "./deadlines.js";
import { HistoryError } from "./errors.js";
import type {
  EscrowEvent,
  EscrowEventOf,
  EscrowState,
  EventPosition,
  OperatorRecord,
  PoolRecord,
  TradeRecord,
} from "./types.js";

/**
 * The one reducer of the escrow's history: folds its events, in chain order, into the state of every
 * trade, every withdrawable credit, operator bond, guarantor pool and debt. The indexer and the auditor
 * both use it; the auditor compares its result with the contract's views.
 *
 * It mirrors the contract step by step (see contracts/escrow/TradeFlow.sol and the logic libraries),
 * reading only what the events carry, so a disagreement with the chain is a bug in one or the other.
 * The state is mutated in place: the indexer folds thousands of events a second.
 */
export function createEscrowState(escrow: Address): EscrowState {
  return {
    escrow: getAddress(escrow),
    trades: new Map(),
    credits: new Map(),
    operators: new Map(),
    pools: new Map(),
    debts: new Map(),
    exposureCaps: new Map(),
    opening: new Map(),
    eventCount: 0,
  };
}

/** Folds `events` (in chain order) into a new state. */
export function reduceEscrowEvents(escrow: Address, events: Iterable<EscrowEvent>): EscrowState {
  const state = createEscrowState(escrow);
  for (const event of events) applyEscrowEvent(state, event);
  return state;
}

/**
 * Each buyer's exposure to the guarantor pools, by `buyer|token` (lower-case): what the pool of the
 * token guarantees for the buyer's open pay-after-use trades, as the escrow's `buyerExposure` view
 * returns it. Every buyer of a pay-after-use trade has an entry, 0 once its trades are done.
 */
export function buyerExposures(state: EscrowState): Map<string, bigint> {
  const exposures = new Map<string, bigint>();
  for (const t of state.trades.values()) {
    if (t.terms.mode !== PaymentMode.PayAfterUse && t.guaranteed === 0n) continue;
    const key = balanceKey(t.terms.buyer, t.terms.token);
    exposures.set(key, (exposures.get(key) ?? 0n) + t.guaranteed);
  }
  return exposures;
}

/** The key of a per-account, per-token balance. */
export function balanceKey(account: Address, token: Address): string {
  return `${account.toLowerCase()}|${token.toLowerCase()}`;
}

// States whose entry starts a new stage (the contract sets `stageAt`); Shipped only from InFulfilment.
const STAGE_STARTS = new Set<number>([
  TradeState.Proposed,
  TradeState.Signed,
  TradeState.Deposited,
  TradeState.InFulfilment,
  TradeState.Delivered,
  TradeState.Completed,
  TradeState.Refunded,
]);

// The state machine's edges, as TradeFlow._ALLOWED_TRANSITIONS sets them; no other change can happen.
const TRANSITIONS = new Map<TradeState, ReadonlySet<TradeState>>(
  (
    [
      ["None", ["Proposed", "Signed"]],
      ["Proposed", ["Signed", "Cancelled"]],
      ["Signed", ["Deposited", "InFulfilment", "Cancelled"]],
      ["Deposited", ["InFulfilment", "Cancelled"]],
      ["InFulfilment", ["Shipped", "Cancelled"]],
      ["Shipped", ["Received", "Halted", "Delivered", "Completed", "Refunded", "Cancelled"]],
      ["Received", ["Shipped", "Halted", "Delivered", "Completed", "Refunded", "Cancelled"]],
      ["Halted", ["Received", "Shipped", "Delivered", "Completed", "Refunded", "Cancelled"]],
      ["Delivered", ["Completed", "Refunded"]],
    ] as const
  ).map(([from, to]) => [TradeState[from], new Set(to.map((name) => TradeState[name]))]),
);

/** Applies one event to `state`. Events of other contracts must not be passed. */
export function applyEscrowEvent(state: EscrowState, event: EscrowEvent): void {
  state.eventCount += 1;
  switch (event.eventName) {
    case "TradeProposed":
      return onCreated(state, event, event.args.proposer === event.args.terms.seller);
    case "TradeOpened":
      return onOpened(state, event);
    case "TradeStateChanged":
      return onStateChanged(state, event);
    case "TradeAmended":
      return onAmended(state, event);
    case "DepositPaid": {
      const t = trade(state, event, event.args.tradeId);
      t.escrowed = event.args.amount;
      return;
    }
    case "BalancePaid": {
      const t = trade(state, event, event.args.tradeId);
      t.escrowed += event.args.amount;
      // Paid after its due time, before shipment: the latest delivery moves (TradeFlow.latestDelivery).
      if (t.state <= TradeState.InFulfilment && event.timestamp > balanceDeadline(t.terms))
        t.lateBalancePaidAt = event.timestamp;
      return;
    }
    case "DirectPaid": {
      // Paid in full and passed straight through the escrow to the seller (FundsReleased follows).
      const t = trade(state, event, event.args.tradeId);
      t.escrowed = event.args.amount;
      t.released = event.args.amount;
      return;
    }
    case "SellerBondPosted":
      trade(state, event, event.args.tradeId).sellerBond += event.args.amount;
      return;
    case "PortArrivalAttested":
      // The claim window starts at the attesting block, whatever time the operator attests (the
      // event's `arrivedAt`); the contract stores the block's time.
      trade(state, event, event.args.tradeId).arrivedAt = event.timestamp;
      return;
    case "LotReceived":
      return onLotReceived(state, event);
    case "TitleTransferred":
      return onTitleTransferred(state, event);
    case "FundsReleased": {
      const t = trade(state, event, event.args.tradeId);
      const amount = event.args.sellerAmount + event.args.fee;
      t.escrowed = debit(t, "escrowed", t.escrowed, amount);
      // Lots before the last count as released; the state already moved back to Shipped for them.
      if (t.state === TradeState.Shipped) t.released += amount;
      return;
    }
    case "TradeCancelled":
      return onCancelled(state, event);
    case "VoluntaryRefund": {
      const t = trade(state, event, event.args.tradeId);
      t.released = debit(t, "released", t.released, event.args.amount);
      return;
    }
    case "PaymentCollected":
      trade(state, event, event.args.tradeId).escrowed += event.args.amount;
      return;
    case "CollectionFailed": {
      trade(state, event, event.args.tradeId).escrowed += event.args.shortfall;
      const key = balanceKey(event.args.buyer, event.args.token);
      state.debts.set(key, (state.debts.get(key) ?? 0n) + event.args.shortfall);
      return;
    }
    case "DebtRepaid": {
      const key = balanceKey(event.args.buyer, event.args.token);
      const owed = state.debts.get(key) ?? 0n;
      if (owed - event.args.amount !== event.args.remaining) {
        throw new HistoryError(
          `Debt ${key} was ${owed}; a repayment of ${event.args.amount} cannot leave ${event.args.remaining}.`,
        );
      }
      state.debts.set(key, event.args.remaining);
      return;
    }
    case "ClaimFiled":
      return onClaimFiled(state, event);
    case "ClaimContested": {
      const claim = claimOf(state, event, event.args.tradeId);
      claim.status = ClaimStatus.Contested;
      claim.disputeId = event.args.disputeId;
      return;
    }
    case "ClaimRuled": {
      const claim = claimOf(state, event, event.args.tradeId);
      claim.status = ClaimStatus.Ruled;
      claim.ruling = event.args.ruling;
      return;
    }
    case "ClaimResolved": {
      const t = trade(state, event, event.args.tradeId);
      claimOf(state, event, event.args.tradeId).status = ClaimStatus.Resolved;
      t.escrowed = debit(t, "escrowed", t.escrowed, event.args.refund);
      t.refunded += event.args.refund;
      t.sellerBond = debit(t, "sellerBond", t.sellerBond, event.args.costs);
      return;
    }
    case "Credited": {
      const key = balanceKey(event.args.account, event.args.token);
      state.credits.set(key, (state.credits.get(key) ?? 0n) + event.args.amount);
      return;
    }
    case "Withdrawn": {
      // The escrow pays out the whole credit of the token at once.
      const key = balanceKey(event.args.account, event.args.token);
      const credit = state.credits.get(key) ?? 0n;
      if (credit !== event.args.amount) {
        throw new HistoryError(
          `Account ${key} withdrew ${event.args.amount} but was credited ${credit}.`,
        );
      }
      state.credits.set(key, 0n);
      return;
    }
    case "OperatorBondChanged":
      operator(state, event.args.operator).bond = event.args.bond;
      return;
    case "OperatorBondRequirementSet":
      operator(state, event.args.operator).required = event.args.amount;
      return;
    case "OperatorSlashed": {
      // A share of the bond (the ruling's bps of it); the rest stays posted.
      const record = operator(state, event.args.operator);
      if (event.args.amount > record.bond) {
        throw new HistoryError(
          `Operator ${getAddress(event.args.operator)} was slashed ${event.args.amount} of a bond of ${record.bond}.`,
        );
      }
      record.bond -= event.args.amount;
      return;
    }
    case "PoolChanged":
      pool(state, event.args.token).balance = event.args.balance;
      return;
    case "GuaranteeChanged": {
      // The pool reserves a pay-after-use trade's price, or frees it: the change is this trade's.
      const record = pool(state, event.args.token);
      const t = trade(state, event, event.args.tradeId);
      const guaranteed = t.guaranteed + event.args.committed - record.committed;
      if (guaranteed < 0n) {
        throw new HistoryError(
          `Trade ${t.tradeId} would free ${record.committed - event.args.committed} of the pool's cover; it held ${t.guaranteed}.`,
        );
      }
      t.guaranteed = guaranteed;
      record.committed = event.args.committed;
      return;
    }
    case "BuyerExposureCapSet":
      state.exposureCaps.set(getAddress(event.args.token), event.args.cap);
      return;
    default:
      // Events that change no state the views expose (milestones, evidence, shipping, halts, rulings,
      // admin settings): they belong to the timeline, which the indexer keeps from the raw events.
      return;
  }
}

function onCreated(
  state: EscrowState,
  event: EscrowEventOf<"TradeProposed"> | EscrowEventOf<"TradeOpened">,
  proposedBySeller: boolean,
): void {
  const { tradeId, termsHash, terms } = event.args;
  const position = positionOf(event);
  const first = state.opening.get(tradeId);
  if (first === undefined)
    throw new HistoryError(`Trade ${tradeId} was created without a state change.`);
  // openTrade signs at once; proposeTrade waits for the other party.
  const expected = event.eventName === "TradeProposed" ? TradeState.Proposed : TradeState.Signed;
  if (first !== expected) {
    throw new HistoryError(
      `Trade ${tradeId} was created ${stateName(first)} by a ${event.eventName} event.`,
    );
  }
  state.opening.delete(tradeId);
  state.trades.set(tradeId, {
    tradeId,
    termsHash,
    state: first,
    version: 0,
    lotsDone: 0,
    proposedBySeller,
    pendingLot: false,
    pendingTitle: false,
    stageAt: event.timestamp,
    escrowed: 0n,
    receivedQuantity: 0n,
    released: 0n,
    pendingQuantity: 0n,
    pendingTime: 0n,
    sellerBond: 0n,
    arrivedAt: 0n,
    refunded: 0n,
    terms,
    versions: [{ version: 0, termsHash, terms, ...position }],
    claim: undefined,
    lastLotQuantity: 0n,
    lateBalancePaidAt: 0n,
    guaranteed: 0n,
    createdAt: position,
    updatedAt: position,
  });
}

function onOpened(state: EscrowState, event: EscrowEventOf<"TradeOpened">): void {
  // Opened in one transaction: a new trade. Accepted after a proposal: the trade exists already.
  if (!state.trades.has(event.args.tradeId)) onCreated(state, event, false);
  const t = trade(state, event, event.args.tradeId);
  // From the signature on the trade holds its operator (and its operator's bond).
  holdOperator(state, t.terms.operator, 1n);
}

function onStateChanged(state: EscrowState, event: EscrowEventOf<"TradeStateChanged">): void {
  const { tradeId } = event.args;
  // viem decodes Solidity enums as numbers; the contract's values are exactly the generated enum's.
  const from = event.args.from as TradeState;
  const to = event.args.to as TradeState;
  if (TRANSITIONS.get(from)?.has(to) !== true) {
    throw new HistoryError(
      `Trade ${tradeId} cannot move from ${stateName(from)} to ${stateName(to)}.`,
    );
  }
  // A new trade's first state change comes before the event that carries its terms.
  if (from === TradeState.None) {
    if (state.trades.has(tradeId) || state.opening.has(tradeId))
      throw new HistoryError(`Trade ${tradeId} was created twice.`);
    state.opening.set(tradeId, to);
    return;
  }
  const t = trade(state, event, tradeId);
  if (t.state !== from) {
    throw new HistoryError(
      `Trade ${tradeId} moved from ${stateName(from)} but was ${stateName(t.state)} by the history.`,
    );
  }
  t.state = to;
  if (STAGE_STARTS.has(to) || (to === TradeState.Shipped && from === TradeState.InFulfilment)) {
    t.stageAt = event.timestamp;
  }
  if (to === TradeState.Received) t.pendingTitle = false;
  if (to === TradeState.Completed || to === TradeState.Refunded) {
    // The trade finished: its bond went back to the seller and its operator was freed.
    t.sellerBond = 0n;
    holdOperator(state, t.terms.operator, -1n);
  }
  // A refund ends the trade; so does cancelling an undelivered one, whose held lot (and its
  // warehouse receipt) goes back to the seller.
  if (to === TradeState.Refunded || to === TradeState.Cancelled) clearPending(t);
  if (to === TradeState.Cancelled && from !== TradeState.Proposed)
    holdOperator(state, t.terms.operator, -1n);
}

// Cancellations that end a trade by the seller's default: its bond compensates the buyer.
const SELLER_DEFAULTS = new Set<number>([
  CancelReason.FulfilmentNotStarted,
  CancelReason.NotShipped,
  CancelReason.NotDelivered,
]);

function onCancelled(state: EscrowState, event: EscrowEventOf<"TradeCancelled">): void {
  const t = trade(state, event, event.args.tradeId);
  const { reason, buyerRefund, bondToBuyer, bondToSeller } = event.args;
  // Everything the trade held goes back (TradeFlow.cancel): the buyer's money to the buyer, the bond
  // to the buyer when the seller defaulted, to the seller otherwise.
  if (buyerRefund !== t.escrowed) {
    throw new HistoryError(
      `Trade ${t.tradeId} was cancelled refunding ${buyerRefund}; it held ${t.escrowed}.`,
    );
  }
  const wrongSide = SELLER_DEFAULTS.has(reason) ? bondToSeller : bondToBuyer;
  if (bondToBuyer + bondToSeller !== t.sellerBond || wrongSide !== 0n) {
    throw new HistoryError(
      `Trade ${t.tradeId} was cancelled (${cancelReasonNames[reason] ?? reason}) giving ${bondToBuyer} of the bond to the buyer and ${bondToSeller} to the seller; it held ${t.sellerBond}.`,
    );
  }
  t.escrowed = 0n;
  t.sellerBond = 0n;
}

function onAmended(state: EscrowState, event: EscrowEventOf<"TradeAmended">): void {
  const t = trade(state, event, event.args.tradeId);
  const current = t.terms;
  const amended = event.args.terms;
  t.version = event.args.version;
  t.termsHash = event.args.termsHash;
  t.terms = amended;
  t.versions.push({
    version: t.version,
    termsHash: t.termsHash,
    terms: amended,
    ...positionOf(event),
  });
  if (amended.operator !== current.operator) {
    holdOperator(state, current.operator, -1n);
    holdOperator(state, amended.operator, 1n);
  }
  // Money paid above a lowered price went back to the buyer; bond above a lowered bond to the seller.
  const paid = t.escrowed + t.released;
  const owed = amended.price - t.refunded;
  if (paid > owed) t.escrowed = debit(t, "escrowed", t.escrowed, paid - owed);
  if (t.sellerBond > amended.sellerBond) t.sellerBond = amended.sellerBond;
}

function onLotReceived(state: EscrowState, event: EscrowEventOf<"LotReceived">): void {
  const t = trade(state, event, event.args.tradeId);
  t.lastLotQuantity = event.args.quantity;
  // Held by the escrow: the lot waits for title (or an amendment, if it halted the trade).
  if (getAddress(event.args.holder) === state.escrow) {
    t.pendingLot = true;
    t.pendingTitle = event.args.kind === AttestationKind.ReceiptAndTitleTransfer;
    t.pendingQuantity = event.args.quantity;
    t.pendingTime = event.args.receivedAt;
  }
}

function onTitleTransferred(state: EscrowState, event: EscrowEventOf<"TitleTransferred">): void {
  const t = trade(state, event, event.args.tradeId);
  if (event.args.lot !== t.lotsDone + 1) {
    throw new HistoryError(
      `Trade ${t.tradeId} passed title to lot ${event.args.lot} after ${t.lotsDone} lots.`,
    );
  }
  const quantity = t.pendingLot ? t.pendingQuantity : t.lastLotQuantity;
  t.lotsDone = event.args.lot;
  t.receivedQuantity += quantity;
  clearPending(t);
}

function onClaimFiled(state: EscrowState, event: EscrowEventOf<"ClaimFiled">): void {
  const t = trade(state, event, event.args.tradeId);
  if (t.claim !== undefined) throw new HistoryError(`Trade ${t.tradeId} has a second claim.`);
  t.claim = {
    status: ClaimStatus.Filed,
    ground: event.args.ground as ClaimGround,
    refundBps: event.args.refundBps,
    filedAt: event.timestamp,
    costs: event.args.costs,
    disputeId: 0n,
    ruling: 0n,
  };
}

function stateName(value: TradeState): string {
  return tradeStateNames[value] ?? String(value);
}

/** `balance - amount` for one of a trade's amounts; the contract's checked arithmetic never goes below 0. */
function debit(t: TradeRecord, field: string, balance: bigint, amount: bigint): bigint {
  if (amount > balance) {
    throw new HistoryError(
      `Trade ${t.tradeId} would take ${amount} from its ${field} of ${balance}.`,
    );
  }
  return balance - amount;
}

function clearPending(t: TradeRecord): void {
  t.pendingLot = false;
  t.pendingTitle = false;
  t.pendingQuantity = 0n;
  t.pendingTime = 0n;
}

function trade(state: EscrowState, event: EscrowEvent, tradeId: bigint): TradeRecord {
  const t = state.trades.get(tradeId);
  if (t === undefined)
    throw new HistoryError(`Trade ${tradeId} has an event before it was opened.`);
  t.updatedAt = positionOf(event);
  return t;
}

function claimOf(state: EscrowState, event: EscrowEvent, tradeId: bigint) {
  const claim = trade(state, event, tradeId).claim;
  if (claim === undefined)
    throw new HistoryError(`Trade ${tradeId} has a claim event before a claim.`);
  return claim;
}

function operator(state: EscrowState, address: Address): OperatorRecord {
  const key = getAddress(address);
  let record = state.operators.get(key);
  if (record === undefined) {
    record = { bond: 0n, required: 0n, openTrades: 0n };
    state.operators.set(key, record);
  }
  return record;
}

function holdOperator(state: EscrowState, address: Address, delta: bigint): void {
  // A direct trade may have no operator; the contract counts nothing for it.
  if (BigInt(address) === 0n) return;
  const record = operator(state, address);
  if (record.openTrades + delta < 0n)
    throw new HistoryError(
      `Operator ${getAddress(address)} was freed by more trades than it held.`,
    );
  record.openTrades += delta;
}

function pool(state: EscrowState, token: Address): PoolRecord {
  const key = getAddress(token);
  let record = state.pools.get(key);
  if (record === undefined) {
    record = { balance: 0n, committed: 0n };
    state.pools.set(key, record);
  }
  return record;
}

function positionOf(event: EscrowEvent): EventPosition {
  return {
    blockNumber: event.blockNumber,
    timestamp: event.timestamp,
    transactionHash: event.transactionHash,
    logIndex: event.logIndex,
  };
}
