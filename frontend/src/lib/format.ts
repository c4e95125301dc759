import { formatUnits } from "viem";
import type { PaymentToken } from "../config.js";
import { NATIVE_TOKEN } from "../config.js";

export const shortAddress = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
export const shortHash = (h: string) => `${h.slice(0, 10)}…${h.slice(-6)}`;

export function tokenOf(tokens: readonly PaymentToken[], address: string): PaymentToken {
  const known = tokens.find((t) => t.address.toLowerCase() === address.toLowerCase());
  if (known !== undefined) return known;
  return address.toLowerCase() === NATIVE_TOKEN
    ? { symbol: "ETH", address: NATIVE_TOKEN, decimals: 18 }
    : { symbol: shortAddress(address), address: address as PaymentToken["address"], decimals: 18 };
}

/** `12.5 TUSD`: an amount in the token's smallest unit, shown in whole units. */
export function formatAmount(amount: bigint | string, token: PaymentToken): string {
  return `${formatUnits(BigInt(amount), token.decimals)} ${token.symbol}`;
}

export const formatTime = (unixSeconds: number | bigint) =>
  new Date(Number(unixSeconds) * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";

/** `2 d 4 h`, `3 h 12 min`, `45 s`: how long until (or since) a time. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/** `Deposit paid`, from `DepositPaid`. */
export const humanize = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ ([A-Z])(?=[a-z])/g, (_m, c: string) => ` ${c.toLowerCase()}`);

/** An amount in whole units without the symbol (`12.5`), for form fields. */
export const formatUnitsPlain = (amount: bigint, decimals: number) => formatUnits(amount, decimals);

/** Unix seconds from a `datetime-local` value read as UTC (`2026-01-31T12:00` or with seconds). */
export function parseUtcInput(value: string): number {
  const ms = Date.parse(`${value}${value.length === 16 ? ":00" : ""}Z`);
  return Number.isNaN(ms) ? Number.NaN : Math.floor(ms / 1000);
}

/** A `datetime-local` value (UTC, to the second) for unix seconds. */
export const toUtcInput = (unixSeconds: number) =>
  new Date(unixSeconds * 1000).toISOString().slice(0, 19);

/** Whether two addresses are the same account (any case). */
export const sameAddress = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
