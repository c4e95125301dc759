import type { TradeSummary } from "./api.js";

/** The escrow's cancellation paths (ITradeEscrow), each open to one party after a deadline. */
export type Cancellation = {
  kind: "missed-deposit" | "missed-start" | "unshipped";
  /** Who may cancel this way. */
  by: "buyer" | "seller";
  /** Unix seconds from which the escrow accepts it. */
  from: number;
  /** What happens, in a sentence. */
  effect: string;
  label: string;
};

/**
 * The cancellations `role` may make on a trade now or later (SPEC: an unpaid deposit, a fulfilment
 * not started in time, nothing shipped by the latest delivery). `due` is the price still unpaid.
 */
export function cancellationsFor(
  trade: Pick<TradeSummary, "stateName" | "modeName" | "stageDeadline">,
  role: "buyer" | "seller",
  latestDelivery: number,
  due: bigint,
): Cancellation[] {
  const out: Cancellation[] = [];
  const stage = trade.stageDeadline;
  if (trade.modeName === "Protected" && trade.stateName === "Signed" && stage !== null)
    out.push({
      kind: "missed-deposit",
      by: "seller",
      // The escrow accepts it once the deadline has passed (strictly after).
      from: stage + 1,
      label: "Cancel: the deposit was not paid in time",
      effect: "Nothing is owed by either party.",
    });
  const escrowed = trade.modeName !== "Direct";
  if (escrowed && trade.stateName === "Deposited" && stage !== null)
    out.push({
      kind: "missed-start",
      by: "buyer",
      from: stage + 1,
      label: "Cancel: fulfilment did not start in time",
      effect: "The buyer is refunded in full.",
    });
  if (escrowed && ["Deposited", "InFulfilment"].includes(trade.stateName))
    out.push({
      kind: "unshipped",
      // The party not in default: the seller if the balance is unpaid, the buyer if it is paid.
      by: due > 0n ? "seller" : "buyer",
      from: latestDelivery + 1,
      label: "Cancel: nothing shipped by the latest delivery",
      effect: "The buyer's money is refunded and the seller's bond returned.",
    });
  return out.filter((c) => c.by === role);
}
