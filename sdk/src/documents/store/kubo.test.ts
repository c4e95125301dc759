/**
 * The Kubo backend speaks Kubo's RPC wire format. No Kubo binary exists here, so the store talks to
 * test/kubo/fakeKubo.ts: a local HTTP server on 127.0.0.1 that answers as Kubo's RPC reference
 * shows and records each request, and the tests check the requests (method, path, `arg`, flags,
 * multipart body) and that the store reads the documented responses.
 */
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeKubo } from "../../../test/kubo/fakeKubo.js";
import type { FakeKubo } from "../../../test/kubo/fakeKubo.js";
import { computeCid } from "../cid/index.js";
import {
  DocumentNotFoundError,
  DocumentTooLargeError,
  IntegrityError,
  KuboRpcError,
  MediaTypeNotAllowedError,
} from "../errors.js";
import { collect } from "../internal/streams.js";
import { sameBytes } from "../../../test/bytes.js";
import { createVerifiedReader, createStoreBlockSource } from "../verify/index.js";
import { createKuboStore } from "./kubo.js";
import type { DocumentStore } from "./types.js";

let kubo: FakeKubo;
let store: DocumentStore;

beforeEach(async () => {
  kubo = await startFakeKubo();
  store = createKuboStore({ url: kubo.url, limits: { maxBytes: 2 * 1024 * 1024 } });
});

afterEach(async () => {
  await store.close();
  await kubo.close();
});

const hello = new TextEncoder().encode("hello world\n");
const helloCid = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

function last(path: string) {
  const found = kubo.requests.filter((r) => r.path === path).at(-1);
  if (found === undefined) throw new Error(`No request to ${path}.`);
  return found;
}

describe("add", () => {
  it("posts one multipart file to /api/v0/add with Kubo's CIDv1 import flags", async () => {
    const { cid, size } = await store.add(hello, { mediaType: "text/plain" });
    expect(cid.toString()).toBe(helloCid);
    expect(size).toBe(12);
    const request = last("/api/v0/add");
    expect(request.method).toBe("POST");
    expect(Object.fromEntries(request.query)).toMatchObject({
      "cid-version": "1",
      "raw-leaves": "true",
      chunker: "size-262144",
      hash: "sha2-256",
      pin: "true",
      "wrap-with-directory": "false",
      "stream-channels": "true",
      progress: "false",
    });
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.parts).toHaveLength(1);
    expect(request.parts[0]?.headers["content-disposition"]).toMatch(
      /^form-data; name="file"; filename=""/,
    );
    expect(request.parts[0]?.headers["content-type"]).toBe("application/octet-stream");
    expect(request.parts[0]?.size).toBe(12);
    expect(kubo.pins.has(helloCid)).toBe(true);
  });

  it("streams a Node.js stream of several chunks and counts its bytes itself", async () => {
    const bytes = new Uint8Array(700_000).map((_, i) => (i * 7) % 251);
    const { cid, size } = await store.add(
      Readable.from([bytes.subarray(0, 300_000), bytes.subarray(300_000)]),
      {
        mediaType: "application/pdf",
      },
    );
    expect(size).toBe(700_000);
    expect(cid.toString()).toBe((await computeCid(bytes)).cid.toString());
    // Kubo's "Size" is the DAG's cumulative size, larger than the content; the store reports content bytes.
    expect(last("/api/v0/add").parts[0]?.size).toBe(700_000);
  });

  it("sends pin=false when asked not to pin", async () => {
    await store.add(hello, { mediaType: "text/plain", pin: false });
    expect(last("/api/v0/add").query.get("pin")).toBe("false");
    expect(kubo.pins.size).toBe(0);
  });

  it("refuses a media type before sending anything", async () => {
    await expect(store.add(hello, { mediaType: "text/html" })).rejects.toBeInstanceOf(
      MediaTypeNotAllowedError,
    );
    expect(kubo.requests).toHaveLength(0);
  });

  it("refuses a buffer over the limit before sending anything", async () => {
    await expect(
      store.add(new Uint8Array(2 * 1024 * 1024 + 1), { mediaType: "application/pdf" }),
    ).rejects.toThrow(DocumentTooLargeError);
    expect(kubo.requests).toHaveLength(0);
  });

  it("aborts a stream over the limit with DocumentTooLargeError, not the client's abort", async () => {
    async function* endless() {
      for (;;) yield new Uint8Array(256 * 1024);
    }
    const error = await store.add(endless(), { mediaType: "video/mp4" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentTooLargeError);
    expect((error as DocumentTooLargeError).maxBytes).toBe(2 * 1024 * 1024);
  });

  it("refuses a node that answers another CID for the same bytes", async () => {
    kubo.lieAboutHash = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    await expect(store.add(hello, { mediaType: "text/plain" })).rejects.toThrow(
      /Kubo stored the document as QmT78z.* where its CID is bafkrei.*import settings\./,
    );
    await expect(store.add(hello, { mediaType: "text/plain" })).rejects.toBeInstanceOf(
      IntegrityError,
    );
  });

  it("asks for CIDv0 with dag-pb leaves under the kubo-cidv0 profile", async () => {
    const v0 = createKuboStore({ url: kubo.url, profile: "kubo-cidv0" });
    const { cid } = await v0.add(hello, { mediaType: "text/plain" });
    expect(cid.toString()).toBe("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    expect(last("/api/v0/add").query.get("cid-version")).toBe("0");
    expect(last("/api/v0/add").query.get("raw-leaves")).toBe("false");
  });
});

describe("get", () => {
  it("streams the document from /api/v0/cat?arg={cid}", async () => {
    const bytes = new Uint8Array(600_000).map((_, i) => i % 256);
    const { cid } = await store.add(bytes, { mediaType: "application/pdf" });
    expect(sameBytes(await collect(store.get(cid)), bytes)).toBe(true);
    const request = last("/api/v0/cat");
    expect(request.method).toBe("POST");
    expect(request.query.getAll("arg")).toEqual([cid.toString()]);
  });

  it("turns Kubo's 500 'not found' into DocumentNotFoundError", async () => {
    await expect(collect(store.get(helloCid))).rejects.toBeInstanceOf(DocumentNotFoundError);
  });
});

describe("getBlock, has", () => {
  it("reads a block from /api/v0/block/get and verifies through the reader", async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 13) % 256);
    const { cid } = await store.add(bytes, { mediaType: "application/pdf" });
    const reader = createVerifiedReader({ source: createStoreBlockSource(store) });
    expect(sameBytes(await reader.bytes(cid), bytes)).toBe(true);
    const request = last("/api/v0/block/get");
    expect(request.method).toBe("POST");
    expect(request.query.getAll("arg")).toHaveLength(1);
  });

  it("asks /api/v0/block/stat offline and reads {Key, Size}", async () => {
    expect(await store.has(helloCid)).toBe(false);
    await store.add(hello, { mediaType: "text/plain" });
    expect(await store.has(helloCid)).toBe(true);
    const request = last("/api/v0/block/stat");
    expect(request.query.get("arg")).toBe(helloCid);
    expect(request.query.get("offline")).toBe("true");
  });

  it("answers DocumentNotFoundError for a missing block", async () => {
    await expect(store.getBlock(helloCid)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });
});

