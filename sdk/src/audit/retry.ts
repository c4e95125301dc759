import { BaseError } from "viem";
import { isRetryableError } from "../errors/index.js";

export type RetryOptions = {
  /** Attempts in all, the first included. Default: 4. */
  attempts?: number;
  /** Delay before the first retry, doubled after each. Default: 200 ms. */
  delayMs?: number;
};

/**
 * Calls `fn` until it succeeds, retrying transient failures (a node or gateway that did not answer)
 * with exponential backoff; anything else is thrown at once.
 */
export async function withRetry<result>(
  fn: () => Promise<result>,
  options: RetryOptions = {},
): Promise<result> {
  const attempts = options.attempts ?? 4;
  let delay = options.delayMs ?? 200;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}

/** A failure to reach the node or gateway, as opposed to an answer (a revert, a bad block). */
export function isTransient(error: unknown): boolean {
  if (isRetryableError(error)) return true;
  if (error instanceof BaseError) {
    // viem: HttpRequestError (no answer, 5xx), TimeoutError, WebSocketRequestError.
    return (
      error.walk(
        (cause) =>
          cause instanceof Error &&
          [
            "HttpRequestError",
            "TimeoutError",
            "WebSocketRequestError",
            "SocketClosedError",
          ].includes(cause.name),
      ) !== null
    );
  }
  return error instanceof TypeError && /fetch/i.test(error.message);
}
