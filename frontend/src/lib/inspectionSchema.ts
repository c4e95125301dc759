import { z } from "zod";
import type { Hex } from "viem";
import type { InspectionReport } from "@trade-escrow/sdk/eip712";

/** The agency's report form: the trade, the variance found, material damage, the report's CID. */
export const inspectionFormSchema = z.object({
  tradeId: z
    .string()
    .trim()
    .regex(/^[1-9]\d{0,77}$/, "The trade id must be a whole number from 1"),
  variancePercent: z
    .string()
    .trim()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "The variance must be a percentage such as 10 or 12.5")
    .transform((v) => Math.round(Number(v) * 100))
    .refine((bps) => bps <= 10_000, "The variance cannot exceed 100%"),
  material: z.boolean(),
  reportCid: z
    .string()
    .regex(/^0x[0-9a-f]+$/i, "Upload the inspection report first")
    .transform((v) => v as Hex),
});

export type InspectionForm = z.input<typeof inspectionFormSchema>;

/** The report as the agency signs it (EIP-712 `InspectionReport`), valid `days` days. */
export function toInspectionReport(
  form: z.output<typeof inspectionFormSchema>,
  agency: Hex,
  now: number,
  days = 30,
): InspectionReport {
  return {
    tradeId: BigInt(form.tradeId),
    agency,
    varianceBps: form.variancePercent,
    material: form.material,
    reportCid: form.reportCid,
    nonce: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
    deadline: BigInt(now + days * 86_400),
  };
}

/**
 * The signed report as the buyer pastes it into the claim form (ClaimPanel's `SignedReport`):
 * numbers as strings.
 */
export function encodeSignedReport(report: InspectionReport, signature: Hex): string {
  return JSON.stringify(
    { report, signature },
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    2,
  );
}
