import { ClaimStatus, PaymentMode, TradeState } from "../contracts/generated/enums.js";
import type { Terms } from "../eip712/index.js";
import type { TradeRecord } from "./types.js";

/**
 * A trade's deadlines from its terms and its derived state (unix seconds): the same arithmetic as the
 * contract's `stageDeadline` (contracts/escrow/FulfilmentLogic.sol), `TradeFlow.balanceDue`,
 * `TradeFlow.balanceDeadline`, `TradeFlow.latestDelivery`, `TradeFlow.claimWindowStart` and
 * BusinessDays.sol. The contract accepts a step "until" a deadline while `block.timestamp <= deadline`,
 * and one that waits for it once `block.timestamp > deadline`.
 */

const DAY = 86_400n;
const SATURDAY = 5n; // Monday = 0

/**
 * `timestamp` moved forward by `days` business days (Saturday and Sunday, UTC, not counted): the same
 * time of day `days` weekdays later from a weekday start; counted from Monday 00:00 UTC from a weekend
 * start (BusinessDays.add).
 *
 * @example
 * addBusinessDays(1767348000n, 1); // Friday 2026-01-02 10:00 -> Monday 2026-01-05 10:00
 */
export function addBusinessDays(timestamp: bigint, days: number): bigint {
  let t = timestamp;
  // 1970-01-01 was a Thursday (3).
  let weekday = (t / DAY + 3n) % 7n;
  // A weekend start counts from the start of the next Monday (7 - weekday days after its own day's start).
  if (weekday >= SATURDAY) {
    t = (t / DAY + 7n - weekday) * DAY;
    weekday = 0n;
  }
  const n = BigInt(days);
  let calendarDays = (n / 5n) * 7n;
  const rest = n % 5n;
  calendarDays += weekday + rest >= SATURDAY ? rest + 2n : rest;
  return t + calendarDays * DAY;
}

/**
 * When a protected trade's balance is due (unix seconds): `shipWindow` before the latest delivery
 * time, so the seller has that long to ship once it is in (the contract's `TradeFlow.balanceDeadline`).
 *
 * @example
 * if (now > balanceDeadline(trade.terms)) console.warn("The balance is late.");
 */
export function balanceDeadline(terms: Pick<Terms, "latestDelivery" | "shipWindow">): bigint {
  const window = BigInt(terms.shipWindow);
  return terms.latestDelivery > window ? terms.latestDelivery - window : 0n;
}

/**
 * The trade's latest delivery time in force (unix seconds): the terms' own, or, when the buyer paid
 * the balance after its due time, that payment plus `shipWindow`, whichever is later (the contract's
 * `TradeFlow.latestDelivery`). Shipping, a lot's lateness and cancellations are judged by it.
 *
 * @example
 * const latest = effectiveLatestDelivery(state.trades.get(tradeId)!);
 */
export function effectiveLatestDelivery(
  trade: Pick<TradeRecord, "terms" | "lateBalancePaidAt">,
): bigint {
  const { latestDelivery, shipWindow } = trade.terms;
  // Records stored before the field existed have none: no late balance.
  const paidAt = trade.lateBalancePaidAt ?? 0n;
  if (paidAt === 0n) return latestDelivery;
  const moved = paidAt + BigInt(shipWindow);
  return moved > latestDelivery ? moved : latestDelivery;
}

/** What `balanceDue` reads of a trade. */
export type BalanceFields = Pick<TradeRecord, "terms" | "escrowed" | "released" | "refunded">;

/**
 * What the buyer of a protected trade still owes of the price (`TradeFlow.balanceDue`); 0 for the
 * other modes (a direct trade is paid in full, pay after use is collected after delivery).
 *
 * @example
 * if (balanceDue(trade) > 0n) console.log("The buyer owes the balance.");
 */
export function balanceDue(t: BalanceFields): bigint {
  if (t.terms.mode !== PaymentMode.Protected) return 0n;
  const due = t.terms.price - t.refunded - t.escrowed - t.released;
  return due > 0n ? due : 0n;
}

/**
 * When the claim window opened (`TradeFlow.claimWindowStart`): at the attested port arrival, else when
 * the last title passed (a Delivered trade's `stageAt`); 0 while it has not opened.
 */
export function claimWindowStart(t: Pick<TradeRecord, "arrivedAt" | "state" | "stageAt">): bigint {
  if (t.arrivedAt !== 0n) return t.arrivedAt;
  return t.state === TradeState.Delivered ? t.stageAt : 0n;
}

