import { createPublicClient, createWalletClient, parseEventLogs, toHex, zeroAddress } from "viem";
import type { Address, Hex, TransactionReceipt } from "viem";
import { hardhat } from "viem/chains";
import { arbitrationCourtAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import { ETHER, address, devTerms, devTransport, documentCid } from "@trade-escrow/sdk/devchain";
import type { DevDeployment, Role } from "@trade-escrow/sdk/devchain";
import { escrowDomain } from "@trade-escrow/sdk/eip712";
import type { Terms } from "@trade-escrow/sdk/eip712";

export type UseChainOptions = {
  /**
   * Makes the document a step commits from a label (`bill of lading 3`) and returns its on-chain
   * commitment. Default: the CID of the label's bytes, stored nowhere (tests); the local demo stores
   * a real document in the document store.
   */
  document?: (label: string) => Promise<Hex>;
};

/** What every group of actions drives the chain with. */
export type ChainBase = ReturnType<typeof createChainBase>;

/**
 * Clients on the development chain (JSON-RPC accounts: the node signs), the senders of the escrow's
 * and the court's functions, the views and the node's controls the action groups share.
 */
export function createChainBase(deployment: DevDeployment, options: UseChainOptions = {}) {
  const document = options.document ?? documentCid;
  const transport = devTransport(deployment.rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });
  const wallet = (role: Role) =>
    createWalletClient({ chain: hardhat, transport, account: address(role) });
  const domain = escrowDomain({
    chainId: deployment.chainId,
    verifyingContract: deployment.tradeEscrow,
  });
  // Signature nonces are single-use per signer on the shared chain: start each driver somewhere new.
  let nonce = BigInt(Date.now()) * 1_000n + BigInt(Math.floor(Math.random() * 1_000));
  const nextNonce = () => nonce++;

  const mined = async (hash: Promise<Hex> | Hex): Promise<TransactionReceipt> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success")
      throw new Error(`Transaction ${receipt.transactionHash} reverted.`);
    return receipt;
  };
  const escrow = (role: Role, functionName: string, args: readonly unknown[], value?: bigint) =>
    mined(
      wallet(role).writeContract({
        address: deployment.tradeEscrow,
        abi: tradeEscrowAbi,
        functionName,
        args,
        ...(value !== undefined && { value }),
      } as never),
    );
  const court = (role: Role, functionName: string, args: readonly unknown[]) =>
    mined(
      wallet(role).writeContract({
        address: deployment.arbitrationCourt,
        abi: arbitrationCourtAbi,
        functionName,
        args,
      } as never),
    );
  const latest = async () => (await publicClient.getBlock()).timestamp;
  const rpc = (method: string, params: unknown[] = []) =>
    publicClient.request({ method, params } as never) as Promise<unknown>;

  const buildTerms = async (overrides: Partial<Terms> = {}): Promise<Terms> =>
    devTerms(
      {
        now: await latest(),
        token: zeroAddress,
        price: 10n * ETHER,
        arbitrator: deployment.arbitrationCourt,
        manifestCid: await document(`manifest ${nextNonce()}`),
      },
      overrides,
    );

  const roleOf = (a: Address): Role => {
    for (const role of ["buyer", "seller", "buyer2", "seller2", "buyer3", "seller3"] as const)
      if (address(role).toLowerCase() === a.toLowerCase()) return role;
    throw new Error(`No role for ${a}.`);
  };

  const tradeIdOf = (receipt: TransactionReceipt, eventName: "TradeProposed" | "TradeOpened") => {
    const [event] = parseEventLogs({ abi: tradeEscrowAbi, eventName, logs: receipt.logs });
    if (event === undefined) throw new Error(`No ${eventName} event.`);
    return event.args.tradeId;
  };

  const isNative = (terms: Terms) => terms.token === zeroAddress;

  /** Views and node controls. */
  const controls = {
    view: (id: bigint) =>
      publicClient.readContract({
        address: deployment.tradeEscrow,
        abi: tradeEscrowAbi,
        functionName: "trade",
        args: [id],
      }),
    claim: (id: bigint) =>
      publicClient.readContract({
        address: deployment.tradeEscrow,
        abi: tradeEscrowAbi,
        functionName: "claim",
        args: [id],
      }),
    dispute: (id: bigint) =>
      publicClient.readContract({
        address: deployment.arbitrationCourt,
        abi: arbitrationCourtAbi,
        functionName: "dispute",
        args: [id],
      }),
    async mine(blocks = 1) {
      await rpc("hardhat_mine", [toHex(blocks)]);
    },
    async increaseTime(seconds: number) {
      await rpc("evm_increaseTime", [Math.max(seconds, 0)]);
      await rpc("evm_mine");
    },
    snapshot: () => rpc("evm_snapshot") as Promise<Hex>,
    revert: (id: Hex) => rpc("evm_revert", [id]),
    head: () => publicClient.getBlockNumber({ cacheTime: 0 }),
  };

  return {
    deployment,
    publicClient,
    wallet,
    domain,
    document,
    nextNonce,
    mined,
    escrow,
    court,
    latest,
    rpc,
    buildTerms,
    roleOf,
    tradeIdOf,
    isNative,
    controls,
  };
}
