/**
 * The development node (anvil) the sdk's chain tests run against: the toolkit's (src/devchain), on
 * a free port of 127.0.0.1 in its own process group. The global setup starts one for every test
 * file; a file that moves the node's clock starts its own, so it never expires another file's
 * signatures or deadlines.
 */
export { startDevNode } from "../../src/devchain/index.js";
export type { DevNode } from "../../src/devchain/index.js";
