// The coverage gate: fails unless lines and branches of contracts/ are each covered at or above the
// threshold. Reads the json-summary that `hardhat coverage` writes (see .solcover.js).
import { readFileSync } from "node:fs";
import process from "node:process";

const THRESHOLD = 95;
const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8"));
const { lines, branches } = summary.total;
const report = `lines ${lines.pct}%, branches ${branches.pct}% (gate ${THRESHOLD}%)`;
if (lines.pct < THRESHOLD || branches.pct < THRESHOLD) {
  process.stderr.write(`Coverage below the gate: ${report}.\n`);
  process.exit(1);
}
process.stdout.write(`Coverage passes: ${report}.\n`);
