import { getAddress } from "viem";
import type { Address, Hex } from "viem";
import { eip712Types } from "@trade-escrow/sdk/eip712";
import type { Terms } from "@trade-escrow/sdk/eip712";

const termsFields = eip712Types.Terms;

/** Solidity integer types viem reads as `number` (up to 48 bits); wider ones are bigints. */
const isSmallInt = (type: string) => /^uint(8|16|24|32|40|48)$/.test(type);

/**
 * The terms as the escrow takes them, from the indexer's JSON (bigints as decimal strings). The
 * field list and types come from the sdk's EIP-712 types, so a new term is picked up here.
 */
export function parseTerms(json: Record<string, unknown>): Terms {
  const out: Record<string, unknown> = {};
  for (const { name, type } of termsFields) {
    const value = json[name];
    if (value === undefined) throw new Error(`The terms lack "${name}".`);
    if (type === "address") out[name] = getAddress(String(value));
    else if (type === "bytes") out[name] = String(value) as Hex;
    else if (isSmallInt(type)) out[name] = Number(value);
    else if (type.startsWith("uint")) out[name] = BigInt(String(value));
    else out[name] = value;
  }
  return out as Terms;
}

/** Terms as JSON for storage or display (bigints as strings). */
export function termsToJson(terms: Terms): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { name } of termsFields) {
    const value = (terms as Record<string, unknown>)[name];
    out[name] = typeof value === "bigint" ? value.toString() : (value as string | number);
  }
  return out;
}

export type TermChange = { name: string; before: string; after: string };

/** What changed between two versions of a trade's terms, field by field, in the terms' order. */
export function diffTerms(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): TermChange[] {
  const changes: TermChange[] = [];
  for (const { name } of termsFields) {
    const a = String(before[name] ?? "");
    const b = String(after[name] ?? "");
    if (a.toLowerCase() !== b.toLowerCase()) changes.push({ name, before: a, after: b });
  }
  return changes;
}

/** The part of the price the deposit is (rounded down, as the escrow computes it). */
export const depositOf = (terms: Pick<Terms, "price" | "depositBps">) =>
  (terms.price * BigInt(terms.depositBps)) / 10_000n;

/** What the buyer still owes: the price less what is held, released and refunded. */
export function amountDue(
  terms: Pick<Terms, "price">,
  balances: { escrowed: string; released: string; refunded: string },
): bigint {
  const due =
    terms.price - BigInt(balances.escrowed) - BigInt(balances.released) - BigInt(balances.refunded);
  return due > 0n ? due : 0n;
}

export { sameAddress } from "./format.js";

export type { Address };

/** Money movements of a trade recounted from its events (amounts in the token's smallest unit). */
export function moneyFromTimeline(
  timeline: readonly { event: string; args: Record<string, unknown> }[],
): {
  paid: bigint;
  released: bigint;
  fees: bigint;
} {
  let paid = 0n;
  let released = 0n;
  let fees = 0n;
  for (const { event, args } of timeline) {
    if (event === "DepositPaid" || event === "BalancePaid" || event === "DirectPaid")
      paid += BigInt(String(args.amount ?? 0));
    if (event === "FundsReleased") {
      released += BigInt(String(args.sellerAmount ?? 0));
      fees += BigInt(String(args.fee ?? 0));
    }
  }
  return { paid, released, fees };
}
