import { CarBlockIterator } from "@ipld/car/iterator";
import type { CID } from "multiformats/cid";
import { cidKey } from "../cid/index.js";
import {
  BlockMismatchError,
  DocumentNotFoundError,
  GatewayError,
  MalformedDagError,
  MissingBlockError,
} from "../errors.js";
import { toChunks } from "../internal/streams.js";
import type { GetBlock } from "./walkFile.js";

/**
 * Where the verified reader gets blocks from. A source hands out sessions, one per document read;
 * a session may stream (a CAR response) or fetch block by block. Sources return bytes unverified:
 * the reader checks every block against its CID.
 */
export type BlockSource = {
  /** For error messages and logs: `gateway http://127.0.0.1:8080`. */
  readonly name: string;
  /** How many sibling blocks the reader may request ahead (1 for a stream). */
  readonly prefetch: number;
  open(root: CID, options?: { signal?: AbortSignal }): BlockSession;
};

export type BlockSession = {
  get: GetBlock;
  /** Releases the session (cancels a streaming response). Safe to call twice. */
  close(): Promise<void>;
};

/** The block-level reads a document store offers (`DocumentStore` has them). */
export type BlockReader = {
  getBlock(cid: CID, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
};

/** Reads blocks from a document store (embedded or Kubo), one call per block. */
export function createStoreBlockSource(store: BlockReader, name = "store"): BlockSource {
  return {
    name,
    prefetch: 4,
    open: () => ({
      get: (cid, options) => store.getBlock(cid, options),
      close: async () => undefined,
    }),
  };
}

export type CreateGatewayBlockSourceParameters = {
  /** The gateway's origin (`https://trustless-gateway.link`, `http://127.0.0.1:8080`). */
  url: string;
  /**
   * `car` (default): one `application/vnd.ipld.car` request per document, read as a stream in
   * depth-first order. `raw`: one `application/vnd.ipld.raw` request per block.
   */
  format?: "car" | "raw";
  /** Another `fetch` (a test double, a proxy). Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Most bytes one block may have. Default: 2 MiB (Kubo's blocks are at most 1 MiB). */
  maxBlockBytes?: number;
  /** Most bytes held for blocks that arrive before they are needed. Default: 32 MiB. */
  maxBufferedBytes?: number;
  /** Concurrent block requests ahead of the reader in `raw` mode. Default: 8. */
  prefetch?: number;
};

const rawType = "application/vnd.ipld.raw";
const carType = "application/vnd.ipld.car";

/**
 * Reads blocks from any IPFS HTTP gateway that speaks the trustless gateway format
 * (`GET /ipfs/{cid}` with `?format=raw` / `?format=car` and the matching `Accept`).
 */
export function createGatewayBlockSource(
  parameters: CreateGatewayBlockSourceParameters,
): BlockSource {
  const base = parameters.url.replace(/\/+$/, "");
  const fetchFn = parameters.fetch ?? globalThis.fetch;
  const maxBlockBytes = parameters.maxBlockBytes ?? 2 * 1024 * 1024;
  const maxBufferedBytes = parameters.maxBufferedBytes ?? 32 * 1024 * 1024;
  const format = parameters.format ?? "car";
  const name = `gateway ${base}`;

  async function request(cid: CID, kind: "raw" | "car", signal?: AbortSignal): Promise<Response> {
    const url =
      kind === "raw"
        ? `${base}/ipfs/${cid.toString()}?format=raw`
        : `${base}/ipfs/${cid.toString()}?format=car&dag-scope=all&car-order=dfs&car-dups=y`;
    let response: Response;
    try {
      response = await fetchFn(url, {
        headers: { Accept: kind === "raw" ? rawType : `${carType}; version=1; order=dfs; dups=y` },
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new GatewayError(url, { cause: error });
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      throw new DocumentNotFoundError(cid.toString(), { where: name });
    }
    if (!response.ok) {
      const details = await response.text().catch(() => "");
      // A trustless gateway that verifies what it serves (this sdk's) refuses a stored copy that
      // does not hash to its CID: the document's available bytes are tampered, not unreachable.
      if (response.status === 500 && /"code"\s*:\s*"corrupt_content"/.test(details))
        throw new BlockMismatchError(cid.toString(), { details: details.slice(0, 500) });
      throw new GatewayError(url, {
        status: response.status,
        details: details.slice(0, 500) || undefined,
      });
    }
    const type = response.headers.get("content-type") ?? "";
    if (!type.toLowerCase().startsWith(kind === "raw" ? rawType : carType)) {
      await response.body?.cancel();
      throw new GatewayError(url, {
        status: response.status,
        details: `expected ${kind === "raw" ? rawType : carType}, got ${type || "no Content-Type"}`,
        retryable: false,
      });
    }
    return response;
  }

  async function getRaw(cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
    const response = await request(cid, "raw", signal);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of toChunks(response.body ?? new Uint8Array(0))) {
      total += chunk.byteLength;
      if (total > maxBlockBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new MalformedDagError(
          cid.toString(),
          `the gateway sent more than ${maxBlockBytes} bytes for one block`,
        );
      }
      chunks.push(chunk);
    }
    const block = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      block.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return block;
  }

  function openCar(root: CID, sessionSignal?: AbortSignal): BlockSession {
    const controller = new AbortController();
    const signal = sessionSignal
      ? AbortSignal.any([controller.signal, sessionSignal])
      : controller.signal;
    let blocks: AsyncIterator<{ cid: CID; bytes: Uint8Array }> | undefined;
    let ended = false;
    const buffered = new Map<string, Uint8Array>();
    let bufferedBytes = 0;
    const delivered = new Set<string>();
    let queue: Promise<unknown> = Promise.resolve();

    async function start(): Promise<AsyncIterator<{ cid: CID; bytes: Uint8Array }>> {
      const response = await request(root, "car", signal);
      try {
        const iterator = await CarBlockIterator.fromIterable(
          toChunks(response.body ?? new Uint8Array(0)),
        );
        return iterator[Symbol.asyncIterator]();
      } catch (error) {
        throw new MissingBlockError(root.toString(), { root: root.toString(), cause: error });
      }
    }

    async function next(cid: CID): Promise<Uint8Array> {
      const key = cidKey(cid);
      const early = buffered.get(key);
      if (early !== undefined) {
        buffered.delete(key);
        bufferedBytes -= early.byteLength;
        delivered.add(key);
        return early;
      }
      blocks ??= await start();
      while (!ended) {
        let result: IteratorResult<{ cid: CID; bytes: Uint8Array }>;
        try {
          result = await blocks.next();
        } catch (error) {
          if (signal.aborted) throw error;
          // A CAR cut short inside a section: the content is truncated.
          throw new MissingBlockError(cid.toString(), { root: root.toString(), cause: error });
        }
        if (result.done === true) {
          ended = true;
          break;
        }
        const found = result.value;
        const foundKey = cidKey(found.cid);
        if (found.bytes.byteLength > maxBlockBytes) {
          throw new MalformedDagError(
            found.cid.toString(),
            `the gateway sent more than ${maxBlockBytes} bytes for one block`,
          );
        }
        if (foundKey === key) {
          delivered.add(key);
          return found.bytes;
        }
        if (!buffered.has(foundKey)) {
          bufferedBytes += found.bytes.byteLength;
          if (bufferedBytes > maxBufferedBytes) {
            throw new GatewayError(`${base}/ipfs/${root.toString()}?format=car`, {
              details: `the CAR is not in depth-first order: more than ${maxBufferedBytes} bytes arrived before they were needed`,
              retryable: false,
            });
          }
          buffered.set(foundKey, found.bytes);
        }
      }
      // The stream is over. A block seen before was left out as a duplicate (`dups=n`): ask for it alone.
      if (delivered.has(key)) return getRaw(cid, signal);
      if (key === cidKey(root)) throw new DocumentNotFoundError(root.toString(), { where: name });
      throw new MissingBlockError(cid.toString(), { root: root.toString() });
    }

    return {
      // Reads are serialised: the CAR is one stream.
      get: (cid) => {
        const result = queue.then(() => next(cid));
        queue = result.catch(() => undefined);
        return result;
      },
      close: async () => {
        controller.abort();
        await blocks?.return?.().catch(() => undefined);
      },
    };
  }

  return {
    name,
    prefetch: format === "car" ? 1 : (parameters.prefetch ?? 8),
    open: (root, options) =>
      format === "car"
        ? openCar(root, options?.signal)
        : {
            get: (cid, o) => getRaw(cid, o.signal ?? options?.signal),
            close: async () => undefined,
          },
  };
}
