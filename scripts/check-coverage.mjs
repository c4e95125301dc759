// The coverage gate: fails unless the lines of contracts/ that Hardhat's coverage instruments are
// covered at or above the threshold. Reads coverage/lcov.info, which `hardhat test --coverage`
// writes (contracts/mocks/ is skipped in hardhat.config.ts).
//
// Hardhat 3's built-in coverage records lines and statements, not branches (its lcov has no BRDA
// records), so the branch half of the gate that solidity-coverage gave under Hardhat 2 is not
// measured here.
import { readFileSync } from "node:fs";
import process from "node:process";

const THRESHOLD = 95;
const files = readFileSync("coverage/lcov.info", "utf8")
  .split("end_of_record")
  .map((record) => ({
    file: /^SF:(.*)$/m.exec(record)?.[1],
    found: Number(/^LF:(\d+)$/m.exec(record)?.[1] ?? 0),
    hit: Number(/^LH:(\d+)$/m.exec(record)?.[1] ?? 0),
  }))
  .filter(({ file }) => file !== undefined && file.startsWith("contracts/"));
if (files.length === 0) {
  process.stderr.write("coverage/lcov.info lists no file of contracts/: run `npm run coverage`.\n");
  process.exit(1);
}
const found = files.reduce((sum, { found }) => sum + found, 0);
const hit = files.reduce((sum, { hit }) => sum + hit, 0);
const pct = Math.floor((hit / found) * 10_000) / 100;
const report = `lines ${pct}% (${hit} of ${found}, ${files.length} files; gate ${THRESHOLD}%)`;
if (pct < THRESHOLD) {
  const worst = files
    .map(({ file, found, hit }) => ({ file, pct: found === 0 ? 100 : (hit / found) * 100 }))
    .sort((a, b) => a.pct - b.pct)
    .slice(0, 5)
    .map(({ file, pct }) => `  ${file}: ${pct.toFixed(2)}%`);
  process.stderr.write(`Coverage below the gate: ${report}. Least covered:\n${worst.join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(`Coverage passes: ${report}.\n`);
