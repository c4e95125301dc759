import { createRoute } from "@hono/zod-openapi";
import { json } from "./context.js";
import type { ApiApp, ApiContext } from "./context.js";
import { healthSchema } from "./schemas.js";

/** `GET /health`: where the sync stands (503 while backfilling or stopped on a fault). */
export function addHealthRoutes(app: ApiApp, ctx: ApiContext): void {
  const q = ctx.queries;
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
      const live = ctx.status?.();
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
}
