import type { MiddlewareHandler } from "hono";
import type { CreateApiAppParameters } from "./context.js";

export type ResponseCache = {
  /** Answers a GET from the cache, or keeps the answer (200 and 404 JSON) for the next one. */
  middleware: MiddlewareHandler;
  /** Drops every kept answer. */
  clear(): void;
};

/**
 * A read-through cache of GET answers: the data changes only when the sync writes, and every write
 * clears it; the short lifetime covers what changes off chain (documents being verified). With
 * `cacheMs` 0 the middleware passes everything through.
 */
export function createResponseCache(
  parameters: Pick<CreateApiAppParameters, "cacheMs" | "subscribe" | "onInvalidate">,
): ResponseCache {
  const cacheMs = parameters.cacheMs ?? (parameters.subscribe === undefined ? 0 : 30_000);
  const cache = new Map<string, { status: number; body: string; expires: number }>();
  const clear = () => cache.clear();
  parameters.onInvalidate?.(clear);
  if (cacheMs <= 0) return { middleware: (_c, next) => next(), clear };
  parameters.subscribe?.((event) => {
    if (event.type !== "error" && event.type !== "backfilled") cache.clear();
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const path = c.req.path;
    if (c.req.method !== "GET" || path.endsWith("/health") || path.endsWith("/stream"))
      return next();
    const key = c.req.url;
    const hit = cache.get(key);
    if (hit !== undefined && hit.expires > Date.now()) {
      return new Response(hit.body, {
        status: hit.status,
        headers: { "content-type": "application/json", "x-cache": "hit" },
      });
    }
    await next();
    if (c.res.status !== 200 && c.res.status !== 404) return;
    if (!(c.res.headers.get("content-type") ?? "").includes("application/json")) return;
    const body = await c.res.clone().text();
    if (cache.size >= 5_000) cache.delete(cache.keys().next().value!);
    cache.set(key, { status: c.res.status, body, expires: Date.now() + cacheMs });
  };
  return { middleware, clear };
}
