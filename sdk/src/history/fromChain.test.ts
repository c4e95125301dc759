import { createClient, custom, encodeAbiParameters, encodeEventTopics, numberToHex } from "viem";
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import { TradeState, tradeEscrowAbi } from "../contracts/index.js";
import { HistoryError, readEscrowEvents } from "./index.js";

// readEscrowEvents against a scripted node: the requests it makes (chunked eth_getLogs, one header
// per block, none for a block whose timestamp is cached) and what it makes of the answers (decoded,
// stamped, in chain order; a log the ABI does not know is refused). The chain test reads a real node.

const ESCROW: Address = "0x00000000000000000000000000000000000E5c90";
const TX: Hex = `0x${"22".repeat(32)}`;

type RpcLog = {
  address: Address;
  blockHash: Hex;
  blockNumber: Hex;
  data: Hex;
  logIndex: Hex;
  topics: Hex[];
  transactionHash: Hex;
  transactionIndex: Hex;
  removed: boolean;
};

/** A TradeStateChanged log of the escrow, as a node returns it. */
function stateChangedLog(block: number, logIndex: number, tradeId: bigint, to: TradeState): RpcLog {
  const topics = encodeEventTopics({
    abi: tradeEscrowAbi,
    eventName: "TradeStateChanged",
    args: { tradeId },
  }) as Hex[];
  return {
    address: ESCROW,
    blockHash: `0x${block.toString(16).padStart(64, "0")}`,
    blockNumber: numberToHex(block),
    data: encodeAbiParameters([{ type: "uint8" }, { type: "uint8" }], [TradeState.None, to]),
    logIndex: numberToHex(logIndex),
    topics,
    transactionHash: TX,
    transactionIndex: "0x0",
    removed: false,
  };
}

/** A node that answers from `logs` and records every request. */
function scriptedNode(logs: RpcLog[], latest = 10) {
  const requests: { method: string; params: unknown }[] = [];
  const client = createClient({
    transport: custom({
      request: async ({ method, params }: { method: string; params: unknown }) => {
        requests.push({ method, params });
        if (method === "eth_blockNumber") return numberToHex(latest);
        if (method === "eth_getLogs") {
          const [filter] = params as [{ fromBlock: Hex; toBlock: Hex }];
          const from = Number(filter.fromBlock);
          const to = Number(filter.toBlock);
          // Newest first, to show that the reader puts them in chain order.
          return logs
            .filter((log) => Number(log.blockNumber) >= from && Number(log.blockNumber) <= to)
            .reverse();
        }
        if (method === "eth_getBlockByNumber") {
          const [number] = params as [Hex];
          return {
            number,
            hash: `0x${Number(number).toString(16).padStart(64, "0")}`,
            timestamp: numberToHex(1_000 + Number(number) * 12),
            transactions: [],
          };
        }
        throw new Error(`Unexpected ${method}.`);
      },
    }),
  });
  const count = (method: string) => requests.filter((r) => r.method === method).length;
  return { client, requests, count };
}

describe("readEscrowEvents", () => {
  it("reads in chunks, stamps each block once, and returns the events in chain order", async () => {
    const node = scriptedNode([
      stateChangedLog(2, 0, 1n, TradeState.Signed),
      stateChangedLog(2, 1, 2n, TradeState.Proposed),
      stateChangedLog(7, 3, 3n, TradeState.Signed),
    ]);
    const blockTimestamps = new Map<bigint, bigint>();
    const events = await readEscrowEvents({
      client: node.client,
      escrow: ESCROW,
      fromBlock: 1n,
      toBlock: 8n,
      chunkSize: 3n,
      blockTimestamps,
    });
    expect(events.map((e) => [e.blockNumber, e.logIndex, e.timestamp])).toEqual([
      [2n, 0, 1_024n],
      [2n, 1, 1_024n],
      [7n, 3, 1_084n],
    ]);
    expect(events[1]).toMatchObject({
      eventName: "TradeStateChanged",
      args: { tradeId: 2n, from: TradeState.None, to: TradeState.Proposed },
      transactionHash: TX,
    });
    // Blocks 1-3, 4-6, 7-8.
    expect(
      node.requests
        .filter((r) => r.method === "eth_getLogs")
        .map((r) => {
          const [filter] = r.params as [{ fromBlock: Hex; toBlock: Hex }];
          return [Number(filter.fromBlock), Number(filter.toBlock)];
        }),
    ).toEqual([
      [1, 3],
      [4, 6],
      [7, 8],
    ]);
    expect(node.count("eth_getBlockByNumber")).toBe(2);

    // The cache passed back in saves the headers.
    await readEscrowEvents({
      client: node.client,
      escrow: ESCROW,
      fromBlock: 1n,
      toBlock: 8n,
      blockTimestamps,
    });
    expect(node.count("eth_getBlockByNumber")).toBe(2);
  });

  it("reads up to the latest block when no toBlock is given", async () => {
    const node = scriptedNode([stateChangedLog(9, 0, 1n, TradeState.Signed)], 9);
    const events = await readEscrowEvents({ client: node.client, escrow: ESCROW, fromBlock: 0n });
    expect(events).toHaveLength(1);
    expect(node.count("eth_blockNumber")).toBe(1);
  });

  it("refuses a log that is not an escrow event", async () => {
    const foreign = {
      ...stateChangedLog(3, 5, 1n, TradeState.Signed),
      topics: [`0x${"ab".repeat(32)}`],
    };
    const node = scriptedNode([foreign as RpcLog]);
    const read = readEscrowEvents({
      client: node.client,
      escrow: ESCROW,
      fromBlock: 0n,
      toBlock: 5n,
    });
    await expect(read).rejects.toBeInstanceOf(HistoryError);
    await expect(read).rejects.toMatchObject({
      shortMessage: "Log 5 of block 3 is not an escrow event the ABI knows.",
    });
  });

  it("refuses a chunk size that is not positive", async () => {
    const node = scriptedNode([]);
    await expect(
      readEscrowEvents({
        client: node.client,
        escrow: ESCROW,
        fromBlock: 0n,
        toBlock: 1n,
        chunkSize: 0n,
      }),
    ).rejects.toMatchObject({ shortMessage: "The chunk size 0 is not positive." });
    expect(node.requests).toHaveLength(0);
  });
});
