import { BaseError as ViemBaseError, decodeEventLog, getAddress } from "viem";
import type { Address, Client, DecodeEventLogReturnType, Hex } from "viem";
import { getCode, getLogs } from "viem/actions";
import { arbitrationCourtAbi } from "../contracts/index.js";
import { readEscrowEvents } from "../history/index.js";
import type { EscrowEvent } from "../history/index.js";
import { isTransient, withRetry } from "./retry.js";

/** Any event of the court, decoded with its ABI. */
export type CourtEventData = DecodeEventLogReturnType<typeof arbitrationCourtAbi>;

/** A decoded court event at its place in the chain. */
export type CourtEvent = CourtEventData & {
  address: Address;
  blockNumber: bigint;
  transactionHash: Hex;
  logIndex: number;
};

/** A court event of one name. */
export type CourtEventOf<name extends CourtEventData["eventName"]> = Extract<
  CourtEventData,
  { eventName: name }
> &
  Omit<CourtEvent, keyof CourtEventData>;

export type ReadEventsParameters = {
  client: Client;
  fromBlock: bigint;
  toBlock: bigint;
  /** Blocks per `eth_getLogs` request. Default: 5,000. */
  chunkSize?: bigint;
  /** Called after each range with the blocks read so far. */
  onProgress?: (done: bigint, total: bigint) => void;
};

/** The ranges `[from, to]` of at most `chunkSize` blocks that cover `[fromBlock, toBlock]`. */
function* ranges(fromBlock: bigint, toBlock: bigint, chunkSize: bigint) {
  for (let from = fromBlock; from <= toBlock; from += chunkSize)
    yield [from, from + chunkSize - 1n < toBlock ? from + chunkSize - 1n : toBlock] as const;
}

/**
 * Reads `[from, to]` with `read`, retrying when the node does not answer; a range the node refuses
 * (too many logs, too wide a range: providers cap `eth_getLogs`) is read as two halves, down to a
 * single block.
 */
async function readSplitting<item>(
  from: bigint,
  to: bigint,
  read: (from: bigint, to: bigint) => Promise<item[]>,
): Promise<item[]> {
  try {
    return await withRetry(() => read(from, to));
  } catch (error) {
    if (to <= from || !(error instanceof ViemBaseError) || isTransient(error)) throw error;
    const middle = (from + to) / 2n;
    return [
      ...(await readSplitting(from, middle, read)),
      ...(await readSplitting(middle + 1n, to, read)),
    ];
  }
}

/**
 * Reads the escrow's events (decoded, with block timestamps, through the history's
 * `readEscrowEvents`) range by range, retrying a range the node fails to answer and splitting one
 * it refuses.
 */
export async function readEscrowEventsInRanges(
  parameters: ReadEventsParameters & { escrow: Address },
): Promise<EscrowEvent[]> {
  const { client, escrow, fromBlock, toBlock } = parameters;
  const blockTimestamps = new Map<bigint, bigint>();
  const events: EscrowEvent[] = [];
  for (const [from, to] of ranges(fromBlock, toBlock, parameters.chunkSize ?? 5_000n)) {
    events.push(
      ...(await readSplitting(from, to, (a, b) =>
        readEscrowEvents({ client, escrow, fromBlock: a, toBlock: b, blockTimestamps }),
      )),
    );
    parameters.onProgress?.(to - fromBlock + 1n, toBlock - fromBlock + 1n);
  }
  return events;
}

/**
 * Reads the courts' events range by range, decoded with the court's ABI (logs it does not know are
 * left out: the code check reports a contract that is not the court).
 */
export async function readCourtEvents(
  parameters: ReadEventsParameters & { courts: readonly Address[] },
): Promise<CourtEvent[]> {
  const { client, fromBlock, toBlock } = parameters;
  const courts = parameters.courts.map((court) => getAddress(court));
  const events: CourtEvent[] = [];
  if (courts.length === 0) return events;
  for (const [from, to] of ranges(fromBlock, toBlock, parameters.chunkSize ?? 5_000n)) {
    const logs = await readSplitting(from, to, (a, b) =>
      getLogs(client, { address: courts, fromBlock: a, toBlock: b }),
    );
    for (const log of logs) {
      if (log.blockNumber === null || log.transactionHash === null || log.logIndex === null)
        continue;
      let decoded: CourtEventData;
      try {
        decoded = decodeEventLog({
          abi: arbitrationCourtAbi,
          data: log.data,
          topics: log.topics,
          strict: true,
        });
      } catch {
        continue;
      }
      events.push({
        ...decoded,
        address: getAddress(log.address),
        blockNumber: log.blockNumber,
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
      });
    }
    parameters.onProgress?.(to - fromBlock + 1n, toBlock - fromBlock + 1n);
  }
  return events.sort((a, b) =>
    a.blockNumber === b.blockNumber
      ? a.logIndex - b.logIndex
      : a.blockNumber < b.blockNumber
        ? -1
        : 1,
  );
}

/**
 * The block that created the contract at `address`: the first block at which it has code (binary
 * search over `eth_getCode`, about 25 reads). Undefined when it has no code at `toBlock`.
 */
export async function findDeploymentBlock(
  client: Client,
  address: Address,
  toBlock: bigint,
): Promise<bigint | undefined> {
  const hasCode = async (blockNumber: bigint) =>
    ((await withRetry(() => getCode(client, { address, blockNumber }))) ?? "0x") !== "0x";
  if (!(await hasCode(toBlock))) return undefined;
  let low = 0n;
  let high = toBlock;
  while (low < high) {
    const middle = (low + high) / 2n;
    if (await hasCode(middle)) high = middle;
    else low = middle + 1n;
  }
  return low;
}
