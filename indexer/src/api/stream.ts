import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { SyncEvent } from "../sync/index.js";
import type { ApiApp, ApiContext } from "./context.js";
import { ApiError, errorResponses } from "./errors.js";
import { timelineEntry } from "./rows.js";
import { idParam } from "./params.js";
import { timelineEntrySchema } from "./schemas.js";

/** `GET /stream`: the sync's events as server-sent events, timeline entries read from the store. */
export function addStreamRoutes(app: ApiApp, ctx: ApiContext): void {
  const q = ctx.queries;
  const { finalizedBlock } = ctx;
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
      const subscribe = ctx.subscribe;
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
}
