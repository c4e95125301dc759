/**
 * The indexer's entry point: reads the environment (see README.md, "Configuration"), starts the
 * sync, the document verifier and the server, and stops them cleanly on SIGINT or SIGTERM.
 */
import { createLogger, readConfig, shortMessageOf } from "./internal/index.js";
import type { IndexerConfig } from "./internal/index.js";
import { createIndexer } from "./indexer.js";

let config: IndexerConfig;
try {
  config = readConfig();
} catch (error) {
  // A malformed setting: one line naming it, no stack trace, and the exit code of bad arguments.
  process.stderr.write(`${shortMessageOf(error)}\n`);
  process.exit(2);
}
const logger = createLogger({ level: config.logLevel });

try {
  const indexer = await createIndexer({ config, logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await indexer.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
} catch (error) {
  logger.fatal({ err: error }, shortMessageOf(error));
  process.exit(1);
}
