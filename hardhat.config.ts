import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import type { HttpNetworkUserConfig } from "hardhat/types/config";

const require = createRequire(import.meta.url);

/** The one compiler version, pinned in package.json as the npm package `solc`. */
const SOLC_VERSION = "0.8.30";

/**
 * Public networks, by name: `npm run deploy -- --network NAME`. The deploying key is the
 * configuration variable `DEPLOYER_PRIVATE_KEY`, read from Hardhat's encrypted keystore (`npx
 * hardhat keystore set DEPLOYER_PRIVATE_KEY`) or the environment, never committed and asked for
 * only when a network is used. `<NAME>_RPC_URL` (e.g. `SEPOLIA_RPC_URL`) overrides the public
 * endpoint; `ETHERSCAN_API_KEY` (Etherscan API v2, one key for every chain; keystore or environment
 * too) turns on verification.
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

const publicNetworks: Record<string, HttpNetworkUserConfig> = Object.fromEntries(
  Object.entries(PUBLIC_NETWORKS).map(([name, { chainId, url }]) => [
    name,
    {
      type: "http",
      chainType: "l1",
      chainId,
      url: process.env[rpcUrlVariable(name)] ?? url,
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  ]),
);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    version: SOLC_VERSION,
    // Hardhat downloads solc by default; this machine and CI have no network but the npm
    // registry, so the compiler is the solc-js build shipped inside the pinned npm package.
    path: require.resolve("solc/soljson.js"),
    // Hardhat 3 writes artifacts only for the project's sources; the sdk's generator also reads the
    // ABIs of the OpenZeppelin code whose errors reach a caller, and the tests read IERC20.
    npmFilesToBuild: [
      "@openzeppelin/contracts/interfaces/IERC5267.sol",
      "@openzeppelin/contracts/interfaces/draft-IERC6093.sol",
      "@openzeppelin/contracts/token/ERC20/IERC20.sol",
      "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol",
      "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol",
      "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol",
      "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol",
      "@openzeppelin/contracts/utils/Address.sol",
      "@openzeppelin/contracts/utils/Errors.sol",
      "@openzeppelin/contracts/utils/cryptography/ECDSA.sol",
    ],
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  networks: {
    ...publicNetworks,
    // The local stack's node (`npm start` names another port with LOCAL_RPC_URL).
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545",
    },
  },
  verify: {
    // The keystore or the environment, like the deploying key; asked for only when verifying.
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
    // Sourcify is off: verification goes to the network's explorer, and only when a key is set.
    sourcify: { enabled: false },
  },
  typechain: { outDir: "typechain-types" },
  // `hardhat test --coverage`: the mocks are test-only tokens and attackers, never deployed by scripts.
  coverage: { skipFiles: ["contracts/mocks/**"] },
  test: {
    mocha: { timeout: 120_000 },
    // test/invariants (Solidity, `hardhat test solidity`): `runs` sequences of `depth` handler calls
    // per invariant. The seed is fixed, so `npm test` repeats the same sequences; `npm run
    // test:invariants:long` runs 256 x 500 from INVARIANT_SEED (0x...) when it is set.
    solidity: {
      invariant: {
        runs: Number(process.env.INVARIANT_RUNS ?? 32),
        depth: Number(process.env.INVARIANT_DEPTH ?? 300),
      },
      ...(process.env.INVARIANT_SEED !== undefined && {
        fuzz: { seed: process.env.INVARIANT_SEED },
      }),
    },
  },
});
