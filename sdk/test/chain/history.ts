import { createPublicClient, getAddress, http, zeroAddress } from "viem";
import type { Address } from "viem";
import { hardhat } from "viem/chains";
import { expect } from "vitest";
import { tradeEscrowAbi } from "../../src/contracts/index.js";
import {
  balanceKey,
  buyerExposures,
  keptTerms,
  keptTermsFields,
  readEscrowEvents,
  reduceEscrowEvents,
} from "../../src/history/index.js";
import type { EscrowEvent, EscrowState } from "../../src/history/index.js";
import { claimViewFields, noClaimView, tradeViewFields } from "../../src/audit/state.js";
import type { ChainContext } from "./context.js";

/** The native coin's "token" address in the escrow's accounts. */
export const NATIVE = zeroAddress;

export type HistoryCheckParameters = {
  chain: ChainContext;
  /** Accounts whose credits and debts are read even when the reducer knows none. */
  accounts: readonly Address[];
  /** Operators whose bonds are read even when the reducer knows none. */
  operators: readonly Address[];
  /** Tokens whose credits, pools and debts are read (the native coin is address 0). */
  tokens: readonly Address[];
};

/**
 * The comparison of the sdk's history reducer with the chain: the escrow's events from its
 * deployment block, read with `readEscrowEvents` and folded with `reduceEscrowEvents`, against every
 * view of the escrow, read at the same block.
 */
