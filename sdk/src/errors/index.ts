/**
 * The sdk's error tree (after viem's `BaseError`): every error the sdk throws is a `BaseError` with a
 * readable `shortMessage`, optional `details` and `metaMessages`, and the underlying `cause`.
 * `retryable` tells a transient failure (a node or gateway that did not answer) from one that will
 * fail the same way again (a bad CID, tampered bytes, a document over the limit).
 */

export type BaseErrorParameters = {
  /** The error that caused this one. */
  cause?: unknown;
  /** A technical detail for logs (an HTTP status, a library's message). */
  details?: string;
  /** Extra lines shown under the short message. */
  metaMessages?: string[];
  /** Whether the same call may succeed if tried again. Default: false. */
  retryable?: boolean;
};

export class BaseError extends Error {
  override name = "BaseError";
  /** One sentence a person can read, quoting the value at fault and ending with a period. */
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly metaMessages: string[] | undefined;
  readonly retryable: boolean;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const details =
      parameters.details ??
      (parameters.cause instanceof BaseError
        ? parameters.cause.details
        : parameters.cause instanceof Error
          ? parameters.cause.message
          : undefined);
    const message = [
      shortMessage,
      ...(parameters.metaMessages ?? []),
      ...(details !== undefined && details !== shortMessage ? [`Details: ${details}`] : []),
    ].join("\n");
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = details;
    this.metaMessages = parameters.metaMessages;
    this.retryable = parameters.retryable ?? false;
  }

  /**
   * Walks the `cause` chain and returns the first error for which `predicate` holds (or the
   * deepest error when no predicate is given).
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    return walkCauses(this, predicate);
  }
}

function walkCauses(start: unknown, predicate?: (error: unknown) => boolean): unknown {
  let current: unknown = start;
  while (current !== undefined && current !== null) {
    if (predicate?.(current) === true) return current;
    const next: unknown = (current as { cause?: unknown }).cause;
    if (next === undefined || next === null) return predicate === undefined ? current : undefined;
    current = next;
  }
  return undefined;
}

/** True when `error` is an sdk error that may succeed if the same call is tried again. */
export function isRetryableError(error: unknown): boolean {
  return error instanceof BaseError && error.retryable;
}
