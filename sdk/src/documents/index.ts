/**
 * Documents and IPFS: CIDs as Kubo computes them, the manifest a trade commits, stores (embedded
 * or Kubo), verified reads from any gateway, and the trustless gateway the indexer serves.
 */
export * from "./cid/index.js";
export * from "./manifest/index.js";
export * from "./store/index.js";
export * from "./verify/index.js";
export * from "./gateway/index.js";
export * from "./errors.js";
