/** Step 1 of a projection: the mutable rows the batch's events may change, loaded as stored. */
import { zeroAddress } from "viem";
import { keyOf } from "../../store/index.js";
import type { MutableTable, Row, RowOf, mutableTables } from "../../store/index.js";
import type { ChainEvent } from "../decode.js";
import { POOL, lower, tradeIdOf, disputeIdOf } from "./values.js";

/** The primary key columns of a row of `T`. */
export type PkOf<T extends MutableTable> = Pick<
  RowOf<T>,
  Extract<(typeof mutableTables)[T][number], keyof RowOf<T>>
>;

/** Primary keys of mutable rows, by table, each under its `keyOf` string. */
export type Keys = { [T in MutableTable]: Map<string, PkOf<T>> };

/** Rows of mutable tables, by table, each under its `keyOf` string. */
export type LoadedRows = { [T in MutableTable]: Map<string, RowOf<T>> };

/** Reads current rows of mutable tables (the store's `loadRows`, inside or outside a transaction). */
export type LoadRows = <T extends MutableTable>(table: T, keys: Row[]) => Promise<RowOf<T>[]>;

export function emptyKeys(): Keys {
  return {
    trades: new Map(),
    lots: new Map(),
    claims: new Map(),
    disputes: new Map(),
    balances: new Map(),
    operators: new Map(),
  };
}

export function want<T extends MutableTable>(keys: Keys, table: T, pk: PkOf<T>): void {
  const map: Map<string, PkOf<T>> = keys[table];
  map.set(keyOf(table, pk), pk);
}

/** Adds to `keys` the mutable rows one event may change (its trade's operator aside). */
export function wantEvent(keys: Keys, e: ChainEvent, court: string): void {
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
 * The rows the events of `events` name, loaded as stored; then the operators of the loaded trades
 * (the reducer counts each operator's open trades).
 */
export async function loadTouchedRows(
  events: Iterable<ChainEvent>,
  court: string,
  load: LoadRows,
): Promise<LoadedRows> {
  const keys = emptyKeys();
  for (const e of events) wantEvent(keys, e, court);
  const loaded: LoadedRows = {
    trades: new Map(),
    lots: new Map(),
    claims: new Map(),
    disputes: new Map(),
    balances: new Map(),
    operators: new Map(),
  };
  const loadInto = async <T extends MutableTable>(table: T) => {
    const into: Map<string, RowOf<T>> = loaded[table];
    const missing = [...keys[table].entries()].filter(([k]) => !into.has(k));
    for (const row of await load(
      table,
      missing.map(([, pk]) => pk),
    ))
      into.set(keyOf(table, row), row);
  };
  await Promise.all((["trades", "lots", "claims", "disputes", "balances"] as const).map(loadInto));
  for (const row of loaded.trades.values())
    want(keys, "operators", { address: lower(row.record.terms.operator) });
  await loadInto("operators");
  return loaded;
}
