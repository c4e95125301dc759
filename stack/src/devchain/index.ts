// The stack's trade driver on the development chain, which the local demo and the indexer's tests
// and benchmarks share. The chain itself (node, transport, accounts, `deployStack`) is the sdk's
// toolkit, `@trade-escrow/sdk/devchain`.
export { DAY, ETHER, courtTerms, documentCid } from "./base.js";
export type { UseChainOptions } from "./base.js";
export { useChain } from "./driver.js";
export type { Chain } from "./driver.js";
export { accreditParties } from "./parties.js";
