import { importer } from "ipfs-unixfs-importer";
import type { ImporterOptions } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import type { CID } from "multiformats/cid";
import { limitBytes, toChunks } from "../internal/streams.js";
import type { ByteSource } from "../internal/streams.js";

/**
 * How a file becomes a CID. Both profiles are Kubo's `ipfs add` defaults for a single file: UnixFS,
 * sha2-256, fixed 256 KiB chunks, balanced layout with at most 174 links per node.
 *
 * - `kubo-cidv1`: `ipfs add --cid-version 1` (raw leaves). The default everywhere in the sdk.
 * - `kubo-cidv0`: plain `ipfs add` (CIDv0, leaves wrapped in dag-pb UnixFS nodes).
 */
export type CidProfile = "kubo-cidv1" | "kubo-cidv0";

export type CidProfileParameters = {
  cidVersion: 0 | 1;
  rawLeaves: boolean;
  chunkSize: number;
  maxLinksPerNode: number;
  hash: "sha2-256";
};

export const cidProfiles: Readonly<Record<CidProfile, Readonly<CidProfileParameters>>> = {
  "kubo-cidv1": {
    cidVersion: 1,
    rawLeaves: true,
    chunkSize: 262_144,
    maxLinksPerNode: 174,
    hash: "sha2-256",
  },
  "kubo-cidv0": {
    cidVersion: 0,
    rawLeaves: false,
    chunkSize: 262_144,
    maxLinksPerNode: 174,
    hash: "sha2-256",
  },
};

export const defaultCidProfile: CidProfile = "kubo-cidv1";

/** Options for `ipfs-unixfs-importer` that reproduce a profile (all spelled out, no defaults). */
export function importerOptions(profile: CidProfile = defaultCidProfile): ImporterOptions {
  const p = cidProfiles[profile];
  return {
    cidVersion: p.cidVersion,
    rawLeaves: p.rawLeaves,
    // Kubo's non-raw leaves are UnixFS `file` nodes; a single chunk is its own root.
    leafType: "file",
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: p.chunkSize }),
    layout: balanced({ maxChildrenPerNode: p.maxLinksPerNode }),
    wrapWithDirectory: false,
    // One file at a time; a few blocks hashed ahead keeps memory flat for any file size.
    fileImportConcurrency: 1,
    blockWriteConcurrency: 4,
  };
}

/** The Kubo RPC `add` flags for a profile, as `kubo-rpc-client` options. */
export function kuboAddOptions(profile: CidProfile = defaultCidProfile): {
  cidVersion: 0 | 1;
  rawLeaves: boolean;
  chunker: string;
  hashAlg: string;
} {
  const p = cidProfiles[profile];
  return {
    cidVersion: p.cidVersion,
    rawLeaves: p.rawLeaves,
    chunker: `size-${p.chunkSize}`,
    hashAlg: p.hash,
  };
}

export type ComputeCidParameters = {
  /** Default: `kubo-cidv1`. */
  profile?: CidProfile;
};

export type ComputeCidReturnType = {
  cid: CID;
  /** Bytes of content (not the DAG's cumulative size). */
  size: number;
};

/**
 * Computes the CID that Kubo's `ipfs add` gives the same bytes, streaming: the content is chunked
 * and hashed as it arrives and nothing is kept.
 *
 * @example
 * const { cid } = await computeCid(new TextEncoder().encode("hello world\n"));
 * cid.toString(); // "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
 */
export async function computeCid(
  content: ByteSource,
  parameters: ComputeCidParameters = {},
): Promise<ComputeCidReturnType> {
  const counter = { bytes: 0 };
  const source = limitBytes(toChunks(content), Number.POSITIVE_INFINITY, counter);
  const discard = { put: async (cid: CID) => cid };
  let root: CID | undefined;
  for await (const entry of importer(
    [{ content: source }],
    discard,
    importerOptions(parameters.profile),
  )) {
    root = entry.cid;
  }
  if (root === undefined) throw new Error("The importer produced no root; this is a bug.");
  return { cid: root, size: counter.bytes };
}
