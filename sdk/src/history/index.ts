/**
 * The escrow's history: one reducer that folds its events into the state of every trade, credit, bond,
 * pool and debt. The indexer stores what it derives; the auditor compares it with the contract's views.
 * Beside it, a trade's deadlines and the actions the escrow would accept now (`availableActions`).
 */
export {
  applyEscrowEvent,
  balanceKey,
  buyerExposures,
  createEscrowState,
  reduceEscrowEvents,
} from "./reducer.js";
export {
  addBusinessDays,
  balanceDeadline,
  balanceDue,
  claimResponseDeadline,
  claimWindowStart,
  effectiveLatestDelivery,
  stageDeadline,
  tradeDeadlines,
} from "./deadlines.js";
export type { BalanceFields, DeadlineFields, TradeDeadlines } from "./deadlines.js";
export { tradeActionWindows } from "./actionRules.js";
export type { ActionTradeFields } from "./actionRules.js";
export { availableAction, availableActions, isOpenAt, tradeRolesOf } from "./availableActions.js";
export { tradeActionNames } from "./actionTypes.js";
export type {
  TradeAction,
  TradeActionName,
  TradeActionOf,
  TradeCaller,
  TradeRole,
} from "./actionTypes.js";
export { HistoryError } from "./errors.js";
export { keptTerms, keptTermsFields } from "./keptTerms.js";
export { metaEvidenceId, metaEvidenceSubject } from "./metaEvidence.js";
export type { KeptTerms } from "./keptTerms.js";
export { readEscrowEvents } from "./fromChain.js";
export type { ReadEscrowEventsParameters, ReadEscrowEventsReturnType } from "./fromChain.js";
export type {
  ClaimRecord,
  EscrowEvent,
  EscrowEventData,
  EscrowEventName,
  EscrowEventOf,
  EscrowState,
  EventPosition,
  OperatorRecord,
  PoolRecord,
  TermsVersion,
  TradeRecord,
} from "./types.js";
