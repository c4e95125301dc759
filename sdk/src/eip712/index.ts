/**
 * EIP-712: the escrow's domain and the types of every message it checks (as TradeTerms.sol defines
 * them), the terms hash, and for each message `build…` (typed data for any wallet), `sign…` (a viem
 * local account or wallet client), `hash…` (the digest the contract recovers from) and `verify…`
 * (offline for EOAs; through a public client for ERC-1271 contract wallets). Plus EIP-2612 permits.
 */
export { ESCROW_DOMAIN_NAME, ESCROW_DOMAIN_VERSION, escrowDomain } from "./domain.js";
export type { EscrowDomain, EscrowDomainParameters } from "./domain.js";
export {
  amendmentTypes,
  attestationTypes,
  creditScoreTypes,
  eip712Types,
  inspectionReportTypes,
  openTradeTypes,
  permitTypes,
  settlementTypes,
  termsTypes,
} from "./types.js";
export type {
  Amendment,
  Attestation,
  CreditScore,
  InspectionReport,
  OpenTrade,
  PartySignature,
  Permit,
  PermitArgument,
  Settlement,
  Terms,
} from "./types.js";
export { hashTerms } from "./hashTerms.js";
export { buildOpenTrade, hashOpenTrade, signOpenTrade, verifyOpenTrade } from "./openTrade.js";
export type { OpenTradeParameters, OpenTradeTypedData } from "./openTrade.js";
export { buildAmendment, hashAmendment, signAmendment, verifyAmendment } from "./amendment.js";
export type { AmendmentParameters, AmendmentTypedData } from "./amendment.js";
export {
  buildAttestation,
  hashAttestation,
  signAttestation,
  verifyAttestation,
} from "./attestation.js";
export type { AttestationParameters, AttestationTypedData } from "./attestation.js";
export {
  buildInspectionReport,
  hashInspectionReport,
  signInspectionReport,
  verifyInspectionReport,
} from "./inspectionReport.js";
export type { InspectionReportParameters, InspectionReportTypedData } from "./inspectionReport.js";
export { buildSettlement, hashSettlement, signSettlement, verifySettlement } from "./settlement.js";
export type { SettlementParameters, SettlementTypedData } from "./settlement.js";
export {
  buildCreditScore,
  hashCreditScore,
  signCreditScore,
  verifyCreditScore,
} from "./creditScore.js";
export type { CreditScoreParameters, CreditScoreTypedData } from "./creditScore.js";
export {
  buildPermit,
  getPermitDomain,
  hashPermit,
  permitDomain,
  signPermit,
  verifyPermit,
} from "./permit.js";
export type {
  PermitDomain,
  PermitDomainParameters,
  PermitParameters,
  PermitTypedData,
  SignPermitReturnType,
} from "./permit.js";
export type { MessageParameters } from "./message.js";
export type { AnyClient, TypedDataSigner, VerifySignatureParameters } from "./signer.js";
export { MissingAccountError } from "./errors.js";
