import { isAddressEqual } from "viem";
import type { Address } from "viem";
import { ClaimStatus, TradeState } from "@trade-escrow/sdk/contracts";
import type { ClaimGround } from "@trade-escrow/sdk/contracts";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { availableActions, tradeActionWindows } from "@trade-escrow/sdk/history";
import type {
  ActionTradeFields,
  TradeAction,
  TradeActionName,
  TradeActionOf,
  TradeRole,
} from "@trade-escrow/sdk/history";
import type { TradeDetail } from "./api.js";

/**
 * What the trade page may offer now: the sdk's `availableActions` (the escrow's own rules of who may
 * do what, and until or after when) on the trade as the indexer serves it.
 */

const big = (value: unknown) => BigInt(String(value ?? 0));

/** The fields of the sdk's TradeRecord that the action rules read, from the indexer's trade detail. */
export function actionFieldsOf(trade: TradeDetail, terms: Terms): ActionTradeFields {
  const balances = (trade.balances ?? {}) as Partial<TradeDetail["balances"]>;
  const claim = trade.claim;
  const proposer = trade.timeline?.find((e) => e.event === "TradeProposed")?.args.proposer;
  return {
    state: TradeState[trade.stateName as keyof typeof TradeState] ?? TradeState.None,
    terms,
    stageAt: big(trade.stageAt),
    escrowed: big(balances.escrowed),
    released: big(balances.released),
    refunded: big(balances.refunded),
    sellerBond: big(balances.sellerBond),
    arrivedAt: big(trade.arrivedAt),
    lateBalancePaidAt: big(trade.lateBalancePaidAt),
    proposedBySeller:
      typeof proposer === "string" && isAddressEqual(proposer as Address, terms.seller),
    claim:
      claim === null || claim === undefined
        ? undefined
        : {
            status: ClaimStatus[claim.status as keyof typeof ClaimStatus] ?? ClaimStatus.None,
            ground: Number(claim.ground ?? 0) as ClaimGround,
            refundBps: Number(claim.refundBps ?? 0),
            filedAt: big(claim.filedAt),
            costs: big(claim.costs),
            disputeId: big(claim.disputeId),
            ruling: big(claim.ruling),
          },
  };
}

/** What an action check reads: the trade, its terms and the chain's time (unix seconds). */
export type ActionCheck = { trade: TradeDetail; terms: Terms; now: bigint };

/** The actions the escrow would accept now from `account` (undefined: from whoever may send each). */
export function actionsNow(c: ActionCheck, account?: Address): TradeAction[] {
  return availableActions(actionFieldsOf(c.trade, c.terms), account, c.now);
}

/**
 * The action `name` if the escrow would accept it now from the party `role` (or from anyone, for the
 * actions anyone may send).
 */
export function offeredTo<name extends TradeActionName>(
  c: ActionCheck,
  name: name,
  role: TradeRole | "anyone",
): TradeActionOf<name> | undefined {
  return actionsNow(c).find(
    (a): a is TradeActionOf<name> =>
      a.name === name &&
      (a.callers.includes("anyone") || (role !== "anyone" && a.callers.includes(role))),
  );
}

/** Every action the trade's current state offers, open now or later (e.g. a cancellation's "after"). */
export function actionWindowsOf(trade: TradeDetail, terms: Terms): TradeAction[] {
  return tradeActionWindows(actionFieldsOf(trade, terms));
}
