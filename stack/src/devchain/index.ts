// The development chain the tests, the benchmarks and the local stack share: Hardhat's accounts by
// role, a node on a free port, the platform deployed with viem, and a driver for every trade action.
export * from "./accounts.js";
export * from "./actions.js";
export * from "./deploy.js";
export * from "./node.js";
export * from "./transport.js";