describe("pin, unpin", () => {
  it("pins with /api/v0/pin/add?arg={cid}&recursive=true", async () => {
    const { cid } = await store.add(hello, { mediaType: "text/plain", pin: false });
    await store.pin(cid);
    const request = last("/api/v0/pin/add");
    expect(request.method).toBe("POST");
    expect(request.query.get("arg")).toBe(cid.toString());
    expect(request.query.get("recursive")).toBe("true");
    expect(kubo.pins.has(cid.toString())).toBe(true);
  });

  it("unpins with /api/v0/pin/rm?arg={cid}&recursive=true, and again without error", async () => {
    const { cid } = await store.add(hello, { mediaType: "text/plain" });
    await store.unpin(cid);
    const request = last("/api/v0/pin/rm");
    expect(request.query.get("arg")).toBe(cid.toString());
    expect(request.query.get("recursive")).toBe("true");
    expect(kubo.pins.has(cid.toString())).toBe(false);
    // Kubo answers 500 "not pinned or pinned indirectly"; unpin is idempotent.
    await expect(store.unpin(cid)).resolves.toBeUndefined();
  });

  it("reports a pin of content the node lacks as DocumentNotFoundError", async () => {
    await expect(store.pin(helloCid)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });
});

describe("errors", () => {
  it("reports an unreachable node as a retryable KuboRpcError", async () => {
    const url = kubo.url;
    await kubo.close();
    const offline = createKuboStore({ url });
    const error = await offline.has(helloCid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KuboRpcError);
    expect((error as KuboRpcError).retryable).toBe(true);
    expect((error as KuboRpcError).shortMessage).toBe(
      "Kubo RPC /api/v0/block/stat could not be reached.",
    );
    kubo = await startFakeKubo();
  });
});
