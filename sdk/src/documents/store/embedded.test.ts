import { readdir, readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentCases, contentChunks } from "../../../test/content.js";
import fixture from "../../../test/fixtures/cids.json" with { type: "json" };
import { computeCid } from "../cid/index.js";
import {
  BlockMismatchError,
  DocumentNotFoundError,
  DocumentTooLargeError,
  MediaTypeNotAllowedError,
  MissingBlockError,
} from "../errors.js";
import { collect } from "../internal/streams.js";
import { sameBytes } from "../../../test/bytes.js";
import { createManifest, decodeManifest } from "../manifest/index.js";
import { addDocument } from "./addDocument.js";
import { createEmbeddedStore } from "./embedded.js";
import type { EmbeddedDocumentStore } from "./embedded.js";
import { publishManifest } from "./publishManifest.js";

let directory: string;
let store: EmbeddedDocumentStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "sdk-embedded-"));
  store = createEmbeddedStore({ directory, limits: { maxBytes: 8 * 1024 * 1024 } });
});

afterEach(async () => {
  await store.close();
  await rm(directory, { recursive: true, force: true });
});

const hello = new TextEncoder().encode("hello world\n");
const bytes = (size: number, seed = 1) => new Uint8Array(size).map((_, i) => (i * 31 + seed) % 251);

async function blockFiles(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else found.push(join(dir, entry.name));
    }
  };
  await walk(join(directory, "blocks"));
  return found;
}

describe("add", () => {
  it("gives Kubo's CIDv1 and the content size", async () => {
    const { cid, size } = await store.add(hello, { mediaType: "text/plain" });
    expect(cid.toString()).toBe("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    expect(size).toBe(12);
  });

  it("takes a buffer, a Node.js stream, an async iterable and a web ReadableStream alike", async () => {
    const content = bytes(700_000);
    const expected = (await computeCid(content)).cid.toString();
    const pieces = [content.subarray(0, 123_457), content.subarray(123_457)];
    async function* generator() {
      yield* pieces;
    }
    const sources = [
      content,
      Readable.from(pieces),
      generator(),
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const piece of pieces) controller.enqueue(piece);
          controller.close();
        },
      }),
    ];
    for (const source of sources) {
      const { cid, size } = await store.add(source, { mediaType: "application/pdf" });
      expect(cid.toString()).toBe(expected);
      expect(size).toBe(700_000);
    }
  });

  it("stores a multi-level document with the fixture's CID", async () => {
    const c = contentCases.find((x) => x.name === "175-chunks-plus-one-byte")!;
    const big = createEmbeddedStore({ directory, limits: { maxBytes: 50 * 1024 * 1024 } });
    const { cid } = await big.add(contentChunks(c), { mediaType: "video/mp4" });
    expect(cid.toString()).toBe(fixture.cases.find((x) => x.name === c.name)?.kuboCidv1);
    let read = 0;
    for await (const chunk of big.get(cid)) read += chunk.byteLength;
    expect(read).toBe(c.size);
  });

  it("pins what it adds unless told not to", async () => {
    const { cid } = await store.add(hello, { mediaType: "text/plain" });
    expect(await store.isPinned(cid)).toBe(true);
    const other = await store.add(bytes(10), { mediaType: "text/plain", pin: false });
    expect(await store.isPinned(other.cid)).toBe(false);
  });
});

