import type { CID } from "../cid/index.js";
import { encodeManifest, manifestMediaType } from "../manifest/index.js";
import type { Manifest } from "../manifest/index.js";
import type { DocumentStore } from "./types.js";

export type PublishManifestReturnType = {
  /** What `Terms.manifestCid` commits (as `cidToCommitment(cid)`). */
  cid: CID;
  /** The canonical bytes stored. */
  bytes: Uint8Array;
};

/**
 * Validates a manifest and stores its canonical JSON; the CID is the one `computeManifestCid`
 * gives, so a manifest stored anywhere has the CID the terms commit.
 *
 * @example
 * const { cid } = await publishManifest(store, manifest);
 * const terms = { ...draft, manifestCid: cidToCommitment(cid) };
 */
export async function publishManifest(
  store: DocumentStore,
  manifest: Manifest,
  options: { signal?: AbortSignal } = {},
): Promise<PublishManifestReturnType> {
  const bytes = encodeManifest(manifest);
  const { cid } = await store.add(bytes, { mediaType: manifestMediaType, signal: options.signal });
  return { cid, bytes };
}
