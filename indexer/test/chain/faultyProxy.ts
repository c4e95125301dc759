import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultyProxyOptions = {
  /** Share of requests answered HTTP 500 / with a dropped connection / too late. */
  failRate?: number;
  dropRate?: number;
  stallRate?: number;
  /** How long a stalled answer takes (longer than the client's timeout). */
  stallMs?: number;
  /** Share of requests answered with a JSON-RPC error (-32603, HTTP 200), as a node in trouble does. */
  rpcErrorRate?: number;
  /** `eth_getLogs` over more blocks than this is refused as a provider would (-32005). */
  maxLogRange?: number;
  /** Every answer waits this long (a slow node). */
  delayMs?: number;
  /** Deterministic randomness. */
  seed?: number;
};

export type FaultyProxy = {
  url: string;
  stats: {
    requests: number;
    failed: number;
    dropped: number;
    stalled: number;
    rangeRefused: number;
    rpcErrors: number;
  };
  /** Every request fails until `heal()`: a dead node. */
  kill(): void;
  heal(): void;
  close(): Promise<void>;
};

/**
 * An HTTP JSON-RPC proxy in front of the node that misbehaves: answers 500, drops connections, stalls
 * past the client's timeout, and refuses wide `eth_getLogs` ranges like hosted providers do.
 */
export async function startFaultyProxy(
  upstream: string,
  options: FaultyProxyOptions = {},
): Promise<FaultyProxy> {
  let seed = options.seed ?? 42;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const stats = { requests: 0, failed: 0, dropped: 0, stalled: 0, rangeRefused: 0, rpcErrors: 0 };
  let dead = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      stats.requests += 1;
      const body = Buffer.concat(chunks).toString();
      if (dead || random() < (options.failRate ?? 0)) {
        stats.failed += 1;
        res.writeHead(500, { "content-type": "text/plain" }).end("upstream failed");
        return;
      }
      if (random() < (options.dropRate ?? 0)) {
        stats.dropped += 1;
        req.socket.destroy();
        return;
      }
      if (options.delayMs !== undefined) await new Promise((r) => setTimeout(r, options.delayMs));
      if (random() < (options.stallRate ?? 0)) {
        stats.stalled += 1;
        await new Promise((r) => setTimeout(r, options.stallMs ?? 2_000));
      }
      const parsed = JSON.parse(body) as
        | { id: number; method: string; params: unknown[] }
        | { id: number; method: string; params: unknown[] }[];
      const calls = Array.isArray(parsed) ? parsed : [parsed];
      if (random() < (options.rpcErrorRate ?? 0)) {
        stats.rpcErrors += 1;
        const errors = calls.map((call) => ({
          jsonrpc: "2.0",
          id: call.id,
          error: { code: -32603, message: "Internal error" },
        }));
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(Array.isArray(parsed) ? errors : errors[0]));
        return;
      }
      const tooWide = calls.find((call) => {
        if (call.method !== "eth_getLogs" || options.maxLogRange === undefined) return false;
        const filter = call.params[0] as { fromBlock?: string; toBlock?: string };
        if (filter.fromBlock === undefined || filter.toBlock === undefined) return false;
        return Number(filter.toBlock) - Number(filter.fromBlock) + 1 > options.maxLogRange;
      });
      if (tooWide !== undefined) {
        stats.rangeRefused += 1;
        const error = {
          jsonrpc: "2.0",
          id: tooWide.id,
          error: { code: -32005, message: "query returned more than 10000 results" },
        };
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(Array.isArray(parsed) ? [error] : error));
        return;
      }
      try {
        const answer = await fetch(upstream, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        const text = await answer.text();
        if (!res.destroyed)
          res.writeHead(answer.status, { "content-type": "application/json" }).end(text);
      } catch {
        if (!res.destroyed) res.writeHead(502).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    kill: () => {
      dead = true;
    },
    heal: () => {
      dead = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
