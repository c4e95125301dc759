/**
 * The external logic libraries the escrow links against (each runs by delegatecall on the escrow's
 * storage, which keeps the escrow under the 24 KiB limit), in deployment order. One list: the sdk's
 * generator reads it from the link references of the escrow's artifact (`escrowLibraryNames` in
 * `@trade-escrow/sdk/bytecode`, written by `npm run compile`); this is that list under the name the
 * deploy scripts, the Ignition module and the contract tests import.
 */
export { escrowLibraryNames as ESCROW_LIBRARIES } from "@trade-escrow/sdk/bytecode";
