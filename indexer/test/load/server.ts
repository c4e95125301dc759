/**
 * The API server alone, in its own process, for the load test (test/load.test.ts): PGlite in
 * `DATA_DIR` (already indexed), no sync, no cache (every request reads the database). Run with
 * `--expose-gc`; it answers `{ type: "memory" }` messages (after a full collection) over IPC.
 */
import { createRootApp, startServer } from "../../src/api/index.js";
import { createDatabase } from "../../src/store/index.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined || process.send === undefined)
  throw new Error("Run with --expose-gc as a child process with an IPC channel.");
const db = await createDatabase({ dataDir: process.env.DATA_DIR });
const app = createRootApp({ db, cacheMs: 0 });
const server = await startServer({ app, port: 0, host: "127.0.0.1" });

process.on("message", async (message: { type: string }) => {
  if (message.type === "memory") {
    for (let i = 0; i < 3; i += 1) {
      gc();
      await new Promise((r) => setTimeout(r, 50));
    }
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    process.send!({ type: "memory", rss, heapUsed, heapTotal, external, arrayBuffers });
  } else if (message.type === "stop") {
    await server.close();
    await db.close();
    process.exit(0);
  }
});
process.send({ type: "ready", url: server.url });
