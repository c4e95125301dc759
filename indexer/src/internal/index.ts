/** What every module of the indexer shares: errors, logging, retries, JSON with bigints, settings. */
export {
  BaseError,
  ConfigError,
  FinalityViolationError,
  InconsistentChainError,
  RangeTooLargeError,
  RpcError,
  StoreError,
  StoreMismatchError,
  isRetryable,
  shortMessageOf,
} from "./errors.js";
export { createLogger, silentLogger } from "./logger.js";
export type { Logger } from "./logger.js";
export { backoffDelay, sleep, withRetry } from "./retry.js";
export type { BackoffParameters, WithRetryParameters } from "./retry.js";
export { decodeRecord, encodeRecord, toApiJson } from "./json.js";
export type { ApiJson } from "./json.js";
export { readConfig } from "./config.js";
export type { IndexerConfig } from "./config.js";
export { addBusinessDays, stageDeadline, tradeDeadlines } from "./deadlines.js";
