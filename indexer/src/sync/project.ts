import { getAddress, zeroAddress } from "viem";
import type { Address, Hex } from "viem";
import {
  attestationKindNames,
  claimGroundNames,
  claimOutcomeNames,
  claimStatusNames,
  paymentModeNames,
  tradeStateNames,
} from "@trade-escrow/sdk/contracts";
import {
  applyEscrowEvent,
  balanceKey,
  createEscrowState,
  effectiveLatestDelivery,
} from "@trade-escrow/sdk/history";
import { metaEvidenceSubject } from "@trade-escrow/sdk/history";
import type { EscrowEvent, EscrowState, TradeRecord } from "@trade-escrow/sdk/history";
import { commitmentToCid } from "@trade-escrow/sdk/cid";
import { decodeRecord, encodeRecord, stageDeadline, toApiJson } from "../internal/index.js";
import { keyOf, mutableTables, pkOf, stableJson } from "../store/index.js";
import type { AppendTable, MutableTable, Row, UndoEntry } from "../store/index.js";
import type { ChainEvent, Contracts } from "./decode.js";

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

/** Reads current rows of mutable tables (the store's `loadRows`, inside or outside a transaction). */
export type LoadRows = (table: MutableTable, keys: Row[]) => Promise<Row[]>;

const lower = (a: unknown) => String(a).toLowerCase();
const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
const num = (v: unknown) => Number(v);
const POOL = "pool";

/** The CID a commitment names, null for a malformed one, undefined for none (`0x`). */
function cidOf(commitment: unknown): string | null | undefined {
  if (typeof commitment !== "string" || commitment === "0x") return undefined;
  try {
    return commitmentToCid(commitment).toString();
  } catch {
    return null;
  }
}

function tradeIdOf(e: ChainEvent): bigint | undefined {
  const a = e.args;
  if (typeof a.tradeId === "bigint") return a.tradeId;
  if (e.contract !== "escrow") return undefined;
  if (e.eventName === "Evidence") return a.evidenceGroupID as bigint;
  // Meta-evidence names a version of the trade's terms (see the sdk's metaEvidenceSubject).
  if (e.eventName === "MetaEvidence" || e.eventName === "Dispute")
    return metaEvidenceSubject(a.metaEvidenceID as bigint).tradeId;
  return undefined;
}

function disputeIdOf(e: ChainEvent): bigint | undefined {
  const a = e.args;
  if (typeof a.disputeId === "bigint") return a.disputeId;
  if (typeof a.disputeID === "bigint") return a.disputeID;
  return undefined;
}

/** The row of a trade in `trades`. */
export function tradeRow(t: TradeRecord): Row {
  const deadline = stageDeadline(t);
  return {
    id: t.tradeId.toString(),
    state: t.state,
    state_name: tradeStateNames[t.state],
    mode: t.terms.mode,
    mode_name: paymentModeNames[t.terms.mode],
    buyer: lower(t.terms.buyer),
    seller: lower(t.terms.seller),
    operator: lower(t.terms.operator),
    token: lower(t.terms.token),
    price: t.terms.price.toString(),
    quantity: t.terms.quantity.toString(),
    version: t.version,
    terms_hash: t.termsHash,
    escrowed: t.escrowed.toString(),
    released: t.released.toString(),
    refunded: t.refunded.toString(),
    seller_bond: t.sellerBond.toString(),
    lots_done: t.lotsDone,
    received_quantity: t.receivedQuantity.toString(),
    stage_at: num(t.stageAt),
    stage_deadline: deadline === 0n ? null : num(deadline),
    arrived_at: num(t.arrivedAt),
    latest_delivery: num(effectiveLatestDelivery(t)),
    ship_window: t.terms.shipWindow,
    delivery_grace: t.terms.deliveryGrace,
    late_balance_paid_at: t.lateBalancePaidAt === 0n ? null : num(t.lateBalancePaidAt),
    created_block: num(t.createdAt.blockNumber),
    created_at: num(t.createdAt.timestamp),
    created_tx: t.createdAt.transactionHash,
    updated_block: num(t.updatedAt.blockNumber),
    updated_at: num(t.updatedAt.timestamp),
    record: encodeRecord(t),
  };
}

type Keys = Record<MutableTable, Map<string, Row>>;

function emptyKeys(): Keys {
  return {
    trades: new Map(),
    lots: new Map(),
    claims: new Map(),
    disputes: new Map(),
    balances: new Map(),
    operators: new Map(),
  };
}

