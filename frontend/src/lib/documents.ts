import { createGatewayBlockSource, createVerifiedReader } from "@trade-escrow/sdk/verify";
import type { VerifiedReader } from "@trade-escrow/sdk/verify";

/**
 * A reader that trusts no gateway: every block fetched from the indexer's `/ipfs` is hashed and
 * compared with its CID (the sdk's verified reader), so the bytes shown are the ones the chain commits.
 */
export function createDocumentReader(baseUrl: string): VerifiedReader {
  const origin = baseUrl === "" ? window.location.origin : baseUrl;
  return createVerifiedReader({ source: createGatewayBlockSource({ url: origin }) });
}
