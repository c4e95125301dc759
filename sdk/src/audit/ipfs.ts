import { DocumentNotFoundError, KuboRpcError, MissingBlockError } from "../documents/errors.js";
import { createGatewayBlockSource } from "../documents/verify/index.js";
import type { BlockSource } from "../documents/verify/index.js";

export type CreateIpfsSourceParameters = {
  /**
   * A trustless gateway (`http://127.0.0.1:3000/ipfs`, `https://trustless-gateway.link`; a trailing
   * `/ipfs` is optional) or a Kubo RPC endpoint (a URL whose path ends in `/api/v0`).
   */
  url: string;
  /** Another `fetch` (a test double). Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** For a gateway: `car` (default, one request per document) or `raw` (one per block). */
  format?: "car" | "raw";
};

/** Whether `url` names a Kubo RPC endpoint rather than a gateway. */
export function isKuboRpcUrl(url: string): boolean {
  return /\/api\/v0\/?$/.test(new URL(url).pathname);
}

/**
 * Where the audit reads documents from: a gateway or a Kubo node, untrusted either way (the verified
 * reader checks every block against its CID). Uses only `fetch`, so it runs in a browser too.
 */
export function createIpfsSource(parameters: CreateIpfsSourceParameters): BlockSource {
  const url = parameters.url.replace(/\/+$/, "");
  if (isKuboRpcUrl(url)) return createKuboBlockSource(url, parameters.fetch);
  return createGatewayBlockSource({
    url: url.replace(/\/ipfs$/, ""),
    format: parameters.format ?? "car",
    ...(parameters.fetch === undefined ? {} : { fetch: parameters.fetch }),
  });
}

/**
 * Blocks from Kubo's RPC (`POST /api/v0/block/get?arg={cid}&offline=true`): offline, so a block the
 * node lacks is a quick "not found" rather than a search of the network.
 */
export function createKuboBlockSource(
  endpoint: string,
  fetchFn: typeof globalThis.fetch = globalThis.fetch,
): BlockSource {
  const name = `kubo ${endpoint}`;
  return {
    name,
    prefetch: 8,
    open: (root) => ({
      get: async (cid, options) => {
        const url = `${endpoint}/block/get?arg=${cid.toString()}&offline=true`;
        let response: Response;
        try {
          response = await fetchFn(url, { method: "POST", signal: options?.signal });
        } catch (error) {
          if (options?.signal?.aborted === true) throw error;
          throw new KuboRpcError(url, { cause: error });
        }
        if (response.ok) return new Uint8Array(await response.arrayBuffer());
        const text = await response.text().catch(() => "");
        if (/not found|no link named/i.test(text)) {
          const key = cid.toString();
          if (key === root.toString()) throw new DocumentNotFoundError(key, { where: name });
          throw new MissingBlockError(key, { root: root.toString() });
        }
        throw new KuboRpcError(url, {
          status: response.status,
          details: text.slice(0, 500) || undefined,
        });
      },
      close: async () => undefined,
    }),
  };
}
