import { zeroAddress } from "viem";
import type { Address } from "viem";
import { sellerRatingsAbi } from "@trade-escrow/sdk/contracts";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { DAY } from "@trade-escrow/sdk/devchain";
import type { ChainBase } from "./base.js";

/** The platform's side: credit scores, the guarantor pool, and the sellers' ratings. */
export function platformActions(base: ChainBase) {
  const { escrow, mined, wallet, roleOf, latest, nextNonce, deployment } = base;
  return {
    /** The accredited credit oracle records `score` for `buyer`, valid for a year. */
    async recordCreditScore(buyer: Address, score: number) {
      const now = await latest();
      return escrow("oracle", "recordCreditScore", [
        {
          buyer,
          score,
          issuedAt: now - 60n,
          expiresAt: now + 365n * BigInt(DAY),
          nonce: nextNonce(),
        },
        "0x",
      ]);
    },
    /** The platform (the admin) adds `amount` of `token` to the pay-after-use guarantor pool. */
    fundPool: (token: Address, amount: bigint) =>
      escrow("admin", "fundPool", [token, amount], token === zeroAddress ? amount : undefined),
    /**
     * The admin caps what the pool of `token` guarantees for one buyer's open pay-after-use trades
     * (0, the default, closes pay after use in `token` to new trades).
     */
    setBuyerExposureCap: (token: Address, cap: bigint) =>
      escrow("admin", "setBuyerExposureCap", [token, cap]),
    rate: (id: bigint, terms: Terms, scores: [number, number, number]) =>
      mined(
        wallet(roleOf(terms.buyer)).writeContract({
          address: deployment.sellerRatings,
          abi: sellerRatingsAbi,
          functionName: "rate",
          args: [id, ...scores],
        }),
      ),
    /** The admin (the ratings' owner) sets the fee a trade in `token` without attested title must pay to be ratable. */
    setMinRatingFee: (token: Address, minFee: bigint) =>
      mined(
        wallet("admin").writeContract({
          address: deployment.sellerRatings,
          abi: sellerRatingsAbi,
          functionName: "setMinFee",
          args: [token, minFee],
        }),
      ),
  };
}
