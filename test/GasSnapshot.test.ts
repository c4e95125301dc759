/**
 * The gas snapshot: every figure of docs/benchmarks.md's gas tables (test/fixtures/gasScenarios.ts runs
 * them), and the size of each deployed contract's runtime code, must stay within 2% of the one
 * committed in test/gas-snapshot.json, either way: a figure that grows is a cost, and one that drops
 * leaves a stale snapshot that would hide the next growth. After a deliberate change,
 * regenerate the snapshot and the tables with `npm run bench -- --only gas --update`.
 *
 * Environment (set by scripts/bench.ts): GAS_REPORT_OUT=path writes the measured report there as JSON;
 * GAS_SNAPSHOT_UPDATE=1 rewrites the snapshot instead of comparing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { ESCROW_LIBRARIES } from "../scripts/lib/escrowLibraries";
import { coverage } from "./fixtures/hardhat";
import { measureGas } from "./fixtures/gasScenarios";

const SNAPSHOT = path.join(import.meta.dirname, "gas-snapshot.json");
const TOLERANCE = 0.02;
/** The contracts the platform deploys; the escrow must stay under EIP-170's 24,576 bytes. */
const DEPLOYED = [
  "TradeEscrow",
  ...ESCROW_LIBRARIES,
  "ArbitrationCourt",
  "SellerRatings",
  "WarehouseReceipt",
];
const CODE_SIZE_LIMIT = 24_576;

/** Bytes of each deployed contract's runtime code, keyed as the snapshot records them. */
async function runtimeSizes(): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const name of DEPLOYED) {
    const { deployedBytecode } = await hre.artifacts.readArtifact(name);
    sizes[`runtime code / ${name} (bytes)`] = (deployedBytecode.length - 2) / 2;
  }
  return sizes;
}

const UPDATE_HINT = "Run `npm run bench -- --only gas --update` to record deliberate changes.";

describe("Gas snapshot", function () {
  it("keeps every gas figure and code size within 2% of test/gas-snapshot.json, up or down", async function () {
    this.timeout(900_000);
    if (coverage) this.skip();
    const report = await measureGas({ profile: process.env.GAS_PROFILE === "1" });
    const sizes = await runtimeSizes();
    for (const [key, size] of Object.entries(sizes))
      expect(size, `${key} is over EIP-170's limit`).to.be.at.most(CODE_SIZE_LIMIT);
    const figures = { ...report.figures, ...sizes };
    if (process.env.GAS_REPORT_OUT !== undefined) {
      writeFileSync(process.env.GAS_REPORT_OUT, `${JSON.stringify(report, null, 2)}\n`);
    }
    if (process.env.GAS_SNAPSHOT_UPDATE === "1") {
      writeFileSync(SNAPSHOT, `${JSON.stringify(figures, null, 2)}\n`);
      return;
    }
    const committed = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Record<string, number>;
    const changed: string[] = [];
    for (const [key, value] of Object.entries(figures)) {
      const before = committed[key];
      const change = before === undefined ? 0 : ((value - before) / before) * 100;
      if (before === undefined) changed.push(`${key}: ${value} is not in the snapshot`);
      else if (value > before * (1 + TOLERANCE))
        changed.push(`${key}: ${value} > ${before} + 2% (+${change.toFixed(2)}%)`);
      else if (value < before * (1 - TOLERANCE))
        changed.push(`${key}: ${value} < ${before} - 2% (${change.toFixed(2)}%): record the win`);
    }
    const gone = Object.keys(committed).filter((key) => !(key in figures));
    for (const key of gone) changed.push(`${key}: in the snapshot but no longer measured`);
    expect(changed, `Figures changed:\n${changed.join("\n")}\n${UPDATE_HINT}`).to.deep.equal([]);
  });
});
