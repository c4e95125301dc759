import type { DocumentType, ManifestDocument } from "../manifest/index.js";
import type { DocumentContent, DocumentStore } from "./types.js";

export type AddDocumentParameters = {
  type: DocumentType;
  /** A file name for people (`bill-of-lading.pdf`). */
  name: string;
  mediaType: string;
  pin?: boolean;
  signal?: AbortSignal;
};

export type AddDocumentReturnType = ManifestDocument;

/**
 * Adds a document to a store and returns its manifest entry (type, name, media type, size, CID).
 *
 * @example
 * const entry = await addDocument(store, createReadStream("bl.pdf"), {
 *   type: "bill-of-lading",
 *   name: "bl.pdf",
 *   mediaType: "application/pdf",
 * });
 * const manifest = createManifest({ goods, deliveryPlace, documents: [entry] });
 */
export async function addDocument(
  store: DocumentStore,
  content: DocumentContent,
  parameters: AddDocumentParameters,
): Promise<AddDocumentReturnType> {
  const { cid, size } = await store.add(content, {
    mediaType: parameters.mediaType,
    pin: parameters.pin,
    signal: parameters.signal,
  });
  return {
    type: parameters.type,
    name: parameters.name,
    mediaType: parameters.mediaType,
    size,
    cid: cid.toString(),
  };
}
