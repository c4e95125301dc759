import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { documentTypes, isDocumentType } from "@trade-escrow/sdk/manifest";
import { addDocument } from "@trade-escrow/sdk/store";
import type { DocumentStore } from "@trade-escrow/sdk/store";
import { DocumentLimitError, DocumentTooLargeError } from "@trade-escrow/sdk/documents";
import {
  StoreError,
  decodeRecord,
  silentLogger,
  toApiJson,
  tradeDeadlines,
} from "../internal/index.js";
import type { Logger } from "../internal/index.js";
import { createQueries } from "../store/index.js";
import type { Database } from "../store/index.js";
import type { SyncEvent, SyncStatus } from "../sync/index.js";
import type { TradeRecord } from "@trade-escrow/sdk/history";
import {
  ApiError,
  describeIssues,
  errorBody,
  errorResponse,
  errorResponses,
  errorSchema,
  notFoundResponse,
} from "./errors.js";
import {
  addressParam,
  cursorParam,
  encodeCursor,
  healthSchema,
  idParam,
  limitParam,
  looseObject,
  modeParam,
  statesParam,
  timeParam,
  timelineEntrySchema,
  tradeDetailSchema,
  tradeListSchema,
} from "./schemas.js";

export type CreateApiAppParameters = {
  db: Database;
  /** The live sync status (head block); without it, health reads the checkpoint only. */
  status?: () => SyncStatus;
  /** The sync's events, for the live stream. */
  subscribe?: (listener: (event: SyncEvent) => void) => () => void;
  /** Where uploads go (the same store the gateway serves). Without it `POST /documents` is 503. */
  documents?: DocumentStore;
  /** Most bytes of one upload. Default: the store's limit. */
  maxUploadBytes?: number;
  /** Days the reputation averages cover. Default 180. */
  reputationDays?: number;
  /**
   * Keep GET answers this long; all are dropped whenever the sync writes (block, reorg, finality), a
   * document is uploaded or `invalidate` is called (the document verifier). Default 30,000 ms with
   * `subscribe`, else off (0).
   */
  cacheMs?: number;
  /** Registers a callback the caller fires when data changed outside the sync (document checks). */
  onInvalidate?: (invalidate: () => void) => void;
  logger?: Logger;
};

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

type DbRow = Record<string, unknown>;

/** A nullable int8 column (null for rows written before the column existed). */
const nullableNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function tradeSummary(row: DbRow, finalized: number) {
  return {
    id: String(row.id),
    state: row.state as number,
    stateName: row.state_name as string,
    mode: row.mode as number,
    modeName: row.mode_name as string,
    buyer: row.buyer as string,
    seller: row.seller as string,
    operator: row.operator as string,
    token: row.token as string,
    price: row.price as string,
    quantity: row.quantity as string,
    version: row.version as number,
    termsHash: row.terms_hash as string,
    escrowed: row.escrowed as string,
    released: row.released as string,
    refunded: row.refunded as string,
    sellerBond: row.seller_bond as string,
    lotsDone: row.lots_done as number,
    receivedQuantity: row.received_quantity as string,
    stageAt: row.stage_at as number,
    stageDeadline: (row.stage_deadline as number | null) ?? null,
    arrivedAt: row.arrived_at as number,
    latestDelivery: nullableNumber(row.latest_delivery),
    shipWindow: nullableNumber(row.ship_window),
    deliveryGrace: nullableNumber(row.delivery_grace),
    lateBalancePaidAt: nullableNumber(row.late_balance_paid_at),
    createdBlock: row.created_block as number,
    createdAt: row.created_at as number,
    createdTx: row.created_tx as string,
    updatedBlock: row.updated_block as number,
    updatedAt: row.updated_at as number,
    final: (row.updated_block as number) <= finalized,
  };
}

