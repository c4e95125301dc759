import { DocumentTooLargeError, MediaTypeNotAllowedError } from "../errors.js";
import { defaultMediaTypes, essenceOf, isMediaType } from "../manifest/index.js";
import { defaultMaxDocumentBytes } from "../verify/index.js";
import type { DocumentLimits } from "./types.js";

/** The limits of a store: the given ones over the defaults (100 MiB; `defaultMediaTypes`). */
export function resolveLimits(limits: Partial<DocumentLimits> = {}): Readonly<DocumentLimits> {
  const maxBytes = limits.maxBytes ?? defaultMaxDocumentBytes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}.`);
  }
  const mediaTypes = (limits.mediaTypes ?? defaultMediaTypes).map(essenceOf);
  return Object.freeze({ maxBytes, mediaTypes: Object.freeze(mediaTypes) });
}

/**
 * Checks a declared media type against the accepted ones (parameters such as `charset` are
 * ignored). Returns the type as declared.
 *
 * @throws {MediaTypeNotAllowedError} for a type not accepted or not a media type at all.
 */
export function checkMediaType(limits: Readonly<DocumentLimits>, mediaType: string): string {
  if (!isMediaType(mediaType) || !limits.mediaTypes.includes(essenceOf(mediaType))) {
    throw new MediaTypeNotAllowedError(mediaType, limits.mediaTypes);
  }
  return mediaType;
}

/** Refuses a buffer over the limit before any work. */
export function checkKnownSize(limits: Readonly<DocumentLimits>, content: unknown): void {
  if (content instanceof Uint8Array && content.byteLength > limits.maxBytes) {
    throw new DocumentTooLargeError({ size: content.byteLength, maxBytes: limits.maxBytes });
  }
}
