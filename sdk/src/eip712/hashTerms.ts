import { hashStruct } from "viem";
import type { Hex } from "viem";
import { termsTypes } from "./types.js";
import type { Terms } from "./types.js";

/**
 * The terms hash: the EIP-712 struct hash of `Terms`, exactly as the escrow computes it
 * (`TradeTerms.hash`): what the parties sign to open and amend, what TradeOpened, TradeProposed
 * and TradeAmended carry, and what an acceptor's terms must hash to (`acceptTrade`).
 *
 * @example
 * const termsHash = hashTerms(terms);
 * if (termsHash !== openedEvent.args.termsHash) throw new Error("These are not the trade's terms.");
 */
export function hashTerms(terms: Terms): Hex {
  return hashStruct({ data: terms, primaryType: "Terms", types: termsTypes });
}
