import { createRoute, z } from "@hono/zod-openapi";
import { json } from "./context.js";
import type { ApiApp, ApiContext } from "./context.js";
import { ApiError, errorResponses, notFoundResponse } from "./errors.js";
import { camel, timelineEntry } from "./rows.js";
import { cursorParam, encodeCursor, idParam, limitParam } from "./params.js";
import { disputeDetailSchema, disputeListSchema } from "./schemas.js";

/** `GET /disputes` (newest first, cursor) and `GET /disputes/{id}` (votes and court events). */
export function addDisputeRoutes(app: ApiApp, ctx: ApiContext): void {
  const q = ctx.queries;
  const { finalizedBlock } = ctx;
  app.openapi(
    createRoute({
      method: "get",
      path: "/disputes",
      summary: "Court disputes, newest first.",
      request: { query: z.object({ cursor: cursorParam, limit: limitParam }) },
      responses: { 200: json(disputeListSchema, "A page of disputes."), ...errorResponses },
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
      responses: {
        200: json(disputeDetailSchema, "The dispute."),
        ...errorResponses,
        ...notFoundResponse,
      },
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
}
