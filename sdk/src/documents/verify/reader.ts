import { toCid } from "../cid/index.js";
import type { CID, CidLike } from "../cid/index.js";
import { DocumentTooLargeError } from "../errors.js";
import { collect } from "../internal/streams.js";
import type { BlockSource } from "./sources.js";
import { loadFileRoot, walkFile } from "./walkFile.js";
import type { FileRoot } from "./walkFile.js";

/** 100 MiB: the default most bytes a document may have, in stores and readers alike. */
export const defaultMaxDocumentBytes = 100 * 1024 * 1024;

export type ReadOptions = {
  signal?: AbortSignal;
  /** Refuse documents larger than this (checked on the verified root, before any content). */
  maxBytes?: number;
};

export type VerifiedReader = {
  /**
   * Streams a document's bytes, each block verified against the CID before its bytes are
   * yielded. Throws `IntegrityError` on tampered, truncated or malformed content,
   * `DocumentNotFoundError` when the source lacks it, `DocumentTooLargeError` over the limit.
   */
  read(cid: CidLike, options?: ReadOptions): AsyncGenerator<Uint8Array>;
  /** The whole document, verified, in one buffer (for small documents such as manifests). */
  bytes(cid: CidLike, options?: ReadOptions): Promise<Uint8Array>;
  /** The verified root and the document's size, without reading the content. */
  stat(cid: CidLike, options?: { signal?: AbortSignal }): Promise<{ cid: CID; size: number }>;
};

export type CreateVerifiedReaderParameters = {
  source: BlockSource;
  /** Default limit for `read` and `bytes`. Default: 100 MiB. */
  maxBytes?: number;
};

/**
 * A reader that trusts nothing it reads from: every block from the source (a gateway, a store) is
 * hashed and compared with the CID that names it, and the UnixFS DAG is walked from the root CID,
 * so the bytes it yields are exactly those the CID commits.
 *
 * @example
 * const reader = createVerifiedReader({
 *   source: createGatewayBlockSource({ url: "https://trustless-gateway.link" }),
 * });
 * const manifest = decodeManifest(await reader.bytes(commitmentToCid(terms.manifestCid)));
 */
export function createVerifiedReader(parameters: CreateVerifiedReaderParameters): VerifiedReader {
  const { source } = parameters;
  const defaultMax = parameters.maxBytes ?? defaultMaxDocumentBytes;

  async function* read(value: CidLike, options: ReadOptions = {}): AsyncGenerator<Uint8Array> {
    const cid = toCid(value);
    const maxBytes = options.maxBytes ?? defaultMax;
    const session = source.open(cid, { signal: options.signal });
    try {
      const root: FileRoot = await loadFileRoot(cid, session.get, { signal: options.signal });
      if (root.size > maxBytes) throw new DocumentTooLargeError({ size: root.size, maxBytes });
      for await (const { data } of walkFile(root, session.get, {
        signal: options.signal,
        prefetch: source.prefetch,
      })) {
        if (data.byteLength > 0) yield data;
      }
    } finally {
      await session.close();
    }
  }

  return {
    read,
    bytes: (cid, options) => collect(read(cid, options)),
    stat: async (value, options = {}) => {
      const cid = toCid(value);
      const session = source.open(cid, options);
      try {
        const root = await loadFileRoot(cid, session.get, options);
        return { cid, size: root.size };
      } finally {
        await session.close();
      }
    },
  };
}
