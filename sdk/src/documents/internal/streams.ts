import { DocumentTooLargeError } from "../errors.js";

/**
 * Bytes in any of the shapes a caller has them: one buffer, a sync or async iterable of chunks
 * (a Node.js `Readable` is one), or a web `ReadableStream`.
 */
export type ByteSource =
  Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Yields the chunks of `source` one by one, never gathering them. */
export async function* toChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (
    isReadableStream(source) &&
    typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== "function"
  ) {
    // A browser's ReadableStream may not be async-iterable yet.
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of source as AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(`Expected Uint8Array chunks, got ${typeof chunk}.`);
    }
    yield chunk;
  }
}

/**
 * Passes chunks through and counts them; throws `DocumentTooLargeError` as soon as the count goes
 * past `maxBytes`, before the offending chunk goes further.
 */
export async function* limitBytes(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  counter?: { bytes: number },
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new DocumentTooLargeError({ size: total, maxBytes, atLeast: true });
    if (counter) counter.bytes = total;
    yield chunk;
  }
}

/** A plain `Uint8Array` view of the same memory (a Node.js `Buffer` becomes a `Uint8Array`). */
export function plain(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Gathers a stream into one plain `Uint8Array` (use only with a limit in front). */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return plain(chunks[0]);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ReadableStream).getReader === "function"
  );
}
