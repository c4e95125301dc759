import type { TypedDataDefinition } from "viem";
import { defineEscrowMessage } from "./message.js";
import type { MessageParameters } from "./message.js";
import { inspectionReportTypes } from "./types.js";
import type { InspectionReport } from "./types.js";

const inspectionReport = defineEscrowMessage("InspectionReport", inspectionReportTypes);

export type InspectionReportParameters = MessageParameters<InspectionReport>;
export type InspectionReportTypedData = TypedDataDefinition<
  typeof inspectionReportTypes,
  "InspectionReport"
>;

/**
 * The typed data of an accredited agency's inspection report (EIP-712
 * `InspectionReport(uint256 tradeId,address agency,uint16 varianceBps,bool material,bytes reportCid,
 * uint256 nonce,uint256 deadline)`).
 */
export const buildInspectionReport = inspectionReport.build;

/**
 * Signs an agency's inspection report; the buyer cites it in `fileClaim(tradeId, request, report,
 * agencySignature)`.
 *
 * @example
 * const report = { tradeId, agency: agency.address, varianceBps: 1_000, material: false, reportCid, nonce: 1n, deadline };
 * const agencySignature = await signInspectionReport(agency, { domain, message: report });
 */
export const signInspectionReport = inspectionReport.sign;

/** The EIP-712 digest of an `InspectionReport`. */
export const hashInspectionReport = inspectionReport.hash;

/** Whether `signature` is `address`'s report (`client`: ERC-1271 wallets too). */
export const verifyInspectionReport = inspectionReport.verify;
