import type { AttestationKind, CancelReason } from "../contracts/generated/enums.js";

/**
 * The escrow's functions that act on one existing trade (ITradeEscrow), by their names. Left out:
 * opening (`openTrade`, `proposeTrade`: no trade yet), `attestBatch` (many `attest`s), `rule` (the
 * court's callback), `submitInspectionReport` (the agency's, about a trade but not a step of it), and
 * the account-wide steps (withdrawals, bonds, debts, pools, credit scores, nonces, admin).
 */
export const tradeActionNames = [
  "acceptTrade",
  "withdrawProposal",
  "payDeposit",
  "payDepositWithPermit",
  "payDirect",
  "payBalance",
  "payBalanceWithPermit",
  "postSellerBond",
  "startFulfilment",
  "markShipped",
  "recordMilestone",
  "attest",
  "release",
  "confirmReceipt",
  "refundVoluntarily",
  "fileClaim",
  "acceptClaim",
  "contestClaim",
  "settleClaim",
  "enforceDefaultJudgment",
  "appealRuling",
  "executeRuling",
  "submitEvidence",
  "amend",
  "cancelForMissedDeposit",
  "cancelForMissedStart",
  "cancelUnshipped",
  "cancelUndelivered",
] as const;

/** The name of an escrow function that acts on one trade. */
export type TradeActionName = (typeof tradeActionNames)[number];

/** A party of a trade: the terms name each. */
export type TradeRole = "buyer" | "seller" | "operator";

/**
 * Who may send an action: a party, or anyone (the escrow does not look at the sender; it checks the
 * signatures the action carries, if any).
 */
export type TradeCaller = TradeRole | "anyone";

/** What every action says about itself. */
type TradeActionBase<name extends TradeActionName> = {
  name: name;
  /** Who may send it. */
  callers: readonly TradeCaller[];
  /** Whose EIP-712 signatures it carries (the party that sends it may sign by sending instead). */
  signers?: readonly TradeRole[];
  /** The last second it is accepted (unix seconds): the escrow refuses it once `block.timestamp > until`. */
  until?: bigint;
  /** The deadline it waits for (unix seconds): the escrow accepts it once `block.timestamp > after`. */
  after?: bigint;
};

/** What some actions say besides (`amount`: what it pays in the trade's token, or at most refunds). */
type TradeActionExtras = {
  payDeposit: { amount: bigint };
  payDepositWithPermit: { amount: bigint };
  payDirect: { amount: bigint };
  payBalance: { amount: bigint };
  payBalanceWithPermit: { amount: bigint };
  postSellerBond: { amount: bigint };
  refundVoluntarily: { amount: bigint };
  /** The attestations the operator can make now. */
  attest: { kinds: readonly AttestationKind[] };
  cancelForMissedDeposit: { reason: CancelReason };
  cancelForMissedStart: { reason: CancelReason };
  cancelUnshipped: { reason: CancelReason };
  cancelUndelivered: { reason: CancelReason };
};

/**
 * One action of a trade: an escrow function, who may send it, its deadline where it has one, and
 * what it pays, attests or why it cancels where that matters.
 */
export type TradeAction = {
  [name in TradeActionName]: TradeActionBase<name> &
    (name extends keyof TradeActionExtras ? TradeActionExtras[name] : unknown);
}[TradeActionName];

/** The action of one name. */
export type TradeActionOf<name extends TradeActionName> = Extract<TradeAction, { name: name }>;
