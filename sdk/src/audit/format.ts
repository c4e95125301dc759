import { checkKinds } from "./types.js";
import type { AuditReport, Check } from "./types.js";

/**
 * The report for a person: a table of checks by kind, then every failed (and skipped) check with
 * its evidence. Plain text, no colours, so it reads the same in a terminal, a log or a browser.
 */
export function formatReport(report: AuditReport): string {
  const rows = checkKinds
    .filter(
      (kind) =>
        report.byKind[kind].passed + report.byKind[kind].failed + report.byKind[kind].skipped > 0,
    )
    .map((kind) => [kind, ...counts(report.byKind[kind])]);
  rows.push(["total", ...counts(report.totals)]);
  const lines = [
    `Audit of escrow ${report.escrow} on chain ${report.chainId}, blocks ${report.fromBlock} to ${report.blockNumber}${report.tradeId === undefined ? "" : `, trade ${report.tradeId}`}`,
    `Documents from ${report.ipfs}; ${(report.durationMs / 1000).toFixed(1)} s.`,
    "",
    ...table(["check", "passed", "failed", "skipped"], rows),
  ];
  const notable = report.checks.filter((check) => check.status !== "passed");
  if (notable.length > 0) {
    lines.push("");
    for (const check of notable) lines.push(...describe(check));
  }
  lines.push(
    "",
    report.passed
      ? "PASSED: every check passed."
      : `FAILED: ${report.totals.failed} check(s) failed.`,
  );
  return `${lines.join("\n")}\n`;
}

function counts(value: { passed: number; failed: number; skipped: number }): string[] {
  return [String(value.passed), String(value.failed), String(value.skipped)];
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

function describe(check: Check): string[] {
  const evidence = Object.entries(check.evidence)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} ${String(value)}`);
  return [
    `${check.status.toUpperCase()} [${check.kind}${check.problem === undefined ? "" : `: ${check.problem}`}] ${check.message}`,
    ...(evidence.length > 0 ? [`    ${evidence.join("; ")}`] : []),
  ];
}
