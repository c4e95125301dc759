import { createRoute, z } from "@hono/zod-openapi";
import { tradeActionWindows } from "@trade-escrow/sdk/history";
import type { TradeRecord } from "@trade-escrow/sdk/history";
import { decodeRecord, toApiJson, tradeDeadlines } from "../internal/index.js";
import { json } from "./context.js";
import type { ApiApp, ApiContext } from "./context.js";
import { ApiError, errorResponses, notFoundResponse } from "./errors.js";
import { camel, timelineEntry, tradeSummary } from "./rows.js";
import {
  addressParam,
  cursorParam,
  encodeCursor,
  idParam,
  limitParam,
  modeParam,
  statesParam,
  timeParam,
} from "./params.js";
import { tradeDetailSchema, tradeListSchema } from "./schemas.js";

/** `GET /trades` (filters, cursor) and `GET /trades/{id}` (terms, lots, documents, timeline...). */
export function addTradeRoutes(app: ApiApp, ctx: ApiContext): void {
  const q = ctx.queries;
  const { finalizedBlock } = ctx;
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
          terms: toApiJson(record.terms),
          versions: versions.map((v) => ({
            version: v.version,
            termsHash: v.terms_hash,
            terms: v.terms,
            block: v.block_number,
            timestamp: v.block_timestamp,
            transactionHash: v.transaction_hash,
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
          // What the escrow accepts on this trade, from whom and within which times, whatever the time
          // now (the sdk's tradeActionWindows: one set of rules for the indexer and the dApp).
          actions: toApiJson(tradeActionWindows(record)),
          lots: lots.map(camel),
          claim: claim === undefined ? null : { ...camel(claim), status: claim.status_name },
          disputes: disputes.map(camel),
          documents: documents.map((d) => ({
            role: d.role,
            cid: d.cid ?? null,
            commitment: d.commitment,
            submittedBy: d.submitted_by ?? null,
            status: d.cid === null ? "invalid-commitment" : (d.status ?? "pending"),
            size: d.size ?? null,
            error: d.error ?? null,
            block: d.block_number,
            timestamp: d.block_timestamp,
            transactionHash: d.transaction_hash,
            ...(d.role === "manifest" && {
              entries: entries
                .filter((e) => e.manifest_cid === d.cid)
                .map((e) => ({
                  cid: e.cid,
                  type: e.type,
                  name: e.name,
                  mediaType: e.media_type,
                  size: e.size,
                  status: e.status ?? "pending",
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
}