export function createHistoryCheck(parameters: HistoryCheckParameters) {
  const { chain } = parameters;
  const escrow = chain.tradeEscrow;
  // Batched JSON-RPC: the views of one comparison travel in one HTTP request.
  const client = createPublicClient({
    chain: hardhat,
    transport: http(chain.rpcUrl, { batch: true, retryCount: 0 }),
  });
  const blockTimestamps = new Map<bigint, bigint>();
  let comparisons = 0;

  const read = {
    tradeCount: (blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "tradeCount",
        blockNumber,
      }),
    trade: (tradeId: bigint, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "trade",
        args: [tradeId],
        blockNumber,
      }),
    termsOf: (tradeId: bigint, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "termsOf",
        args: [tradeId],
        blockNumber,
      }),
    claim: (tradeId: bigint, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "claim",
        args: [tradeId],
        blockNumber,
      }),
    withdrawable: (account: Address, token: Address, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "withdrawable",
        args: [account, token],
        blockNumber,
      }),
    operatorBond: (operator: Address, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "operatorBond",
        args: [operator],
        blockNumber,
      }),
    pool: (token: Address, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "pool",
        args: [token],
        blockNumber,
      }),
    debt: (buyer: Address, token: Address, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "debt",
        args: [buyer, token],
        blockNumber,
      }),
    buyerExposure: (buyer: Address, token: Address, blockNumber: bigint) =>
      client.readContract({
        address: escrow,
        abi: tradeEscrowAbi,
        functionName: "buyerExposure",
        args: [buyer, token],
        blockNumber,
      }),
  };

  /** The escrow's history up to `blockNumber`, folded. */
  const reduceAt = async (blockNumber: bigint) => {
    const events = await readEscrowEvents({
      client,
      escrow,
      fromBlock: BigInt(chain.deploymentBlock),
      toBlock: blockNumber,
      blockTimestamps,
    });
    return { events, state: reduceEscrowEvents(escrow, events) };
  };

  /** `account|token` keys: the reducer's and every known account with every known token. */
  const balanceKeys = (known: Map<string, bigint>, accounts: readonly Address[]) => {
    const keys = new Set(known.keys());
    for (const account of accounts)
      for (const token of parameters.tokens) keys.add(balanceKey(account, token));
    return [...keys].map((key) => {
      const [account, token] = key.split("|") as [Address, Address];
      return { key, account: getAddress(account), token: getAddress(token) };
    });
  };

  /** The first view that differs from the reducer's state, described; undefined when none does. */
  const firstDifference = async (
    state: EscrowState,
    blockNumber: bigint,
  ): Promise<string | undefined> => {
    const count = await read.tradeCount(blockNumber);
    if (BigInt(state.trades.size) !== count)
      return `tradeCount: chain ${count}, reducer ${state.trades.size} trades.`;
    if (state.opening.size !== 0)
      return `the reducer holds trades ${[...state.opening.keys()].join(", ")} half-opened.`;

    const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
    const credits = balanceKeys(state.credits, parameters.accounts);
    const debts = balanceKeys(state.debts, parameters.accounts);
    const reducedExposures = buyerExposures(state);
    const exposures = balanceKeys(reducedExposures, parameters.accounts);
    const operators = [...new Set([...state.operators.keys(), ...parameters.operators])];
    const pools = [
      ...new Set([...state.pools.keys(), ...parameters.tokens.map((t) => getAddress(t))]),
    ];
    const [views, claims, withdrawable, bonds, poolViews, debtViews, exposureViews, kept] =
      await Promise.all([
        Promise.all(ids.map((id) => read.trade(id, blockNumber))),
        Promise.all(ids.map((id) => read.claim(id, blockNumber))),
        Promise.all(credits.map((c) => read.withdrawable(c.account, c.token, blockNumber))),
        Promise.all(operators.map((op) => read.operatorBond(op, blockNumber))),
        Promise.all(pools.map((token) => read.pool(token, blockNumber))),
        Promise.all(debts.map((d) => read.debt(d.account, d.token, blockNumber))),
        Promise.all(exposures.map((e) => read.buyerExposure(e.account, e.token, blockNumber))),
        Promise.all(ids.map((id) => read.termsOf(id, blockNumber))),
      ]);

    for (const [i, id] of ids.entries()) {
      const record = state.trades.get(id);
      if (record === undefined) return `trade ${id}: on chain, not in the reducer.`;
      const view = views[i]!;
      for (const field of tradeViewFields) {
        if (!same(view[field], record[field]))
          return `trade ${id} field ${field}: chain ${show(view[field])}, reducer ${show(record[field])}.`;
      }
      const announced = keptTerms(record.terms);
      for (const field of keptTermsFields) {
        if (!same(kept[i]![field], announced[field]))
          return `trade ${id} terms field ${field}: chain ${show(kept[i]![field])}, reducer ${show(announced[field])}.`;
      }
      const claim = record.claim ?? noClaimView;
      for (const field of claimViewFields) {
        if (!same(claims[i]![field], claim[field]))
          return `trade ${id} claim field ${field}: chain ${show(claims[i]![field])}, reducer ${show(claim[field])}.`;
      }
    }
    for (const [i, { key }] of credits.entries()) {
      const reduced = state.credits.get(key) ?? 0n;
      if (withdrawable[i] !== reduced)
        return `withdrawable(${key}): chain ${withdrawable[i]}, reducer ${reduced}.`;
    }
    for (const [i, operator] of operators.entries()) {
      const [bond, required, openTrades] = bonds[i]!;
      const reduced = state.operators.get(operator) ?? { bond: 0n, required: 0n, openTrades: 0n };
      const chainSide = { bond, required, openTrades };
      for (const field of ["bond", "required", "openTrades"] as const) {
        if (chainSide[field] !== reduced[field])
          return `operatorBond(${operator}) field ${field}: chain ${chainSide[field]}, reducer ${reduced[field]}.`;
      }
    }
    for (const [i, token] of pools.entries()) {
      const [balance, committed] = poolViews[i]!;
      const reduced = state.pools.get(token) ?? { balance: 0n, committed: 0n };
      if (balance !== reduced.balance)
        return `pool(${token}) balance: chain ${balance}, reducer ${reduced.balance}.`;
      if (committed !== reduced.committed)
        return `pool(${token}) committed: chain ${committed}, reducer ${reduced.committed}.`;
    }
    for (const [i, { key }] of debts.entries()) {
      const reduced = state.debts.get(key) ?? 0n;
      if (debtViews[i] !== reduced)
        return `debt(${key}): chain ${debtViews[i]}, reducer ${reduced}.`;
    }
    for (const [i, { key, token }] of exposures.entries()) {
      const [exposure, cap] = exposureViews[i]!;
      const reduced = reducedExposures.get(key) ?? 0n;
      if (exposure !== reduced)
        return `buyerExposure(${key}) exposure: chain ${exposure}, reducer ${reduced}.`;
      const reducedCap = state.exposureCaps.get(token) ?? 0n;
      if (cap !== reducedCap)
        return `buyerExposure(${key}) cap: chain ${cap}, reducer ${reducedCap}.`;
    }
    return undefined;
  };

  /**
   * Reads and reduces the escrow's whole history at the latest block and compares it with every
   * view at that block; fails with the step, the first differing field and the last transaction's
   * events.
   */
  const expectReducerMatchesChain = async (step: string): Promise<void> => {
    const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
    let result: Awaited<ReturnType<typeof reduceAt>>;
    try {
      result = await reduceAt(blockNumber);
    } catch (error) {
      expect.fail(`After step "${step}" the reducer threw: ${String(error)}`);
    }
    const difference = await firstDifference(result.state, blockNumber);
    if (difference !== undefined) {
      expect.fail(
        `After step "${step}" (block ${blockNumber}): ${difference}\n` +
          `Last transaction's events: ${lastTransaction(result.events)}`,
      );
    }
    comparisons += 1;
  };

  return {
    client,
    expectReducerMatchesChain,
    firstDifference,
    reduceAt,
    /** How many comparisons passed so far. */
    comparisons: () => comparisons,
  };
}

export type HistoryCheck = ReturnType<typeof createHistoryCheck>;

/** Whether a view's value equals the reducer's (numbers and bigints by value, hex case-blind). */
function same(chainValue: unknown, reduced: unknown): boolean {
  return show(chainValue) === show(reduced);
}

function show(value: unknown): string {
  if (typeof value === "bigint" || typeof value === "number") return BigInt(value).toString();
  if (typeof value === "string") return value.toLowerCase();
  return String(value);
}

function lastTransaction(events: readonly EscrowEvent[]): string {
  const last = events.at(-1);
  if (last === undefined) return "none";
  return events
    .filter((e) => e.transactionHash === last.transactionHash)
    .map((e) => `${e.eventName}(${describeArgs(e.args)})`)
    .join(", ");
}

function describeArgs(args: unknown): string {
  return Object.entries(args as Record<string, unknown>)
    .filter(([name]) => name !== "terms")
    .map(([name, value]) => `${name}: ${show(value)}`)
    .join(", ");
}
