import { createRoute, z } from "@hono/zod-openapi";
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
  tradeDetailSchema,
  tradeListSchema,
} from "./schemas.js";

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
}
