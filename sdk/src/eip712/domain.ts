type Address = `0x${string}`;

/** The escrow's EIP-712 domain name (`EIP712("TradeEscrow", "1")` in TradeEscrow.sol). */
export const ESCROW_DOMAIN_NAME = "TradeEscrow";
/** The escrow's EIP-712 domain version. */
export const ESCROW_DOMAIN_VERSION = "1";

export type EscrowDomainParameters = {
  /** The chain the escrow is deployed on. */
  chainId: number | bigint;
  /** The escrow's address. */
  verifyingContract: Address;
};

/** The escrow's EIP-712 domain: what every signature the escrow checks is bound to. */
export type EscrowDomain = {
  name: typeof ESCROW_DOMAIN_NAME;
  version: typeof ESCROW_DOMAIN_VERSION;
  chainId: number;
  verifyingContract: Address;
};

/**
 * The EIP-712 domain of the escrow at `verifyingContract` on `chainId`. It equals what the
 * contract's `eip712Domain()` (ERC-5267) returns.
 *
 * @example
 * const domain = escrowDomain({ chainId: 31337, verifyingContract: getDeployment(31337).tradeEscrow });
 */
export function escrowDomain(parameters: EscrowDomainParameters): EscrowDomain {
  return {
    name: ESCROW_DOMAIN_NAME,
    version: ESCROW_DOMAIN_VERSION,
    chainId: Number(parameters.chainId),
    verifyingContract: parameters.verifyingContract,
  };
}
