export { toCid, isCid, cidKey } from "./parse.js";
export type { CidLike } from "./parse.js";
export { cidToCommitment, commitmentToCid, ipfsUri, parseIpfsUri } from "./commitment.js";
export {
  computeCid,
  cidProfiles,
  defaultCidProfile,
  importerOptions,
  kuboAddOptions,
} from "./computeCid.js";
export type {
  CidProfile,
  CidProfileParameters,
  ComputeCidParameters,
  ComputeCidReturnType,
} from "./computeCid.js";
export type { Hex } from "../internal/hex.js";
export { CID } from "multiformats/cid";