describe("limits", () => {
  it("refuses a media type it does not accept, with the accepted ones", async () => {
    const error = await store.add(hello, { mediaType: "text/html" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaTypeNotAllowedError);
    expect((error as MediaTypeNotAllowedError).shortMessage).toBe(
      'Media type "text/html" is not accepted.',
    );
    expect((error as MediaTypeNotAllowedError).message).toContain(
      "Accepted: application/pdf, image/jpeg",
    );
  });

  it("accepts parameters and any case on an accepted media type", async () => {
    await expect(
      store.add(hello, { mediaType: "Text/Plain; charset=utf-8" }),
    ).resolves.toBeDefined();
  });

  it("refuses application/octet-stream by default and takes it when configured", async () => {
    await expect(
      store.add(hello, { mediaType: "application/octet-stream" }),
    ).rejects.toBeInstanceOf(MediaTypeNotAllowedError);
    const open = createEmbeddedStore({
      directory,
      limits: { mediaTypes: ["application/octet-stream"] },
    });
    await expect(open.add(hello, { mediaType: "application/octet-stream" })).resolves.toBeDefined();
  });

  it("refuses a buffer over the limit with its size", async () => {
    const error = await store
      .add(new Uint8Array(8 * 1024 * 1024 + 1), { mediaType: "video/mp4" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentTooLargeError);
    expect((error as DocumentTooLargeError).shortMessage).toBe(
      "The document is 8.0 MiB (8388609 bytes); the limit is 8 MiB.",
    );
  });

  it("stops a stream over the limit and leaves no block of it behind", async () => {
    await store.add(hello, { mediaType: "text/plain" });
    const before = await blockFiles();
    async function* endless() {
      let i = 0;
      for (;;) yield bytes(256 * 1024, i++);
    }
    await expect(store.add(endless(), { mediaType: "video/mp4" })).rejects.toBeInstanceOf(
      DocumentTooLargeError,
    );
    expect(await blockFiles()).toEqual(before);
  });
});

describe("get, getBlock, has", () => {
  it("streams back exactly the bytes added", async () => {
    const content = bytes(1_000_000);
    const { cid } = await store.add(content, { mediaType: "application/pdf" });
    expect(sameBytes(await collect(store.get(cid)), content)).toBe(true);
    expect(sameBytes(await collect(store.get(cid.toString())), content)).toBe(true);
  });

  it("knows what it has, by CIDv1 or its CIDv0 twin", async () => {
    const { cid } = await store.add(bytes(300_000), { mediaType: "application/pdf" });
    expect(await store.has(cid)).toBe(true);
    expect(cid.code).toBe(0x70);
    expect(await store.has(cid.toV0())).toBe(true);
    expect(await store.has("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4")).toBe(
      false,
    );
  });

  it("reports an unknown document as DocumentNotFoundError", async () => {
    const missing = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    await expect(collect(store.get(missing))).rejects.toBeInstanceOf(DocumentNotFoundError);
    await expect(store.getBlock(missing)).rejects.toThrow(
      `Document ${missing} was not found in the embedded store.`,
    );
  });

  it("refuses a block altered on disk", async () => {
    const { cid } = await store.add(hello, { mediaType: "text/plain" });
    const [file] = await blockFiles();
    await writeFile(file!, "hello World\n");
    await expect(collect(store.get(cid))).rejects.toBeInstanceOf(BlockMismatchError);
  });

  it("refuses a document with a block deleted from disk as truncated", async () => {
    const { cid } = await store.add(bytes(600_000), { mediaType: "application/pdf" });
    const files = await blockFiles();
    const leaf = files.find(
      (f) => f !== undefined && !f.includes(cid.toString().toUpperCase().slice(-10)),
    );
    const sizes = await Promise.all(files.map(async (f) => (await readFile(f)).byteLength));
    // Remove the smallest leaf (the last chunk), not the root.
    const victim = files[sizes.indexOf(Math.min(...sizes.filter((s) => s > 1000)))] ?? leaf!;
    await rm(victim);
    await expect(collect(store.get(cid))).rejects.toBeInstanceOf(MissingBlockError);
  });
});

describe("pin, unpin", () => {
  it("pins a complete document, unpins it, and unpins again without error", async () => {
    const { cid } = await store.add(bytes(400_000), { mediaType: "application/pdf", pin: false });
    await store.pin(cid);
    expect(await store.isPinned(cid)).toBe(true);
    await store.unpin(cid);
    expect(await store.isPinned(cid)).toBe(false);
    await expect(store.unpin(cid)).resolves.toBeUndefined();
  });

  it("refuses to pin what it does not have", async () => {
    await expect(
      store.pin("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"),
    ).rejects.toBeInstanceOf(DocumentNotFoundError);
  });
});

describe("addDocument and publishManifest", () => {
  it("builds manifest entries and stores the canonical manifest under its CID", async () => {
    const entry = await addDocument(store, hello, {
      type: "customs-export-licence",
      name: "licence.txt",
      mediaType: "text/plain",
    });
    expect(entry).toEqual({
      type: "customs-export-licence",
      name: "licence.txt",
      mediaType: "text/plain",
      size: 12,
      cid: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
    });
    const manifest = createManifest({
      goods: { description: "2023 Toyota Land Cruiser 300, 3.3 L V6 diesel", unit: "vehicle" },
      deliveryPlace: "Bonded warehouse 7, Port of Tema, Ghana",
      documents: [entry],
    });
    const { cid, bytes: stored } = await publishManifest(store, manifest);
    expect(decodeManifest(await collect(store.get(cid)))).toEqual(manifest);
    expect(await collect(store.get(cid))).toEqual(stored);
  });
});
