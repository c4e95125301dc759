import { getAddress, isAddress } from "viem";
import type { Address } from "viem";
import { z } from "zod";
import { InvalidAuditParametersError } from "./errors.js";

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        url.protocol === "http:" ||
        url.protocol === "https:" ||
        url.protocol === "ws:" ||
        url.protocol === "wss:"
      );
    } catch {
      return false;
    }
  }, "must be an http(s) or ws(s) URL");

const address = z
  .string()
  .trim()
  .refine((value) => isAddress(value, { strict: false }), "must be a 20-byte hex address")
  .transform((value) => getAddress(value));

const integer = z
  .union([z.bigint(), z.number().int(), z.string().trim().regex(/^\d+$/, "must be a whole number")])
  .transform((value) => BigInt(value));

/** What a person or a form gives the auditor, as text or values; `parseAuditOptions` checks it. */
export const auditOptionsSchema = z
  .object({
    rpc: httpUrl.default("http://127.0.0.1:8545"),
    escrow: address.optional(),
    court: address.optional(),
    ipfs: httpUrl.default("http://127.0.0.1:3000/ipfs"),
    trade: integer.refine((value) => value > 0n, "must be a trade id (1 or more)").optional(),
    block: integer.optional(),
    fromBlock: integer.optional(),
  })
  .strict();

export type AuditOptionsInput = z.input<typeof auditOptionsSchema>;

/** The auditor's options, checked: URLs, checksummed addresses, bigints. */
export type AuditOptions = {
  rpc: string;
  escrow: Address | undefined;
  court: Address | undefined;
  ipfs: string;
  trade: bigint | undefined;
  block: bigint | undefined;
  fromBlock: bigint | undefined;
};

/**
 * Checks the auditor's options (from a command line, a form, a query string).
 *
 * @throws {InvalidAuditParametersError} naming every option at fault.
 */
export function parseAuditOptions(input: unknown): AuditOptions {
  const result = auditOptionsSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidAuditParametersError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`),
    );
  }
  const value = result.data;
  return {
    rpc: value.rpc,
    escrow: value.escrow,
    court: value.court,
    ipfs: value.ipfs,
    trade: value.trade,
    block: value.block,
    fromBlock: value.fromBlock,
  };
}
