import * as dagPb from "@ipld/dag-pb";
import * as raw from "multiformats/codecs/raw";
import type { CID } from "multiformats/cid";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";
import { BlockMismatchError, UnsupportedCidError } from "../errors.js";

/** Codecs of a UnixFS file DAG: raw leaves and dag-pb nodes. */
export const unixfsCodecs: ReadonlySet<number> = new Set([raw.code, dagPb.code]);

/**
 * Checks that `bytes` are the block `cid` names: the multihash of the bytes equals the CID's.
 * Supports sha2-256 (what Kubo uses) and identity CIDs (the bytes are the digest itself).
 *
 * @throws {BlockMismatchError} when the bytes do not hash to the CID.
 * @throws {UnsupportedCidError} for another hash function.
 */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  const { code, digest, size } = cid.multihash;
  if (code === identity.code) {
    if (!equalBytes(digest, bytes)) throw new BlockMismatchError(cid.toString());
    return;
  }
  if (code !== sha256.code) {
    throw new UnsupportedCidError(
      cid.toString(),
      `hash function 0x${code.toString(16)} is not sha2-256`,
    );
  }
  if (size !== 32) {
    throw new UnsupportedCidError(
      cid.toString(),
      `a sha2-256 digest of ${size} bytes is truncated`,
    );
  }
  const actual = await sha256.digest(bytes);
  if (!equalBytes(actual.digest, digest)) throw new BlockMismatchError(cid.toString());
}

/** Identity CIDs carry their block inline; no store or gateway is asked for them. */
export function inlineBlock(cid: CID): Uint8Array | undefined {
  return cid.multihash.code === identity.code ? cid.multihash.digest : undefined;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
