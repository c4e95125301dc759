import { encode as encodeDagCbor } from "@ipld/dag-cbor";
import type { CID } from "multiformats/cid";
import { identity } from "multiformats/hashes/identity";

/** Unsigned LEB128, as CAR section lengths are written. */
export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

/** A CARv1 header: a varint length and the dag-cbor `{ roots, version: 1 }`. */
export function encodeCarHeader(roots: readonly CID[]): Uint8Array {
  const header = encodeDagCbor({ roots: [...roots], version: 1 });
  return concat([encodeVarint(header.byteLength), header]);
}

/** One CARv1 section: a varint length, the binary CID, the block. */
export function encodeCarSection(cid: CID, block: Uint8Array): Uint8Array {
  return concat([encodeVarint(cid.bytes.byteLength + block.byteLength), cid.bytes, block]);
}

/**
 * Streams a CARv1 of `blocks` (given in the order to write them) with `root` as its only root.
 * Identity CIDs are left out (the trustless gateway spec: their bytes are inside the CID); with
 * `dups: false` a block already written is not written again.
 */
export async function* carStream(
  root: CID,
  blocks: AsyncIterable<{ cid: CID; block: Uint8Array }>,
  options: { dups: boolean },
): AsyncGenerator<Uint8Array> {
  yield encodeCarHeader([root]);
  const written = new Set<string>();
  for await (const { cid, block } of blocks) {
    if (cid.multihash.code === identity.code) continue;
    if (!options.dups) {
      const key = cid.toV1().toString();
      if (written.has(key)) continue;
      written.add(key);
    }
    yield encodeCarSection(cid, block);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
