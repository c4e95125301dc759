import { erc20Abi } from "viem";
import type { Abi, Account, Address, Hex, PublicClient, WalletClient } from "viem";
import { arbitrationCourtAbi, sellerRatingsAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import type { AppConfig } from "../config.js";

/** What every action needs: the chain to read, the wallet to sign with, and the contracts. */
export type Clients = {
  publicClient: PublicClient;
  walletClient: WalletClient;
  account: Address;
  config: AppConfig;
};

/**
 * Simulates the call first (so a revert shows its custom error before the wallet asks anything),
 * then sends it through the wallet. Returns the transaction hash.
 */
export async function send(
  clients: Clients,
  call: {
    address: Address;
    abi: Abi;
    functionName: string;
    args: readonly unknown[];
    value?: bigint;
  },
): Promise<Hex> {
  const { request } = await clients.publicClient.simulateContract({
    ...call,
    account: clients.account,
    chain: clients.config.chain,
  } as never);
  return clients.walletClient.writeContract({
    ...(request as object),
    account: clients.account as unknown as Account,
    chain: clients.config.chain,
  } as never);
}

export const escrowCall = (
  clients: Clients,
  functionName: string,
  args: readonly unknown[],
  value?: bigint,
) =>
  send(clients, {
    address: clients.config.escrow,
    abi: tradeEscrowAbi,
    functionName,
    args,
    ...(value !== undefined && value > 0n && { value }),
  });

export const courtCall = (
  clients: Clients,
  functionName: string,
  args: readonly unknown[],
  value?: bigint,
) =>
  send(clients, {
    address: clients.config.court,
    abi: arbitrationCourtAbi,
    functionName,
    args,
    ...(value !== undefined && value > 0n && { value }),
  });

export const ratingsCall = (clients: Clients, functionName: string, args: readonly unknown[]) =>
  send(clients, { address: clients.config.ratings, abi: sellerRatingsAbi, functionName, args });

export const erc20Call = (
  clients: Clients,
  token: Address,
  functionName: "approve",
  args: readonly unknown[],
) => send(clients, { address: token, abi: erc20Abi, functionName, args });
