import { isAddressEqual, zeroAddress } from "viem";
import type { Address } from "viem";
import { tradeActionWindows } from "./actionRules.js";
import type { ActionTradeFields } from "./actionRules.js";
import type { TradeAction, TradeActionName, TradeRole } from "./actionTypes.js";

/**
 * The roles `account` holds in the trade: buyer, seller, designated operator (a direct trade may have
 * none: the zero address is nobody's).
 *
 * @example
 * tradeRolesOf(trade.terms, account); // ["seller"]
 */
export function tradeRolesOf(
  terms: Pick<ActionTradeFields["terms"], "buyer" | "seller" | "operator">,
  account: Address,
): TradeRole[] {
  const roles: TradeRole[] = [];
  if (isAddressEqual(account, terms.buyer)) roles.push("buyer");
  if (isAddressEqual(account, terms.seller)) roles.push("seller");
  if (terms.operator !== zeroAddress && isAddressEqual(account, terms.operator))
    roles.push("operator");
  return roles;
}

/** Whether the escrow accepts the action at `now` (unix seconds, the block's timestamp). */
export function isOpenAt(action: Pick<TradeAction, "until" | "after">, now: bigint): boolean {
  if (action.until !== undefined && now > action.until) return false;
  if (action.after !== undefined && now <= action.after) return false;
  return true;
}

/**
 * The actions the escrow would accept now from `account` on this trade: each escrow function (named
 * as in ITradeEscrow) at most once, with who may call it and its deadline where it has one (see
 * `tradeActionWindows` for the rules and what a trade's record cannot know). With no account, every
 * action someone may send now.
 *
 * `now` is the block's timestamp the transaction would run at (the chain's clock, not this computer's).
 *
 * @example
 * const actions = availableActions(trade, account, block.timestamp);
 * if (actions.some((a) => a.name === "fileClaim")) showClaimForm();
 */
export function availableActions(
  trade: ActionTradeFields,
  account: Address | undefined,
  now: bigint,
): TradeAction[] {
  const roles = account === undefined ? undefined : tradeRolesOf(trade.terms, account);
  const seen = new Set<TradeActionName>();
  const out: TradeAction[] = [];
  for (const action of tradeActionWindows(trade)) {
    if (seen.has(action.name) || !isOpenAt(action, now)) continue;
    const callable =
      roles === undefined ||
      action.callers.some((caller) => caller === "anyone" || roles.includes(caller));
    if (!callable) continue;
    seen.add(action.name);
    out.push(action);
  }
  return out;
}

/**
 * The action of `name` the escrow would accept now from `account`, or undefined.
 *
 * @example
 * const deposit = availableAction(trade, account, now, "payDeposit"); // deposit?.amount
 */
export function availableAction<name extends TradeActionName>(
  trade: ActionTradeFields,
  account: Address | undefined,
  now: bigint,
  name: name,
): Extract<TradeAction, { name: name }> | undefined {
  return availableActions(trade, account, now).find(
    (a): a is Extract<TradeAction, { name: name }> => a.name === name,
  );
}
