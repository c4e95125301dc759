import type { Hex } from "viem";
import * as escrow from "../actions/escrow.js";
import type { TradeActionName, TradeRole } from "@trade-escrow/sdk/history";
import type { PaymentToken } from "../config.js";
import { formatAmount } from "../lib/format.js";
import { depositOf } from "../lib/terms.js";
import { offeredTo } from "../lib/tradeActions.js";
import type { PanelProps } from "./panelProps.js";

/** What an action's rules read: the panel's props, the trade id and its token. */
export type ActionContext = PanelProps & { id: bigint; token: PaymentToken };

/**
 * One button of the trade page: who sees it, when (the sdk's availableActions: the escrow's rules),
 * what it says and what it sends.
 */
export type TradeAction = {
  key: string;
  /** The panel it shows in. */
  panel: "buyer" | "seller" | "proposer" | "counterparty" | "anyone-delivered";
  when: (c: ActionContext) => boolean;
  /** The button's text. */
  label: (c: ActionContext) => string;
  /** The transaction status line's label. */
  txLabel: string;
  /** Pays this amount in the trade's token: an ERC-20 is approved first when the allowance is short. */
  pays?: (c: ActionContext) => bigint;
  send: (c: ActionContext) => Promise<Hex>;
};

const mode = (c: ActionContext) => c.trade.modeName;
const bondDue = (c: ActionContext) => c.terms.sellerBond - BigInt(c.trade.balances.sellerBond);
/** Whether the escrow would take `name` from the panel's party now (the sdk's availableActions). */
const offered =
  (name: TradeActionName, role: TradeRole | "anyone") =>
  (c: ActionContext): boolean =>
    offeredTo(c, name, role) !== undefined;

/** Every one-click action of the trade page, in the order they show. */
export const tradeActions: readonly TradeAction[] = [
  {
    key: "deposit",
    panel: "buyer",
    when: offered("payDeposit", "buyer"),
    label: (c) => `Pay the deposit (${formatAmount(depositOf(c.terms), c.token)})`,
    txLabel: "Pay the deposit",
    pays: (c) => depositOf(c.terms),
    send: (c) => escrow.payDeposit(c.clients, c.id, c.terms),
  },
  {
    key: "deposit-permit",
    panel: "buyer",
    when: offered("payDepositWithPermit", "buyer"),
    label: () => "Sign a permit and pay the deposit in one transaction",
    txLabel: "Pay the deposit with a permit",
    send: (c) => escrow.payWithPermit(c.clients, c.id, c.terms, depositOf(c.terms), "deposit"),
  },
  {
    key: "direct",
    panel: "buyer",
    when: offered("payDirect", "buyer"),
    label: (c) =>
      `Pay the seller directly (${formatAmount(c.terms.price, c.token)}, no protection)`,
    txLabel: "Pay the seller",
    pays: (c) => c.terms.price,
    send: (c) => escrow.payDirect(c.clients, c.id, c.terms),
  },
  {
    key: "balance",
    panel: "buyer",
    when: offered("payBalance", "buyer"),
    label: (c) => `Pay the balance (${formatAmount(c.due, c.token)})`,
    txLabel: "Pay the balance",
    pays: (c) => c.due,
    send: (c) => escrow.payBalance(c.clients, c.id, c.terms, c.due),
  },
  {
    key: "balance-permit",
    panel: "buyer",
    when: offered("payBalanceWithPermit", "buyer"),
    label: () => "Sign a permit and pay the balance in one transaction",
    txLabel: "Pay the balance with a permit",
    send: (c) => escrow.payWithPermit(c.clients, c.id, c.terms, c.due, "balance"),
  },
  {
    key: "confirm",
    panel: "buyer",
    when: offered("confirmReceipt", "buyer"),
    label: (c) =>
      mode(c) === "PayAfterUse"
        ? `Confirm receipt (collects ${formatAmount(c.terms.price, c.token)} as authorised)`
        : "Confirm receipt",
    txLabel: "Confirm receipt",
    send: (c) => escrow.confirmReceipt(c.clients, c.id),
  },
  {
    key: "bond",
    panel: "seller",
    when: offered("postSellerBond", "seller"),
    label: (c) => `Post the performance bond (${formatAmount(bondDue(c), c.token)})`,
    txLabel: "Post the bond",
    pays: bondDue,
    send: (c) => escrow.postSellerBond(c.clients, c.id, c.terms, bondDue(c)),
  },
  {
    key: "start",
    panel: "seller",
    when: offered("startFulfilment", "seller"),
    label: () => "Start fulfilment",
    txLabel: "Start fulfilment",
    send: (c) => escrow.startFulfilment(c.clients, c.id),
  },
  {
    key: "withdraw-proposal",
    panel: "proposer",
    when: (c) =>
      offered("withdrawProposal", "buyer")(c) || offered("withdrawProposal", "seller")(c),
    label: () => "Withdraw the proposal",
    txLabel: "Withdraw the proposal",
    send: (c) => escrow.withdrawProposal(c.clients, c.id),
  },
  {
    key: "sign-contract",
    panel: "counterparty",
    when: (c) => offered("acceptTrade", "buyer")(c) || offered("acceptTrade", "seller")(c),
    label: () => "Sign the contract",
    txLabel: "Sign the contract",
    send: (c) => escrow.acceptTrade(c.clients, c.id, c.terms),
  },
  {
    key: "release",
    panel: "anyone-delivered",
    when: offered("release", "anyone"),
    label: () => "Release to the seller",
    txLabel: "Release",
    send: (c) => escrow.release(c.clients, c.id),
  },
];
