import { getAddress } from "viem";
import type { Hex } from "viem";
import { applyEscrowEvent } from "@trade-escrow/sdk/history";
import type { EscrowEvent } from "@trade-escrow/sdk/history";
import { toApiJson } from "../internal/index.js";
import { mutableTables, pkOf, stableJson } from "../store/index.js";
import type { AppendTable, MutableTable, Row, UndoEntry } from "../store/index.js";
import type { ChainEvent, Contracts } from "./decode.js";
import { createBatch } from "./projection/batch.js";
import type { Batch, CurrentRows } from "./projection/batch.js";
import { projectCourtEvent } from "./projection/court.js";
import { projectEscrowEvent } from "./projection/escrow.js";
import { loadTouchedRows } from "./projection/keys.js";
import type { LoadRows } from "./projection/keys.js";
import { createOutput } from "./projection/output.js";
import type { Output } from "./projection/output.js";
import { disputeIdOf, lower, num, position, str, tradeIdOf } from "./projection/values.js";

export { tradeRow } from "./projection/values.js";
export type { LoadRows } from "./projection/keys.js";

/** A block to project: its header and its followed events, in log order. */
export type BlockInput = {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
  events: ChainEvent[];
  /** Not final yet: log what it changes so a reorg can undo it. */
  undo: boolean;
  /** Store the block's header (blocks with events and every block of the tail). */
  store: boolean;
};

/** What a batch of blocks turns into: rows to write, and undo entries for blocks not yet final. */
export type Projection = {
  append: Partial<Record<AppendTable, Row[]>>;
  upserts: Partial<Record<MutableTable, Row[]>>;
  undo: UndoEntry[];
  documentCids: string[];
  events: number;
};

/**
 * Projects `blocks` onto the store's tables. Trade state is the sdk's reducer's (`applyEscrowEvent`),
 * folded over the rows the batch touches as stored (so a batch needs only the rows it changes); lots,
 * claims' documents, disputes, votes, ratings and the timeline come from the events themselves.
 *
 * The steps: (1) load the rows the events name (projection/keys.ts), (2) restore the reducer's state
 * and the batch's rows from them (projection/batch.ts), (3) project each event (`projectEvent`:
 * escrow.ts, court.ts, the rating, the timeline row), logging after each block not yet final what
 * it changed (`undoEntries`), (4) keep the rows that differ from those loaded (`changedRows`).
 */
export async function projectBlocks(
  blocks: readonly BlockInput[],
  contracts: Contracts,
  load: LoadRows,
): Promise<Projection> {
  const court = lower(contracts.court);
  const loaded = await loadTouchedRows(
    blocks.flatMap((block) => block.events),
    court,
    load,
  );
  const batch = createBatch(loaded, getAddress(contracts.escrow), court);
  const out = createOutput();
  const undo: UndoEntry[] = [];
  let events = 0;

  const initial = batch.currentRows(blocks.length === 0 ? 0 : num(blocks[0]!.number));
  let before = initial;
  for (const block of blocks) {
    const blockNumber = num(block.number);
    if (block.store) {
      out.append("blocks", {
        number: blockNumber,
        hash: block.hash,
        parent_hash: block.parentHash,
        timestamp: num(block.timestamp),
      });
    }
    for (const e of block.events) {
      events += 1;
      projectEvent(batch, out, e, court);
    }
    if (block.undo) {
      const after = batch.currentRows(blockNumber);
      undo.push(...undoEntries(blockNumber, before, after));
      before = after;
    }
  }

  const lastBlock = blocks.length === 0 ? 0 : num(blocks[blocks.length - 1]!.number);
  return {
    append: out.rows,
    upserts: changedRows(initial, batch.currentRows(lastBlock)),
    undo,
    documentCids: [...out.documentCids],
    events,
  };
}

/** One event: the reducer and the escrow's rows, the court's, or a rating; then its timeline row. */
function projectEvent(batch: Batch, out: Output, e: ChainEvent, court: string): void {
  const a = e.args;
  let tradeId = tradeIdOf(e);
  const disputeId = disputeIdOf(e);
  if (e.contract === "escrow") {
    const existed = tradeId !== undefined && batch.state.trades.has(tradeId);
    applyEscrowEvent(batch.state, {
      eventName: e.eventName,
      args: a,
      blockNumber: e.blockNumber,
      timestamp: e.timestamp,
      transactionHash: e.transactionHash,
      logIndex: e.logIndex,
    } as unknown as EscrowEvent); // decoded by the escrow's ABI: one of its events
    projectEscrowEvent({ batch, out, court }, e, existed);
  } else if (e.contract === "court") {
    projectCourtEvent(batch, out, e);
    // Court events belong to the trade whose claim the dispute hears.
    const dispute = disputeId === undefined ? undefined : batch.disputes.get(disputeId.toString());
    if (tradeId === undefined && dispute?.trade_id != null) tradeId = BigInt(dispute.trade_id);
  } else if (e.eventName === "SellerRated") {
    out.append("ratings", {
      ...position(e),
      log_index: e.logIndex,
      seller: lower(a.seller),
      trade_id: String(a.tradeId),
      buyer: lower(a.buyer),
      service: num(a.service),
      speed: num(a.speed),
      accuracy: num(a.accuracy),
      // The contract's own time of the rating: the 180-day average reads it, never a block.
      rated_at: num(a.ratedAt),
    });
  }
  batch.stampEvent(e);
  out.append("events", {
    block_number: num(e.blockNumber),
    log_index: e.logIndex,
    block_hash: e.blockHash,
    block_timestamp: num(e.timestamp),
    transaction_hash: e.transactionHash,
    transaction_index: e.transactionIndex,
    contract: e.contract,
    address: lower(e.address),
    event_name: e.eventName,
    trade_id: str(tradeId),
    dispute_id: str(disputeId),
    args: toApiJson(a),
  });
}

/** The rows block `block` changed, each with its row as it was before (null: it did not exist). */
function undoEntries(block: number, before: CurrentRows, after: CurrentRows): UndoEntry[] {
  const entries: UndoEntry[] = [];
  for (const [key, [table, row]] of after) {
    const prev = before.get(key);
    if (prev !== undefined && stableJson(prev[1]) === stableJson(row)) continue;
    entries.push({ block, table, pk: pkOf(table, row), prev: prev?.[1] ?? null });
  }
  return entries;
}

/** The rows that differ from those the batch started from: the upserts. */
function changedRows(initial: CurrentRows, current: CurrentRows): Projection["upserts"] {
  const upserts: Projection["upserts"] = {};
  for (const [key, [table, row]] of current) {
    const first = initial.get(key);
    if (first !== undefined && stableJson(first[1]) === stableJson(row)) continue;
    (upserts[table] ??= []).push(row);
  }
  return upserts;
}

/** The mutable tables' primary keys (re-exported for tests). */
export { mutableTables };
