import path from "node:path";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

/** The one compiler version, pinned in package.json as the npm package `solc`. */
const SOLC_VERSION = "0.8.30";

// Hardhat downloads solc by default; this machine and CI have no network but the npm registry,
// so the compiler is the solc-js build shipped inside the pinned npm package.
subtask(
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  async (args: { solcVersion: string }, _hre, runSuper) => {
    if (args.solcVersion !== SOLC_VERSION) return runSuper();
    const solcPackage = path.dirname(require.resolve("solc/package.json"));
    return {
      compilerPath: path.join(solcPackage, "soljson.js"),
      isSolcJs: true,
      version: SOLC_VERSION,
      longVersion: require("solc/package.json").version as string,
    };
  },
);

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    includeIntrinsicGas: true,
    currency: "USD",
    offline: true,
    outputFile: process.env.GAS_REPORT_FILE,
    noColors: process.env.GAS_REPORT_FILE !== undefined,
  },
  mocha: {
    timeout: 120_000,
  },
};

export default config;
