import { createRoute, z } from "@hono/zod-openapi";
import { json } from "./context.js";
import type { ApiApp, ApiContext } from "./context.js";
import { ApiError, errorResponses, notFoundResponse } from "./errors.js";
import { camel } from "./rows.js";
import { addressParam, limitParam } from "./params.js";
import {
  operatorListSchema,
  operatorSchema,
  reputationSchema,
  totalsSchema,
} from "./accountSchemas.js";

/**
 * The accounts: `GET /sellers/{address}/reputation`, `GET /operators`, `GET /operators/{address}`
 * and the totals (`GET /totals`).
 */
export function addAccountRoutes(app: ApiApp, ctx: ApiContext): void {
  const q = ctx.queries;
  const { reputationDays } = ctx;
  app.openapi(
    createRoute({
      method: "get",
      path: "/sellers/{address}/reputation",
      summary: `A seller's ratings: averages over the last ${reputationDays} days (chain time) and all time.`,
      request: { params: z.object({ address: addressParam }) },
      responses: { 200: json(reputationSchema, "The reputation."), ...errorResponses },
    }),
    async (c) => {
      const { address } = c.req.valid("param");
      const now = await q.chainTime();
      const since = now - reputationDays * 86_400;
      const [{ row, trades }, recent] = await Promise.all([
        q.sellerReputation(address, since),
        q.sellerRatings(address, 20),
      ]);
      const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
      return c.json(
        {
          seller: address,
          windowDays: reputationDays,
          since,
          recent: {
            count: row.recent_count,
            service: round(row.recent_service),
            speed: round(row.recent_speed),
            accuracy: round(row.recent_accuracy),
            overall:
              row.recent_count === 0
                ? null
                : round(
                    (Number(row.recent_service) +
                      Number(row.recent_speed) +
                      Number(row.recent_accuracy)) /
                      3,
                  ),
          },
          allTime: {
            count: row.total_count,
            service: round(row.total_service),
            speed: round(row.total_speed),
            accuracy: round(row.total_accuracy),
          },
          lastRatedAt: row.last_rated_at ?? null,
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
      responses: { 200: json(operatorListSchema, "The operators."), ...errorResponses },
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
        200: json(operatorSchema, "The operator."),
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
          bond: found.row?.bond ?? "0",
          required: found.row?.required ?? "0",
          openTrades: found.row?.open_trades ?? "0",
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
      responses: { 200: json(totalsSchema, "The totals."), ...errorResponses },
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
}
