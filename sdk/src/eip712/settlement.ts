import type { TypedDataDefinition } from "viem";
import { defineEscrowMessage } from "./message.js";
import type { MessageParameters } from "./message.js";
import { settlementTypes } from "./types.js";
import type { Settlement } from "./types.js";

const settlement = defineEscrowMessage("Settlement", settlementTypes);

export type SettlementParameters = MessageParameters<Settlement>;
export type SettlementTypedData = TypedDataDefinition<typeof settlementTypes, "Settlement">;

/**
 * The typed data of a party's consent to settle trade `tradeId`'s claim for `refund` (EIP-712
 * `Settlement(uint256 tradeId,uint256 refund,uint256 nonce,uint256 deadline)`).
 */
export const buildSettlement = settlement.build;

/**
 * Signs a party's consent to a settlement. The escrow's `settleClaim(tradeId, refund, buyerSignature,
 * sellerSignature)` takes `{ nonce, deadline, signature }` from each party.
 *
 * @example
 * const message = { tradeId, refund: 5_000_000_000n, nonce: 9n, deadline };
 * const signature = await signSettlement(buyerAccount, { domain, message });
 */
export const signSettlement = settlement.sign;

/** The EIP-712 digest of a `Settlement` consent. */
export const hashSettlement = settlement.hash;

/** Whether `signature` is `address`'s consent to the settlement (`client`: ERC-1271 wallets too). */
export const verifySettlement = settlement.verify;