function want(keys: Keys, table: MutableTable, pk: Row): void {
  keys[table].set(keyOf(table, pk), pk);
}

/** Adds to `keys` the mutable rows one event may change (its trade's operator aside). */
function wantEvent(keys: Keys, e: ChainEvent, court: string): void {
  const a = e.args;
  const tradeId = tradeIdOf(e);
  if (e.contract === "escrow") {
    if (tradeId !== undefined) {
      want(keys, "trades", { id: tradeId.toString() });
      want(keys, "claims", { trade_id: tradeId.toString() });
    }
    if (typeof a.lot === "number" && tradeId !== undefined)
      want(keys, "lots", { trade_id: tradeId.toString(), lot: a.lot });
    if (a.terms !== undefined)
      want(keys, "operators", { address: lower((a.terms as { operator: string }).operator) });
    if (typeof a.operator === "string" && e.eventName.startsWith("Operator"))
      want(keys, "operators", { address: lower(a.operator) });
    if (e.eventName === "Credited" || e.eventName === "Withdrawn")
      want(keys, "balances", {
        kind: "credit",
        account: lower(a.account),
        token: lower(a.token),
      });
    if (e.eventName === "CollectionFailed" || e.eventName === "DebtRepaid")
      want(keys, "balances", { kind: "debt", account: lower(a.buyer), token: lower(a.token) });
    if (e.eventName === "PoolChanged" || e.eventName === "GuaranteeChanged") {
      want(keys, "balances", { kind: "pool-balance", account: POOL, token: lower(a.token) });
      want(keys, "balances", { kind: "pool-committed", account: POOL, token: lower(a.token) });
    }
  }
  if (e.contract === "court" && (e.eventName === "Credited" || e.eventName === "Withdrawn"))
    want(keys, "balances", {
      kind: "court-credit",
      account: lower(a.account),
      token: zeroAddress,
    });
  const disputeId = disputeIdOf(e);
  if (disputeId !== undefined && (e.contract === "court" || lower(a.arbitrator) === court))
    want(keys, "disputes", { id: disputeId.toString() });
}

/**
 * Projects `blocks` onto the store's tables. Trade state is the sdk's reducer's (`applyEscrowEvent`),
 * folded over the rows the batch touches as stored (so a batch needs only the rows it changes); lots,
 * claims' documents, disputes, votes, ratings and the timeline come from the events themselves.
 */
