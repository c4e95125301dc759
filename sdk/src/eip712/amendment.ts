import type { TypedDataDefinition } from "viem";
import { defineEscrowMessage } from "./message.js";
import type { MessageParameters } from "./message.js";
import { amendmentTypes } from "./types.js";
import type { Amendment } from "./types.js";

const amendment = defineEscrowMessage("Amendment", amendmentTypes);

export type AmendmentParameters = MessageParameters<Amendment>;
export type AmendmentTypedData = TypedDataDefinition<typeof amendmentTypes, "Amendment">;

/**
 * The typed data of a party's consent to amend trade `tradeId` to `terms` (EIP-712
 * `Amendment(uint256 tradeId,uint16 version,Terms terms,uint256 nonce,uint256 deadline)`).
 * `version` is the trade's current version (`trade(tradeId).version`) plus one.
 */
export const buildAmendment = amendment.build;

/**
 * Signs a party's consent to an amendment. The escrow's `amend(tradeId, amended, buyerSignature,
 * sellerSignature)` takes `{ nonce, deadline, signature }` from each party.
 *
 * @example
 * const { version } = await publicClient.readContract({ address: escrow, abi: tradeEscrowAbi, functionName: "trade", args: [tradeId] });
 * const message = { tradeId, version: version + 1, terms: amended, nonce: 7n, deadline };
 * const signature = await signAmendment(sellerAccount, { domain, message });
 */
export const signAmendment = amendment.sign;

/** The EIP-712 digest of an `Amendment` consent. */
export const hashAmendment = amendment.hash;

/** Whether `signature` is `address`'s consent to the amendment (`client`: ERC-1271 wallets too). */
export const verifyAmendment = amendment.verify;
