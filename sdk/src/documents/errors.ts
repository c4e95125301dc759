import { BaseError } from "../errors/index.js";
import type { BaseErrorParameters } from "../errors/index.js";

/*
 * The documents part of the error tree:
 *
 * BaseError
 * ├── InvalidCidError               a CID string, binary CID or commitment that does not parse
 * ├── InvalidManifestError          a manifest that does not match the schema
 * ├── DocumentLimitError
 * │   ├── DocumentTooLargeError     over the store's or reader's byte limit
 * │   └── MediaTypeNotAllowedError  a media type the store does not accept
 * ├── DocumentNotFoundError         the store or gateway does not have the root block
 * ├── IntegrityError                bytes that do not match the CID: never retryable
 * │   ├── BlockMismatchError        a block whose multihash differs from its CID
 * │   ├── MissingBlockError         truncated content: a block of the DAG never arrived
 * │   ├── MalformedDagError         a DAG that is not a well-formed UnixFS file
 * │   └── UnsupportedCidError       a codec or hash function the verifier does not know
 * └── TransportError                the node or gateway failed to answer: retryable
 *     ├── GatewayError              an HTTP gateway answered with an error status
 *     └── KuboRpcError              Kubo's RPC answered with an error
 */

export class InvalidCidError extends BaseError {
  override name = "InvalidCidError";
  readonly value: string;
  constructor(value: string, parameters: BaseErrorParameters & { reason?: string } = {}) {
    super(
      `${quote(value)} is not a valid CID${parameters.reason ? `: ${parameters.reason}` : ""}.`,
      {
        ...parameters,
      },
    );
    this.value = value;
  }
}

export class InvalidManifestError extends BaseError {
  override name = "InvalidManifestError";
  /** One line per problem, as `path: message`. */
  readonly issues: string[];
  constructor(issues: string[], parameters: BaseErrorParameters = {}) {
    super(
      `The manifest is invalid: ${issues[0] ?? "unknown problem"}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}.`,
      { ...parameters, metaMessages: issues.length > 1 ? issues : undefined },
    );
    this.issues = issues;
  }
}

export class DocumentLimitError extends BaseError {
  override name = "DocumentLimitError";
}

export class DocumentTooLargeError extends DocumentLimitError {
  override name = "DocumentTooLargeError";
  readonly maxBytes: number;
  /** The size known when the limit was hit: the whole size, or the bytes read so far. */
  readonly size: number;
  constructor(parameters: { size: number; maxBytes: number; atLeast?: boolean }) {
    super(
      `The document is ${parameters.atLeast ? "more than " : ""}${formatBytes(parameters.size)}; the limit is ${formatBytes(parameters.maxBytes)}.`,
    );
    this.maxBytes = parameters.maxBytes;
    this.size = parameters.size;
  }
}

export class MediaTypeNotAllowedError extends DocumentLimitError {
  override name = "MediaTypeNotAllowedError";
  readonly mediaType: string;
  readonly allowed: readonly string[];
  constructor(mediaType: string, allowed: readonly string[]) {
    super(`Media type ${quote(mediaType)} is not accepted.`, {
      metaMessages: [`Accepted: ${allowed.join(", ")}.`],
    });
    this.mediaType = mediaType;
    this.allowed = allowed;
  }
}

export class DocumentNotFoundError extends BaseError {
  override name = "DocumentNotFoundError";
  readonly cid: string;
  constructor(cid: string, parameters: BaseErrorParameters & { where?: string } = {}) {
    super(
      `Document ${cid} was not found${parameters.where ? ` in ${parameters.where}` : ""}.`,
      parameters,
    );
    this.cid = cid;
  }
}

export class IntegrityError extends BaseError {
  override name = "IntegrityError";
  /** The block at fault. */
  readonly cid: string;
  constructor(cid: string, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { ...parameters, retryable: false });
    this.cid = cid;
  }
}

export class BlockMismatchError extends IntegrityError {
  override name = "BlockMismatchError";
  constructor(cid: string, parameters: BaseErrorParameters = {}) {
    super(cid, `Block ${cid} does not hash to its CID; the content was tampered with.`, parameters);
  }
}

export class MissingBlockError extends IntegrityError {
  override name = "MissingBlockError";
  constructor(cid: string, parameters: BaseErrorParameters & { root?: string } = {}) {
    super(
      cid,
      parameters.root !== undefined && parameters.root !== cid
        ? `Block ${cid} of document ${parameters.root} is missing; the content is truncated.`
        : `Block ${cid} is missing; the content is truncated.`,
      parameters,
    );
  }
}

export class MalformedDagError extends IntegrityError {
  override name = "MalformedDagError";
  constructor(cid: string, reason: string, parameters: BaseErrorParameters = {}) {
    super(cid, `Block ${cid} is not a well-formed UnixFS file: ${reason}.`, parameters);
  }
}

export class UnsupportedCidError extends IntegrityError {
  override name = "UnsupportedCidError";
  constructor(cid: string, reason: string, parameters: BaseErrorParameters = {}) {
    super(cid, `CID ${cid} cannot be verified: ${reason}.`, parameters);
  }
}

export class TransportError extends BaseError {
  override name = "TransportError";
  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, { retryable: true, ...parameters });
  }
}

export class GatewayError extends TransportError {
  override name = "GatewayError";
  readonly url: string;
  readonly status: number | undefined;
  constructor(url: string, parameters: BaseErrorParameters & { status?: number } = {}) {
    super(
      parameters.status === undefined
        ? `Gateway request ${url} failed.`
        : `Gateway answered ${parameters.status} to ${url}.`,
      {
        // 4xx (other than 408 and 429) will answer the same again.
        retryable:
          parameters.status === undefined ||
          parameters.status >= 500 ||
          parameters.status === 408 ||
          parameters.status === 429,
        ...parameters,
      },
    );
    this.url = url;
    this.status = parameters.status;
  }
}

export class KuboRpcError extends TransportError {
  override name = "KuboRpcError";
  readonly endpoint: string;
  readonly status: number | undefined;
  constructor(endpoint: string, parameters: BaseErrorParameters & { status?: number } = {}) {
    super(
      parameters.status === undefined
        ? `Kubo RPC ${endpoint} could not be reached.`
        : `Kubo RPC ${endpoint} answered ${parameters.status}.`,
      { retryable: parameters.status === undefined || parameters.status >= 502, ...parameters },
    );
    this.endpoint = endpoint;
    this.status = parameters.status;
  }
}

function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}

/** `1048576` -> `"1 MiB"`, `1500` -> `"1500 bytes"`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB (${bytes} bytes)`;
  return `${bytes} bytes`;
}
