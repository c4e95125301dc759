import { base32 } from "multiformats/bases/base32";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import { InvalidCidError } from "../errors.js";
import { bytesToHex } from "../internal/hex.js";

/** A CID as an object, its string form (base58btc v0, base32 or base36 v1) or its binary form. */
export type CidLike = CID | string | Uint8Array;

const decoder = base32.decoder.or(base58btc.decoder).or(base36.decoder);

/**
 * Parses a CID from any of its forms and checks it strictly: version 0 or 1, no trailing bytes.
 *
 * @example
 * toCid("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4").version // 1
 * @throws {InvalidCidError} when the value is not a CID.
 */
export function toCid(value: CidLike): CID {
  if (typeof value === "string") {
    const text = value.trim();
    if (text.length === 0) throw new InvalidCidError(value, { reason: "it is empty" });
    try {
      return text.startsWith("Qm") ? CID.parse(text, base58btc) : CID.parse(text, decoder);
    } catch (error) {
      throw new InvalidCidError(value, { cause: error });
    }
  }
  if (value instanceof Uint8Array) {
    if (value.byteLength === 0) throw new InvalidCidError("0x", { reason: "it is empty" });
    try {
      return CID.decode(value);
    } catch (error) {
      throw new InvalidCidError(bytesToHex(value), { cause: error });
    }
  }
  const cid = CID.asCID(value);
  if (cid === null) throw new InvalidCidError(String(value));
  return cid;
}

/** True when `value` parses as a CID. */
export function isCid(value: CidLike): boolean {
  try {
    toCid(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A key that is the same for every CID of the same block (CIDv0 and its CIDv1 dag-pb twin share
 * one key), for maps and sets: the CIDv1 base32 string.
 */
export function cidKey(value: CidLike): string {
  return toCid(value).toV1().toString();
}
