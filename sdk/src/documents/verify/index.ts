export { createVerifiedReader, defaultMaxDocumentBytes } from "./reader.js";
export type { CreateVerifiedReaderParameters, ReadOptions, VerifiedReader } from "./reader.js";
export { createGatewayBlockSource, createStoreBlockSource } from "./sources.js";
export type {
  BlockReader,
  BlockSession,
  BlockSource,
  CreateGatewayBlockSourceParameters,
} from "./sources.js";
export { loadFileRoot, walkFile } from "./walkFile.js";
export type { FileRoot, GetBlock, WalkedBlock, WalkFileOptions } from "./walkFile.js";
export { verifyBlock, inlineBlock, unixfsCodecs } from "./verifyBlock.js";
export { fetchManifest } from "./fetchManifest.js";
