import { BaseError } from "@trade-escrow/sdk/errors";
import type { BaseErrorParameters } from "@trade-escrow/sdk/errors";

/**
 * The indexer's errors: the sdk's `BaseError` tree (a readable `shortMessage`, the `cause`, and
 * `retryable` telling a transient failure from one that would fail the same way again).
 */
export { BaseError };

/** The node did not answer, answered an error, or timed out. Retryable. */
export class RpcError extends BaseError {
  override name = "RpcError";
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { retryable: true, ...parameters });
  }
}

/** The node refused a `eth_getLogs` range as too large (or too many results): split it. */
export class RangeTooLargeError extends RpcError {
  override name = "RangeTooLargeError";
  constructor(
    readonly fromBlock: bigint,
    readonly toBlock: bigint,
    parameters: BaseErrorParameters = {},
  ) {
    super(`The node refused blocks ${fromBlock} to ${toBlock} as too large a range.`, parameters);
  }
}

/** What the node answered contradicts itself (a log whose block hash is not the block's). Retryable. */
export class InconsistentChainError extends RpcError {
  override name = "InconsistentChainError";
}

/** The database failed. Retryable: a connection may come back; the transaction was rolled back. */
export class StoreError extends BaseError {
  override name = "StoreError";
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { retryable: true, ...parameters });
  }
}

/**
 * The chain replaced a block the indexer had already declared final (a reorg deeper than the finality
 * depth, or a node switched to another chain). Not retryable: the syncer halts and reports it.
 */
export class FinalityViolationError extends BaseError {
  override name = "FinalityViolationError";
  constructor(
    readonly finalizedBlock: number,
    readonly storedHash: string,
    readonly chainHash: string,
  ) {
    super(
      `Block ${finalizedBlock} was final as ${storedHash}, but the chain now has ${chainHash}; the indexer stopped following.`,
      { retryable: false },
    );
  }
}

/** The database belongs to another chain or deployment. Not retryable. */
export class StoreMismatchError extends BaseError {
  override name = "StoreMismatchError";
  constructor(shortMessage: string) {
    super(shortMessage, { retryable: false });
  }
}

/** A setting is missing or malformed. Not retryable. */
export class ConfigError extends BaseError {
  override name = "ConfigError";
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { retryable: false, ...parameters });
  }
}

/** True when `error` is worth trying again (our errors and the sdk's say so; unknown errors do not). */
export function isRetryable(error: unknown): boolean {
  return error instanceof BaseError && error.retryable;
}

/** The readable one-line message of any error. */
export function shortMessageOf(error: unknown): string {
  if (error instanceof BaseError) return error.shortMessage;
  if (error !== null && typeof error === "object" && "shortMessage" in error) {
    const short = (error as { shortMessage: unknown }).shortMessage;
    if (typeof short === "string") return short;
  }
  return error instanceof Error ? error.message : String(error);
}
