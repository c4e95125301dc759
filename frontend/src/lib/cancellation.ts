import { CancelReason } from "@trade-escrow/sdk/contracts";
import type { TradeAction } from "@trade-escrow/sdk/history";

/** The escrow's cancellation paths (ITradeEscrow), each open to one party after a deadline. */
export type Cancellation = {
  kind: "missed-deposit" | "missed-start" | "unshipped" | "balance-missed" | "undelivered";
  /** Who may cancel this way. */
  by: "buyer" | "seller";
  /** Unix seconds from which the escrow accepts it. */
  from: number;
  /** What happens, in a sentence. */
  effect: string;
  label: string;
};

type Description = Pick<Cancellation, "kind" | "label" | "effect">;

/** What each cancellation (the escrow function and its reason) does, as a person reads it. */
function describe(action: TradeAction): Description | undefined {
  switch (action.name) {
    case "cancelForMissedDeposit":
      return {
        kind: "missed-deposit",
        label: "Cancel: the deposit was not paid in time",
        effect: "Nothing is owed by either party.",
      };
    case "cancelForMissedStart":
      return {
        kind: "missed-start",
        label: "Cancel: fulfilment did not start in time",
        effect: "The buyer is refunded in full and takes the seller's bond.",
      };
    case "cancelUnshipped":
      return action.reason === CancelReason.BalanceMissed
        ? {
            kind: "balance-missed",
            label: "Cancel: the balance was not paid in time",
            effect: "The buyer's deposit is refunded and the seller's bond returned.",
          }
        : {
            kind: "unshipped",
            label: "Cancel: nothing shipped by the latest delivery",
            effect: "The buyer is refunded in full and takes the seller's bond.",
          };
    case "cancelUndelivered":
      if (action.reason === CancelReason.BalanceMissed)
        return {
          kind: "undelivered",
          label: "Cancel: the raised balance was not paid",
          effect:
            "The buyer's payments are refunded and the seller's bond returned; a lot the escrow holds goes back to the seller.",
        };
      if (action.reason === CancelReason.TitleNotAttested)
        return {
          kind: "undelivered",
          label: "Cancel: title never attested",
          effect:
            "The buyer is refunded and the seller's bond returned (no one defaulted); the held lot and its warehouse receipt go back to the seller.",
        };
      return {
        kind: "undelivered",
        label: "Cancel: goods not delivered",
        effect:
          "The buyer is refunded what the escrow holds and takes the seller's bond; a lot the escrow holds goes back to the seller.",
      };
    default:
      return undefined;
  }
}

/**
 * The cancellations `role` may make on a trade now or later: the escrow's cancellation functions
 * among the trade's action windows (the sdk's `tradeActionWindows`, whose rules the sdk's chain test
 * holds to the contract), each from the second after the deadline it waits for. An unpaid deposit or
 * direct payment (seller); a fulfilment not started in time (buyer; from signing for pay after use);
 * nothing shipped (`cancelUnshipped`): the buyer once paid in full and the latest delivery in force
 * passed, the seller once the balance is past due unpaid and fulfilment started; shipped and not
 * delivered by the latest delivery plus the grace period, no claim open (`cancelUndelivered`): the
 * seller alone while a (raised) balance is unpaid, else either party. Whoever is in default cannot
 * cancel.
 */
export function cancellationsFor(
  windows: readonly TradeAction[],
  role: "buyer" | "seller",
): Cancellation[] {
  const out: Cancellation[] = [];
  for (const action of windows) {
    const description = describe(action);
    if (description === undefined || !action.callers.includes(role)) continue;
    // The escrow accepts each once its deadline has passed (strictly after).
    out.push({ ...description, by: role, from: Number((action.after ?? 0n) + 1n) });
  }
  return out;
}
