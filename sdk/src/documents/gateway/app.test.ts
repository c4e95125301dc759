import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CarBlockIterator } from "@ipld/car/iterator";
import { Hono } from "hono";
import type { CID } from "multiformats/cid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameBytes } from "../../../test/bytes.js";
import { toCid } from "../cid/index.js";
import { createManifest } from "../manifest/index.js";
import { createEmbeddedStore } from "../store/index.js";
import type { EmbeddedDocumentStore } from "../store/index.js";
import { verifyBlock } from "../verify/index.js";
import { createGatewayApp } from "./app.js";
import { createMediaTypeIndex } from "./mediaTypeIndex.js";

let directory: string;
let store: EmbeddedDocumentStore;
let app: Hono;
const hello = new TextEncoder().encode("hello world\n");
const pdf = new Uint8Array(600_000).map((_, i) => (i * 17 + 3) % 251);
const zeros = new Uint8Array(600 * 1024);
let helloCid: CID;
let pdfCid: CID;
let zerosCid: CID;
let htmlCid: CID;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "sdk-gateway-"));
  store = createEmbeddedStore({ directory });
  helloCid = (await store.add(hello, { mediaType: "text/plain" })).cid;
  pdfCid = (await store.add(pdf, { mediaType: "application/pdf" })).cid;
  zerosCid = (await store.add(zeros, { mediaType: "video/mp4" })).cid;
  htmlCid = (
    await store.add(new TextEncoder().encode("<script>alert(1)</script>"), {
      mediaType: "text/plain",
    })
  ).cid;
  const index = createMediaTypeIndex();
  index.addManifest(
    createManifest({
      goods: { description: "Used vehicle", unit: "vehicle" },
      deliveryPlace: "Port of Tema",
      documents: [
        {
          type: "bill-of-lading",
          name: "bl.pdf",
          mediaType: "application/pdf",
          size: pdf.byteLength,
          cid: pdfCid.toString(),
        },
        {
          type: "other",
          name: "page.html",
          mediaType: "text/html",
          size: 25,
          cid: htmlCid.toString(),
        },
      ],
    }),
  );
  app = createGatewayApp({ store, mediaTypes: index.lookup });
});

