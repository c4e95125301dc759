type Address = `0x${string}`;

/** What the global setup provides to every test file: the node and what is deployed on it. */
export type ChainContext = {
  rpcUrl: string;
  chainId: number;
  deploymentBlock: number;
  tradeEscrow: Address;
  arbitrationCourt: Address;
  sellerRatings: Address;
  warehouseReceipt: Address;
  libraries: Record<string, Address>;
  /** MockStablecoin "Test USD" (6 decimals, EIP-2612). */
  usd: Address;
  /** MockERC1271Wallet owned by the `walletOwner` account. */
  wallet: Address;
  /** LibraryHarness: the escrow's pure libraries, TradeTerms.hash among them. */
  libraryHarness: Address;
};

declare module "vitest" {
  export interface ProvidedContext {
    chain: ChainContext;
  }
}
