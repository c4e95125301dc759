export { createGatewayApp, errorResponse } from "./app.js";
export type { CreateGatewayAppParameters, GatewayErrorBody } from "./app.js";
export { createMediaTypeIndex, servedMediaType } from "./mediaTypeIndex.js";
export type { MediaTypeIndex, MediaTypeLookup } from "./mediaTypeIndex.js";
export { negotiate, parseAccept, isRequestError, carMediaType, rawMediaType } from "./negotiate.js";
export type {
  DagScope,
  GatewayRequestError,
  GatewayRequestFormat,
  NegotiateParameters,
} from "./negotiate.js";
export { etagFor, immutableCacheControl, matchesEtag, responseHeaders } from "./headers.js";
export type { ResponseHeadersParameters } from "./headers.js";
export { carStream, encodeCarHeader, encodeCarSection, encodeVarint } from "./car.js";
