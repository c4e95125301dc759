import type { Terms } from "../eip712/index.js";
import type { TradeRecord } from "./types.js";

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
