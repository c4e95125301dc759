/**
 * The verified reader against a real HTTP gateway (the sdk's own, served on 127.0.0.1 on an
 * ephemeral port) and against gateways that lie: each lie is a `fetch` wrapped around the real one
 * that alters what comes back (a flipped byte, a cut CAR, a missing block, another document).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { ServerType } from "@hono/node-server";
import { CarBlockIterator } from "@ipld/car/iterator";
import type { CID } from "multiformats/cid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameBytes } from "../../../test/bytes.js";
import { contentCases, contentChunks } from "../../../test/content.js";
import fixture from "../../../test/fixtures/cids.json" with { type: "json" };
import { createGatewayApp } from "../gateway/index.js";
import { encodeCarHeader, encodeCarSection } from "../gateway/car.js";
import {
  BlockMismatchError,
  DocumentNotFoundError,
  DocumentTooLargeError,
  GatewayError,
  MissingBlockError,
} from "../errors.js";
import { collect } from "../internal/streams.js";
import { createManifest } from "../manifest/index.js";
import { createEmbeddedStore, publishManifest } from "../store/index.js";
import type { EmbeddedDocumentStore } from "../store/index.js";
import { fetchManifest } from "./fetchManifest.js";
import { createVerifiedReader } from "./reader.js";
import { createGatewayBlockSource } from "./sources.js";

let directory: string;
let store: EmbeddedDocumentStore;
let server: ServerType;
let gateway: string;
const pdf = new Uint8Array(600_000).map((_, i) => (i * 17 + 3) % 251);
const zeros = new Uint8Array(600 * 1024);
let pdfCid: CID;
let zerosCid: CID;
let bigCid: CID;
const big = contentCases.find((c) => c.name === "175-chunks-plus-one-byte")!;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "sdk-reader-"));
  store = createEmbeddedStore({ directory, limits: { maxBytes: 64 * 1024 * 1024 } });
  pdfCid = (await store.add(pdf, { mediaType: "application/pdf" })).cid;
  zerosCid = (await store.add(zeros, { mediaType: "video/mp4" })).cid;
  bigCid = (await store.add(contentChunks(big), { mediaType: "video/mp4" })).cid;
  const app = createGatewayApp({ store });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  await rm(directory, { recursive: true, force: true });
});

const reader = (format: "car" | "raw", fetch?: typeof globalThis.fetch) =>
  createVerifiedReader({ source: createGatewayBlockSource({ url: gateway, format, fetch }) });

/** A gateway that alters responses: `alter` gets the request URL and the real response's bytes. */
function lyingFetch(
  alter: (url: string, body: Uint8Array) => Uint8Array | Promise<Uint8Array>,
): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const body = await alter(String(input), new Uint8Array(await response.arrayBuffer()));
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

