/** The media types a store accepts unless configured otherwise. */
export const defaultMediaTypes = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/webp",
  "video/mp4",
  "video/quicktime",
  "application/json",
  "text/plain",
] as const;

/**
 * `application/octet-stream` (bytes of unknown kind) is not accepted by default: every document
 * of a trade has a declared type. Add it to a store's `mediaTypes` to accept untyped bytes.
 */
export const octetStream = "application/octet-stream";

/** The manifest's own media type. */
export const manifestMediaType = "application/json";

const token = "[A-Za-z0-9!#$&^_.+-]+";
const mediaTypePattern = new RegExp(
  `^${token}/${token}(\\s*;\\s*${token}=(${token}|"[^"\\\\]*"))*$`,
);

/** True for a syntactically valid media type (`type/subtype`, optional `; name=value` parameters). */
export function isMediaType(value: string): boolean {
  return value.length <= 255 && mediaTypePattern.test(value.trim());
}

/** `"Text/Plain; charset=utf-8"` -> `"text/plain"`: the part a store's allow-list is checked against. */
export function essenceOf(mediaType: string): string {
  return (mediaType.split(";")[0] ?? "").trim().toLowerCase();
}
