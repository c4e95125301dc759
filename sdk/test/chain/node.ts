/**
 * The development node (anvil) the sdk's chain tests run against: the stack's
 * (`@trade-escrow/stack/devchain`), on a free port of 127.0.0.1 in its own process group. The global
 * setup starts one for every test file; a file that moves the node's clock starts its own, so it never
 * expires another file's signatures or deadlines.
 */
export { startDevNode } from "@trade-escrow/stack/devchain";
export type { DevNode } from "@trade-escrow/stack/devchain";
