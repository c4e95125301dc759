import type { DevDeployment } from "../../src/devchain/index.js";

type Address = `0x${string}`;

/**
 * What the global setup provides to every test file: the toolkit's deployment (`deployStack`) and
 * the test-only mocks deployed on top of it (`deployTestStack`). A view of its own because only the
 * tests deploy these mocks.
 */
export type ChainContext = DevDeployment & {
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
