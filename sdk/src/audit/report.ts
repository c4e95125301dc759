import { checkKinds } from "./types.js";
import type { AuditReport, Check, CheckCounts, CheckKind } from "./types.js";

/** Collects the checks of one audit. */
export type CheckList = {
  add(check: Check): void;
  passed(kind: CheckKind, subject: string, message: string, evidence?: Check["evidence"]): void;
  failed(
    kind: CheckKind,
    subject: string,
    problem: string,
    message: string,
    evidence?: Check["evidence"],
  ): void;
  skipped(
    kind: CheckKind,
    subject: string,
    problem: string,
    message: string,
    evidence?: Check["evidence"],
  ): void;
  readonly checks: readonly Check[];
};

export function createCheckList(): CheckList {
  const checks: Check[] = [];
  return {
    checks,
    add: (check) => {
      checks.push(check);
    },
    passed: (kind, subject, message, evidence = {}) => {
      checks.push({ kind, subject, status: "passed", message, evidence });
    },
    failed: (kind, subject, problem, message, evidence = {}) => {
      checks.push({ kind, subject, status: "failed", problem, message, evidence });
    },
    skipped: (kind, subject, problem, message, evidence = {}) => {
      checks.push({ kind, subject, status: "skipped", problem, message, evidence });
    },
  };
}

/** Counts checks by status, in all and by kind. */
export function countChecks(
  checks: readonly Check[],
): Pick<AuditReport, "totals" | "byKind" | "passed"> {
  const empty = (): CheckCounts => ({ passed: 0, failed: 0, skipped: 0 });
  const totals = empty();
  const byKind = Object.fromEntries(checkKinds.map((kind) => [kind, empty()])) as Record<
    CheckKind,
    CheckCounts
  >;
  for (const check of checks) {
    totals[check.status] += 1;
    byKind[check.kind][check.status] += 1;
  }
  return { totals, byKind, passed: totals.failed === 0 };
}

/** A value for the report: bigints and numbers as decimal strings. */
export function show(value: unknown): string {
  if (typeof value === "bigint" || typeof value === "number") return BigInt(value).toString();
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