describe.each(["car", "raw"] as const)("reading from a trustless gateway (%s)", (format) => {
  it("returns exactly the document's bytes", async () => {
    expect(sameBytes(await reader(format).bytes(pdfCid), pdf)).toBe(true);
  });

  it("reads a two-level DAG (176 chunks) with the fixture's CID", async () => {
    expect(bigCid.toString()).toBe(fixture.cases.find((c) => c.name === big.name)?.kuboCidv1);
    let size = 0;
    for await (const chunk of reader(format).read(bigCid)) size += chunk.byteLength;
    expect(size).toBe(big.size);
  });

  it("refuses a tampered block", async () => {
    const flipLast = lyingFetch((_url, body) => {
      const copy = body.slice();
      if (copy.byteLength > 0) copy[copy.byteLength - 1]! ^= 1;
      return copy;
    });
    const error = await reader(format, flipLast)
      .bytes(pdfCid)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockMismatchError);
    expect((error as BlockMismatchError).shortMessage).toMatch(
      /^Block \S+ does not hash to its CID; the content was tampered with\.$/,
    );
  });

  it("answers BlockMismatchError when the gateway refuses its own tampered copy", async () => {
    const corrupt: typeof globalThis.fetch = () =>
      Promise.resolve(
        new Response(
          JSON.stringify({ code: "corrupt_content", message: "Block x does not hash to its CID" }),
          { status: 500, headers: { "content-type": "application/json" } },
        ),
      );
    const error = await reader(format, corrupt)
      .bytes(pdfCid)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockMismatchError);
    expect((error as BlockMismatchError).details).toContain("corrupt_content");
    // Any other failure of the gateway stays a gateway error.
    const failing: typeof globalThis.fetch = () =>
      Promise.resolve(new Response('{"code":"internal_error"}', { status: 500 }));
    const other = await reader(format, failing)
      .bytes(pdfCid)
      .catch((e: unknown) => e);
    expect(other).not.toBeInstanceOf(BlockMismatchError);
  });

  it("answers DocumentNotFoundError for a CID the gateway does not have", async () => {
    await expect(
      reader(format).bytes("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
    ).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it("refuses a document over the limit from its root, before reading content", async () => {
    const error = await reader(format)
      .bytes(pdfCid, { maxBytes: 100_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentTooLargeError);
    expect((error as DocumentTooLargeError).size).toBe(600_000);
  });
});

describe("CAR responses that are cut or incomplete", () => {
  it("refuses a CAR cut in the middle of a block", async () => {
    const cut = lyingFetch((url, body) =>
      url.includes("format=car") ? body.subarray(0, body.byteLength - 1000) : body,
    );
    const error = await reader("car", cut)
      .bytes(pdfCid)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingBlockError);
    expect((error as MissingBlockError).shortMessage).toMatch(
      /is missing; the content is truncated\.$/,
    );
  });

  it("refuses a CAR that leaves a block out", async () => {
    const dropLast = lyingFetch((url, body) =>
      url.includes("format=car") ? withoutLastBlock(body) : body,
    );
    await expect(reader("car", dropLast).bytes(pdfCid)).rejects.toBeInstanceOf(MissingBlockError);
  });

  it("refuses a gateway that answers something else than a CAR", async () => {
    const html: typeof globalThis.fetch = async () =>
      new Response("<html>not a car</html>", {
        status: 200,
        headers: { "Content-Type": "text/html" },
      });
    await expect(reader("car", html).bytes(pdfCid)).rejects.toBeInstanceOf(GatewayError);
  });

  it("reads a CAR without duplicate blocks (dups=n) by asking for repeated blocks alone", async () => {
    const requests: string[] = [];
    const noDups: typeof globalThis.fetch = async (input, init) => {
      requests.push(String(input));
      const url = String(input).replace("car-dups=y", "car-dups=n");
      return fetch(url, init);
    };
    expect(sameBytes(await reader("car", noDups).bytes(zerosCid), zeros)).toBe(true);
    expect(requests.filter((r) => r.includes("format=raw"))).toHaveLength(1);
  });
});

describe("fetchManifest", () => {
  it("reads and validates the manifest the terms commit", async () => {
    const manifest = createManifest({
      goods: { description: "Used vehicle", unit: "vehicle" },
      deliveryPlace: "Port of Tema",
      documents: [
        {
          type: "bill-of-lading",
          name: "bl.pdf",
          mediaType: "application/pdf",
          size: 600_000,
          cid: pdfCid.toString(),
        },
      ],
    });
    const { cid } = await publishManifest(store, manifest);
    expect(await fetchManifest(reader("car"), cid)).toEqual(manifest);
  });

  it("refuses a gateway that serves another valid manifest under the CID", async () => {
    const first = createManifest({
      goods: { description: "A", unit: "kg" },
      deliveryPlace: "X",
      documents: [],
    });
    const second = createManifest({
      goods: { description: "B", unit: "kg" },
      deliveryPlace: "X",
      documents: [],
    });
    const { cid } = await publishManifest(store, first);
    const { bytes } = await publishManifest(store, second);
    const swap = lyingFetch(() => bytes);
    await expect(fetchManifest(reader("raw", swap), cid)).rejects.toBeInstanceOf(
      BlockMismatchError,
    );
  });
});

describe("the store as a source", () => {
  it("reads the same bytes from the store and from the gateway", async () => {
    expect(sameBytes(await collect(store.get(pdfCid)), await reader("car").bytes(pdfCid))).toBe(
      true,
    );
  });
});

/** Re-encodes a CAR without its last block. */
async function withoutLastBlock(car: Uint8Array): Promise<Uint8Array> {
  const iterator = await CarBlockIterator.fromBytes(car);
  const blocks: Array<{ cid: CID; bytes: Uint8Array }> = [];
  for await (const block of iterator) blocks.push(block);
  const kept = blocks.slice(0, -1).map((b) => encodeCarSection(b.cid, b.bytes));
  return Buffer.concat([encodeCarHeader(await iterator.getRoots()), ...kept]);
}