/** snake_case keys to camelCase, block columns to `block`/`timestamp`/`transactionHash`. */
function camel(row: DbRow): DbRow {
  const out: DbRow = {};
  for (const [key, value] of Object.entries(row)) {
    const name =
      key === "block_number"
        ? "block"
        : key === "block_timestamp"
          ? "timestamp"
          : key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[name] = value;
  }
  return out;
}

function timelineEntry(row: DbRow, finalized: number) {
  return {
    block: row.block_number as number,
    logIndex: row.log_index as number,
    blockHash: row.block_hash as string,
    timestamp: row.block_timestamp as number,
    transactionHash: row.transaction_hash as string,
    contract: row.contract as "escrow" | "court" | "ratings",
    event: row.event_name as string,
    disputeId: (row.dispute_id as string | null) ?? null,
    ...(row.trade_id !== undefined && { tradeId: (row.trade_id as string | null) ?? null }),
    args: row.args as Record<string, unknown>,
    final: (row.block_number as number) <= finalized,
  };
}

/**
 * The HTTP API (Hono + zod, OpenAPI document at `/openapi.json`): health, trades (list with filters
 * and cursor, detail with terms, lots, balances, deadlines, documents and timeline), documents
 * (status, upload), disputes, seller reputation, operators, totals and a live event stream. Mount it
 * under `/api`. Client errors are JSON `{ error: { code, message } }` with 400/404/413/415, never 500.
 */
