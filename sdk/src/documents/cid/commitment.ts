import type { CID } from "multiformats/cid";
import { InvalidCidError } from "../errors.js";
import { bytesToHex, hexToBytes } from "../internal/hex.js";
import type { Hex } from "../internal/hex.js";
import { toCid } from "./parse.js";
import type { CidLike } from "./parse.js";

/**
 * The on-chain commitment of a CID: its binary form as `0x` hex, the value of the escrow's
 * `bytes` fields (`Terms.manifestCid`, `documentCid`, `evidenceCid`, `reportCid`, ...).
 *
 * @example
 * cidToCommitment("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4")
 * // "0x01551220a9..." (version 1, raw, sha2-256, 32-byte digest)
 */
export function cidToCommitment(cid: CidLike): Hex {
  return bytesToHex(toCid(cid).bytes);
}

/**
 * The inverse of `cidToCommitment`: recovers the CID from the `bytes` read from chain data (hex as
 * ethers and viem return it, or raw bytes).
 *
 * @example
 * commitmentToCid(terms.manifestCid).toString() // "bafkrei..."
 * @throws {InvalidCidError} when the bytes are empty or not exactly one CID.
 */
export function commitmentToCid(commitment: Hex | string | Uint8Array): CID {
  if (typeof commitment === "string") {
    const bytes = hexToBytes(commitment);
    if (bytes === undefined) {
      throw new InvalidCidError(commitment, {
        reason: "a commitment is 0x-prefixed hex of whole bytes",
      });
    }
    if (bytes.byteLength === 0) {
      throw new InvalidCidError(commitment, {
        reason: "the commitment is empty; no document was committed",
      });
    }
    return toCid(bytes);
  }
  return toCid(commitment);
}

/**
 * An `ipfs://` URI for a CID (and an optional path inside it).
 *
 * @example
 * ipfsUri("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4")
 * // "ipfs://bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
 */
export function ipfsUri(cid: CidLike, path?: string): `ipfs://${string}` {
  const suffix =
    path === undefined || path === ""
      ? ""
      : `/${path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/")}`;
  return `ipfs://${toCid(cid).toString()}${suffix}`;
}

/**
 * The CID named by an `ipfs://` URI, a `/ipfs/{cid}` path or a gateway URL
 * (`https://gateway/ipfs/{cid}`).
 *
 * @throws {InvalidCidError} when no CID can be read from it.
 */
export function parseIpfsUri(uri: string): CID {
  const match = /^(?:ipfs:\/\/|(?:[a-z]+:\/\/[^/]+)?\/ipfs\/)([^/?#]+)/i.exec(uri.trim());
  if (match?.[1] === undefined)
    throw new InvalidCidError(uri, { reason: "it names no /ipfs/ CID" });
  return toCid(match[1]);
}
