import { createPublicClient, createWalletClient, getAddress } from "viem";
import type { Abi, Hex } from "viem";
import { hardhat } from "viem/chains";
import { address, deployStack, devTransport } from "../../src/devchain/index.js";
import {
  libraryHarnessAbi,
  libraryHarnessBytecode,
  mockErc1271WalletAbi,
  mockErc1271WalletBytecode,
} from "../generated/mocks.js";
import type { ChainContext } from "./context.js";

export { FEE_BPS, FEE_CAP_BPS, USD_MINTED } from "../../src/devchain/index.js";

/**
 * The toolkit's `deployStack` on the node at `rpcUrl` (the platform, Test USD, the roles), then the
 * mocks only the tests use: an ERC-1271 wallet owned by `walletOwner` and the library harness.
 */
export async function deployTestStack(rpcUrl: string): Promise<ChainContext> {
  const deployment = await deployStack(rpcUrl);
  const transport = devTransport(rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });
  const admin = createWalletClient({ chain: hardhat, transport, account: address("admin") });
  const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[] = []) => {
    const hash = await admin.deployContract({ abi, bytecode, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || receipt.contractAddress == null)
      throw new Error(`Transaction ${hash} deployed nothing.`);
    return getAddress(receipt.contractAddress);
  };
  const wallet = await deploy(mockErc1271WalletAbi, mockErc1271WalletBytecode.bytecode, [
    address("walletOwner"),
  ]);
  const libraryHarness = await deploy(libraryHarnessAbi, libraryHarnessBytecode.bytecode);
  return { ...deployment, wallet, libraryHarness };
}
