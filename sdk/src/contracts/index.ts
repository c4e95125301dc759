/**
 * Typed contracts: the ABIs `as const` (generated from the Hardhat artifacts, so viem and wagmi
 * infer every argument, return value, event and error), the contracts' enums, the deployments by
 * chain id, `linkBytecode`, and `encodeCourtTerms`/`decodeCourtTerms` (the court's terms as a trade's
 * `arbitratorExtraData`). Creation bytecode is in `./bytecode.ts`
 * (`@trade-escrow/sdk/bytecode`), kept apart so a dApp does not load it.
 */
export {
  arbitrationCourtAbi,
  erc20PermitAbi,
  sellerRatingsAbi,
  tradeEscrowAbi,
  warehouseReceiptAbi,
} from "./generated/abis.js";
export * from "./generated/enums.js";
export { deployments } from "./generated/deployments.js";
export { deploymentChainIds, getDeployment } from "./deployment.js";
export type { Deployment } from "./deployment.js";
export { linkBytecode } from "./linkBytecode.js";
export type { LibraryNames, LinkBytecodeParameters, LinkReferences } from "./linkBytecode.js";
export { courtTermsLimits, decodeCourtTerms, encodeCourtTerms } from "./courtTerms.js";
export type { CourtTerms } from "./courtTerms.js";
export { CourtTermsError, LinkBytecodeError, UnknownDeploymentError } from "./errors.js";
