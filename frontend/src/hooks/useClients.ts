import { useConnection, useConnectorClient, usePublicClient } from "wagmi";
import { walletActions } from "viem";
import type { PublicClient, WalletClient } from "viem";
import type { Clients } from "../actions/client.js";
import { useApp } from "../context.js";

/**
 * The clients the actions take, when a wallet is connected on the right chain; otherwise why not
 * (`reason`), for the page to say.
 */
export function useClients():
  | { clients: Clients; reason?: undefined }
  | { clients?: undefined; reason: "disconnected" | "wrong-network" | "loading" } {
  const { config } = useApp();
  const { address, chainId, status } = useConnection();
  const publicClient = usePublicClient({ chainId: config.chain.id });
  const { data: walletClient } = useConnectorClient({ chainId: config.chain.id });
  if (status !== "connected" || address === undefined) return { reason: "disconnected" };
  if (chainId !== config.chain.id) return { reason: "wrong-network" };
  if (publicClient === undefined || walletClient === undefined) return { reason: "loading" };
  return {
    clients: {
      publicClient: publicClient as PublicClient,
      // wagmi 3 hands out a bare client; the actions need the wallet actions on it.
      walletClient: walletClient.extend(walletActions) as unknown as WalletClient,
      account: address,
      config,
    },
  };
}