export function createApiApp(parameters: CreateApiAppParameters) {
  const { db } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const q = createQueries(db);
  const reputationDays = parameters.reputationDays ?? 180;
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

  // A read-through cache of GET answers: the data changes only when the sync writes, and every write
  // clears it; the short lifetime covers what changes off chain (documents being verified).
  const cacheMs = parameters.cacheMs ?? (parameters.subscribe === undefined ? 0 : 30_000);
  const cache = new Map<string, { status: number; body: string; expires: number }>();
  parameters.onInvalidate?.(() => cache.clear());
  if (cacheMs > 0) {
    parameters.subscribe?.((event) => {
      if (event.type !== "error" && event.type !== "backfilled") cache.clear();
    });
    app.use("*", async (c, next) => {
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
    });
  }

  // The finalized block: the syncer's, when it runs in this process; else the checkpoint's.
  const finalizedBlock = async () =>
    parameters.status?.().finalizedBlock ?? (await q.syncState())?.finalized_block ?? -1;

  // ----- health -----
  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      summary:
        "Where the sync stands; 503 until the first backfill is done, and when the chain contradicted final data (`fault`).",
      responses: {
        200: json(healthSchema, "Caught up."),
        503: json(healthSchema, "Backfilling, or stopped on a fault (see `fault`)."),
      },
    }),
    async (c) => {
      const state = await q.syncState();
      const live = parameters.status?.();
      const indexedBlock = live?.indexedBlock ?? state?.indexed_block ?? null;
      const headBlock = live?.headBlock ?? state?.indexed_block ?? null;
      const body = {
        chainId: live?.chainId ?? state?.chain_id ?? null,
        headBlock,
        indexedBlock,
        finalizedBlock: live?.finalizedBlock ?? state?.finalized_block ?? null,
        lagBlocks:
          headBlock === null || indexedBlock === null
            ? null
            : Math.max(0, headBlock - indexedBlock),
        backfillDone: state?.backfill_done ?? false,
        lastError: live?.lastError ?? null,
        fault: live?.fault ?? state?.fault ?? null,
      };
      return c.json(body, body.backfillDone && body.fault === null ? 200 : 503);
    },
  );

  // ----- trades -----
  app.openapi(
    createRoute({
      method: "get",
      path: "/trades",
      summary: "Trades, newest first, with filters and cursor pagination.",
      request: {
        query: z.object({
          party: addressParam
            .optional()
            .openapi({ description: "Buyer, seller or operator (see role)." }),
          role: z.enum(["buyer", "seller", "operator"]).optional(),
          state: statesParam.optional(),
          token: addressParam.optional(),
          mode: modeParam.optional(),
          createdFrom: timeParam.optional(),
          createdTo: timeParam.optional(),
          cursor: cursorParam,
          limit: limitParam,
        }),
      },
      responses: { 200: json(tradeListSchema, "A page of trades."), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid("query");
      if (query.role !== undefined && query.party === undefined)
        throw new ApiError("bad_request", "role needs a party address.");
      if (
        query.createdFrom !== undefined &&
        query.createdTo !== undefined &&
        query.createdFrom > query.createdTo
      )
        throw new ApiError("bad_request", "createdFrom is after createdTo.");
      const limit = query.limit ?? 20;
      const [rows, finalized] = await Promise.all([
        q.listTrades({
          party: query.party,
          role: query.role,
          states: query.state,
          token: query.token,
          mode: query.mode,
          createdFrom: query.createdFrom,
          createdTo: query.createdTo,
          before: query.cursor,
          limit,
        }),
        finalizedBlock(),
      ]);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return c.json(
        {
          items: page.map((row) => tradeSummary(row, finalized)),
          nextCursor:
            rows.length > limit && last !== undefined ? encodeCursor(String(last.id)) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/trades/{id}",
      summary:
        "One trade: state, every version of its terms, lots, balances, deadlines, documents, timeline.",
      request: { params: z.object({ id: idParam }) },
      responses: {
        200: json(tradeDetailSchema, "The trade."),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const [found, finalized] = await Promise.all([q.tradeDetail(id), finalizedBlock()]);
      if (found === undefined) throw new ApiError("not_found", `Trade ${id} does not exist.`);
      const { trade: row, versions, lots, claim, events, documents, disputes, entries } = found;
      const record = decodeRecord<TradeRecord>(row.record);
      return c.json(
        {
          ...tradeSummary(row, finalized),
          terms: toApiJson(record.terms) as Record<string, unknown>,
          versions: versions.map((v) => ({
            version: v.version as number,
            termsHash: v.terms_hash as string,
            terms: v.terms as Record<string, unknown>,
            block: v.block_number as number,
            timestamp: v.block_timestamp as number,
            transactionHash: v.transaction_hash as string,
          })),
          balances: {
            escrowed: record.escrowed.toString(),
            released: record.released.toString(),
            refunded: record.refunded.toString(),
            sellerBond: record.sellerBond.toString(),
            pendingQuantity: record.pendingQuantity.toString(),
            receivedQuantity: record.receivedQuantity.toString(),
          },
          deadlines: tradeDeadlines(record),
          lots: lots.map(camel),
          claim:
            claim === undefined ? null : { ...camel(claim), status: claim.status_name as string },
          disputes: disputes.map(camel),
          documents: documents.map((d) => ({
            role: d.role as string,
            cid: (d.cid as string | null) ?? null,
            commitment: d.commitment as string,
            submittedBy: (d.submitted_by as string | null) ?? null,
            status:
              d.cid === null ? "invalid-commitment" : ((d.status as string | null) ?? "pending"),
            size: (d.size as number | null) ?? null,
            error: (d.error as string | null) ?? null,
            block: d.block_number as number,
            timestamp: d.block_timestamp as number,
            transactionHash: d.transaction_hash as string,
            ...(d.role === "manifest" && {
              entries: entries
                .filter((e) => e.manifest_cid === d.cid)
                .map((e) => ({
                  cid: e.cid as string,
                  type: e.type as string,
                  name: e.name as string,
                  mediaType: e.media_type as string,
                  size: e.size as number,
                  status: (e.status as string | null) ?? "pending",
                })),
            }),
          })),
          timeline: events.map((e) => timelineEntry(e, finalized)),
          finalizedBlock: finalized,
        },
        200,
      );
    },
  );

  // ----- documents -----
  const cidParam = z
    .string()
    .regex(
      /^(b[a-z2-7]{20,120}|Qm[1-9A-HJ-NP-Za-km-z]{44})$/,
      "must be a CID (base32 v1 or base58 v0)",
    )
    .openapi({ example: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4" });

  app.openapi(
    createRoute({
      method: "get",
      path: "/documents/{cid}",
      summary: "A document: its verification status and where the chain commits it.",
      request: { params: z.object({ cid: cidParam }) },
      responses: {
        200: json(looseObject, "The document."),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { cid } = c.req.valid("param");
      const found = await q.document(cid);
      const inStore =
        parameters.documents === undefined
          ? false
          : await parameters.documents.has(cid).catch(() => false);
      if (
        found.status === undefined &&
        found.references.length === 0 &&
        found.listedIn.length === 0 &&
        !inStore
      )
        throw new ApiError(
          "not_found",
          `Document ${cid} is neither committed on chain nor stored here.`,
        );
      return c.json(
        {
          cid,
          status: (found.status?.status as string | undefined) ?? (inStore ? "stored" : "unknown"),
          size: (found.status?.size as number | null | undefined) ?? null,
          error: (found.status?.error as string | null | undefined) ?? null,
          checkedAt: found.status?.checked_at ?? null,
          inStore,
          references: found.references.map(camel),
          listedIn: found.listedIn.map(camel),
          url: `/ipfs/${cid}`,
        },
        200,
      );
    },
  );

  const maxUpload =
    parameters.maxUploadBytes ?? parameters.documents?.limits.maxBytes ?? 100 * 1024 * 1024;
  app.use(
    "/documents",
    bodyLimit({
      maxSize: maxUpload + 64 * 1024, // the multipart envelope around the file
      onError: (c) =>
        errorResponse(c, "payload_too_large", `An upload may have at most ${maxUpload} bytes.`),
    }),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/documents",
      summary: "Uploads a document into the document store; answers its CID and manifest entry.",
      request: {
        body: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: z.object({
                file: z.any().openapi({ type: "string", format: "binary" }),
                type: z.string().openapi({ description: `One of: ${documentTypes.join(", ")}.` }),
                name: z.string().max(255).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: json(
          z.object({
            cid: z.string(),
            entry: z.object({
              type: z.string(),
              name: z.string(),
              mediaType: z.string(),
              size: z.number(),
              cid: z.string(),
            }),
          }),
          "Stored.",
        ),
        ...errorResponses,
        413: json(errorSchema, "Too large."),
        415: json(errorSchema, "Media type not accepted."),
        503: json(errorSchema, "No document store."),
      },
    }),
    async (c) => {
      const store = parameters.documents;
      if (store === undefined)
        throw new ApiError("not_ready", "This server has no document store.");
      const form = c.req.valid("form") as { file?: unknown; type?: unknown; name?: unknown };
      const file = form.file;
      if (!(file instanceof File))
        throw new ApiError("bad_request", "file must be a file part of the form.");
      if (typeof form.type !== "string" || !isDocumentType(form.type))
        throw new ApiError("bad_request", `type must be one of ${documentTypes.join(", ")}.`);
      if (file.size > maxUpload)
        throw new ApiError("payload_too_large", `An upload may have at most ${maxUpload} bytes.`);
      const name =
        typeof form.name === "string" && form.name !== "" ? form.name : file.name || "document";
      const mediaType = file.type || "application/octet-stream";
      try {
        const entry = await addDocument(store, file.stream(), { type: form.type, name, mediaType });
        cache.clear();
        await db.query(
          `INSERT INTO document_status (cid, status, size, checked_at) VALUES ($1, 'verified', $2, now())
           ON CONFLICT (cid) DO UPDATE SET status = 'verified', size = EXCLUDED.size, error = NULL, checked_at = now()`,
          [entry.cid, entry.size],
        );
        return c.json({ cid: entry.cid, entry }, 201);
      } catch (error) {
        if (error instanceof DocumentTooLargeError)
          throw new ApiError("payload_too_large", error.shortMessage);
        if (error instanceof DocumentLimitError)
          throw new ApiError("unsupported_media_type", error.shortMessage);
        throw error;
      }
    },
  );

  // ----- disputes -----
  app.openapi(
    createRoute({
      method: "get",
      path: "/disputes",
      summary: "Court disputes, newest first.",
      request: { query: z.object({ cursor: cursorParam, limit: limitParam }) },
      responses: { 200: json(looseObject, "A page of disputes."), ...errorResponses },
    }),
    async (c) => {
      const { cursor, limit = 20 } = c.req.valid("query");
      const rows = await q.listDisputes(limit, cursor);
      const page = rows.slice(0, limit);
      return c.json(
        {
          items: page.map(camel),
          nextCursor: rows.length > limit ? encodeCursor(String(page.at(-1)!.id)) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/disputes/{id}",
      summary: "A dispute: its panel, commits, reveals, ruling and every court event.",
      request: { params: z.object({ id: idParam }) },
      responses: { 200: json(looseObject, "The dispute."), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const [found, finalized] = await Promise.all([q.dispute(id), finalizedBlock()]);
      if (found === undefined) throw new ApiError("not_found", `Dispute ${id} does not exist.`);
      const votes = found.votes.map(camel);
      return c.json(
        {
          ...camel(found.row),
          commits: votes.filter((v) => v.kind === "commit"),
          reveals: votes.filter((v) => v.kind === "reveal"),
          events: found.events.map((e) =>
            timelineEntry({ ...e, block_hash: null, dispute_id: id }, finalized),
          ),
        },
        200,
      );
    },
  );

  // ----- sellers -----
  app.openapi(
    createRoute({
      method: "get",
      path: "/sellers/{address}/reputation",
      summary: `A seller's ratings: averages over the last ${reputationDays} days (chain time) and all time.`,
      request: { params: z.object({ address: addressParam }) },
      responses: { 200: json(looseObject, "The reputation."), ...errorResponses },
    }),
    async (c) => {
      const { address } = c.req.valid("param");
      const now = await q.chainTime();
      const since = now - reputationDays * 86_400;
      const [{ row, trades }, recent] = await Promise.all([
        q.sellerReputation(address, since),
        q.sellerRatings(address, 20),
      ]);
      const round = (v: unknown) =>
        v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;
      return c.json(
        {
          seller: address,
          windowDays: reputationDays,
          since,
          recent: {
            count: row.recent_count as number,
            service: round(row.recent_service),
            speed: round(row.recent_speed),
            accuracy: round(row.recent_accuracy),
            overall:
              (row.recent_count as number) === 0
                ? null
                : round(
                    (Number(row.recent_service) +
                      Number(row.recent_speed) +
                      Number(row.recent_accuracy)) /
                      3,
                  ),
          },
          allTime: {
            count: row.total_count as number,
            service: round(row.total_service),
            speed: round(row.total_speed),
            accuracy: round(row.total_accuracy),
          },
          lastRatedAt: (row.last_rated_at as number | null) ?? null,
          trades: trades.n,
          completedTrades: trades.completed,
          ratings: recent.map(camel),
        },
        200,
      );
    },
  );

  // ----- operators -----
  app.openapi(
    createRoute({
      method: "get",
      path: "/operators",
      summary: "Warehouse operators: bond, requirement, open trades, attestation count.",
      responses: { 200: json(looseObject, "The operators."), ...errorResponses },
    }),
    async (c) => c.json({ items: (await q.listOperators()).map(camel) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/operators/{address}",
      summary: "An operator: its bond account and its attestation history, newest first.",
      request: {
        params: z.object({ address: addressParam }),
        query: z.object({
          limit: limitParam,
          cursor: z
            .string()
            .regex(/^\d{1,15}-\d{1,9}$/, "is not a cursor this API gave")
            .optional(),
        }),
      },
      responses: {
        200: json(looseObject, "The operator."),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { address } = c.req.valid("param");
      const { limit = 50, cursor } = c.req.valid("query");
      const before =
        cursor === undefined
          ? undefined
          : { block: Number(cursor.split("-")[0]), logIndex: Number(cursor.split("-")[1]) };
      const found = await q.operator(address, limit, before);
      if (found.row === undefined && found.attestations.length === 0 && found.counts.trades === 0)
        throw new ApiError("not_found", `Operator ${address} has no bond, trade or attestation.`);
      const page = found.attestations.slice(0, limit);
      const last = page.at(-1);
      return c.json(
        {
          address,
          bond: (found.row?.bond as string | undefined) ?? "0",
          required: (found.row?.required as string | undefined) ?? "0",
          openTrades: (found.row?.open_trades as string | undefined) ?? "0",
          trades: found.counts.trades,
          attestations: page.map(camel),
          nextCursor:
            found.attestations.length > limit && last !== undefined
              ? `${last.block_number}-${last.log_index}`
              : null,
        },
        200,
      );
    },
  );

  // ----- totals -----
  app.openapi(
    createRoute({
      method: "get",
      path: "/totals",
      summary: "Volume per token and trades per state.",
      responses: { 200: json(looseObject, "The totals."), ...errorResponses },
    }),
    async (c) => {
      const totals = await q.totals();
      return c.json(
        {
          ...totals.counts,
          tradesByState: Object.fromEntries(totals.byState.map((r) => [r.state_name, r.trades])),
          volumeByToken: totals.byToken.map(camel),
        },
        200,
      );
    },
  );

  // ----- live stream -----
  app.openapi(
    createRoute({
      method: "get",
      path: "/stream",
      summary:
        "Server-sent events: `timeline` (a new event, as in a trade's timeline), `reorg` (blocks dropped), `finalize`, `fault` (the chain contradicted final data: the sync stopped).",
      request: { query: z.object({ trade: idParam.optional() }) },
      responses: {
        200: {
          description: "An event stream.",
          content: { "text/event-stream": { schema: timelineEntrySchema } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const subscribe = parameters.subscribe;
      if (subscribe === undefined)
        throw new ApiError("not_ready", "This server does not follow the chain.");
      const { trade } = c.req.valid("query");
      return streamSSE(c, async (stream) => {
        const queue: SyncEvent[] = [];
        let wake: (() => void) | undefined;
        const unsubscribe = subscribe((event) => {
          if (event.type === "block" && event.backfill) return;
          queue.push(event);
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        let id = 0;
        while (!stream.aborted) {
          const event = queue.shift();
          if (event === undefined) {
            // Woken by an event or the abort, else a keep-alive after 15 s. The timer is cleared
            // either way: a pending one per wake-up would pile up and hold the process open on exit.
            let timer: NodeJS.Timeout | undefined;
            await new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(resolve, 15_000);
            });
            clearTimeout(timer);
            wake = undefined;
            if (queue.length === 0 && !stream.aborted) await stream.write(": keep-alive\n\n");
            continue;
          }
          if (event.type === "block") {
            const finalized = await finalizedBlock();
            for (const row of await q.eventsBetween(event.fromBlock, event.toBlock)) {
              if (trade !== undefined && row.trade_id !== trade) continue;
              await stream.writeSSE({
                event: "timeline",
                id: String(id++),
                data: JSON.stringify(timelineEntry(row, finalized)),
              });
            }
          } else if (
            event.type === "reorg" ||
            event.type === "finalize" ||
            event.type === "fault"
          ) {
            await stream.writeSSE({
              event: event.type,
              id: String(id++),
              data: JSON.stringify(event),
            });
          }
        }
        unsubscribe();
      });
    },
  );

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
