import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, normalize, extname } from "node:path";
import { serve } from "@hono/node-server";
import type { ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { createGatewayApp } from "@trade-escrow/sdk/gateway";
import type { MediaTypeLookup } from "@trade-escrow/sdk/gateway";
import type { Logger } from "../internal/index.js";
import { silentLogger } from "../internal/index.js";
import { createApiApp } from "./app.js";
import { errorResponse } from "./errors.js";
import type { CreateApiAppParameters } from "./app.js";

export type CreateRootAppParameters = CreateApiAppParameters & {
  /** The built dApp (frontend/dist); when missing, `/` says the dApp is not built. */
  staticDir?: string;
  /** Media types of documents, for the gateway (from the manifests). */
  mediaTypes?: MediaTypeLookup;
};

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/** The one server's routes: the API under `/api`, the IPFS gateway under `/ipfs`, the dApp at `/`. */
export function createRootApp(parameters: CreateRootAppParameters): Hono {
  const logger = parameters.logger ?? silentLogger;
  const root = new Hono();
  // Outside the API too (the gateway, the dApp's files), an unknown route or a method no route takes
  // is a JSON 404, and a fault of ours a JSON 500: never Hono's plain-text answers.
  root.notFound((c) => errorResponse(c, "not_found", `No route ${c.req.method} ${c.req.path}.`));
  root.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, "server error");
    return errorResponse(c, "internal", "Something went wrong on our side.");
  });
  root.route("/api", createApiApp(parameters));
  // An API path no route takes is the API's 404, not the dApp's page.
  root.all("/api/*", (c) =>
    errorResponse(c, "not_found", `No route ${c.req.method} ${c.req.path}.`),
  );
  if (parameters.documents !== undefined) {
    root.route(
      "/",
      createGatewayApp({ store: parameters.documents, mediaTypes: parameters.mediaTypes, logger }),
    );
  }
  const dir = parameters.staticDir;
  root.get("/*", async (c) => {
    if (dir === undefined || !existsSync(join(dir, "index.html"))) {
      const body = {
        name: "trade-escrow indexer",
        dapp: "not built",
        message:
          "The dApp is not built (frontend/dist is missing): run `npm run build -w frontend`. The API is at /api.",
        api: "/api",
        openapi: "/api/openapi.json",
        ipfs: "/ipfs/{cid}",
      };
      if ((c.req.header("accept") ?? "").includes("text/html")) {
        return c.html(
          `<!doctype html><meta charset="utf-8"><title>Trade escrow</title><h1>The dApp is not built</h1><p>Run <code>npm run build -w frontend</code>. The API is at <a href="/api/openapi.json">/api</a>; documents at <code>/ipfs/{cid}</code>.</p>`,
          200,
        );
      }
      return c.json(body, 200);
    }
    // A file of the build, or index.html for the dApp's own routes (client-side routing).
    const path = normalize(decodeURIComponent(c.req.path)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dir, path);
    const target =
      file.startsWith(dir) && existsSync(file) && extname(file) !== ""
        ? file
        : join(dir, "index.html");
    const body = await readFile(target);
    const type = contentTypes[extname(target)] ?? "application/octet-stream";
    return c.body(body, 200, {
      "Content-Type": type,
      "Cache-Control": target.includes(`${join(dir, "assets")}`)
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    });
  });
  return root;
}

export type StartServerParameters = { app: Hono; port: number; host: string; logger?: Logger };

/** Listens on `host:port` (127.0.0.1:3000 by default in main.ts). */
export async function startServer(
  parameters: StartServerParameters,
): Promise<{ server: ServerType; url: string; close(): Promise<void> }> {
  const { app, port, host } = parameters;
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      // Keep idle connections longer than clients and proxies do (Node's 5 s default races a client
      // reusing a connection the server is closing: ECONNRESET).
      if ("keepAliveTimeout" in server) {
        server.keepAliveTimeout = 65_000;
        server.headersTimeout = 66_000;
      }
      const url = `http://${host}:${info.port}`;
      parameters.logger?.info({ url }, "listening");
      resolve({
        server,
        url,
        close: () =>
          new Promise<void>((done) => {
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
