// The stack's trade driver on the development chain, which the local demo and the indexer's tests
// and benchmarks share. The chain itself (node, transport, accounts, `deployStack`) is the sdk's
// toolkit, `@trade-escrow/sdk/devchain`.
// The development chain's units, court terms and document commitments are the sdk's; re-exported
// for the demo and the tests that drive trades.
export { DAY, ETHER, courtTerms, documentCid } from "@trade-escrow/sdk/devchain";
export type { UseChainOptions } from "./base.js";
export { useChain } from "./driver.js";
export type { Chain } from "./driver.js";
export { accreditParties } from "./parties.js";
