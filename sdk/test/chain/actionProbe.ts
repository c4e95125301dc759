import { decodeErrorResult, encodeFunctionData, keccak256, toHex } from "viem";
import type { Address, Hex } from "viem";
import { expect } from "vitest";
import {
  attestationKindNames,
  tradeEscrowAbi,
  tradeStateNames,
} from "../../src/contracts/index.js";
import type { AttestationKind } from "../../src/contracts/index.js";
import {
  availableActions,
  tradeActionNames,
  tradeActionWindows,
  tradeDeadlines,
} from "../../src/history/index.js";
import type { TradeRecord } from "../../src/history/index.js";
import { localAccount } from "./accounts.js";
import type { Role } from "./accounts.js";
import { actionCalls, attestationCall, attestationKinds } from "./actionCalls.js";
import type { ActionCall, CallContext } from "./actionCalls.js";
import type { useChain } from "./clients.js";
import type { HistoryCheck } from "./history.js";

/** The accounts every checkpoint simulates from. */
export const PROBED_ACCOUNTS = ["buyer", "seller", "operator", "stranger"] as const;

export type ActionProbeParameters = {
  ctx: ReturnType<typeof useChain>;
  history: HistoryCheck;
  /** What the calls' arguments need besides the trade (see actionCalls.ts). */
  call: Pick<CallContext, "nonce" | "hearingCost" | "cid">;
};

type Probe = { label: string; expected: boolean; build: () => Promise<ActionCall> };

/**
 * The comparison of availableActions with the chain: at the current block, for every account, every
 * action and every time around the trade's deadlines, the escrow's simulation (eth_call from that
 * account with a block-time override) must succeed exactly when availableActions lists the action.
 */
export function createActionProbe({ ctx, history, call }: ActionProbeParameters) {
  let simulations = 0;
  let accepted = 0;
  let checkpoints = 0;
  const outcomes: string[] = [];

  /** What one simulated call did: undefined (it would succeed) or the error it reverts with. */
  const simulate = async (role: Role, c: ActionCall, time: bigint) => {
    simulations += 1;
    try {
      await ctx.publicClient.call({
        account: localAccount(role).address,
        to: ctx.chain.tradeEscrow,
        data: encodeFunctionData({
          abi: tradeEscrowAbi,
          functionName: c.functionName,
          args: c.args,
        } as never),
        value: c.value,
        blockOverrides: { time },
      });
      accepted += 1;
      return undefined;
    } catch (error) {
      return revertName(error);
    }
  };

  /** The trade as the reducer folds the escrow's events up to the latest block. */
  const record = async (tradeId: bigint): Promise<TradeRecord> => {
    const blockNumber = await ctx.publicClient.getBlockNumber({ cacheTime: 0 });
    const t = (await history.reduceAt(blockNumber)).state.trades.get(tradeId);
    if (t === undefined) throw new Error(`Trade ${tradeId} is not in the history.`);
    return t;
  };

  /** The probes of one account at one time: every action, `attest` once per kind. */
  const probesOf = (trade: TradeRecord, role: Role, time: bigint): Probe[] => {
    const caller: Address = localAccount(role).address;
    const listed = availableActions(trade, caller, time);
    const names = new Set(listed.map((a) => a.name));
    const kinds = new Set<AttestationKind>(
      listed.flatMap((a) => (a.name === "attest" ? a.kinds : [])),
    );
    const c: CallContext = { ...call, trade, now: time, caller, domain: ctx.domain };
    const probes: Probe[] = [];
    for (const name of tradeActionNames) {
      const build = name === "attest" ? undefined : actionCalls[name];
      if (build !== undefined)
        probes.push({ label: name, expected: names.has(name), build: async () => build(c) });
    }
    for (const kind of attestationKinds)
      probes.push({
        label: `attest(${attestationKindNames[kind]})`,
        expected: kinds.has(kind),
        build: () => attestationCall(c, kind),
      });
    return probes;
  };

  /** Checks every account, action and time at the current block; fails listing every mismatch. */
  const expectActionsMatchChain = async (step: string, tradeId: bigint): Promise<void> => {
    const trade = await record(tradeId);
    const now = await ctx.latestTimestamp();
    const mismatches: string[] = [];
    for (const time of probeTimes(trade, now)) {
      const jobs = PROBED_ACCOUNTS.flatMap((role) =>
        probesOf(trade, role, time).map(async (p) => {
          const reverted = await simulate(role, await p.build(), time);
          if ((reverted === undefined) === p.expected) return;
          const listed = p.expected ? "lists it" : "does not list it";
          const chain = reverted === undefined ? "accepts it" : `reverts ${reverted}`;
          mismatches.push(
            `${role} ${p.label} at now+${time - now}s: availableActions ${listed}, the chain ${chain}`,
          );
        }),
      );
      await Promise.all(jobs);
    }
    checkpoints += 1;
    outcomes.push(`${step}@${now}:${mismatches.length}`);
    const where = `${tradeStateNames[trade.state]}, claim ${trade.claim?.status ?? "none"}`;
    expect(mismatches, `${step} (trade ${tradeId}, ${where})`).toEqual([]);
  };

  return {
    record,
    expectActionsMatchChain,
    /** Counts so far, and a digest of every checkpoint's time and result (the same on every run). */
    summary: () => ({
      checkpoints,
      simulations,
      accepted,
      digest: keccak256(toHex(outcomes.join("|"))),
    }),
  };
}

export type ActionProbe = ReturnType<typeof createActionProbe>;

/** The times a checkpoint simulates at: now, and each deadline ahead and the second after it. */
function probeTimes(trade: TradeRecord, now: bigint): bigint[] {
  const times = new Set<bigint>([now]);
  const add = (d: bigint | null | undefined) => {
    if (d === null || d === undefined) return;
    for (const t of [d, d + 1n]) if (t >= now) times.add(t);
  };
  for (const d of Object.values(tradeDeadlines(trade))) add(d);
  for (const a of tradeActionWindows(trade)) {
    add(a.until);
    add(a.after);
  }
  return [...times].sort((a, b) => (a < b ? -1 : 1));
}

/** The custom error a simulation reverted with, decoded through the escrow's ABI. */
function revertName(error: unknown): string {
  let data: Hex | undefined;
  for (
    let e: unknown = error;
    e !== undefined && e !== null;
    e = (e as { cause?: unknown }).cause
  ) {
    const candidate = (e as { data?: unknown }).data;
    if (typeof candidate === "string" && candidate.startsWith("0x")) data = candidate as Hex;
    if (typeof candidate === "object" && candidate !== null && "data" in candidate)
      data = (candidate as { data: Hex }).data;
  }
  if (data === undefined || data === "0x") return String((error as Error).message).split("\n")[0]!;
  try {
    const decoded = decodeErrorResult({ abi: tradeEscrowAbi, data });
    return `${decoded.errorName}(${(decoded.args ?? []).map(String).join(", ")})`;
  } catch {
    return data.slice(0, 10);
  }
}
