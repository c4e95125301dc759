import type { Address, DecodeEventLogReturnType, Hex } from "viem";
import type { tradeEscrowAbi } from "../contracts/generated/abis.js";
import type { ClaimGround, ClaimStatus, TradeState } from "../contracts/generated/enums.js";
import type { Terms } from "../eip712/index.js";

/** Any event of the escrow, decoded with its ABI. */
export type EscrowEventData = DecodeEventLogReturnType<typeof tradeEscrowAbi>;

/** The name of an escrow event. */
export type EscrowEventName = EscrowEventData["eventName"];

/** Where an event sits in the chain: what the reducer needs besides the event itself. */
export type EventPosition = {
  blockNumber: bigint;
  /** The block's timestamp (unix seconds): the contract's `block.timestamp` when it ran. */
  timestamp: bigint;
  transactionHash: Hex;
  logIndex: number;
};

/** A decoded escrow event at its place in the chain. */
export type EscrowEvent = EscrowEventData & EventPosition;

/** The escrow's event of one name, with its position. */
export type EscrowEventOf<name extends EscrowEventName> = Extract<
  EscrowEventData,
  { eventName: name }
> &
  EventPosition;

/** The terms of a trade, as the events carry them (the EIP-712 `Terms` the parties sign). */
export type { Terms };

/** One version of a trade's terms. */
export type TermsVersion = {
  version: number;
  termsHash: Hex;
  terms: Terms;
} & EventPosition;

/** A trade's claim, as the escrow's `claim(tradeId)` view returns it. */
export type ClaimRecord = {
  status: ClaimStatus;
  ground: ClaimGround;
  refundBps: number;
  filedAt: bigint;
  costs: bigint;
  disputeId: bigint;
  ruling: bigint;
};

/**
 * A trade rebuilt from events alone. The fields from `state` to `refunded` are exactly the escrow's
 * `trade(tradeId)` view, and `terms` what `termsOf(tradeId)` keeps of them (see `keptTerms`); the
 * rest is history the views do not keep (`termsHash`: the EIP-712 hash of the terms in force, as
 * the events carry it).
 */
export type TradeRecord = {
  tradeId: bigint;
  termsHash: Hex;
  state: TradeState;
  version: number;
  lotsDone: number;
  proposedBySeller: boolean;
  pendingLot: boolean;
  pendingTitle: boolean;
  stageAt: bigint;
  escrowed: bigint;
  receivedQuantity: bigint;
  released: bigint;
  pendingQuantity: bigint;
  pendingTime: bigint;
  sellerBond: bigint;
  arrivedAt: bigint;
  refunded: bigint;
  /** The terms in force. */
  terms: Terms;
  /** Every version of the terms, the original first. */
  versions: TermsVersion[];
  claim: ClaimRecord | undefined;
  /** The quantity of the lot received last (a lot whose title passes in the same transaction). */
  lastLotQuantity: bigint;
  /**
   * When the balance was paid after its due time (`shipWindow` before `latestDelivery`), the time of
   * that payment (its block's timestamp); 0 when it came in time. The trade's latest delivery time is
   * then `max(latestDelivery, lateBalancePaidAt + shipWindow)` (see `effectiveLatestDelivery`).
   */
  lateBalancePaidAt: bigint;
  /** What the guarantor pool reserves for this trade (pay after use: its price while open; else 0). */
  guaranteed: bigint;
  createdAt: EventPosition;
  updatedAt: EventPosition;
};

/** The guarantor pool of one token. */
export type PoolRecord = { balance: bigint; committed: bigint };

/** An operator's bond account. */
export type OperatorRecord = { bond: bigint; required: bigint; openTrades: bigint };

/** Everything the escrow's events say, folded. */
export type EscrowState = {
  escrow: Address;
  trades: Map<bigint, TradeRecord>;
  /** Withdrawable credits by `account|token` (lower-case). */
  credits: Map<string, bigint>;
  operators: Map<Address, OperatorRecord>;
  pools: Map<Address, PoolRecord>;
  /** Buyers' debts to the pool by `buyer|token` (lower-case). */
  debts: Map<string, bigint>;
  /**
   * The admin's cap of one buyer's exposure to each token's pool (`BuyerExposureCapSet`), by token.
   * A buyer's exposure itself is the sum of its open trades' `guaranteed` (see `buyerExposures`).
   */
  exposureCaps: Map<Address, bigint>;
  /** New trades between their first state change and the event that carries their terms. */
  opening: Map<bigint, TradeState>;
  /** Events applied so far. */
  eventCount: number;
};