afterAll(async () => {
  await store.close();
  await rm(directory, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  app.request(path, { method, headers });

async function readCar(response: Response) {
  const iterator = await CarBlockIterator.fromIterable(
    (async function* () {
      yield new Uint8Array(await response.arrayBuffer());
    })(),
  );
  const blocks: Array<{ cid: CID; bytes: Uint8Array }> = [];
  for await (const block of iterator) blocks.push(block);
  return { roots: await iterator.getRoots(), blocks };
}

describe("GET /ipfs/{cid} for a browser", () => {
  it("answers the file's bytes with the manifest's media type, immutable caching and the CID as ETag", async () => {
    const response = await get(`/ipfs/${pdfCid}`, {
      Accept: "text/html,application/xhtml+xml,*/*;q=0.8",
    });
    expect(response.status).toBe(200);
    expect(sameBytes(new Uint8Array(await response.arrayBuffer()), pdf)).toBe(true);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "application/pdf",
      "content-length": "600000",
      etag: `"${pdfCid}"`,
      "cache-control": "public, max-age=29030400, immutable",
      "x-content-type-options": "nosniff",
      "x-ipfs-path": `/ipfs/${pdfCid}`,
    });
  });

  it("answers application/octet-stream for a document no manifest lists", async () => {
    const response = await get(`/ipfs/${helloCid}`);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(await response.text()).toBe("hello world\n");
  });

  it("never serves a declared HTML type as HTML", async () => {
    const response = await get(`/ipfs/${htmlCid}`);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
  });

  it("finds a document by its CIDv0 twin", async () => {
    const response = await get(`/ipfs/${pdfCid.toV0()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("etag")).toBe(`"${pdfCid.toV0()}"`);
  });

  it("answers HEAD with the headers and no body", async () => {
    const response = await get(`/ipfs/${pdfCid}`, {}, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("600000");
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const response = await get(`/ipfs/${pdfCid}`, { "If-None-Match": `W/"x", "${pdfCid}"` });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(`"${pdfCid}"`);
  });
});

describe("GET /ipfs/{cid} as a trustless gateway", () => {
  it("answers one verifiable block for Accept: application/vnd.ipld.raw", async () => {
    const response = await get(`/ipfs/${pdfCid}`, { Accept: "application/vnd.ipld.raw" });
    expect(response.status).toBe(200);
    const block = new Uint8Array(await response.arrayBuffer());
    await verifyBlock(pdfCid, block);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "application/vnd.ipld.raw",
      "content-disposition": `attachment; filename="${pdfCid}.bin"`,
      etag: `"${pdfCid}.raw"`,
      "content-length": String(block.byteLength),
    });
  });

  it("answers a depth-first CAR of the whole DAG for ?format=car, every block verifiable", async () => {
    const response = await get(`/ipfs/${pdfCid}?format=car`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.ipld.car; version=1; order=dfs; dups=n",
    );
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="${pdfCid}.car"`,
    );
    const { roots, blocks } = await readCar(response);
    expect(roots.map(String)).toEqual([pdfCid.toString()]);
    expect(blocks.map((b) => b.cid.toString())[0]).toBe(pdfCid.toString());
    expect(blocks).toHaveLength(4); // root + three 256 KiB leaves
    for (const block of blocks) await verifyBlock(block.cid, block.bytes);
    const content = blocks.slice(1).map((b) => b.bytes);
    expect(sameBytes(Buffer.concat(content), pdf)).toBe(true);
  });

  it("sends duplicate blocks once unless asked for dups=y", async () => {
    const once = await readCar(
      await get(`/ipfs/${zerosCid}`, { Accept: "application/vnd.ipld.car" }),
    );
    expect(once.blocks).toHaveLength(3); // root, one full zero chunk, the short last chunk
    const all = await get(`/ipfs/${zerosCid}`, {
      Accept: "application/vnd.ipld.car; version=1; order=dfs; dups=y",
    });
    expect(all.headers.get("content-type")).toBe(
      "application/vnd.ipld.car; version=1; order=dfs; dups=y",
    );
    expect((await readCar(all)).blocks).toHaveLength(4);
  });

  it("sends only the root for dag-scope=block", async () => {
    const { blocks } = await readCar(await get(`/ipfs/${pdfCid}?format=car&dag-scope=block`));
    expect(blocks.map((b) => b.cid.toString())).toEqual([pdfCid.toString()]);
  });

  it("lets ?format= win over Accept", async () => {
    const response = await get(`/ipfs/${pdfCid}?format=car`, {
      Accept: "application/vnd.ipld.raw",
    });
    expect(response.headers.get("content-type")).toMatch(/^application\/vnd\.ipld\.car/);
  });

  it("answers the identity probe bafkqaaa", async () => {
    const raw = await get("/ipfs/bafkqaaa?format=raw");
    expect(raw.status).toBe(200);
    expect((await raw.arrayBuffer()).byteLength).toBe(0);
    const car = await readCar(await get("/ipfs/bafkqaaa?format=car"));
    expect(car.roots.map(String)).toEqual(["bafkqaaa"]);
    expect(car.blocks).toHaveLength(0);
  });
});

describe("errors", () => {
  it("answers 400 with a JSON code for a bad CID", async () => {
    const response = await get("/ipfs/not-a-cid");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: "invalid_cid",
      message: '"not-a-cid" is not a valid CID.',
    });
  });

  it("answers 404 for a CID the store does not have, in every format", async () => {
    const missing = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
    for (const query of ["", "?format=raw", "?format=car"]) {
      const response = await get(`/ipfs/${missing}${query}`);
      expect(response.status, query).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe("not_found");
    }
  });

  it("answers 400 for an unknown format or an unsupported parameter, 406 for a CAR version", async () => {
    expect((await get(`/ipfs/${pdfCid}?format=tar`)).status).toBe(400);
    expect((await get(`/ipfs/${pdfCid}?format=car&entity-bytes=0:10`)).status).toBe(400);
    expect((await get(`/ipfs/${pdfCid}?format=car&dag-scope=everything`)).status).toBe(400);
    expect(
      (await get(`/ipfs/${pdfCid}`, { Accept: "application/vnd.ipld.car; version=2" })).status,
    ).toBe(406);
  });

  it("answers 500 rather than serve a block altered in the store", async () => {
    const tamperedDirectory = await mkdtemp(join(tmpdir(), "sdk-gateway-tampered-"));
    const tampered = createEmbeddedStore({ directory: tamperedDirectory });
    const { cid } = await tampered.add(hello, { mediaType: "text/plain" });
    const shard = (await readdir(join(tamperedDirectory, "blocks")))[0]!;
    const [file] = await readdir(join(tamperedDirectory, "blocks", shard));
    await writeFile(join(tamperedDirectory, "blocks", shard, file!), "HELLO WORLD\n");
    const gateway = createGatewayApp({ store: tampered });
    const raw = await gateway.request(`/ipfs/${cid}?format=raw`);
    expect(raw.status).toBe(500);
    expect(((await raw.json()) as { code: string }).code).toBe("corrupt_content");
    await rm(tamperedDirectory, { recursive: true, force: true });
  });
});

describe("mounting", () => {
  it("mounts under the indexer's Hono app", async () => {
    const api = new Hono();
    api.get("/health", (c) => c.text("ok"));
    api.route("/", app);
    const response = await api.request(`/ipfs/${toCid(helloCid)}`);
    expect(await response.text()).toBe("hello world\n");
  });
});
