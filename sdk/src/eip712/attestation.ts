import type { TypedDataDefinition } from "viem";
import { defineEscrowMessage } from "./message.js";
import type { MessageParameters } from "./message.js";
import { attestationTypes } from "./types.js";
import type { Attestation } from "./types.js";

const attestation = defineEscrowMessage("Attestation", attestationTypes);

export type AttestationParameters = MessageParameters<Attestation>;
export type AttestationTypedData = TypedDataDefinition<typeof attestationTypes, "Attestation">;

/**
 * The typed data of a warehouse operator's attestation about one lot (EIP-712
 * `Attestation(uint256 tradeId,uint8 kind,uint16 lot,uint64 quantity,uint64 time,bytes documentCid,
 * uint256 nonce,uint256 deadline)`); `kind` is an `AttestationKind`.
 */
export const buildAttestation = attestation.build;

/**
 * Signs an operator's attestation; anyone may relay it with `attest(attestation, signature)`.
 *
 * @example
 * const message = {
 *   tradeId, kind: AttestationKind.ReceiptAndTitleTransfer, lot: 1, quantity: 10n, time: receivedAt,
 *   documentCid: cidToCommitment(receiptCid), nonce: 3n, deadline,
 * };
 * const signature = await signAttestation({ client: walletClient, account: operator }, { domain, message });
 * await walletClient.writeContract({ address: escrow, abi: tradeEscrowAbi, functionName: "attest", args: [message, signature] });
 */
export const signAttestation = attestation.sign;

/** The EIP-712 digest of an `Attestation`. */
export const hashAttestation = attestation.hash;

/** Whether `signature` is `address`'s attestation (`client`: ERC-1271 wallets too). */
export const verifyAttestation = attestation.verify;
