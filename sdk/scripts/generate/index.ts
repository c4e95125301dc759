/** The generators of the sdk's typed contracts, one per generated file, and what they share. */
export { abiItemKey, abisFile, mergeAbis } from "./abis.js";
export {
  GenerateError,
  artifactSource,
  compileHint,
  createArtifactReader,
  readArtifact,
} from "./artifacts.js";
export type {
  AbiItem,
  AbiParameter,
  Artifact,
  ArtifactId,
  ArtifactReader,
  LinkReferences,
} from "./artifacts.js";
export { bytecodeFile } from "./bytecode.js";
export { deploymentsFile, readDeployments } from "./deployments.js";
export { enumsFile } from "./enums.js";
export type { GenerateContext, GeneratedFile } from "./file.js";
export { mocksFile } from "./mocks.js";
export {
  linkedLibraries,
  platformContracts,
  readEscrowLibraries,
  readPlatform,
} from "./platform.js";
export type { Platform } from "./platform.js";
export { runtimeFile } from "./runtime.js";
