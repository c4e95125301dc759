/**
 * An independent UnixFS encoder for the CID cross-check: protobuf, base32 and base58 written out
 * here with nothing but node:crypto, sharing no code with the sdk or with
 * ipfs-unixfs-importer. It reproduces ipfs_cid's CIDv0 for every case (test/cids.test.ts); the
 * same encoder with raw leaves gives the CIDv1 that Kubo's `ipfs add --cid-version 1` gives, which
 * ipfs_cid does not print (its "CIDv1" is the CIDv0's DAG written as a CIDv1).
 *
 * Kubo's layout: fixed 262144-byte chunks; a single chunk is the root itself; otherwise the
 * leaves are grouped 174 to a parent, and parents 174 to a grandparent, until one root remains.
 * A parent is a dag-pb node: Links (Hash, Name "", Tsize) then Data = UnixFS
 * { Type: File, filesize, blocksizes[] }. Non-raw leaves are UnixFS { Type: File, Data, filesize }.
 */
import { createHash } from "node:crypto";

const chunkSize = 262_144;
const maxLinks = 174;

type Node = { cid: Uint8Array; fileSize: number; tsize: number };

export type ReferenceCids = { cidv0: string; cidv1RawLeaves: string };

/** Both CIDs of a file whose bytes come as pieces of any size. */
export async function referenceCids(
  pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<ReferenceCids> {
  const v0: Node[] = [];
  const v1: Node[] = [];
  let pending = new Uint8Array(chunkSize);
  let filled = 0;
  let any = false;
  const flush = (bytes: Uint8Array) => {
    any = true;
    v0.push(leafV0(bytes));
    v1.push(leafRaw(bytes));
  };
  for await (const piece of pieces) {
    let offset = 0;
    while (offset < piece.byteLength) {
      const take = Math.min(chunkSize - filled, piece.byteLength - offset);
      pending.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === chunkSize) {
        flush(pending);
        pending = new Uint8Array(chunkSize);
        filled = 0;
      }
    }
  }
  if (filled > 0 || !any) flush(pending.subarray(0, filled));
  return {
    cidv0: base58btc(reduce(v0, 0).cid),
    cidv1RawLeaves: `b${base32(reduce(v1, 1).cid)}`,
  };
}

function reduce(level: Node[], version: 0 | 1): Node {
  let nodes = level;
  while (nodes.length > 1) {
    const next: Node[] = [];
    for (let i = 0; i < nodes.length; i += maxLinks)
      next.push(parent(nodes.slice(i, i + maxLinks), version));
    nodes = next;
  }
  return nodes[0]!;
}

function leafRaw(bytes: Uint8Array): Node {
  return { cid: cidV1(0x55, sha256(bytes)), fileSize: bytes.byteLength, tsize: bytes.byteLength };
}

function leafV0(bytes: Uint8Array): Node {
  // An empty file has no Data field at all (Kubo writes none for nil data).
  const data = bytes.byteLength > 0 ? [bytesField(2, bytes)] : [];
  const unixfs = concat([field(1, varint(2)), ...data, field(3, varint(bytes.byteLength))]);
  const block = bytesField(1, unixfs);
  return { cid: multihash(sha256(block)), fileSize: bytes.byteLength, tsize: block.byteLength };
}

function parent(children: Node[], version: 0 | 1): Node {
  const fileSize = children.reduce((sum, c) => sum + c.fileSize, 0);
  const unixfs = concat([
    field(1, varint(2)),
    field(3, varint(fileSize)),
    ...children.map((c) => field(4, varint(c.fileSize))),
  ]);
  const links = children.map((c) =>
    bytesField(
      2,
      concat([bytesField(1, c.cid), bytesField(2, new Uint8Array(0)), field(3, varint(c.tsize))]),
    ),
  );
  const block = concat([...links, bytesField(1, unixfs)]);
  const digest = sha256(block);
  return {
    cid: version === 0 ? multihash(digest) : cidV1(0x70, digest),
    fileSize,
    tsize: block.byteLength + children.reduce((sum, c) => sum + c.tsize, 0),
  };
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

function multihash(digest: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(0x12, 0x20), digest]);
}

function cidV1(codec: number, digest: Uint8Array): Uint8Array {
  return concat([varint(1), varint(codec), multihash(digest)]);
}

/** A varint-typed protobuf field: key then the value's varint bytes. */
function field(number: number, value: Uint8Array): Uint8Array {
  return concat([varint(number << 3), value]);
}

/** A length-delimited protobuf field. */
function bytesField(number: number, value: Uint8Array): Uint8Array {
  return concat([varint((number << 3) | 2), varint(value.byteLength), value]);
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

function base32(bytes: Uint8Array): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function base58btc(bytes: Uint8Array): string {
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let n = 0n;
  for (const byte of bytes) n = n * 256n + BigInt(byte);
  let out = "";
  while (n > 0n) {
    out = alphabet[Number(n % 58n)]! + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
