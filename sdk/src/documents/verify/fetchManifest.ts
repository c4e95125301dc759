import type { CidLike } from "../cid/index.js";
import { decodeManifest, maxManifestBytes } from "../manifest/index.js";
import type { Manifest } from "../manifest/index.js";
import type { VerifiedReader } from "./reader.js";

/**
 * Reads a manifest by CID through a verified reader: its bytes are checked against the CID (the
 * one the terms commit), then validated against the manifest schema.
 *
 * @example
 * const manifest = await fetchManifest(reader, commitmentToCid(terms.manifestCid));
 * @throws {IntegrityError} when the bytes do not match the CID.
 * @throws {InvalidManifestError} when they are not a valid manifest.
 */
export async function fetchManifest(
  reader: VerifiedReader,
  cid: CidLike,
  options: { signal?: AbortSignal } = {},
): Promise<Manifest> {
  return decodeManifest(await reader.bytes(cid, { ...options, maxBytes: maxManifestBytes }));
}
