import { zeroAddress } from "viem";
import type { Terms } from "./types.js";

/**
 * The terms in force of a trade as the escrow keeps them and `termsOf(tradeId)` returns them: every
 * member of the signed terms but the manifest's CID (TradeOpened and TradeAmended carry it), and the
 * court only for a trade with a claim window (the only kind that can reach one).
 */
export type KeptTerms = Omit<Terms, "manifestCid">;

/** The members of `ITradeEscrow.TermsView`, in the struct's order. */
export const keptTermsFields = [
  "buyer",
  "seller",
  "operator",
  "token",
  "mode",
  "price",
  "quantity",
  "toleranceBps",
  "depositBps",
  "lots",
  "latestDelivery",
  "shipWindow",
  "deliveryGrace",
  "depositWindow",
  "fulfilmentDays",
  "claimWindow",
  "responseDays",
  "collectAfter",
  "feeBps",
  "sellerBond",
  "arbitrator",
  "arbitratorExtraData",
] as const satisfies readonly (keyof KeptTerms)[];

/** What the escrow keeps of `terms` once they are in force. */
export function keptTerms(terms: Terms): KeptTerms {
  const { manifestCid: _manifest, ...kept } = terms;
  if (terms.claimWindow !== 0) return kept;
  return { ...kept, arbitrator: zeroAddress, arbitratorExtraData: "0x" };
}
