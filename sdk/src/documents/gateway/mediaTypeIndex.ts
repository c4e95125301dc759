import { cidKey } from "../cid/index.js";
import type { CID, CidLike } from "../cid/index.js";
import { defaultMediaTypes, essenceOf, manifestMediaType } from "../manifest/index.js";
import type { Manifest } from "../manifest/index.js";

/** Tells the gateway a document's media type, when some manifest declares it. */
export type MediaTypeLookup = (cid: CID) => string | undefined | Promise<string | undefined>;

export type MediaTypeIndex = {
  /** Records the media type of every document of a manifest (and the manifest's own, if given). */
  addManifest(manifest: Manifest, manifestCid?: CidLike): void;
  lookup: MediaTypeLookup;
};

/**
 * An in-memory map from document CIDs to the media types manifests declare, for
 * `createGatewayApp({ mediaTypes: index.lookup })`. The indexer fills it from the manifests the
 * chain commits. CIDv0 and CIDv1 of the same block share an entry.
 */
export function createMediaTypeIndex(): MediaTypeIndex {
  const types = new Map<string, string>();
  return {
    addManifest(manifest, manifestCid) {
      for (const document of manifest.documents)
        types.set(cidKey(document.cid), document.mediaType);
      if (manifestCid !== undefined) types.set(cidKey(manifestCid), manifestMediaType);
    },
    lookup: (cid) => types.get(cidKey(cid)),
  };
}

/**
 * The media type the gateway sends: the declared one when it is in `served` (by default the media
 * types stores accept: no HTML, SVG or scripts, which a browser would run on the gateway's
 * origin), otherwise `application/octet-stream`.
 */
export function servedMediaType(
  declared: string | undefined,
  served: readonly string[] = defaultMediaTypes,
): string {
  if (declared === undefined) return "application/octet-stream";
  return served.includes(essenceOf(declared)) ? declared : "application/octet-stream";
}
