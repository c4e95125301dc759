import { QueryClient } from "@tanstack/react-query";
import { http, createConfig } from "wagmi";
import type { Config } from "wagmi";
import type { AppConfig } from "./config.js";
import { devAccounts } from "./lib/devAccounts.js";

/**
 * wagmi: the one configured chain; injected wallets found by EIP-6963 (wagmi's multi-injected
 * provider discovery), and on the local chain only the node's development accounts.
 */
export function createWagmiConfig(app: AppConfig): Config {
  const rpcUrl = app.chain.rpcUrls.default.http[0]!;
  return createConfig({
    chains: [app.chain],
    multiInjectedProviderDiscovery: true,
    connectors: app.isLocalChain ? [devAccounts({ rpcUrl, chainId: app.chain.id })] : [],
    transports: { [app.chain.id]: http(rpcUrl) },
    pollingInterval: 1_000,
  });
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } },
  });
}
