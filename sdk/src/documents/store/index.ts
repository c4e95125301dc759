export { createEmbeddedStore } from "./embedded.js";
export type { CreateEmbeddedStoreParameters, EmbeddedDocumentStore } from "./embedded.js";
export { createKuboStore } from "./kubo.js";
export type { CreateKuboStoreParameters } from "./kubo.js";
export { addDocument } from "./addDocument.js";
export type { AddDocumentParameters, AddDocumentReturnType } from "./addDocument.js";
export { publishManifest } from "./publishManifest.js";
export type { PublishManifestReturnType } from "./publishManifest.js";
export { resolveLimits, checkMediaType } from "./limits.js";
export type {
  AddDocumentOptions,
  AddDocumentResult,
  DocumentContent,
  DocumentLimits,
  DocumentStore,
  StoreCallOptions,
} from "./types.js";
