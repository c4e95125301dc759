// The development chain the sdk's tests, the indexer's, the benchmarks and the local stack share:
// the development node (anvil) on a free port, its one transport, the accounts by role, and the
// platform deployed with viem (`deployStack`). Needs the root's compiled artifacts (`npm run
// compile`) and `@foundry-rs/anvil`.
export {
  DEV_ACCOUNT_COUNT,
  HARDHAT_MNEMONIC,
  address,
  arbitratorRoles,
  fundedBuyers,
  localAccount,
  roles,
} from "./accounts.js";
export type { Role } from "./accounts.js";
export { FEE_BPS, FEE_CAP_BPS, USD_MINTED, deployStack, testStablecoin } from "./deploy.js";
export type { DevDeployment } from "./deploy.js";
export { DAY, ETHER, courtTerms, devTerms, documentCid } from "./terms.js";
export type { DevTermsParameters } from "./terms.js";
export { ROOT, freePort, startDevNode } from "./node.js";
export type { DevNode } from "./node.js";
export { devTransport } from "./transport.js";