export async function projectBlocks(
  blocks: readonly BlockInput[],
  contracts: Contracts,
  load: LoadRows,
): Promise<Projection> {
  const escrow = getAddress(contracts.escrow);
  const court = lower(contracts.court);

  // 1. The rows the events name, loaded as stored.
  const keys = emptyKeys();
  for (const block of blocks) for (const e of block.events) wantEvent(keys, e, court);
  const loaded = emptyKeys();
  const loadInto = async (table: MutableTable) => {
    const missing = [...keys[table].entries()].filter(([k]) => !loaded[table].has(k));
    for (const row of await load(
      table,
      missing.map(([, pk]) => pk),
    ))
      loaded[table].set(keyOf(table, row), row);
  };
  await Promise.all((["trades", "lots", "claims", "disputes", "balances"] as const).map(loadInto));
  // Trades hold their operators (the reducer counts each operator's open trades).
  for (const row of loaded.trades.values())
    want(keys, "operators", {
      address: lower((row.record as { terms: { operator: string } }).terms.operator),
    });
  await loadInto("operators");

  // 2. The reducer's state over those rows.
  const state: EscrowState = createEscrowState(escrow);
  for (const row of loaded.trades.values()) {
    const record = decodeRecord<TradeRecord>(row.record);
    state.trades.set(record.tradeId, record);
  }
  for (const row of loaded.balances.values()) {
    const amount = BigInt(row.amount as string);
    const key = balanceKey(row.account as Address, row.token as Address);
    if (row.kind === "credit") state.credits.set(key, amount);
    if (row.kind === "debt") state.debts.set(key, amount);
    if (row.kind === "pool-balance" || row.kind === "pool-committed") {
      const token = getAddress(row.token as string);
      const pool = state.pools.get(token) ?? { balance: 0n, committed: 0n };
      if (row.kind === "pool-balance") pool.balance = amount;
      else pool.committed = amount;
      state.pools.set(token, pool);
    }
  }
  for (const row of loaded.operators.values()) {
    state.operators.set(getAddress(row.address as string), {
      bond: BigInt(row.bond as string),
      required: BigInt(row.required as string),
      openTrades: BigInt(row.open_trades as string),
    });
  }
  const lots = new Map(loaded.lots);
  const claims = new Map(loaded.claims);
  const disputes = new Map(loaded.disputes);
  const courtCredits = new Map(
    [...loaded.balances].filter(([, row]) => row.kind === "court-credit"),
  );
  // The value of each balance and operator row and the block it last changed in (`updated_block`).
  const lastChange = new Map<string, { value: string; block: number }>();
  for (const table of ["balances", "operators"] as const) {
    for (const [k, row] of loaded[table]) {
      const { updated_block, ...value } = row;
      lastChange.set(`${table}:${k}`, { value: stableJson(value), block: updated_block as number });
    }
  }
  const stamp = (table: "balances" | "operators", value: Row, block: number): Row => {
    const key = `${table}:${keyOf(table, value)}`;
    const json = stableJson(value);
    let last = lastChange.get(key);
    if (last === undefined || last.value !== json) {
      last = { value: json, block };
      lastChange.set(key, last);
    }
    return { ...value, updated_block: last.block };
  };

  const operatorRow = (address: string): Row | undefined => {
    const op = state.operators.get(getAddress(address));
    if (op === undefined) return undefined;
    return {
      address: lower(address),
      bond: op.bond.toString(),
      required: op.required.toString(),
      open_trades: op.openTrades.toString(),
    };
  };
  const balanceAmount = (pk: Row): bigint | undefined => {
    const account = pk.account as string;
    const token = pk.token as string;
    switch (pk.kind) {
      case "credit":
        return state.credits.get(`${account}|${token}`);
      case "debt":
        return state.debts.get(`${account}|${token}`);
      case "pool-balance":
        return state.pools.get(getAddress(token))?.balance;
      case "pool-committed":
        return state.pools.get(getAddress(token))?.committed;
      default: {
        const amount = courtCredits.get(keyOf("balances", pk))?.amount as string | undefined;
        return amount === undefined ? undefined : BigInt(amount);
      }
    }
  };
  /**
   * Stamps the balances and operators `e` may have changed with its block, so that `updated_block`
   * is the block of the last change whatever the batch boundaries (a restart replays other ranges).
   */
  const stampEvent = (e: ChainEvent): void => {
    const touched = emptyKeys();
    wantEvent(touched, e, court);
    const tradeId = tradeIdOf(e);
    const operator = tradeId === undefined ? undefined : state.trades.get(tradeId)?.terms.operator;
    if (operator !== undefined) want(touched, "operators", { address: lower(operator) });
    const block = num(e.blockNumber);
    for (const pk of touched.balances.values()) {
      const amount = balanceAmount(pk);
      if (amount !== undefined) stamp("balances", { ...pk, amount: amount.toString() }, block);
    }
    for (const pk of touched.operators.values()) {
      const row = operatorRow(pk.address as string);
      if (row !== undefined) stamp("operators", row, block);
    }
  };

  /** Every cached row, by `table:key`; balances and operators that changed are stamped `block`. */
  const currentRows = (block: number): Map<string, [MutableTable, Row]> => {
    const rows = new Map<string, [MutableTable, Row]>();
    const put = (table: MutableTable, row: Row) =>
      rows.set(`${table}:${keyOf(table, row)}`, [table, row]);
    for (const t of state.trades.values()) put("trades", tradeRow(t));
    for (const row of lots.values()) put("lots", row);
    for (const row of claims.values()) {
      const claim = state.trades.get(BigInt(row.trade_id as string))?.claim;
      put(
        "claims",
        claim === undefined
          ? row
          : {
              ...row,
              status: claim.status,
              status_name: claimStatusNames[claim.status],
              ground: claim.ground,
              ground_name: claimGroundNames[claim.ground],
              refund_bps: claim.refundBps,
              costs: claim.costs.toString(),
              filed_at: num(claim.filedAt),
              dispute_id: claim.disputeId === 0n ? null : claim.disputeId.toString(),
              ruling: claim.ruling.toString(),
            },
      );
    }
    for (const row of disputes.values()) put("disputes", row);
    const balance = (kind: string, account: string, token: string, amount: bigint) =>
      put(
        "balances",
        stamp("balances", { kind, account, token, amount: amount.toString() }, block),
      );
    for (const [key, amount] of state.credits) {
      const [account, token] = key.split("|") as [string, string];
      balance("credit", account, token, amount);
    }
    for (const [key, amount] of state.debts) {
      const [account, token] = key.split("|") as [string, string];
      balance("debt", account, token, amount);
    }
    for (const [token, pool] of state.pools) {
      balance("pool-balance", POOL, lower(token), pool.balance);
      balance("pool-committed", POOL, lower(token), pool.committed);
    }
    for (const row of courtCredits.values()) {
      const { updated_block: _, ...value } = row;
      put("balances", stamp("balances", value, block));
    }
    for (const address of state.operators.keys())
      put("operators", stamp("operators", operatorRow(address)!, block));
    return rows;
  };

  const out: Projection = { append: {}, upserts: {}, undo: [], documentCids: [], events: 0 };
  const append = (table: AppendTable, row: Row) => (out.append[table] ??= []).push(row);
  const documentCids = new Set<string>();

  const position = (e: ChainEvent) => ({
    block_number: num(e.blockNumber),
    block_timestamp: num(e.timestamp),
    transaction_hash: e.transactionHash,
  });
  const document = (e: ChainEvent, role: string, commitment: unknown, extra: Row = {}) => {
    const cid = cidOf(commitment);
    if (cid === undefined) return;
    if (cid !== null) documentCids.add(cid);
    append("documents", {
      block_number: num(e.blockNumber),
      log_index: e.logIndex,
      role,
      trade_id: str(tradeIdOf(e)),
      dispute_id: str(disputeIdOf(e)),
      cid,
      commitment,
      submitted_by: null,
      block_timestamp: num(e.timestamp),
      transaction_hash: e.transactionHash,
      ...extra,
    });
  };
  const firstBlock = blocks.length === 0 ? 0 : num(blocks[0]!.number);
  const initial = currentRows(firstBlock);
  let before = initial;
  for (const block of blocks) {
    const blockNumber = num(block.number);
    if (block.store) {
      append("blocks", {
        number: blockNumber,
        hash: block.hash,
        parent_hash: block.parentHash,
        timestamp: num(block.timestamp),
      });
    }
    for (const e of block.events) {
      out.events += 1;
      const a = e.args;
      let tradeId = tradeIdOf(e);
      const disputeId = disputeIdOf(e);
      if (e.contract === "escrow") {
        const existed = tradeId !== undefined && state.trades.has(tradeId);
        applyEscrowEvent(state, {
          eventName: e.eventName,
          args: a,
          blockNumber: e.blockNumber,
          timestamp: e.timestamp,
          transactionHash: e.transactionHash,
          logIndex: e.logIndex,
        } as unknown as EscrowEvent);
        projectEscrowEvent(e, existed);
      } else if (e.contract === "court") {
        projectCourtEvent(e);
        // Court events belong to the trade whose claim the dispute hears.
        const dispute = disputeId === undefined ? undefined : disputes.get(disputeId.toString());
        if (tradeId === undefined && dispute?.trade_id != null)
          tradeId = BigInt(dispute.trade_id as string);
      } else if (e.eventName === "SellerRated") {
        append("ratings", {
          ...position(e),
          log_index: e.logIndex,
          seller: lower(a.seller),
          trade_id: String(a.tradeId),
          buyer: lower(a.buyer),
          service: a.service,
          speed: a.speed,
          accuracy: a.accuracy,
          // The contract's own time of the rating: the 180-day average reads it, never a block.
          rated_at: num(a.ratedAt),
        });
      }
      stampEvent(e);
      append("events", {
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
    if (block.undo) {
      const after = currentRows(blockNumber);
      for (const [key, [table, row]] of after) {
        const prev = before.get(key);
        if (prev !== undefined && stableJson(prev[1]) === stableJson(row)) continue;
        out.undo.push({ block: blockNumber, table, pk: pkOf(table, row), prev: prev?.[1] ?? null });
      }
      before = after;
    }
  }

  // 3. The rows that changed.
  const lastBlock = blocks.length === 0 ? 0 : num(blocks[blocks.length - 1]!.number);
  for (const [key, [table, row]] of currentRows(lastBlock)) {
    const first = initial.get(key);
    if (first !== undefined && stableJson(first[1]) === stableJson(row)) continue;
    (out.upserts[table] ??= []).push(row);
  }
  out.documentCids = [...documentCids];
  return out;

  function projectEscrowEvent(e: ChainEvent, existed: boolean): void {
    const a = e.args;
    const id = tradeIdOf(e);
    const tradeKey = id?.toString();
    const at = num(e.blockNumber);
    switch (e.eventName) {
      case "TradeProposed":
      case "TradeOpened":
      case "TradeAmended": {
        const version = e.eventName === "TradeAmended" ? (a.version as number) : 0;
        if (e.eventName === "TradeOpened" && existed) return; // accepted: version 0 is stored
        append("amendments", {
          trade_id: tradeKey,
          version,
          terms_hash: a.termsHash,
          terms: toApiJson(a.terms),
          ...position(e),
          log_index: e.logIndex,
        });
        document(e, "manifest", (a.terms as { manifestCid: Hex }).manifestCid);
        return;
      }
      case "GoodsShipped":
        return document(e, "shipping", a.documentsCid);
      case "MilestoneRecorded":
        return document(e, "milestone", a.documentCid, { submitted_by: lower(a.recordedBy) });
      case "LotReceived": {
        const kind = attestationKindNames[a.kind as number] ?? String(a.kind);
        const cid = cidOf(a.documentCid);
        lots.set(`${tradeKey}|${a.lot}`, {
          trade_id: tradeKey,
          lot: a.lot,
          operator: lower(a.operator),
          receipt_id: String(a.receiptId),
          quantity: String(a.quantity),
          received_at: num(a.receivedAt),
          holder: lower(a.holder),
          kind,
          document_cid: cid ?? null,
          halted: false,
          halt_reasons: 0,
          title_transferred: false,
          title_block: null,
          title_at: null,
          title_tx: null,
          ...position(e),
          updated_block: at,
        });
        append("attestations", {
          ...position(e),
          log_index: e.logIndex,
          trade_id: tradeKey,
          operator: lower(a.operator),
          kind,
          lot: a.lot,
          quantity: String(a.quantity),
          time: num(a.receivedAt),
          document_cid: cid ?? null,
        });
        document(e, "lot-receipt", a.documentCid, { submitted_by: lower(a.operator) });
        return;
      }
      case "TradeHalted": {
        const lot = lots.get(`${tradeKey}|${a.lot}`);
        if (lot !== undefined)
          lots.set(`${tradeKey}|${a.lot}`, {
            ...lot,
            halted: true,
            halt_reasons: a.reasons,
            updated_block: at,
          });
        return;
      }
      case "TitleTransferred": {
        const lot = lots.get(`${tradeKey}|${a.lot}`);
        if (lot !== undefined) {
          lots.set(`${tradeKey}|${a.lot}`, {
            ...lot,
            halted: false,
            title_transferred: true,
            title_block: at,
            title_at: num(e.timestamp),
            title_tx: e.transactionHash,
            updated_block: at,
          });
        }
        const operator = id === undefined ? undefined : state.trades.get(id)?.terms.operator;
        append("attestations", {
          ...position(e),
          log_index: e.logIndex,
          trade_id: tradeKey,
          operator: lower(operator ?? zeroAddress),
          kind: "TitleTransfer",
          lot: a.lot,
          quantity: null,
          time: num(e.timestamp),
          document_cid: null,
        });
        return;
      }
      case "PortArrivalAttested":
        append("attestations", {
          ...position(e),
          log_index: e.logIndex,
          trade_id: tradeKey,
          operator: lower(a.operator),
          kind: "PortArrival",
          lot: null,
          quantity: null,
          time: num(a.arrivedAt),
          document_cid: null,
        });
        return;
      case "ClaimFiled":
        claims.set(tradeKey!, {
          trade_id: tradeKey,
          status: 1,
          status_name: "Filed",
          ground: a.ground,
          ground_name: claimGroundNames[a.ground as number],
          refund_bps: a.refundBps,
          costs: String(a.costs),
          filed_at: num(e.timestamp),
          agency: lower(a.agency),
          report_cid: cidOf(a.reportCid) ?? null,
          evidence_cid: cidOf(a.evidenceCid) ?? null,
          dispute_id: null,
          ruling: "0",
          outcome: null,
          refund: null,
          costs_paid: null,
          filed_block: at,
          updated_block: at,
        });
        document(e, "claim-report", a.reportCid, { submitted_by: lower(a.agency) });
        return;
      case "ClaimContested":
      case "ClaimRuled":
      case "ClaimResolved": {
        const claim = claims.get(tradeKey!);
        if (claim === undefined) return;
        const resolved =
          e.eventName === "ClaimResolved"
            ? {
                outcome: claimOutcomeNames[a.outcome as number],
                refund: String(a.refund),
                costs_paid: String(a.costs),
              }
            : {};
        claims.set(tradeKey!, { ...claim, ...resolved, updated_block: at });
        if (e.eventName === "ClaimContested") linkDispute(a.disputeId as bigint, id!, at);
        return;
      }
      case "Evidence":
        return document(e, "evidence", a.evidenceCid, { submitted_by: lower(a.party) });
      case "MetaEvidence":
        return document(e, "meta-evidence", a.evidenceCid);
      case "Dispute":
        if (lower(a.arbitrator) === court) linkDispute(a.disputeID as bigint, id!, at);
        return;
      case "Ruling":
        if (lower(a.arbitrator) === court) {
          const dispute = disputes.get(String(a.disputeID));
          if (dispute !== undefined)
            disputes.set(String(a.disputeID), {
              ...dispute,
              phase: "Solved",
              final_ruling: String(a.ruling),
              updated_block: at,
            });
        }
        return;
      default:
        return;
    }
  }

  function linkDispute(disputeId: bigint, tradeId: bigint, at: number): void {
    const dispute = disputes.get(disputeId.toString());
    if (dispute !== undefined && dispute.trade_id === null)
      disputes.set(disputeId.toString(), {
        ...dispute,
        trade_id: tradeId.toString(),
        updated_block: at,
      });
  }

  function projectCourtEvent(e: ChainEvent): void {
    const a = e.args;
    const at = num(e.blockNumber);
    const id = disputeIdOf(e)?.toString();
    const dispute = id === undefined ? undefined : disputes.get(id);
    const update = (changes: Row) => {
      if (dispute !== undefined && id !== undefined)
        disputes.set(id, { ...dispute, ...changes, updated_block: at });
    };
    switch (e.eventName) {
      case "DisputeCreation":
        disputes.set(id!, {
          id,
          arbitrable: lower(a.arbitrable),
          trade_id: null,
          phase: "Drawing",
          round: 0,
          attempt: 0,
          draw_block: null,
          panel: [],
          ruling: null,
          reveals: null,
          appealed: false,
          final_ruling: null,
          created_block: at,
          created_at: num(e.timestamp),
          updated_block: at,
        });
        return;
      case "DrawFellBack":
        // A late draw: the PanelDrawn that follows (same transaction) carries the panel.
        return update({ draw_block: num(a.drawBlock) });
      case "DrawAbandoned":
        // Nobody could be drawn: the dispute ends undrawn; the arbitrable's Ruling records the outcome.
        return update({ phase: "Solved", panel: [], ruling: String(a.ruling), reveals: 0 });
      case "PanelDrawn":
        return update({
          phase: "Commit",
          round: a.round,
          attempt: a.attempt,
          draw_block: num(a.drawBlock),
          panel: (a.panel as string[]).map(lower),
          ruling: null,
          reveals: null,
        });
      case "VoteCommitted":
      case "VoteRevealed":
        append("votes", {
          ...position(e),
          log_index: e.logIndex,
          dispute_id: id,
          round: a.round,
          attempt: a.attempt,
          arbitrator: lower(a.arbitrator),
          kind: e.eventName === "VoteCommitted" ? "commit" : "reveal",
          commitment: e.eventName === "VoteCommitted" ? a.commitment : null,
          choice: e.eventName === "VoteRevealed" ? String(a.choice) : null,
        });
        if (e.eventName === "VoteRevealed") update({ phase: "Reveal" });
        return;
      case "RoundClosed": {
        const reveals = num(a.reveals);
        const redraw = reveals === 0 && num(a.attempt) < 2;
        return update({
          phase: redraw ? "Drawing" : num(a.round) === 0 ? "Appealable" : "Solved",
          ruling: String(a.ruling),
          reveals,
        });
      }
      case "AppealPossible":
        return update({ phase: "Appealable" });
      case "AppealDecision":
        return update({ phase: "Drawing", round: 1, attempt: 0, appealed: true, panel: [] });
      case "Credited":
      case "Withdrawn": {
        const row: Row = { kind: "court-credit", account: lower(a.account), token: zeroAddress };
        const k = keyOf("balances", row);
        const current = BigInt((courtCredits.get(k)?.amount as string | undefined) ?? "0");
        const amount = e.eventName === "Credited" ? current + (a.amount as bigint) : 0n;
        courtCredits.set(k, { ...row, amount: amount.toString() });
        return;
      }
      default:
        return;
    }
  }
}

/** The mutable tables' primary keys (re-exported for tests). */
export { mutableTables };
