import { auditEscrow, createAuditClient, createIpfsSource } from "@trade-escrow/sdk/audit";
import type { AuditProgress, AuditReport } from "@trade-escrow/sdk/audit";
import { createVerifiedReader } from "@trade-escrow/sdk/verify";
import type { Address } from "viem";
import type { AuditScope } from "./auditScope.js";

export type RunAuditParameters = {
  /** The chain's JSON-RPC endpoint (the app's configured RPC, never the indexer). */
  rpcUrl: string;
  /** An IPFS gateway; untrusted: every block is checked against its CID by the verifier. */
  gatewayUrl: string;
  escrow: Address;
  court: Address;
  scope: AuditScope;
  onProgress?: (progress: AuditProgress) => void;
};

/**
 * Runs the sdk's verifier in the browser: chain reads through a batching public client on the RPC,
 * documents through the verified reader on the gateway. Loaded on demand (it carries the expected
 * bytecode of every contract).
 */
export function runAudit(parameters: RunAuditParameters): Promise<AuditReport> {
  return auditEscrow({
    client: createAuditClient(parameters.rpcUrl),
    rpcName: parameters.rpcUrl,
    escrow: parameters.escrow,
    court: parameters.court,
    reader: createVerifiedReader({ source: createIpfsSource({ url: parameters.gatewayUrl }) }),
    ipfsName: parameters.gatewayUrl,
    tradeId: parameters.scope.type === "trade" ? parameters.scope.tradeId : undefined,
    // A browser shares its connections with the page: fewer documents and reads in flight.
    concurrency: 8,
    rpcConcurrency: 128,
    ...(parameters.onProgress !== undefined && { onProgress: parameters.onProgress }),
  });
}