/** The last second the seller may answer the trade's claim (accept or contest); undefined without one. */
export function claimResponseDeadline(t: Pick<TradeRecord, "claim" | "terms">): bigint | undefined {
  if (t.claim === undefined) return undefined;
  return addBusinessDays(t.claim.filedAt, t.terms.responseDays);
}

/** What `stageDeadline` and the other deadlines read of a trade. */
export type DeadlineFields = BalanceFields &
  Pick<TradeRecord, "state" | "stageAt" | "arrivedAt" | "lateBalancePaidAt" | "claim">;

/**
 * The deadline of the trade's current stage (unix seconds), 0 when the stage has none: the escrow's
 * `stageDeadline(tradeId)`.
 *
 * @example
 * const due = stageDeadline(trade); // e.g. the deposit's deadline while the trade is Signed
 */
export function stageDeadline(t: DeadlineFields): bigint {
  const terms = t.terms;
  const payAfterUse = terms.mode === PaymentMode.PayAfterUse;
  switch (t.state) {
    case TradeState.Signed:
      // Pay after use has no deposit: its first deadline is the start of fulfilment.
      return payAfterUse
        ? addBusinessDays(t.stageAt, terms.fulfilmentDays)
        : t.stageAt + BigInt(terms.depositWindow);
    case TradeState.Deposited:
      return addBusinessDays(t.stageAt, terms.fulfilmentDays);
    case TradeState.InFulfilment:
      // The buyer's balance first, then the seller's shipment.
      return balanceDue(t) !== 0n ? balanceDeadline(terms) : effectiveLatestDelivery(t);
    case TradeState.Shipped:
    case TradeState.Received:
    case TradeState.Halted:
      // Direct: receipt is confirmed automatically after shipment. Otherwise, undelivered by the
      // latest delivery plus the grace period, the trade may be cancelled (`cancelUndelivered`).
      if (t.state === TradeState.Shipped && terms.mode === PaymentMode.Direct)
        return t.stageAt + BigInt(terms.collectAfter);
      return effectiveLatestDelivery(t) + BigInt(terms.deliveryGrace);
    case TradeState.Delivered:
      if (payAfterUse) return t.stageAt + BigInt(terms.collectAfter);
      return claimWindowStart(t) + BigInt(terms.claimWindow);
    default:
      return 0n;
  }
}

/** Every deadline that applies to a trade now (unix seconds), null where it has none. */
export type TradeDeadlines = {
  /** The current stage's (`stageDeadline`). */
  stage: bigint | null;
  /** The balance's, while some of a protected trade's price is unpaid before shipment. */
  balance: bigint | null;
  /** The latest delivery in force (moved by a late balance to its payment plus the ship window). */
  latestDelivery: bigint;
  /** The terms' own latest delivery. */
  termsLatestDelivery: bigint;
  /** After it a shipped trade not delivered may be cancelled (null for direct payment). */
  deliveryGraceEnd: bigint | null;
  /** The end of the claim window, once it opened. */
  claimWindowEnd: bigint | null;
  /** The seller's last second to answer a filed claim. */
  claimResponse: bigint | null;
};

/**
 * Every deadline of the trade now: the stage's, the balance's, the latest delivery, the grace period,
 * the claim window and the seller's answer to a claim.
 *
 * @example
 * const { claimWindowEnd } = tradeDeadlines(trade);
 */
export function tradeDeadlines(t: DeadlineFields): TradeDeadlines {
  const stage = stageDeadline(t);
  const claim = t.claim;
  const start = claimWindowStart(t);
  const before = t.state <= TradeState.InFulfilment && t.state !== TradeState.None;
  const latest = effectiveLatestDelivery(t);
  return {
    stage: stage === 0n ? null : stage,
    balance: before && balanceDue(t) !== 0n ? balanceDeadline(t.terms) : null,
    latestDelivery: latest,
    termsLatestDelivery: t.terms.latestDelivery,
    deliveryGraceEnd:
      t.terms.mode === PaymentMode.Direct ? null : latest + BigInt(t.terms.deliveryGrace),
    claimWindowEnd:
      start === 0n || t.terms.claimWindow === 0 ? null : start + BigInt(t.terms.claimWindow),
    claimResponse:
      claim !== undefined && claim.status === ClaimStatus.Filed
        ? addBusinessDays(claim.filedAt, t.terms.responseDays)
        : null,
  };
}
