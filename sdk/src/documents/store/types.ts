import type { CID, CidLike } from "../cid/index.js";
import type { ByteSource } from "../internal/streams.js";

/** A document's bytes: one buffer, a (Node.js or web) stream, or any iterable of chunks. */
export type DocumentContent = ByteSource;

/** What a store accepts. */
export type DocumentLimits = {
  /** Most bytes one document may have. Default: 100 MiB. */
  maxBytes: number;
  /** Accepted media types, without parameters (`application/pdf`). Default: `defaultMediaTypes`. */
  mediaTypes: readonly string[];
};

export type AddDocumentOptions = {
  /** The document's media type; checked against the store's accepted media types. */
  mediaType: string;
  /** Pin it (keep it from garbage collection). Default: true. */
  pin?: boolean;
  signal?: AbortSignal;
};

export type AddDocumentResult = {
  /** The CID Kubo's `ipfs add --cid-version 1` gives the same bytes (by default). */
  cid: CID;
  /** Bytes of content. */
  size: number;
};

export type StoreCallOptions = { signal?: AbortSignal };

/**
 * Where documents live: an embedded blockstore on disk (`createEmbeddedStore`, the default, works
 * offline) or a Kubo node through its RPC API (`createKuboStore`). Both compute the same CIDs.
 */
export type DocumentStore = {
  readonly kind: "embedded" | "kubo";
  readonly limits: Readonly<DocumentLimits>;
  /**
   * Adds a document, streaming: its bytes are chunked and stored as they arrive.
   *
   * @throws {MediaTypeNotAllowedError} before reading anything, for a media type not accepted.
   * @throws {DocumentTooLargeError} as soon as the bytes read pass `limits.maxBytes`.
   */
  add(content: DocumentContent, options: AddDocumentOptions): Promise<AddDocumentResult>;
  /**
   * Streams a document's bytes.
   *
   * @throws {DocumentNotFoundError} when the store does not have it.
   */
  get(cid: CidLike, options?: StoreCallOptions): AsyncGenerator<Uint8Array>;
  /**
   * One block's bytes as stored (for the gateway and the verified reader).
   *
   * @throws {DocumentNotFoundError} when the store does not have the block.
   */
  getBlock(cid: CidLike, options?: StoreCallOptions): Promise<Uint8Array>;
  /** Whether the store holds the document's root block locally. */
  has(cid: CidLike, options?: StoreCallOptions): Promise<boolean>;
  /** Keeps a document (and every block under it) from garbage collection. */
  pin(cid: CidLike, options?: StoreCallOptions): Promise<void>;
  /** Lets a document be garbage-collected; a no-op for a document that is not pinned. */
  unpin(cid: CidLike, options?: StoreCallOptions): Promise<void>;
  close(): Promise<void>;
};
