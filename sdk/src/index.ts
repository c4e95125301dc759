/**
 * @trade-escrow/sdk: what contracts, indexer, dApp and scripts share. Today: documents and IPFS
 * (`./documents`) and the error tree (`./errors`). Subpath exports (`@trade-escrow/sdk/cid`,
 * `/manifest`, `/verify`) load only what they need and run in a browser; `/store` and `/gateway`
 * are for Node.js.
 */
export * from "./errors/index.js";
export * from "./documents/index.js";
