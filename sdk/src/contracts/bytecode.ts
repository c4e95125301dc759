/**
 * Creation bytecode of the contracts, with the link references of the escrow's libraries, for
 * deploy scripts and tests (`@trade-escrow/sdk/bytecode`). Deploy the libraries first, then
 * `linkBytecode(tradeEscrowBytecode.bytecode, tradeEscrowBytecode.linkReferences, addresses)`.
 */
export {
  arbitrationCourtBytecode,
  escrowLibraryBytecodes,
  escrowLibraryNames,
  sellerRatingsBytecode,
  tradeEscrowBytecode,
  warehouseReceiptBytecode,
} from "./generated/bytecode.js";
export { linkBytecode } from "./linkBytecode.js";
export { runtimeBytecodes } from "./generated/runtime.js";
