import type { TradeSummary } from "./api.js";

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

/** What the cancellation rules read besides the trade's state (unix seconds). */
export type CancellationContext = {
  /** The latest delivery in force: the terms', or a late balance's payment plus the ship window. */
  latestDelivery: number;
  /** When the balance is due: the ship window before the terms' latest delivery. */
  balanceDeadline: number;
  /** The terms' grace period after the latest delivery for goods shipped but not delivered. */
  deliveryGrace: number;
  /** The price still unpaid (a protected trade's balance; 0 for the other modes). */
  due: bigint;
  /** A claim is filed, contested or ruled and not yet resolved: it decides the money first. */
  claimOpen: boolean;
};

/**
 * The cancellations `role` may make on a trade now or later (SPEC and ITradeEscrow): an unpaid
 * deposit or direct payment (seller), a fulfilment not started in time (buyer; from signing for pay
 * after use); nothing shipped (`cancelUnshipped`):
 * the buyer once paid in full and the latest delivery in force passed, the seller once the balance is
 * past due unpaid and fulfilment started; shipped and not delivered by the latest delivery plus the
 * grace period (`cancelUndelivered`): the seller alone while a (raised) balance is unpaid, else
 * either party.
 * Whoever is in default cannot cancel.
 */
export function cancellationsFor(
  trade: Pick<TradeSummary, "stateName" | "modeName" | "stageDeadline">,
  role: "buyer" | "seller",
  context: CancellationContext,
): Cancellation[] {
  const out: Cancellation[] = [];
  const stage = trade.stageDeadline;
  const state = trade.stateName;
  // The escrow accepts each once its deadline has passed (strictly after). The sdk's
  // `tradeActionWindows` holds the same rules, checked against the chain.
  // An unpaid deposit, or a direct payment that never came; pay after use has no deposit.
  if (trade.modeName !== "PayAfterUse" && state === "Signed" && stage !== null)
    out.push({
      kind: "missed-deposit",
      by: "seller",
      from: stage + 1,
      label: "Cancel: the deposit was not paid in time",
      effect: "Nothing is owed by either party.",
    });
  const escrowed = trade.modeName !== "Direct";
  // Pay after use starts fulfilment from signing: its stage deadline then is the start's.
  const awaitingStart = trade.modeName === "PayAfterUse" ? "Signed" : "Deposited";
  if (escrowed && state === awaitingStart && stage !== null)
    out.push({
      kind: "missed-start",
      by: "buyer",
      from: stage + 1,
      label: "Cancel: fulfilment did not start in time",
      effect: "The buyer is refunded in full and takes the seller's bond.",
    });
  if (escrowed && ["Deposited", "InFulfilment"].includes(state)) {
    if (context.due === 0n)
      out.push({
        kind: "unshipped",
        by: "buyer",
        from: context.latestDelivery + 1,
        label: "Cancel: nothing shipped by the latest delivery",
        effect: "The buyer is refunded in full and takes the seller's bond.",
      });
    // A seller that never started cannot cancel: the buyer's missed-start cancellation is the way out.
    else if (state === "InFulfilment")
      out.push({
        kind: "balance-missed",
        by: "seller",
        from: context.balanceDeadline + 1,
        label: "Cancel: the balance was not paid in time",
        effect: "The buyer's deposit is refunded and the seller's bond returned.",
      });
  }
  if (escrowed && ["Shipped", "Received", "Halted"].includes(state) && !context.claimOpen) {
    const from = context.latestDelivery + context.deliveryGrace + 1;
    if (context.due > 0n)
      out.push({
        kind: "undelivered",
        by: "seller",
        from,
        label: "Cancel: the raised balance was not paid",
        effect:
          "The buyer's payments are refunded and the seller's bond returned; a lot the escrow holds goes back to the seller.",
      });
    else {
      // Nothing owed by the buyer: either party may close the trade; the reason decides who gets what.
      const ending =
        state === "Received"
          ? {
              label: "Cancel: title never attested",
              effect:
                "The buyer is refunded and the seller's bond returned (no one defaulted); the held lot and its warehouse receipt go back to the seller.",
            }
          : {
              label: "Cancel: goods not delivered",
              effect:
                "The buyer is refunded what the escrow holds and takes the seller's bond; a lot the escrow holds goes back to the seller.",
            };
      for (const by of ["buyer", "seller"] as const)
        out.push({ kind: "undelivered", by, from, ...ending });
    }
  }
  return out.filter((c) => c.by === role);
}
