/**
 * The settings that point the indexer at a network: `CHAIN_ID` guards against an RPC URL on the wrong
 * chain, and `IPFS_API_URL` puts documents in a Kubo node (or a pinning service speaking its RPC)
 * instead of the embedded store. No Kubo binary exists here: the sdk's stand-in answers Kubo's RPC.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { computeCid } from "@trade-escrow/sdk/cid";
import { startFakeKubo } from "../../sdk/test/kubo/fakeKubo.js";
import type { FakeKubo } from "../../sdk/test/kubo/fakeKubo.js";
import { createIndexer, openDocumentStore } from "../src/indexer.js";
import type { Indexer } from "../src/indexer.js";
import { ConfigError, readConfig } from "../src/internal/index.js";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "indexer-config-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The settings of an indexer on the test chain, as `main.ts` would read them from the environment. */
function settings(extra: NodeJS.ProcessEnv) {
  const chain = inject("chain");
  return readConfig({
    RPC_URL: chain.rpcUrl,
    ESCROW_ADDRESS: chain.tradeEscrow,
    COURT_ADDRESS: chain.arbitrationCourt,
    RATINGS_ADDRESS: chain.sellerRatings,
    START_BLOCK: String(chain.deploymentBlock),
    PORT: "0",
    DATA_DIR: join(directory, `db-${Math.random().toString(36).slice(2)}`),
    IPFS_DIR: join(directory, "ipfs"),
    STATIC_DIR: join(directory, "no-dapp"),
    LOG_LEVEL: "silent",
    ...extra,
  });
}

describe("CHAIN_ID", () => {
  it("refuses a node on another chain before touching the database", async () => {
    const config = settings({ CHAIN_ID: "8453" });
    const started = createIndexer({ config });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/CHAIN_ID is 8453, but the node .* is on chain 31337/);
  });
});

describe("IPFS_API_URL", () => {
  let kubo: FakeKubo;
  let indexer: Indexer | undefined;

  beforeAll(async () => {
    kubo = await startFakeKubo();
  });

  afterAll(async () => {
    await indexer?.stop();
    await kubo.close();
  });

  it("keeps documents in the embedded store when unset", async () => {
    const store = openDocumentStore(settings({}));
    expect(store.kind).toBe("embedded");
    await store.close();
  });

  it("uploads to and serves from Kubo, with the pinning service's Authorization header", async () => {
    indexer = await createIndexer({
      config: settings({
        CHAIN_ID: "31337",
        IPFS_API_URL: kubo.url,
        IPFS_API_AUTHORIZATION: "Bearer pinning-token",
      }),
    });
    const bytes = new TextEncoder().encode("%PDF-1.4 bill of lading, pinned");
    const form = new FormData();
    form.set("file", new Blob([bytes], { type: "application/pdf" }), "bill.pdf");
    form.set("type", "bill-of-lading");
    const upload = await fetch(`${indexer.url}/api/documents`, { method: "POST", body: form });
    expect(upload.status).toBe(201);
    const expected = (await computeCid(bytes)).cid.toString();
    expect(((await upload.json()) as { cid: string }).cid).toBe(expected);

    const added = kubo.requests.filter((request) => request.path === "/api/v0/add");
    expect(added).toHaveLength(1);
    expect(added[0]?.headers.authorization).toBe("Bearer pinning-token");
    expect(kubo.pins.has(expected)).toBe(true);

    const served = await fetch(`${indexer.url}/ipfs/${expected}`);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
    expect(kubo.requests.some((request) => request.path.startsWith("/api/v0/block/"))).toBe(true);
  });
});
