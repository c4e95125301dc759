import type { Address, Hex } from "viem";

/** What one check of the audit concluded. `skipped`: the check could not be made (see `reason`). */
export type CheckStatus = "passed" | "failed" | "skipped";

/** The families of checks, in the order the audit runs them. */
export const checkKinds = [
  "code",
  "history",
  "trade",
  "accounts",
  "document",
  "signature",
  "arbitration",
  "funds",
] as const;

export type CheckKind = (typeof checkKinds)[number];

/**
 * What a check rests on: where on chain (block, transaction), which document (CID), and what was
 * expected against what was found. Values are strings so the report is JSON as it is.
 */
export type Evidence = {
  block?: string;
  transaction?: Hex;
  tradeId?: string;
  disputeId?: string;
  cid?: string;
  address?: Address;
  account?: Address;
  token?: Address;
  field?: string;
  expected?: string;
  found?: string;
};

/** One check: what was checked, its outcome, why, and the evidence. */
export type Check = {
  kind: CheckKind;
  /** Stable within a report: `trade 7 state`, `document bafk… of trade 7`. */
  subject: string;
  status: CheckStatus;
  /**
   * For a failed or skipped check, a stable code of what went wrong: `missing` (a document no source
   * has) is not `mismatch` (bytes that do not hash to the commitment), `code-mismatch`,
   * `state-mismatch`, `invalid-signature`, `role-not-held`, `commitment-mismatch`, ...
   */
  problem?: string;
  /** One sentence a person can read; for a failure, what differs. */
  message: string;
  evidence: Evidence;
};

/** Counts by status. */
export type CheckCounts = Record<CheckStatus, number>;

/** The audit's result. */
export type AuditReport = {
  chainId: number;
  escrow: Address;
  court: Address | undefined;
  /** The block every read was made at. */
  blockNumber: string;
  fromBlock: string;
  /** The trade the audit was limited to, when it was. */
  tradeId: string | undefined;
  /** Where documents were read from. */
  ipfs: string;
  startedAt: string;
  durationMs: number;
  /** True when no check failed. */
  passed: boolean;
  totals: CheckCounts;
  byKind: Record<CheckKind, CheckCounts>;
  checks: Check[];
};

/** Progress of a long audit, for a progress bar. */
export type AuditProgress = {
  /** The step under way. */
  step: CheckKind | "events";
  done: number;
  total: number;
};
