import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** A case of the CID cross-check: content made on the fly, so no large file is committed. */
export type ContentCase =
  | { name: string; size: number; kind: "pattern"; seed: number }
  | { name: string; size: number; kind: "zeros" }
  | { name: string; size: number; kind: "text"; text: string };

export const chunk = 262_144;

/**
 * The cases: the empty file, a small file, either side of one chunk, one full level of 174 links,
 * the first trees with a second level (175 and 176 chunks), ~50 MiB, and identical leaves.
 */
export const contentCases: readonly ContentCase[] = [
  { name: "empty", size: 0, kind: "pattern", seed: 0 },
  { name: "hello-world", size: 12, kind: "text", text: "hello world\n" },
  { name: "small-1000", size: 1000, kind: "pattern", seed: 1 },
  { name: "one-chunk-minus-one", size: chunk - 1, kind: "pattern", seed: 2 },
  { name: "one-chunk", size: chunk, kind: "pattern", seed: 3 },
  { name: "one-chunk-plus-one", size: chunk + 1, kind: "pattern", seed: 4 },
  { name: "174-chunks", size: 174 * chunk, kind: "pattern", seed: 5 },
  { name: "174-chunks-plus-one-byte", size: 174 * chunk + 1, kind: "pattern", seed: 6 },
  { name: "175-chunks-plus-one-byte", size: 175 * chunk + 1, kind: "pattern", seed: 7 },
  { name: "50-mib", size: 50 * 1024 * 1024, kind: "pattern", seed: 8 },
  { name: "zeros-600-kib", size: 600 * 1024, kind: "zeros" },
];

/**
 * The bytes of a case, in pieces of `piece` bytes (deliberately not a multiple of the chunk size):
 * xorshift32 from the seed, little-endian, so every machine makes the same bytes.
 */
export function* contentChunks(c: ContentCase, piece = 100_000): Generator<Uint8Array> {
  if (c.kind === "text") {
    yield new TextEncoder().encode(c.text);
    return;
  }
  let state = c.kind === "pattern" ? (c.seed * 2654435761 + 1) >>> 0 || 1 : 0;
  let produced = 0;
  while (produced < c.size) {
    const length = Math.min(piece, c.size - produced);
    const out = new Uint8Array(length);
    if (c.kind === "pattern") {
      const view = new DataView(out.buffer);
      let i = 0;
      for (; i + 4 <= length; i += 4) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        view.setUint32(i, state, true);
      }
      for (; i < length; i++) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        out[i] = state & 0xff;
      }
    }
    produced += length;
    yield out;
  }
}

/** The whole content of a case in one buffer (small cases only). */
export function contentBytes(c: ContentCase): Uint8Array {
  const out = new Uint8Array(c.size);
  let offset = 0;
  for (const piece of contentChunks(c)) {
    out.set(piece, offset);
    offset += piece.byteLength;
  }
  return out;
}

/** Writes a case to a file, streaming. */
export async function writeContentFile(c: ContentCase, path: string): Promise<void> {
  const out = createWriteStream(path);
  for (const piece of contentChunks(c, 1024 * 1024)) {
    if (!out.write(piece)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
