import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { custom } from "viem";
import { WagmiProvider, createConfig } from "wagmi";
import { mock } from "wagmi/connectors";
import { readConfig } from "../config.js";
import { AppContext } from "../context.js";
import { createApi } from "../lib/api.js";

export const testAddresses = {
  escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  court: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  ratings: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
} as const;

/**
 * Renders inside the dApp's providers: the app config, wagmi on a local chain nobody answers (reads
 * fail like an unreachable node) with a mock wallet, and TanStack Query without retries.
 */
export function renderWithApp(
  ui: ReactElement,
  fetchFn: typeof fetch = () => Promise.reject(new TypeError("fetch failed")),
  env: Record<string, string> = {},
) {
  const config = readConfig({
    ...env,
    VITE_RPC_URL: "http://127.0.0.1:1",
    VITE_ESCROW_ADDRESS: testAddresses.escrow,
    VITE_COURT_ADDRESS: testAddresses.court,
    VITE_RATINGS_ADDRESS: testAddresses.ratings,
  });
  const wagmi = createConfig({
    chains: [config.chain],
    connectors: [mock({ accounts: ["0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"] })],
    // A node that is down: every read fails at once.
    transports: {
      [config.chain.id]: custom(
        { request: () => Promise.reject(new Error("The node is down.")) },
        { retryCount: 0 },
      ),
    },
    multiInjectedProviderDiscovery: false,
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <AppContext.Provider value={{ config, api: createApi("", fetchFn) }}>
      <WagmiProvider config={wagmi}>
        <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
      </WagmiProvider>
    </AppContext.Provider>,
  );
}
