/**
 * The gas snapshot: every figure of docs/benchmarks.md's gas tables (test/fixtures/gasScenarios.ts runs
 * them) must stay within 2% of the one committed in test/gas-snapshot.json. After a deliberate change,
 * regenerate the snapshot and the tables with `npm run bench -- --only gas --update`.
 *
 * Environment (set by scripts/bench.ts): GAS_REPORT_OUT=path writes the measured report there as JSON;
 * GAS_SNAPSHOT_UPDATE=1 rewrites the snapshot instead of comparing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { measureGas } from "./fixtures/gasScenarios";

/** solidity-coverage instruments every opcode, so its gas says nothing about the contracts'. */
const COVERAGE = (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean })
  .__SOLIDITY_COVERAGE_RUNNING;

const SNAPSHOT = path.join(__dirname, "gas-snapshot.json");
const TOLERANCE = 0.02;
const UPDATE_HINT = "Run `npm run bench -- --only gas --update` to record deliberate changes.";

describe("Gas snapshot", function () {
  it("keeps every gas figure within 2% of test/gas-snapshot.json", async function () {
    this.timeout(900_000);
    if (COVERAGE === true) this.skip();
    const report = await measureGas({ profile: process.env.GAS_PROFILE === "1" });
    if (process.env.GAS_REPORT_OUT !== undefined) {
      writeFileSync(process.env.GAS_REPORT_OUT, `${JSON.stringify(report, null, 2)}\n`);
    }
    if (process.env.GAS_SNAPSHOT_UPDATE === "1") {
      writeFileSync(SNAPSHOT, `${JSON.stringify(report.figures, null, 2)}\n`);
      return;
    }
    const committed = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Record<string, number>;
    const grown: string[] = [];
    for (const [key, gas] of Object.entries(report.figures)) {
      const before = committed[key];
      if (before === undefined) grown.push(`${key}: ${gas} is not in the snapshot`);
      else if (gas > before * (1 + TOLERANCE))
        grown.push(
          `${key}: ${gas} > ${before} + 2% (${(((gas - before) / before) * 100).toFixed(2)}%)`,
        );
    }
    const gone = Object.keys(committed).filter((key) => !(key in report.figures));
    for (const key of gone) grown.push(`${key}: in the snapshot but no longer measured`);
    expect(grown, `Gas figures changed:\n${grown.join("\n")}\n${UPDATE_HINT}`).to.deep.equal([]);
  });
});
