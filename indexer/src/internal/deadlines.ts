import { tradeDeadlines as deadlinesOf } from "@trade-escrow/sdk/history";
import type { DeadlineFields } from "@trade-escrow/sdk/history";

/**
 * A trade's deadlines for the API. The arithmetic is the sdk's (`@trade-escrow/sdk/history`, beside
 * the reducer and `availableActions`): the contract's `stageDeadline`, `TradeFlow.balanceDeadline`,
 * `TradeFlow.latestDelivery` and BusinessDays.sol, which the sdk's tests compare with the chain.
 */
export { addBusinessDays, balanceDue, stageDeadline } from "@trade-escrow/sdk/history";

/** Every deadline that applies to the trade now (unix seconds, as decimal strings), or null. */
export function tradeDeadlines(t: DeadlineFields): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(deadlinesOf(t)).map(([name, at]) => [name, at === null ? null : at.toString()]),
  );
}
