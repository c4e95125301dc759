import { hashStruct } from "viem";
import type { Hex } from "viem";
import { termsTypes } from "./types.js";
import type { Terms } from "./types.js";

/**
 * The terms hash: the EIP-712 struct hash of `Terms`, exactly as the escrow computes it
 * (`hashTerms(terms)`, `TradeTerms.hash`). The escrow stores it for each trade
 * (`trade(tradeId).termsHash`) and every action checks the terms it is given against it.
 *
 * @example
 * const termsHash = hashTerms(terms);
 * const { termsHash: committed } = await publicClient.readContract({ address: escrow, abi: tradeEscrowAbi, functionName: "trade", args: [tradeId] });
 * if (termsHash !== committed) throw new Error("These are not the trade's terms.");
 */
export function hashTerms(terms: Terms): Hex {
  return hashStruct({ data: terms, primaryType: "Terms", types: termsTypes });
}
