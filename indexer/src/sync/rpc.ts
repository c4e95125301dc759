import { BaseError as ViemError, TimeoutError } from "viem";
import type { Address, Hex, Log, PublicClient } from "viem";
import type { Logger } from "../internal/index.js";
import { RangeTooLargeError, RpcError, shortMessageOf, withRetry } from "../internal/index.js";

/** The header fields the sync needs. */
export type BlockHeader = { number: bigint; hash: Hex; parentHash: Hex; timestamp: bigint };

// What providers say when a range is too wide (Alchemy, Infura, QuickNode, geth, Erigon, Hardhat...).
const RANGE_TOO_LARGE =
  /block range|range (is )?too (large|wide|big)|too many (results|logs|blocks)|more than \d+ (results|logs)|limit exceeded|exceeds? (the )?(max|limit)|response size|exceeded the size limit|query timeout|-32005/i;

/** True when `error` (or a cause) says the log query asked for too much. */
export function isRangeTooLarge(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth += 1) {
    const e = current as { message?: unknown; details?: unknown; code?: unknown; cause?: unknown };
    if (e.code === -32005) return true;
    // viem's own cap on an HTTP answer (10 MiB): fewer blocks make a smaller answer.
    if ((current as { name?: unknown }).name === "ResponseBodyTooLargeError") return true;
    for (const text of [e.message, e.details]) {
      if (typeof text === "string" && RANGE_TOO_LARGE.test(text)) return true;
    }
    current = e.cause;
  }
  return false;
}

function isTimeout(error: unknown): boolean {
  if (error instanceof CallTimeoutError) return true;
  return error instanceof ViemError && error.walk((e) => e instanceof TimeoutError) !== null;
}

export type CreateChainReaderParameters = {
  client: PublicClient;
  addresses: Address[];
  logger: Logger;
  signal?: AbortSignal;
  /** Backoff of retried calls. */
  retry?: { baseMs?: number; maxMs?: number };
  /** A call not answered in this time fails (and is retried). Default 15,000 ms. */
  timeoutMs?: number;
  /** Attempts of a call after the first before its error goes to the caller. Default 4. */
  retries?: number;
};

class CallTimeoutError extends RpcError {
  override name = "CallTimeoutError";
}

/** `promise`, or a `CallTimeoutError` after `ms` (whatever the transport's own timeout). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CallTimeoutError(`The node did not answer ${what} in ${ms} ms.`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type ChainReader = ReturnType<typeof createChainReader>;

/**
 * The node, as the sync reads it: each call retried a few times with exponential backoff when the node
 * fails or times out, its errors turned into `RpcError`s (the syncer then backs off and tries the
 * step again, forever: a dead node never ends the process); a log range the node
 * refuses as too large is a `RangeTooLargeError`, not retried, for the caller to split.
 */
export function createChainReader(parameters: CreateChainReaderParameters) {
  const { client, addresses, logger, signal } = parameters;
  const timeoutMs = parameters.timeoutMs ?? 15_000;
  let failures = 0;

  async function call<T>(what: string, fn: () => Promise<T>, retry = true): Promise<T> {
    return withRetry(
      async () => {
        try {
          const result = await within(fn(), timeoutMs, what);
          if (failures > 0) logger.info({ what, failures }, "node answering again");
          failures = 0;
          return result;
        } catch (error) {
          if (error instanceof RpcError && !(error instanceof CallTimeoutError)) throw error;
          failures += 1;
          const timeout = isTimeout(error);
          throw new RpcError(
            timeout ? `The node did not answer ${what} in time.` : `The node failed ${what}.`,
            { cause: error, details: shortMessageOf(error) },
          );
        }
      },
      {
        ...parameters.retry,
        retries: retry ? (parameters.retries ?? 4) : 0,
        signal,
        shouldRetry: (error) => error instanceof RpcError && !(error instanceof RangeTooLargeError),
        onRetry: (error, attempt, delayMs) =>
          logger.warn(
            { what, attempt, delayMs, err: shortMessageOf(error) },
            "RPC call failed; retrying",
          ),
      },
    );
  }

  const header = (block: {
    number: bigint | null;
    hash: Hex | null;
    parentHash: Hex;
    timestamp: bigint;
  }): BlockHeader => {
    if (block.number === null || block.hash === null)
      throw new RpcError("The node answered a pending block.");
    return {
      number: block.number,
      hash: block.hash,
      parentHash: block.parentHash,
      timestamp: block.timestamp,
    };
  };

  return {
    chainId: () => call("eth_chainId", () => client.getChainId()),
    headNumber: () => call("eth_blockNumber", () => client.getBlockNumber({ cacheTime: 0 })),
    block: (number: bigint) =>
      call(`eth_getBlockByNumber(${number})`, async () => {
        const block = await client.getBlock({ blockNumber: number });
        return header(block);
      }),
    /**
     * Headers of `numbers`, fetched concurrently (a batching transport sends each chunk as one
     * request). Each header is retried on its own, so one failed answer does not refetch the chunk.
     */
    async blocks(numbers: readonly bigint[]): Promise<Map<bigint, BlockHeader>> {
      const out = new Map<bigint, BlockHeader>();
      const chunk = 250;
      for (let i = 0; i < numbers.length; i += chunk) {
        const headers = await Promise.all(
          numbers
            .slice(i, i + chunk)
            .map((n) =>
              call(`eth_getBlockByNumber(${n})`, async () =>
                header(await client.getBlock({ blockNumber: n })),
              ),
            ),
        );
        for (const h of headers) out.set(h.number, h);
      }
      return out;
    },
    /** Logs of the followed contracts in one block, by its hash (EIP-234): they belong to that block. */
    logsOfBlock: (blockHash: Hex) =>
      call(`eth_getLogs(${blockHash})`, () => client.getLogs({ address: addresses, blockHash })),
    /**
     * Logs of the followed contracts in `fromBlock`..`toBlock`.
     *
     * @throws {RangeTooLargeError} when the node refuses the range (or times out on it twice).
     */
    async logsOfRange(fromBlock: bigint, toBlock: bigint): Promise<Log[]> {
      let timeouts = 0;
      return call(`eth_getLogs(${fromBlock}..${toBlock})`, async () => {
        try {
          return await within(
            client.getLogs({ address: addresses, fromBlock, toBlock }),
            timeoutMs,
            "eth_getLogs",
          );
        } catch (error) {
          if (isRangeTooLarge(error))
            throw new RangeTooLargeError(fromBlock, toBlock, { cause: error });
          if (isTimeout(error) && toBlock > fromBlock && ++timeouts >= 2)
            throw new RangeTooLargeError(fromBlock, toBlock, { cause: error });
          throw error;
        }
      });
    },
  };
}
