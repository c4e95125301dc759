import { decodeEventLog, getAddress } from "viem";
import type { Address, Client, Log } from "viem";
import { getBlock, getBlockNumber, getLogs } from "viem/actions";
import { tradeEscrowAbi } from "../contracts/generated/abis.js";
import { HistoryError } from "./errors.js";
import type { EscrowEvent } from "./types.js";

export type ReadEscrowEventsParameters = {
  /** A public client on the escrow's chain. */
  client: Client;
  /** The escrow's address. */
  escrow: Address;
  /** The first block to read (the escrow's deployment block for its whole history). */
  fromBlock: bigint;
  /** The last block to read, inclusive. Default: the latest block when the call starts. */
  toBlock?: bigint | undefined;
  /** The most blocks one `eth_getLogs` request covers. Default: 5,000. */
  chunkSize?: bigint | undefined;
  /**
   * Block timestamps by block number, read and filled in: pass the same map to successive calls so
   * each block's header is fetched once. Default: a new map for this call.
   */
  blockTimestamps?: Map<bigint, bigint> | undefined;
};

export type ReadEscrowEventsReturnType = EscrowEvent[];

const DEFAULT_CHUNK_SIZE = 5_000n;

/**
 * Reads the escrow's events in `[fromBlock, toBlock]`, decoded with its ABI and stamped with their
 * block's timestamp, in chain order (block number, then log index): what `reduceEscrowEvents` folds.
 * A small reader for tests, scripts and the auditor; the indexer keeps its own resumable sync.
 *
 * Throws a `HistoryError` when a log of the escrow does not decode (an ABI that is not the
 * deployment's), and whatever the client throws when the node fails.
 *
 * @example
 * const events = await readEscrowEvents({ client, escrow, fromBlock: deployment.blockNumber });
 * const state = reduceEscrowEvents(escrow, events);
 */
export async function readEscrowEvents(
  parameters: ReadEscrowEventsParameters,
): Promise<ReadEscrowEventsReturnType> {
  const { client, escrow, fromBlock } = parameters;
  const toBlock = parameters.toBlock ?? (await getBlockNumber(client, { cacheTime: 0 }));
  const chunkSize = parameters.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (chunkSize <= 0n) throw new HistoryError(`The chunk size ${chunkSize} is not positive.`);
  const timestamps = parameters.blockTimestamps ?? new Map<bigint, bigint>();
  const address = getAddress(escrow);

  const logs: Log[] = [];
  for (let from = fromBlock; from <= toBlock; from += chunkSize) {
    const to = from + chunkSize - 1n < toBlock ? from + chunkSize - 1n : toBlock;
    logs.push(...(await getLogs(client, { address, fromBlock: from, toBlock: to })));
  }

  // Nodes that return `blockTimestamp` with each log save the header reads.
  for (const log of logs) {
    if (log.blockNumber !== null && typeof log.blockTimestamp === "bigint")
      timestamps.set(log.blockNumber, log.blockTimestamp);
  }
  const missing = [
    ...new Set(logs.map((log) => log.blockNumber).filter((n) => n !== null && !timestamps.has(n))),
  ] as bigint[];
  await Promise.all(
    missing.map(async (blockNumber) => {
      const block = await getBlock(client, { blockNumber });
      timestamps.set(blockNumber, block.timestamp);
    }),
  );

  const events = logs.map((log) => toEscrowEvent(log, timestamps));
  return events.sort((a, b) =>
    a.blockNumber === b.blockNumber
      ? a.logIndex - b.logIndex
      : a.blockNumber < b.blockNumber
        ? -1
        : 1,
  );
}

function toEscrowEvent(log: Log, timestamps: Map<bigint, bigint>): EscrowEvent {
  const { blockNumber, logIndex, transactionHash } = log;
  if (blockNumber === null || logIndex === null || transactionHash === null)
    throw new HistoryError("A pending log of the escrow was read; read mined blocks only.");
  let decoded;
  try {
    decoded = decodeEventLog({
      abi: tradeEscrowAbi,
      data: log.data,
      topics: log.topics,
      strict: true,
    });
  } catch (error) {
    throw new HistoryError(
      `Log ${logIndex} of block ${blockNumber} is not an escrow event the ABI knows.`,
      { cause: error },
    );
  }
  // Every missing timestamp was fetched above.
  const timestamp = timestamps.get(blockNumber) as bigint;
  return { ...decoded, blockNumber, timestamp, transactionHash, logIndex };
}
