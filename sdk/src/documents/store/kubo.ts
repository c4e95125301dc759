import type { KuboRPCClient } from "kubo-rpc-client";
import type { Logger } from "pino";
import { pino } from "pino";
import { computeCid, defaultCidProfile, kuboAddOptions, toCid } from "../cid/index.js";
import type { CidProfile } from "../cid/index.js";
import { BaseError } from "../../errors/index.js";
import { DocumentNotFoundError, IntegrityError, KuboRpcError } from "../errors.js";
import { limitBytes, toChunks } from "../internal/streams.js";
import { inlineBlock } from "../verify/index.js";
import { checkKnownSize, checkMediaType, resolveLimits } from "./limits.js";
import type { DocumentLimits, DocumentStore } from "./types.js";

export type CreateKuboStoreParameters = {
  /** Kubo's RPC API (`http://127.0.0.1:5001`); `/api/v0` is added when the URL has no path. */
  url: string;
  limits?: Partial<DocumentLimits>;
  /** How CIDs are computed; sent to Kubo as `cid-version`, `raw-leaves`, `chunker`, `hash`. Default: `kubo-cidv1`. */
  profile?: CidProfile;
  /**
   * Read blocks only from the node's own repository (`offline=true`), never from the network.
   * Default: false (`has` is always local).
   */
  offline?: boolean;
  /** Time limit of the calls that do not stream (block/stat, block/get, pin/add, pin/rm). Default: 120 s. */
  timeoutMs?: number;
  /** Extra HTTP headers (an `Authorization` for a pinning service in front of Kubo). */
  headers?: Record<string, string>;
  logger?: Logger;
};

/**
 * A document store backed by a Kubo node (or a pinning service speaking Kubo's RPC), through
 * `kubo-rpc-client`. It uses `/api/v0/add`, `/api/v0/cat`, `/api/v0/block/get`,
 * `/api/v0/block/stat`, `/api/v0/pin/add` and `/api/v0/pin/rm`.
 *
 * `add` asks Kubo for the same import settings the embedded store uses, and for a buffer also
 * computes the CID locally and refuses an answer that differs (a node configured otherwise).
 *
 * @example
 * const store = createKuboStore({ url: "http://127.0.0.1:5001" });
 */
