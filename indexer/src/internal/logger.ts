import { pino } from "pino";
import type { Logger } from "pino";

export type { Logger };

/** A pino logger (`LOG_LEVEL`, default `info`); `silent` for tests. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({ name: options.name ?? "indexer", level: options.level ?? "info" });
}

/** A logger that says nothing: the default of every factory. */
export const silentLogger: Logger = pino({ level: "silent" });
