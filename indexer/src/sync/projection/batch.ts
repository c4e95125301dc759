/**
 * Step 2 of a projection: the batch's working state. The sdk reducer's state restored from the
 * loaded rows, the rows the events write directly (lots, claims, disputes, court credits), and the
 * bookkeeping that stamps each balance and operator row with the block of its last change.
 */
import { getAddress } from "viem";
import type { Address } from "viem";
import { claimGroundNames, claimStatusNames } from "@trade-escrow/sdk/contracts";
import { balanceKey, createEscrowState } from "@trade-escrow/sdk/history";
import type { EscrowState, TradeRecord } from "@trade-escrow/sdk/history";
import { decodeRecord } from "../../internal/index.js";
import { keyOf, stableJson } from "../../store/index.js";
import type { MutableTable, Row, RowOf } from "../../store/index.js";
import type { ChainEvent } from "../decode.js";
import { emptyKeys, want, wantEvent } from "./keys.js";
import type { LoadedRows, PkOf } from "./keys.js";
import { POOL, lower, num, tradeIdOf, tradeRow } from "./values.js";

/** A balance or operator row before its `updated_block` stamp. */
type Unstamped<T extends "balances" | "operators"> = Omit<RowOf<T>, "updated_block">;

/** A court credit: written by the court's events, not by the reducer. */
type CourtCredit = Unstamped<"balances"> & { updated_block?: number };

/** Every row of the batch by `table:key`, as it stands. */
export type CurrentRows = Map<string, [MutableTable, Row]>;

export type Batch = {
  /** The reducer's state over the loaded trades, balances and operators. */
  state: EscrowState;
  lots: Map<string, RowOf<"lots">>;
  claims: Map<string, RowOf<"claims">>;
  disputes: Map<string, RowOf<"disputes">>;
  courtCredits: Map<string, CourtCredit>;
  /** Stamps the balances and operators `e` may have changed with its block. */
  stampEvent(e: ChainEvent): void;
  /** Every row, by `table:key`; balances and operators that changed are stamped `block`. */
  currentRows(block: number): CurrentRows;
};

/** The reducer's state as the loaded rows hold it. */
export function restoreEscrowState(loaded: LoadedRows, escrow: Address): EscrowState {
  const state = createEscrowState(escrow);
  for (const row of loaded.trades.values()) {
    const record = decodeRecord<TradeRecord>(row.record);
    state.trades.set(record.tradeId, record);
  }
  for (const row of loaded.balances.values()) {
    const amount = BigInt(row.amount);
    const key = balanceKey(row.account as Address, row.token as Address);
    if (row.kind === "credit") state.credits.set(key, amount);
    if (row.kind === "debt") state.debts.set(key, amount);
    if (row.kind === "pool-balance" || row.kind === "pool-committed") {
      const token = getAddress(row.token);
      const pool = state.pools.get(token) ?? { balance: 0n, committed: 0n };
      if (row.kind === "pool-balance") pool.balance = amount;
      else pool.committed = amount;
      state.pools.set(token, pool);
    }
  }
  for (const row of loaded.operators.values()) {
    state.operators.set(getAddress(row.address), {
      bond: BigInt(row.bond),
      required: BigInt(row.required),
      openTrades: BigInt(row.open_trades),
    });
  }
  return state;
}

/**
 * `updated_block` of balances and operators: the block of the row's last change whatever the batch
 * boundaries (a restart replays other ranges), so a row's stamp moves only when its value does.
 */
function createStamps(loaded: LoadedRows) {
  const lastChange = new Map<string, { value: string; block: number }>();
  for (const table of ["balances", "operators"] as const) {
    for (const [k, row] of loaded[table]) {
      const { updated_block, ...value } = row;
      lastChange.set(`${table}:${k}`, { value: stableJson(value), block: updated_block });
    }
  }
  function stamp(table: "balances", value: Unstamped<"balances">, block: number): RowOf<"balances">;
  function stamp(
    table: "operators",
    value: Unstamped<"operators">,
    block: number,
  ): RowOf<"operators">;
  function stamp(
    table: "balances" | "operators",
    value: Unstamped<"balances"> | Unstamped<"operators">,
    block: number,
  ): RowOf<"balances"> | RowOf<"operators"> {
    const key = `${table}:${keyOf(table, value)}`;
    const json = stableJson(value);
    let last = lastChange.get(key);
    if (last === undefined || last.value !== json) {
      last = { value: json, block };
      lastChange.set(key, last);
    }
    return { ...value, updated_block: last.block };
  }
  return stamp;
}

export function createBatch(loaded: LoadedRows, escrow: Address, court: string): Batch {
  const state = restoreEscrowState(loaded, escrow);
  const lots = new Map(loaded.lots);
  const claims = new Map(loaded.claims);
  const disputes = new Map(loaded.disputes);
  const courtCredits = new Map<string, CourtCredit>(
    [...loaded.balances].filter(([, row]) => row.kind === "court-credit"),
  );
  const stamp = createStamps(loaded);

  const operatorRow = (address: string): Unstamped<"operators"> | undefined => {
    const op = state.operators.get(getAddress(address));
    if (op === undefined) return undefined;
    return {
      address: lower(address),
      bond: op.bond.toString(),
      required: op.required.toString(),
      open_trades: op.openTrades.toString(),
    };
  };
  const balanceAmount = (pk: PkOf<"balances">): bigint | undefined => {
    const { account, token } = pk;
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
        const amount = courtCredits.get(keyOf("balances", pk))?.amount;
        return amount === undefined ? undefined : BigInt(amount);
      }
    }
  };

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
      const row = operatorRow(pk.address);
      if (row !== undefined) stamp("operators", row, block);
    }
  };

  const currentRows = (block: number): CurrentRows => {
    const rows: CurrentRows = new Map();
    const put = (table: MutableTable, row: Row) =>
      rows.set(`${table}:${keyOf(table, row)}`, [table, row]);
    for (const t of state.trades.values()) put("trades", tradeRow(t));
    for (const row of lots.values()) put("lots", row);
    for (const row of claims.values()) put("claims", withReducerClaim(row, state));
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

  return { state, lots, claims, disputes, courtCredits, stampEvent, currentRows };
}

/** A claim row with the reducer's status, ground, refund and ruling (the events carry only some). */
function withReducerClaim(row: RowOf<"claims">, state: EscrowState): RowOf<"claims"> {
  const claim = state.trades.get(BigInt(row.trade_id))?.claim;
  if (claim === undefined) return row;
  return {
    ...row,
    status: claim.status,
    status_name: claimStatusNames[claim.status]!,
    ground: claim.ground,
    ground_name: claimGroundNames[claim.ground]!,
    refund_bps: claim.refundBps,
    costs: claim.costs.toString(),
    filed_at: num(claim.filedAt),
    dispute_id: claim.disputeId === 0n ? null : claim.disputeId.toString(),
    ruling: claim.ruling.toString(),
  };
}
