import { parseAbi, parseSignature } from "viem";
import type { Address, Hex, TypedDataDefinition } from "viem";
import { getChainId, readContract } from "viem/actions";
import { erc20PermitAbi } from "../contracts/index.js";
import { defineMessage } from "./message.js";
import type { MessageParameters } from "./message.js";
import { signTypedDataWith } from "./signer.js";
import type { AnyClient, TypedDataSigner } from "./signer.js";
import { permitTypes } from "./types.js";
import type { Permit, PermitArgument } from "./types.js";

/** A token's EIP-2612 domain: its EIP-712 name and version, chain and address. */
export type PermitDomainParameters = {
  /** The token's EIP-712 domain name (for OpenZeppelin's ERC20Permit, the token's `name()`). */
  name: string;
  /** The domain version: "1" for OpenZeppelin's ERC20Permit (USDC: "2"). Default "1". */
  version?: string;
  chainId: number | bigint;
  /** The token's address. */
  verifyingContract: Address;
};

export type PermitDomain = {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
};

/** The EIP-712 domain of an EIP-2612 token. */
export function permitDomain(parameters: PermitDomainParameters): PermitDomain {
  return {
    name: parameters.name,
    version: parameters.version ?? "1",
    chainId: Number(parameters.chainId),
    verifyingContract: parameters.verifyingContract,
  };
}

const versionAbi = parseAbi(["function version() view returns (string)"]);

/**
 * Reads a token's EIP-2612 domain from the chain: its ERC-5267 `eip712Domain()` when it has one
 * (OpenZeppelin 5), else `name()` with `version()` if the token has it (USDC), else version "1".
 *
 * @example
 * const domain = await getPermitDomain(publicClient, usdc);
 */
export async function getPermitDomain(client: AnyClient, token: Address): Promise<PermitDomain> {
  try {
    const [, name, version, chainId, verifyingContract] = await readContract(client, {
      address: token,
      abi: erc20PermitAbi,
      functionName: "eip712Domain",
    });
    return permitDomain({ name, version, chainId, verifyingContract });
  } catch {
    // No ERC-5267: fall back on the token's name, and its version() where it has one.
  }
  const [name, chainId] = await Promise.all([
    readContract(client, { address: token, abi: erc20PermitAbi, functionName: "name" }),
    client.chain?.id ?? getChainId(client),
  ]);
  const version = await readContract(client, {
    address: token,
    abi: versionAbi,
    functionName: "version",
  }).catch(() => "1");
  return permitDomain({ name, version, chainId, verifyingContract: token });
}

const permit = defineMessage("Permit", permitTypes, permitDomain);

export type PermitParameters = MessageParameters<Permit, PermitDomainParameters>;
export type PermitTypedData = TypedDataDefinition<typeof permitTypes, "Permit">;

export type SignPermitReturnType = {
  signature: Hex;
  /** The permit as the escrow's `payDepositWithPermit` and `payBalanceWithPermit` take it. */
  permit: PermitArgument;
};

/**
 * The typed data of an EIP-2612 permit: `owner` lets `spender` spend `value` of the token until
 * `deadline`. `nonce` is the token's `nonces(owner)`.
 */
export const buildPermit = permit.build;

/** The EIP-712 digest of a permit, in the token's domain. */
export const hashPermit = permit.hash;

/** Whether `signature` is `address`'s permit (`client`: ERC-1271 wallets too, if the token allows). */
export const verifyPermit = permit.verify;

/**
 * Signs an EIP-2612 permit and splits the signature into the `{ value, deadline, v, r, s }` the
 * escrow's `pay…WithPermit` functions take (the escrow is the spender, the buyer the owner).
 *
 * @example
 * const domain = await getPermitDomain(publicClient, terms.token);
 * const nonce = await publicClient.readContract({ address: terms.token, abi: erc20PermitAbi, functionName: "nonces", args: [buyer.address] });
 * const { permit } = await signPermit(buyer, {
 *   domain,
 *   message: { owner: buyer.address, spender: escrow, value: deposit, nonce, deadline },
 * });
 * await walletClient.writeContract({ address: escrow, abi: tradeEscrowAbi, functionName: "payDepositWithPermit", args: [tradeId, permit] });
 */
export async function signPermit(
  signer: TypedDataSigner,
  parameters: PermitParameters,
): Promise<SignPermitReturnType> {
  const signature = await signTypedDataWith(
    signer,
    // The built permit is a TypedDataDefinition<typeof permitTypes, "Permit">; see signer.ts.
    buildPermit(parameters) as unknown as TypedDataDefinition,
  );
  const { r, s, v, yParity } = parseSignature(signature);
  return {
    signature,
    permit: {
      value: parameters.message.value,
      deadline: parameters.message.deadline,
      v: v === undefined ? yParity + 27 : Number(v),
      r,
      s,
    },
  };
}
