import { getAddress, isAddress, isHex, parseUnits } from "viem";
import { z } from "zod";
import type { SettlementConsent } from "../actions/claims.js";

const uint = (what: string) =>
  z
    .string()
    .regex(/^\d{1,78}$/, `${what} must be a whole number`)
    .transform((v) => BigInt(v));

/** A signed settlement consent as one party hands it to the other (JSON, amounts as strings). */
export const settlementConsentSchema = z
  .object({
    tradeId: uint("The trade id"),
    refund: uint("The refund"),
    signer: z
      .string()
      .refine((s) => isAddress(s), "The signer must be an address")
      .transform((s) => getAddress(s)),
    nonce: uint("The nonce"),
    deadline: uint("The deadline"),
    signature: z
      .string()
      .refine((s) => isHex(s) && s.length >= 132, "The signature must be 0x and hex digits")
      .transform((s) => s as `0x${string}`),
  })
  .strict();

/** The consent as JSON to copy (bigints as decimal strings). */
export function encodeSettlementConsent(consent: SettlementConsent): string {
  return JSON.stringify(
    consent,
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    2,
  );
}

/**
 * Reads a pasted consent and checks that it is for this trade, from the other party, unexpired and
 * within what the escrow holds. The message says what is wrong.
 */
export function parseSettlementConsent(
  text: string,
  expected: {
    tradeId: bigint;
    otherParty: string;
    escrowed: bigint;
    now: bigint;
  },
): { ok: true; consent: SettlementConsent } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: "This is not a signed settlement (it is not JSON)." };
  }
  const parsed = settlementConsentSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      error: `This is not a signed settlement: ${parsed.error.issues[0]?.message ?? "invalid"}.`,
    };
  const consent = parsed.data;
  if (consent.tradeId !== expected.tradeId)
    return { ok: false, error: `This consent is for trade ${consent.tradeId}.` };
  if (consent.signer.toLowerCase() !== expected.otherParty.toLowerCase())
    return {
      ok: false,
      error: `This consent is signed by ${consent.signer}, not by the other party.`,
    };
  if (consent.deadline < expected.now)
    return { ok: false, error: "This consent has expired; ask for a new one." };
  if (consent.refund > expected.escrowed)
    return { ok: false, error: "The refund is more than the escrow holds for this trade." };
  return { ok: true, consent };
}

/** The refund a party proposes, in whole token units (`2.5`), within what the escrow holds. */
export function refundSchema(decimals: number, escrowed: bigint) {
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, "The refund must be a number such as 1.5")
    .refine((v) => (v.split(".")[1]?.length ?? 0) <= decimals, `At most ${decimals} decimals`)
    .transform((v) => parseUnits(v, decimals))
    .refine((v) => v <= escrowed, "The refund cannot exceed what the escrow holds");
}
