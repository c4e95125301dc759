import { OpenAPIHono } from "@hono/zod-openapi";
import { StoreError, silentLogger } from "../internal/index.js";
import { createQueries } from "../store/index.js";
import { addAccountRoutes } from "./accounts.js";
import { createResponseCache } from "./cache.js";
import type { ApiContext, CreateApiAppParameters } from "./context.js";
import { addDisputeRoutes } from "./disputes.js";
import { addDocumentRoutes } from "./documents.js";
import { ApiError, describeIssues, errorBody, errorResponse } from "./errors.js";
import { addHealthRoutes } from "./health.js";
import { addStreamRoutes } from "./stream.js";
import { addTradeRoutes } from "./trades.js";

export type { CreateApiAppParameters } from "./context.js";

/**
 * The HTTP API (Hono + zod, OpenAPI document at `/openapi.json`): health, trades (list with filters
 * and cursor, detail with terms, lots, balances, deadlines, documents and timeline), documents
 * (status, upload), disputes, seller reputation, operators, totals and a live event stream. Mount it
 * under `/api`. Client errors are JSON `{ error: { code, message } }` with 400/404/413/415, never 500.
 *
 * This module composes: the error answers, the fault header, the cache, then each resource's routes
 * (one module each, in the order the OpenAPI document lists them).
 */
export function createApiApp(parameters: CreateApiAppParameters) {
  const { db } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const q = createQueries(db);
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success)
        return c.json(errorBody("bad_request", describeIssues(result.error.issues)), 400);
      return undefined;
    },
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error.code, error.message);
    // A lost connection, a database restarting: the client may try again (the sync retries too).
    if (error instanceof StoreError && error.retryable) {
      logger.warn({ err: error, path: c.req.path }, "API: database unavailable");
      return errorResponse(
        c,
        "database_unavailable",
        "The database is unreachable for now; try again in a few seconds.",
      );
    }
    // Hono's own client errors (a malformed JSON or form body, ...).
    const status = (error as { status?: number }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return errorResponse(
        c,
        status === 413 ? "payload_too_large" : "bad_request",
        error.message || "Bad request.",
      );
    }
    logger.error({ err: error, path: c.req.path }, "API error");
    return errorResponse(c, "internal", "Something went wrong on our side.");
  });
  app.notFound((c) => errorResponse(c, "not_found", `No route ${c.req.method} ${c.req.path}.`));

  // While the sync is stopped on a contradiction of final data, every answer says so in a header
  // (`/health` answers 503 with the details): the data is what was indexed before the fault.
  app.use("*", async (c, next) => {
    await next();
    const fault = parameters.status?.().fault;
    if (fault !== undefined) c.res.headers.set("x-indexer-fault", fault.type);
  });

  const cache = createResponseCache(parameters);
  app.use("*", cache.middleware);

  const ctx: ApiContext = {
    queries: q,
    status: parameters.status,
    subscribe: parameters.subscribe,
    documents: parameters.documents,
    maxUploadBytes:
      parameters.maxUploadBytes ?? parameters.documents?.limits.maxBytes ?? 100 * 1024 * 1024,
    reputationDays: parameters.reputationDays ?? 180,
    finalizedBlock: async () =>
      parameters.status?.().finalizedBlock ?? (await q.syncState())?.finalized_block ?? -1,
    clearCache: cache.clear,
  };
  addHealthRoutes(app, ctx);
  addTradeRoutes(app, ctx);
  addDocumentRoutes(app, ctx);
  addDisputeRoutes(app, ctx);
  addAccountRoutes(app, ctx);
  addStreamRoutes(app, ctx);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Trade escrow indexer API",
      version: "0.1.0",
      description:
        "What the indexer derived from the escrow's, the court's and the ratings' events. Amounts are decimal strings in the token's smallest unit; addresses are lower case; times are unix seconds of chain time. `final` says whether the data comes from blocks at or below the finalized block.",
    },
    servers: [{ url: "/api" }],
  });

  return app;
}
