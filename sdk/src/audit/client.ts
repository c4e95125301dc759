import { createPublicClient, http, webSocket } from "viem";
import type { PublicClient } from "viem";

/**
 * A public client for the audit: JSON-RPC requests batched over HTTP (hundreds of view calls per
 * request), viem's own retries off (the audit retries what a node fails to answer, and a local
 * Hardhat node answers a revert with an error viem would retry).
 */
export function createAuditClient(rpcUrl: string): PublicClient {
  const transport = /^wss?:/.test(rpcUrl)
    ? webSocket(rpcUrl, { retryCount: 0 })
    : http(rpcUrl, { batch: { batchSize: 500 }, retryCount: 0, timeout: 30_000 });
  return createPublicClient({ transport });
}
