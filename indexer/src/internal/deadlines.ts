import { balanceDeadline, effectiveLatestDelivery } from "@trade-escrow/sdk/history";
import type { TradeRecord } from "@trade-escrow/sdk/history";
import { PaymentMode, TradeState, ClaimStatus } from "@trade-escrow/sdk/contracts";

/**
 * Deadlines of a trade, from its terms and its derived state, for people reading the API: the same
 * arithmetic as the contract's `stageDeadline` (contracts/libraries/FulfilmentLogic.sol),
 * `TradeFlow.balanceDeadline` and `TradeFlow.latestDelivery` (a late balance moves the latest
 * delivery), and BusinessDays.sol, which the tests compare with the chain.
 */

const DAY = 86_400n;
const SATURDAY = 5n; // Monday = 0

/**
 * `timestamp` moved forward by `days` business days (Saturday and Sunday, UTC, not counted): the same time
 * of day `days` weekdays later from a weekday start; counted from Monday 00:00 UTC from a weekend start.
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

/** What the buyer of a protected trade still owes of the price (`TradeFlow.balanceDue`); 0 otherwise. */
export function balanceDue(t: TradeRecord): bigint {
  if (t.terms.mode !== PaymentMode.Protected) return 0n;
  const due = t.terms.price - t.refunded - t.escrowed - t.released;
  return due > 0n ? due : 0n;
}

/** The deadline of the trade's current stage (unix seconds), 0 when the stage has none. */
export function stageDeadline(t: TradeRecord): bigint {
  const terms = t.terms;
  const payAfterUse = terms.mode === PaymentMode.PayAfterUse;
  switch (t.state) {
    case TradeState.Signed:
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
    case TradeState.Delivered: {
      if (payAfterUse) return t.stageAt + BigInt(terms.collectAfter);
      const start = t.arrivedAt !== 0n ? t.arrivedAt : t.stageAt;
      return start + BigInt(terms.claimWindow);
    }
    default:
      return 0n;
  }
}

/** Every deadline that applies to the trade now (unix seconds, as decimal strings), or null. */
export function tradeDeadlines(t: TradeRecord): Record<string, string | null> {
  const stage = stageDeadline(t);
  const claim = t.claim;
  const claimOpen = claim !== undefined && claim.status === ClaimStatus.Filed;
  const windowStart =
    t.arrivedAt !== 0n ? t.arrivedAt : t.state === TradeState.Delivered ? t.stageAt : 0n;
  const before = t.state <= TradeState.InFulfilment && t.state !== TradeState.None;
  const latest = effectiveLatestDelivery(t);
  return {
    stage: stage === 0n ? null : stage.toString(),
    // Due until shipment while some of the price is unpaid (a protected trade with a balance).
    balance: before && balanceDue(t) !== 0n ? balanceDeadline(t.terms).toString() : null,
    // In force: moved by a late balance to its payment plus the ship window.
    latestDelivery: latest.toString(),
    termsLatestDelivery: t.terms.latestDelivery.toString(),
    // After it, a shipped trade not delivered may be cancelled (not for direct payment).
    deliveryGraceEnd:
      t.terms.mode === PaymentMode.Direct
        ? null
        : (latest + BigInt(t.terms.deliveryGrace)).toString(),
    claimWindowEnd:
      windowStart === 0n || t.terms.claimWindow === 0
        ? null
        : (windowStart + BigInt(t.terms.claimWindow)).toString(),
    claimResponse: claimOpen
      ? addBusinessDays(claim.filedAt, t.terms.responseDays).toString()
      : null,
  };
}