export function createKuboStore(parameters: CreateKuboStoreParameters): DocumentStore {
  const limits = resolveLimits(parameters.limits);
  const profile = parameters.profile ?? defaultCidProfile;
  const timeoutMs = parameters.timeoutMs ?? 120_000;
  const logger = parameters.logger ?? pino({ level: "silent" });
  let client: Promise<KuboRPCClient> | undefined;
  // kubo-rpc-client is large: load it on first use, so embedded-only programs never do.
  const rpc = () =>
    (client ??= import("kubo-rpc-client").then(({ create }) =>
      create({ url: parameters.url, headers: parameters.headers }),
    ));

  const limited = (signal?: AbortSignal) =>
    signal
      ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);

  async function call<T>(
    endpoint: string,
    run: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toStoreError(endpoint, error, signal);
    }
  }

  return {
    kind: "kubo",
    limits,

    async add(content, options) {
      checkMediaType(limits, options.mediaType);
      checkKnownSize(limits, content);
      const counter = { bytes: 0 };
      // kubo-rpc-client swallows errors of the upload body and aborts the request; keep ours.
      const upload: { error?: unknown } = {};
      async function* source() {
        try {
          yield* limitBytes(toChunks(content), limits.maxBytes, counter);
        } catch (error) {
          upload.error = error;
          throw error;
        }
      }
      const kubo = await rpc();
      let result: Awaited<ReturnType<KuboRPCClient["add"]>>;
      try {
        result = await kubo.add(
          { content: source() },
          {
            ...kuboAddOptions(profile),
            pin: options.pin ?? true,
            wrapWithDirectory: false,
            signal: options.signal,
          },
        );
      } catch (error) {
        throw upload.error ?? toStoreError("add", error, options.signal);
      }
      if (upload.error !== undefined) throw upload.error;
      if (content instanceof Uint8Array) {
        const expected = (await computeCid(content, { profile })).cid;
        if (expected.toString() !== result.cid.toString()) {
          throw new IntegrityError(
            result.cid.toString(),
            `Kubo stored the document as ${result.cid.toString()} where its CID is ${expected.toString()}; check the node's import settings.`,
          );
        }
      }
      logger.debug({ cid: result.cid.toString(), size: counter.bytes }, "document added to Kubo");
      return { cid: result.cid, size: counter.bytes };
    },

    async *get(value, options = {}) {
      const cid = toCid(value);
      const kubo = await rpc();
      try {
        yield* kubo.cat(cid, { signal: options.signal });
      } catch (error) {
        throw toStoreError("cat", error, options.signal, cid.toString());
      }
    },

    async getBlock(value, options = {}) {
      const cid = toCid(value);
      const inline = inlineBlock(cid);
      if (inline !== undefined) return inline;
      const kubo = await rpc();
      const signal = limited(options.signal);
      const flags = { signal, ...(parameters.offline ? { offline: true } : {}) };
      return call("block/get", () => kubo.block.get(cid, flags), options.signal).catch(
        (error: unknown) => {
          throw notFoundAs(error, cid.toString());
        },
      );
    },

    async has(value, options = {}) {
      const cid = toCid(value);
      if (inlineBlock(cid) !== undefined) return true;
      const kubo = await rpc();
      const flags = { signal: limited(options.signal), offline: true };
      try {
        await call("block/stat", () => kubo.block.stat(cid, flags), options.signal);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },

    async pin(value, options = {}) {
      const cid = toCid(value);
      const kubo = await rpc();
      await call(
        "pin/add",
        () => kubo.pin.add(cid, { recursive: true, signal: limited(options.signal) }),
        options.signal,
      ).catch((error: unknown) => {
        throw notFoundAs(error, cid.toString());
      });
    },

    async unpin(value, options = {}) {
      const cid = toCid(value);
      const kubo = await rpc();
      try {
        await call(
          "pin/rm",
          () => kubo.pin.rm(cid, { recursive: true, signal: limited(options.signal) }),
          options.signal,
        );
      } catch (error) {
        // Kubo answers 500 "not pinned or pinned indirectly": unpin is idempotent.
        if (error instanceof KuboRpcError && /not pinned/i.test(error.details ?? "")) return;
        throw error;
      }
    },

    async close() {
      // Nothing to release: kubo-rpc-client keeps no connection open between calls.
    },
  };
}

/** Kubo's way of saying a block is absent (offline lookups, `block/get`, `cat`). */
const notFoundPattern = /not found|could not find|no link named|merkledag: not found/i;

function isNotFound(error: unknown): boolean {
  return (
    error instanceof KuboRpcError &&
    error.status === 500 &&
    notFoundPattern.test(error.details ?? "")
  );
}

function notFoundAs(error: unknown, cid: string): unknown {
  return isNotFound(error)
    ? new DocumentNotFoundError(cid, { where: "the Kubo node", cause: error })
    : error;
}

function toStoreError(
  endpoint: string,
  error: unknown,
  signal?: AbortSignal,
  cid?: string,
): unknown {
  if (signal?.aborted || error instanceof BaseError) return error;
  const status = (error as { response?: { status?: unknown } }).response?.status;
  const name = (error as { name?: unknown }).name;
  const message = error instanceof Error ? error.message : String(error);
  let mapped: KuboRpcError;
  if (typeof status === "number") {
    mapped = new KuboRpcError(`/api/v0/${endpoint}`, { status, details: message, cause: error });
  } else if (name === "TimeoutError" || name === "AbortError") {
    mapped = new KuboRpcError(`/api/v0/${endpoint}`, {
      details: `timed out: ${message}`,
      cause: error,
    });
  } else {
    mapped = new KuboRpcError(`/api/v0/${endpoint}`, { cause: error });
  }
  return cid === undefined ? mapped : notFoundAs(mapped, cid);
}
