import { isRetryable } from "./errors.js";

export type BackoffParameters = {
  /** First delay in ms. Default 100. */
  baseMs?: number;
  /** Longest delay in ms. Default 5,000. */
  maxMs?: number;
};

/** Exponential backoff with full jitter: the delay before attempt `attempt` (0-based). */
export function backoffDelay(attempt: number, parameters: BackoffParameters = {}): number {
  const base = parameters.baseMs ?? 100;
  const max = parameters.maxMs ?? 5_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export type WithRetryParameters = BackoffParameters & {
  /** Attempts after the first. Default: unbounded (until `signal` aborts). */
  retries?: number;
  /** Which errors to retry. Default: `isRetryable`. */
  shouldRetry?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
};

/**
 * Calls `fn` until it succeeds, waiting with exponential backoff between attempts. Errors that are not
 * retryable, the last error after `retries`, and an abort end it (the last error is thrown).
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  parameters: WithRetryParameters = {},
): Promise<T> {
  const shouldRetry = parameters.shouldRetry ?? isRetryable;
  const aborted = () => parameters.signal?.aborted === true;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      const exhausted = parameters.retries !== undefined && attempt >= parameters.retries;
      if (exhausted || !shouldRetry(error) || aborted()) throw error;
      const delay = backoffDelay(attempt, parameters);
      parameters.onRetry?.(error, attempt, delay);
      await sleep(delay, parameters.signal);
      if (aborted()) throw error;
    }
  }
}
