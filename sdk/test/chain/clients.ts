import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getContract,
} from "viem";
import type { Hex } from "viem";
import { hardhat } from "viem/chains";
import { inject } from "vitest";
import { devTransport } from "../../src/devchain/index.js";
import { tradeEscrowAbi } from "../../src/contracts/index.js";
import { escrowDomain } from "../../src/eip712/index.js";
import { localAccount } from "./accounts.js";
import type { Role } from "./accounts.js";
import type { ChainContext } from "./context.js";

/** A custom error as the escrow reverted with it, decoded through the generated ABI. */
export type DecodedRevert = { errorName: string; args: readonly unknown[] };

/**
 * Clients and contracts on the test chain the global setup started (see globalSetup.ts), or on
 * another node with the stack deployed (`chain`, from `deployTestStack`).
 */
export function useChain(chain: ChainContext = inject("chain")) {
  // The development chain's one transport: no retry of an answer (a revert must fail at once), a
  // request sent again only when the connection closed before the node answered.
  const transport = devTransport(chain.rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });

  /** A wallet client whose account is the role's address, signed for by the node (JSON-RPC). */
  const walletOf = (role: Role) =>
    createWalletClient({ chain: hardhat, transport, account: localAccount(role).address });

  /** The escrow, sending as `role`. */
  const escrowAs = (role: Role) =>
    getContract({
      address: chain.tradeEscrow,
      abi: tradeEscrowAbi,
      client: { public: publicClient, wallet: walletOf(role) },
    });

  /**
   * The escrow's functions simulated (eth_call) as `role`: what a transaction would revert with.
   * (getContract's `simulate` does not take the wallet client's account.)
   */
  const simulateAs = (role: Role) => {
    const account = localAccount(role).address;
    const simulate = escrowAs(role).simulate;
    return new Proxy(simulate, {
      get: (target, functionName: string) => (args: readonly unknown[]) =>
        (
          target as unknown as Record<
            string,
            (a: readonly unknown[], o: object) => Promise<unknown>
          >
        )[functionName]!(args, { account }),
    }) as typeof simulate;
  };

  /** Waits for a transaction (the node mines at once) and checks it succeeded. */
  const mined = async (hash: Promise<Hex> | Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success")
      throw new Error(`Transaction ${receipt.transactionHash} reverted.`);
    return receipt;
  };

  const latestTimestamp = async () => (await publicClient.getBlock()).timestamp;

  const domain = escrowDomain({ chainId: chain.chainId, verifyingContract: chain.tradeEscrow });

  return { chain, publicClient, walletOf, escrowAs, simulateAs, mined, latestTimestamp, domain };
}

/**
 * The custom error `call` reverts with, decoded through the generated ABI (viem's
 * ContractFunctionRevertedError); throws when `call` succeeds or fails otherwise.
 */
export async function revertOf(call: Promise<unknown>): Promise<DecodedRevert> {
  try {
    await call;
  } catch (error) {
    const reverted =
      error instanceof BaseError
        ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
        : undefined;
    if (reverted instanceof ContractFunctionRevertedError && reverted.data !== undefined) {
      return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
    }
    throw error;
  }
  throw new Error("Expected the call to revert, but it succeeded.");
}
