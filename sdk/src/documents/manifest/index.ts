export {
  documentTypes,
  documentTypeLabels,
  preTransactionDocumentTypes,
  tradeDocumentTypes,
  isDocumentType,
} from "./documentTypes.js";
export type { DocumentType, PreTransactionDocumentType } from "./documentTypes.js";
export {
  defaultMediaTypes,
  essenceOf,
  isMediaType,
  manifestMediaType,
  octetStream,
} from "./mediaTypes.js";
export { manifestDocumentSchema, manifestSchema, manifestVersion } from "./schema.js";
export type { Manifest, ManifestDocument } from "./schema.js";
export { canonicalJson } from "./canonical.js";
export {
  computeManifestCid,
  createManifest,
  decodeManifest,
  encodeManifest,
  isCanonicalManifest,
  maxManifestBytes,
  parseManifest,
} from "./manifest.js";
export type { ComputeManifestCidReturnType, CreateManifestParameters } from "./manifest.js";
