/**
 * @trade-escrow/sdk: what contracts, indexer, dApp and scripts share: the typed contracts (ABIs,
 * enums, deployments: `./contracts`), EIP-712 signatures (`./eip712`), the history reducer
 * (`./history`), documents and IPFS
 * (`./documents`) and the error tree (`./errors`). Subpath exports (`@trade-escrow/sdk/contracts`,
 * `/eip712`, `/cid`, `/manifest`, `/verify`) load only what they need and run in a browser;
 * `/store` and `/gateway` are for Node.js, `/bytecode` for deploy scripts and tests.
 */
export * from "./errors/index.js";
export * from "./contracts/index.js";
export * from "./eip712/index.js";
export * from "./history/index.js";
export * from "./documents/index.js";
