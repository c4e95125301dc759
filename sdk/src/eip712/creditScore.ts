import type { TypedDataDefinition } from "viem";
import { defineEscrowMessage } from "./message.js";
import type { MessageParameters } from "./message.js";
import { creditScoreTypes } from "./types.js";
import type { CreditScore } from "./types.js";

const creditScore = defineEscrowMessage("CreditScore", creditScoreTypes);

export type CreditScoreParameters = MessageParameters<CreditScore>;
export type CreditScoreTypedData = TypedDataDefinition<typeof creditScoreTypes, "CreditScore">;

/**
 * The typed data of a credit oracle's score for a buyer (EIP-712
 * `CreditScore(address buyer,uint16 score,uint64 issuedAt,uint64 expiresAt,uint256 nonce)`).
 */
export const buildCreditScore = creditScore.build;

/**
 * Signs a credit oracle's score; anyone may relay it with `recordCreditScore(score, signature)`.
 * The escrow recovers the oracle with ECDSA only: oracles sign with a key, not a contract wallet.
 *
 * @example
 * const score = { buyer, score: 720, issuedAt: now, expiresAt: now + 90n * 86_400n, nonce: 1n };
 * const signature = await signCreditScore(oracleAccount, { domain, message: score });
 */
export const signCreditScore = creditScore.sign;

/** The EIP-712 digest of a `CreditScore`. */
export const hashCreditScore = creditScore.hash;

/**
 * Whether `signature` is `address`'s score. The escrow accepts only an EOA's signature here, so
 * verify without `client` to decide as it does.
 */
export const verifyCreditScore = creditScore.verify;
