import { decodeEventLog, getAddress, toEventSelector } from "viem";
import type { Abi, AbiEvent, Address, Hex, Log } from "viem";
import { arbitrationCourtAbi, sellerRatingsAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";

/** The contracts the indexer follows. */
export type Contracts = { escrow: Address; court: Address; ratings: Address };

export type ContractName = keyof Contracts;

/** A log of one of the followed contracts, decoded, at its place in the chain. */
export type ChainEvent = {
  contract: ContractName;
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: bigint;
  blockHash: Hex;
  /** The block's timestamp (unix seconds). */
  timestamp: bigint;
  transactionHash: Hex;
  transactionIndex: number;
  logIndex: number;
};

type Decoder = Map<Hex, AbiEvent>;

function decoderOf(abi: Abi): Decoder {
  const map: Decoder = new Map();
  for (const item of abi) {
    if (item.type === "event") map.set(toEventSelector(item), item);
  }
  return map;
}

/** Decodes the followed contracts' logs (one selector lookup per log, not a scan of the ABI). */
export function createLogDecoder(contracts: Contracts) {
  const byAddress = new Map<string, { name: ContractName; decoder: Decoder }>([
    [contracts.escrow.toLowerCase(), { name: "escrow", decoder: decoderOf(tradeEscrowAbi) }],
    [contracts.court.toLowerCase(), { name: "court", decoder: decoderOf(arbitrationCourtAbi) }],
    [contracts.ratings.toLowerCase(), { name: "ratings", decoder: decoderOf(sellerRatingsAbi) }],
  ]);
  const checksummed = new Map<string, Address>(
    Object.values(contracts).map((a) => [a.toLowerCase(), getAddress(a)]),
  );

  /**
   * The decoded event of `log`, or undefined for a log no followed ABI knows (another contract, an
   * event added later); `timestamp` is its block's.
   */
  return function decode(log: Log, timestamp: bigint): ChainEvent | undefined {
    const address = log.address.toLowerCase();
    const contract = byAddress.get(address);
    const selector = log.topics[0];
    if (contract === undefined || selector === undefined) return undefined;
    const item = contract.decoder.get(selector);
    if (item === undefined) return undefined;
    const decoded = decodeEventLog({
      abi: [item],
      data: log.data,
      topics: log.topics as [Hex, ...Hex[]],
      strict: true,
    });
    if (log.blockNumber === null || log.blockHash === null || log.transactionHash === null)
      return undefined; // a pending log: never asked for
    return {
      contract: contract.name,
      address: checksummed.get(address)!,
      eventName: decoded.eventName as string,
      args: (decoded.args ?? {}) as Record<string, unknown>,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      timestamp,
      transactionHash: log.transactionHash,
      transactionIndex: log.transactionIndex ?? 0,
      logIndex: log.logIndex ?? 0,
    };
  };
}

export type LogDecoder = ReturnType<typeof createLogDecoder>;
