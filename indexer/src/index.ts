/** The indexer as a library: what the local stack (`npm start`) runs in its own process. */
export { createIndexer, openDocumentStore } from "./indexer.js";
export type { CreateIndexerParameters, Indexer } from "./indexer.js";
export { createLogger, readConfig, shortMessageOf } from "./internal/index.js";
export type { IndexerConfig, Logger } from "./internal/index.js";
