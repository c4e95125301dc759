import path from "node:path";
import { subtask, vars } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import type { HttpNetworkUserConfig } from "hardhat/types";
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

/**
 * Public networks, by name: `npm run deploy -- --network NAME`. Keys and URLs are Hardhat
 * configuration variables (`npx hardhat vars set DEPLOYER_PRIVATE_KEY`), never committed:
 * `DEPLOYER_PRIVATE_KEY` signs; `<NAME>_RPC_URL` (e.g. `SEPOLIA_RPC_URL`) overrides the public
 * endpoint; `ETHERSCAN_API_KEY` (Etherscan API v2, one key for every chain) turns on verification.
 */
const PUBLIC_NETWORKS: Record<string, { chainId: number; url: string }> = {
  sepolia: { chainId: 11_155_111, url: "https://ethereum-sepolia-rpc.publicnode.com" },
  baseSepolia: { chainId: 84_532, url: "https://sepolia.base.org" },
  arbitrumSepolia: { chainId: 421_614, url: "https://sepolia-rollup.arbitrum.io/rpc" },
  mainnet: { chainId: 1, url: "https://ethereum-rpc.publicnode.com" },
  base: { chainId: 8_453, url: "https://mainnet.base.org" },
  arbitrumOne: { chainId: 42_161, url: "https://arb1.arbitrum.io/rpc" },
};

/** `baseSepolia` -> `BASE_SEPOLIA_RPC_URL`. */
function rpcUrlVariable(name: string): string {
  return `${name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}_RPC_URL`;
}

const accounts = vars.has("DEPLOYER_PRIVATE_KEY") ? [vars.get("DEPLOYER_PRIVATE_KEY")] : [];
const networks: Record<string, HttpNetworkUserConfig> = Object.fromEntries(
  Object.entries(PUBLIC_NETWORKS).map(([name, { chainId, url }]) => [
    name,
    { chainId, url: vars.get(rpcUrlVariable(name), url), accounts },
  ]),
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
  networks: {
    ...networks,
    // The local stack's node (`npm start` names another port with LOCAL_RPC_URL).
    localhost: { url: process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
  },
  etherscan: { apiKey: vars.get("ETHERSCAN_API_KEY", "") },
  // Sourcify is off: verification goes to the network's explorer, and only when a key is set.
  sourcify: { enabled: false },
  mocha: {
    timeout: 120_000,
  },
};

export default config;
