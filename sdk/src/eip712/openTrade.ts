import type { TypedDataDefinition } from "viem";
import { defineEscrowMessage } from "./message.js";
import type { MessageParameters } from "./message.js";
import { openTradeTypes } from "./types.js";
import type { OpenTrade } from "./types.js";

const openTrade = defineEscrowMessage("OpenTrade", openTradeTypes);

export type OpenTradeParameters = MessageParameters<OpenTrade>;
export type OpenTradeTypedData = TypedDataDefinition<typeof openTradeTypes, "OpenTrade">;

/**
 * The typed data of a party's consent to open a trade on `terms` (EIP-712
 * `OpenTrade(Terms terms,uint256 nonce,uint256 deadline)`), ready for any EIP-712 signer (wagmi's
 * `useSignTypedData`, `eth_signTypedData_v4`).
 */
export const buildOpenTrade = openTrade.build;

/**
 * Signs a party's consent to open a trade. The escrow's `openTrade(terms, buyerSignature,
 * sellerSignature)` takes `{ nonce, deadline, signature }` from each party (or `signature: "0x"`
 * from the party that sends the transaction). Nonces are the signer's own and unordered; a
 * deadline is a unix time in seconds.
 *
 * @example
 * const message = { terms, nonce: 1n, deadline: now + 86_400n };
 * const signature = await signOpenTrade(buyerAccount, { domain: { chainId, verifyingContract: escrow }, message });
 * const buyerSignature = { nonce: message.nonce, deadline: message.deadline, signature };
 */
export const signOpenTrade = openTrade.sign;

/** The EIP-712 digest of an `OpenTrade` consent: what the party signs and the escrow recovers. */
export const hashOpenTrade = openTrade.hash;

/**
 * Whether `signature` is `address`'s consent to open the trade. Pass a public `client` to accept
 * contract wallets (ERC-1271), as the escrow does.
 */
export const verifyOpenTrade = openTrade.verify;
