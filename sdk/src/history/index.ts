/**
 * The escrow's history: one reducer that folds its events into the state of every trade, credit, bond,
 * pool and debt. The indexer stores what it derives; the auditor compares it with the contract's views.
 */
export {
  applyEscrowEvent,
  balanceKey,
  buyerExposures,
  createEscrowState,
  reduceEscrowEvents,
} from "./reducer.js";
export { balanceDeadline, effectiveLatestDelivery } from "./deadlines.js";
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
