/**
 * The auditor's verifier: checks an escrow's whole history from the chain and IPFS alone (code,
 * events, trades, accounts, documents, signatures, arbitration, funds) and reports every check with
 * its evidence. Runs in Node.js and in a browser (only `fetch` and a viem client); the command line
 * is sdk/scripts/audit.ts.
 */
export { auditEscrow } from "./audit.js";
export type { AuditEscrowParameters } from "./audit.js";
export { createAuditClient } from "./client.js";
export { createIpfsSource, createKuboBlockSource, isKuboRpcUrl } from "./ipfs.js";
export type { CreateIpfsSourceParameters } from "./ipfs.js";
export { auditOptionsSchema, parseAuditOptions } from "./parameters.js";
export type { AuditOptions, AuditOptionsInput } from "./parameters.js";
export { formatReport } from "./format.js";
export { compareCode, expectedRuntimeCode, linkedLibraries } from "./code.js";
export type { CompareCodeReturnType, ExpectedCode, KnownContract } from "./code.js";
export { collectCommitments } from "./documents.js";
export type { DocumentCommitment } from "./documents.js";
export { commitmentOf, finalRuling, lowerMedian, refundForRuling } from "./arbitration.js";
export { escrowRoles } from "./signatures.js";
export type { RecoverAddress } from "./signatures.js";
export { findDeploymentBlock } from "./events.js";
export { AuditError, AuditSourceError, InvalidAuditParametersError } from "./errors.js";
export { checkKinds } from "./types.js";
export type {
  AuditProgress,
  AuditReport,
  Check,
  CheckCounts,
  CheckKind,
  CheckStatus,
  Evidence,
} from "./types.js";
