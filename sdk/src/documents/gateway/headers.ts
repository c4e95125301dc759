import type { CID } from "multiformats/cid";
import { carMediaType, rawMediaType } from "./negotiate.js";
import type { GatewayRequestFormat } from "./negotiate.js";

/** Content under a CID never changes: cache it for a year and never revalidate. */
export const immutableCacheControl = "public, max-age=29030400, immutable";

/**
 * The strong ETag of a response: the CID for the file's bytes, and the CID with a suffix for the
 * other representations of the same content (`"{cid}.raw"`, `"{cid}.car.{scope}.{dups}"`), since
 * different bytes must not share an ETag.
 */
export function etagFor(cid: CID, request: GatewayRequestFormat): string {
  switch (request.format) {
    case "bytes":
      return `"${cid.toString()}"`;
    case "raw":
      return `"${cid.toString()}.raw"`;
    case "car":
      return `"${cid.toString()}.car.${request.scope}.${request.dups ? "y" : "n"}"`;
  }
}

/** Whether an `If-None-Match` header matches an ETag (weak comparison, lists, `*`). */
export function matchesEtag(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (ifNoneMatch === null || ifNoneMatch === undefined) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

export type ResponseHeadersParameters = {
  cid: CID;
  request: GatewayRequestFormat;
  /** For `bytes`: the document's media type, when known. */
  mediaType?: string | undefined;
  /** The body's length, when known in advance. */
  contentLength?: number | undefined;
};

/** The headers of a successful gateway response. */
export function responseHeaders(parameters: ResponseHeadersParameters): Record<string, string> {
  const { cid, request } = parameters;
  const headers: Record<string, string> = {
    "Cache-Control": immutableCacheControl,
    ETag: etagFor(cid, request),
    "X-Ipfs-Path": `/ipfs/${cid.toString()}`,
    "X-Ipfs-Roots": cid.toString(),
    "X-Content-Type-Options": "nosniff",
    Vary: "Accept",
  };
  switch (request.format) {
    case "raw":
      headers["Content-Type"] = rawMediaType;
      headers["Content-Disposition"] = `attachment; filename="${cid.toString()}.bin"`;
      break;
    case "car":
      headers["Content-Type"] =
        `${carMediaType}; version=1; order=dfs; dups=${request.dups ? "y" : "n"}`;
      headers["Content-Disposition"] = `attachment; filename="${cid.toString()}.car"`;
      break;
    case "bytes":
      headers["Content-Type"] = parameters.mediaType ?? "application/octet-stream";
      break;
  }
  if (parameters.contentLength !== undefined)
    headers["Content-Length"] = String(parameters.contentLength);
  return headers;
}
