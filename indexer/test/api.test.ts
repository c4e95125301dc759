// Length: every endpoint of the API against one indexed history.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { AttestationKind } from "@trade-escrow/sdk/contracts";
import { computeCid, cidToCommitment } from "@trade-escrow/sdk/cid";
import { createEmbeddedStore, publishManifest } from "@trade-escrow/sdk/store";
import type { EmbeddedDocumentStore } from "@trade-escrow/sdk/store";
import { createManifest } from "@trade-escrow/sdk/manifest";
import { createApiApp } from "../src/api/index.js";
import { createIndexer } from "../src/indexer.js";
import type { Indexer } from "../src/indexer.js";
import { createLogger } from "../src/internal/index.js";
import { createStore } from "../src/store/index.js";
import { address } from "@trade-escrow/sdk/devchain";
import { DAY } from "@trade-escrow/stack/devchain";
import { POSTGRES_URL, databaseKinds, openDatabase, testChain } from "./helpers.js";

type Json = Record<string, unknown> & { items?: Json[]; error?: { code: string; message: string } };

describe.each(databaseKinds)("API (%s)", (kind) => {
  const chain = testChain();
  const { actions } = chain;
  const deployed = inject("chain");
  let indexer: Indexer;
  let documents: EmbeddedDocumentStore;
  let ipfsDir: string;
  let schema: string | undefined;
  const trades: {
    completed: bigint;
    shipped: bigint;
    usd: bigint;
    claimed: bigint;
    disputeId: bigint;
  } = {
    completed: 0n,
    shipped: 0n,
    usd: 0n,
    claimed: 0n,
    disputeId: 0n,
  };
  let manifestCid = "";

  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${indexer.url}${path}`, init);
    const text = await response.text();
    let body: Json;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = { text } as Json;
    }
    return { status: response.status, body, headers: response.headers };
  };

  beforeAll(async () => {
    ipfsDir = await mkdtemp(join(tmpdir(), "indexer-ipfs-"));
    documents = createEmbeddedStore({ directory: ipfsDir });
    // A manifest in the store, committed by a trade's terms.
    const pdf = new TextEncoder().encode("%PDF-1.4 bill of lading");
    const { cid: pdfCid } = await documents.add(pdf, { mediaType: "application/pdf" });
    const manifest = createManifest({
      goods: {
        description: `2023 Toyota Land Cruiser 300 (${kind} ${Date.now()})`,
        unit: "vehicle",
      },
      deliveryPlace: "Bonded warehouse 7, Port of Tema",
      documents: [
        {
          type: "bill-of-lading",
          name: "bl.pdf",
          mediaType: "application/pdf",
          size: pdf.length,
          cid: pdfCid.toString(),
        },
      ],
    });
    const published = await publishManifest(documents, manifest);
    manifestCid = published.cid.toString();

    const completedTerms = await chain.buildTerms({ manifestCid: cidToCommitment(published.cid) });
    trades.completed = await actions.proposeAndAccept(completedTerms);
    await actions.deposit(trades.completed, completedTerms);
    await actions.start(trades.completed, completedTerms);
    await actions.balance(trades.completed, completedTerms);
    await actions.ship(trades.completed, completedTerms);
    await actions.deliver(trades.completed, completedTerms);
    await actions.rate(trades.completed, completedTerms, [5, 4, 3]);

    const shippedTerms = await chain.buildTerms({
      buyer: address("buyer2"),
      seller: address("seller2"),
    });
    trades.shipped = await actions.openSigned(shippedTerms);
    await actions.deposit(trades.shipped, shippedTerms);
    await actions.start(trades.shipped, shippedTerms);
    await actions.balance(trades.shipped, shippedTerms);
    await actions.ship(trades.shipped, shippedTerms);

    const usdTerms = await chain.buildTerms({
      token: deployed.usd,
      price: 1_000n * 10n ** 6n,
      operator: address("operator2"),
    });
    trades.usd = await actions.proposeAndAccept(usdTerms);

    const claimTerms = await chain.buildTerms({
      claimWindow: 3 * DAY,
      buyer: address("buyer3"),
      seller: address("seller3"),
    });
    trades.claimed = await actions.proposeAndAccept(claimTerms);
    await actions.deposit(trades.claimed, claimTerms);
    await actions.start(trades.claimed, claimTerms);
    await actions.balance(trades.claimed, claimTerms);
    await actions.ship(trades.claimed, claimTerms);
    await actions.attest(trades.claimed, claimTerms, AttestationKind.PortArrival, 0, 0n);
    await actions.deliver(trades.claimed, claimTerms);
    await actions.fileClaim(trades.claimed, claimTerms, 1_000);
    await actions.contest(trades.claimed, claimTerms);
    trades.disputeId = (await actions.claim(trades.claimed)).disputeId;
    await actions.hear(trades.disputeId, 1_001n);

    const { db, schema: s } = await openDatabase(kind);
    schema = s;
    await db.close();
    indexer = await createIndexer({
      config: {
        rpcUrl: deployed.rpcUrl,
        contracts: {
          escrow: deployed.tradeEscrow,
          court: deployed.arbitrationCourt,
          ratings: deployed.sellerRatings,
        },
        startBlock: deployed.deploymentBlock,
        dataDir: join(ipfsDir, "db"),
        databaseUrl: kind === "postgres" ? POSTGRES_URL : undefined,
        databaseSchema: schema,
        port: 0,
        host: "127.0.0.1",
        finalityDepth: 2,
        pollingIntervalMs: 25,
        maxLogRange: 10_000,
        ipfsDir,
        staticDir: join(ipfsDir, "no-dapp"),
        logLevel: "silent",
        apiCacheMs: 30_000,
      },
      documents,
      logger: createLogger({ level: process.env.LOG_LEVEL ?? "silent" }),
    });
    await indexer.syncer.waitForBlock(await actions.head(), 60_000);
    await indexer.verifier.runOnce();
    await indexer.verifier.runOnce();
  });

  afterAll(async () => {
    await indexer?.stop();
    await documents?.close();
    await rm(ipfsDir, { recursive: true, force: true });
    if (schema !== undefined) {
      const { drop } = await openDatabase("postgres", { schema });
      await drop();
    }
  });

  it("answers health once caught up, and 503 before the first backfill", async () => {
    const { status, body } = await get("/api/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ chainId: deployed.chainId, backfillDone: true, lagBlocks: 0 });
    expect(body.indexedBlock).toBe(body.headBlock);
    expect(body.finalizedBlock).toBe((body.indexedBlock as number) - 2);

    const fresh = await openDatabase("pglite");
    try {
      await createStore({ db: fresh.db }).migrate();
      const response = await createApiApp({ db: fresh.db }).request("/health");
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ backfillDone: false });
    } finally {
      await fresh.drop();
    }
  });

  it("serves an OpenAPI document of every route", async () => {
    const { status, body } = await get("/api/openapi.json");
    expect(status).toBe(200);
    expect(Object.keys(body.paths as object)).toEqual(
      expect.arrayContaining([
        "/health",
        "/trades",
        "/trades/{id}",
        "/documents",
        "/documents/{cid}",
        "/disputes/{id}",
        "/sellers/{address}/reputation",
        "/operators/{address}",
        "/totals",
        "/stream",
      ]),
    );
  });

  it("lists trades with filters and walks every page with the cursor", async () => {
    const all = await get("/api/trades?limit=100");
    expect(all.status).toBe(200);
    const ids = all.body.items!.map((t) => t.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect([...ids].sort((a, b) => Number(b) - Number(a))).toEqual(ids);

    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Json } = await get(
        `/api/trades?limit=3${cursor === null ? "" : `&cursor=${cursor}`}`,
      );
      pages.push(...page.body.items!.map((t) => t.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(pages).toEqual(ids);

    const buyer2 = address("buyer2").toLowerCase();
    const asBuyer = await get(`/api/trades?party=${address("buyer2")}&role=buyer`);
    expect(asBuyer.body.items!.every((t) => t.buyer === buyer2)).toBe(true);
    expect(asBuyer.body.items!.map((t) => t.id)).toContain(trades.shipped.toString());
    const asSeller = await get(`/api/trades?party=${address("buyer2")}&role=seller`);
    expect(asSeller.body.items).toEqual([]);
    const anyRole = await get(`/api/trades?party=${address("operator2")}`);
    expect(anyRole.body.items!.map((t) => t.id)).toContain(trades.usd.toString());

    const shipped = await get("/api/trades?state=shipped,Delivered");
    expect(
      shipped.body.items!.every((t) => ["Shipped", "Delivered"].includes(t.stateName as string)),
    ).toBe(true);
    expect(shipped.body.items!.map((t) => t.id)).toContain(trades.shipped.toString());
    const usd = await get(`/api/trades?token=${deployed.usd}&mode=protected`);
    expect(usd.body.items!.map((t) => t.id)).toContain(trades.usd.toString());
    expect(usd.body.items!.every((t) => t.token === deployed.usd.toLowerCase())).toBe(true);

    const created = all.body.items!.find((t) => t.id === trades.usd.toString())!
      .createdAt as number;
    const window = await get(`/api/trades?createdFrom=${created}&createdTo=${created}`);
    expect(window.body.items!.map((t) => t.id)).toContain(trades.usd.toString());
    expect(window.body.items!.every((t) => t.createdAt === created)).toBe(true);
    const iso = new Date((created + 1) * 1000).toISOString();
    const after = await get(`/api/trades?createdFrom=${iso}`);
    expect(after.body.items!.map((t) => t.id)).not.toContain(trades.usd.toString());
  });

  it("details a trade: terms and versions, lots, balances, deadlines, documents, timeline", async () => {
    const { status, body } = await get(`/api/trades/${trades.completed}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: trades.completed.toString(),
      stateName: "Completed",
      final: true,
    });
    expect((body.versions as Json[])[0]).toMatchObject({ version: 0 });
    expect((body.lots as Json[])[0]).toMatchObject({
      lot: 1,
      quantity: "10",
      titleTransferred: true,
    });
    expect(body.balances).toMatchObject({ escrowed: "0", released: "0", refunded: "0" });
    expect(body.deadlines).toHaveProperty("latestDelivery");
    const timeline = body.timeline as Json[];
    expect(timeline.map((e) => e.event)).toEqual(
      expect.arrayContaining([
        "TradeProposed",
        "TradeOpened",
        "DepositPaid",
        "GoodsShipped",
        "TitleTransferred",
        "FundsReleased",
        "SellerRated",
      ]),
    );
    for (const entry of timeline) {
      expect(entry.block).toBeTypeOf("number");
      expect(entry.timestamp).toBeTypeOf("number");
      expect(entry.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    }
    const docs = body.documents as Json[];
    const manifest = docs.find((d) => d.role === "manifest")!;
    expect(manifest).toMatchObject({ cid: manifestCid, status: "verified" });
    expect((manifest.entries as Json[])[0]).toMatchObject({
      type: "bill-of-lading",
      status: "verified",
    });
    expect(docs.find((d) => d.role === "shipping")).toMatchObject({ status: "unavailable" });

    // Shipped: the next deadline is the end of the grace period after the latest delivery (paid in
    // time, the terms' own), after which the buyer of goods not delivered may cancel.
    const shipped = await get(`/api/trades/${trades.shipped}`);
    const shippedTerms = shipped.body.terms as Json;
    const graceEnd =
      BigInt(shippedTerms.latestDelivery as string) + BigInt(shippedTerms.deliveryGrace as number);
    expect(shippedTerms).toMatchObject({ shipWindow: 14 * DAY, deliveryGrace: 14 * DAY });
    expect(shipped.body).toMatchObject({
      stageDeadline: Number(graceEnd),
      latestDelivery: Number(shippedTerms.latestDelivery),
      shipWindow: 14 * DAY,
      deliveryGrace: 14 * DAY,
      lateBalancePaidAt: null,
    });
    expect(shipped.body.deadlines).toMatchObject({
      stage: graceEnd.toString(),
      balance: null,
      latestDelivery: shippedTerms.latestDelivery,
      deliveryGraceEnd: graceEnd.toString(),
    });
    // The actions the escrow accepts on it, with the same deadlines: anyone relays the operator's
    // attestation of the lot, and the trade may end undelivered once the grace period is over.
    const actions = shipped.body.actions as Json[];
    expect(actions.find((a) => a.name === "attest")).toMatchObject({
      callers: ["anyone"],
      signers: ["operator"],
    });
    expect(actions.find((a) => a.name === "cancelUndelivered")).toMatchObject({
      after: graceEnd.toString(),
    });
    expect((body.actions as Json[]).map((a) => a.name)).not.toContain("payDeposit");
  });

  it("shows the claim, the dispute with its panel, commits, reveals and ruling", async () => {
    const trade = await get(`/api/trades/${trades.claimed}`);
    expect(trade.body.claim).toMatchObject({
      status: "Contested",
      disputeId: trades.disputeId.toString(),
    });
    const { status, body } = await get(`/api/disputes/${trades.disputeId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      tradeId: trades.claimed.toString(),
      phase: "Appealable",
      ruling: "1001",
    });
    expect((body.panel as string[]).length).toBe(3);
    expect((body.commits as Json[]).length).toBe(3);
    expect((body.reveals as Json[]).map((r) => r.choice)).toEqual(["1001", "1001", "1001"]);
    expect((body.events as Json[]).map((e) => e.event)).toEqual(
      expect.arrayContaining([
        "DisputeCreation",
        "PanelDrawn",
        "VoteCommitted",
        "VoteRevealed",
        "RoundClosed",
      ]),
    );
    const list = await get("/api/disputes?limit=100");
    expect(list.body.items!.map((d) => d.id)).toContain(trades.disputeId.toString());
  });

  it("answers a seller's 180-day reputation, operators and totals", async () => {
    const reputation = await get(`/api/sellers/${address("seller")}/reputation`);
    expect(reputation.status).toBe(200);
    expect(reputation.body).toMatchObject({ windowDays: 180 });
    expect((reputation.body.recent as Json).count).toBeGreaterThanOrEqual(1);
    const rating = (reputation.body.ratings as Json[]).find(
      (r) => r.tradeId === trades.completed.toString(),
    );
    expect(rating).toBeDefined();
    // The event's ratedAt is the time of the block the rating is in.
    expect(rating!.ratedAt).toBeTypeOf("number");
    expect(rating!.ratedAt).toBe(rating!.timestamp);
    const nobody = await get(`/api/sellers/${address("relayer")}/reputation`);
    expect(nobody.body).toMatchObject({ recent: { count: 0, overall: null } });

    const operators = await get("/api/operators");
    expect(operators.body.items!.map((o) => o.address)).toContain(
      address("operator").toLowerCase(),
    );
    const operator = await get(`/api/operators/${address("operator")}?limit=2`);
    expect(operator.status).toBe(200);
    expect((operator.body.attestations as Json[]).length).toBe(2);
    const next = await get(
      `/api/operators/${address("operator")}?limit=2&cursor=${operator.body.nextCursor}`,
    );
    expect((next.body.attestations as Json[])[0]).not.toEqual(
      (operator.body.attestations as Json[])[0],
    );

    const totals = await get("/api/totals");
    expect(totals.status).toBe(200);
    expect((totals.body.tradesByState as Record<string, number>).Completed).toBeGreaterThanOrEqual(
      1,
    );
    const tokens = (totals.body.volumeByToken as Json[]).map((t) => t.token);
    expect(tokens).toEqual(
      expect.arrayContaining([
        deployed.usd.toLowerCase(),
        "0x0000000000000000000000000000000000000000",
      ]),
    );
  });

  it("uploads documents into the store within the limits, served back by the gateway", async () => {
    const bytes = new TextEncoder().encode("%PDF-1.4 customs declaration");
    const form = new FormData();
    form.set("file", new Blob([bytes], { type: "application/pdf" }), "customs.pdf");
    form.set("type", "customs-declaration");
    const { status, body } = await get("/api/documents", { method: "POST", body: form });
    expect(status).toBe(201);
    const expected = (await computeCid(bytes)).cid.toString();
    expect(body).toMatchObject({
      cid: expected,
      entry: {
        type: "customs-declaration",
        name: "customs.pdf",
        mediaType: "application/pdf",
        size: bytes.length,
        cid: expected,
      },
    });
    const served = await fetch(`${indexer.url}/ipfs/${expected}`);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
    const doc = await get(`/api/documents/${expected}`);
    expect(doc.body).toMatchObject({ status: "verified", inStore: true });
    const committed = await get(`/api/documents/${manifestCid}`);
    expect(committed.body).toMatchObject({ status: "verified" });
    expect((committed.body.references as Json[])[0]).toMatchObject({
      role: "manifest",
      tradeId: trades.completed.toString(),
    });

    const html = new FormData();
    html.set("file", new Blob(["<script>"], { type: "text/html" }), "x.html");
    html.set("type", "other");
    expect((await get("/api/documents", { method: "POST", body: html })).status).toBe(415);
  });

  it("streams new timeline entries as server-sent events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${indexer.url}/api/stream?trade=${trades.shipped}`, {
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    const terms = (await get(`/api/trades/${trades.shipped}`)).body.terms as Json;
    await actions.milestone(trades.shipped, termsFromApi(terms), 1);
    let text = "";
    const deadline = Date.now() + 10_000;
    while (!text.includes("MilestoneRecorded") && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain("event: timeline");
    expect(text).toContain(`"event":"MilestoneRecorded"`);
  });

  it("answers the dApp placeholder at / while the dApp is not built", async () => {
    const { status, body } = await get("/");
    expect(status).toBe(200);
    expect(body).toMatchObject({ dapp: "not built" });
    const html = await fetch(`${indexer.url}/`, { headers: { accept: "text/html" } });
    expect(await html.text()).toContain("The dApp is not built");
  });

  it("answers malformed input on every endpoint with a JSON 4xx, never a 500", async () => {
    const big = (2n ** 256n).toString();
    const unknownCid = (await computeCid(new TextEncoder().encode("never stored"))).cid.toString();
    const cases: [string, string, number, RequestInit?][] = [
      ["GET", "/api/trades?limit=0", 400],
      ["GET", "/api/trades?limit=abc", 400],
      ["GET", "/api/trades?limit=1000", 400],
      ["GET", "/api/trades?party=0x123", 400],
      ["GET", "/api/trades?role=buyer", 400],
      ["GET", "/api/trades?role=king&party=0x0000000000000000000000000000000000000001", 400],
      ["GET", "/api/trades?state=Nope", 400],
      ["GET", "/api/trades?state=99", 400],
      ["GET", "/api/trades?mode=credit", 400],
      ["GET", "/api/trades?createdFrom=yesterday", 400],
      ["GET", "/api/trades?createdFrom=2030-01-01&createdTo=2020-01-01", 400],
      ["GET", "/api/trades?cursor=%%%", 400],
      ["GET", `/api/trades?cursor=${Buffer.from("abc").toString("base64url")}`, 400],
      ["GET", `/api/trades?token=${"0x".padEnd(43, "z")}`, 400],
      ["GET", "/api/trades/abc", 400],
      ["GET", "/api/trades/-1", 400],
      ["GET", "/api/trades/1e5", 400],
      ["GET", `/api/trades/${big}`, 400],
      ["GET", "/api/trades/999999999", 404],
      ["GET", "/api/documents/not-a-cid", 400],
      ["GET", `/api/documents/${unknownCid}`, 404],
      [
        "POST",
        "/api/documents",
        400,
        { body: JSON.stringify({ a: 1 }), headers: { "content-type": "application/json" } },
      ],
      [
        "POST",
        "/api/documents",
        400,
        { body: "--x\r\nbroken", headers: { "content-type": "multipart/form-data; boundary=x" } },
      ],
      ["POST", "/api/documents", 400, { body: formOf({ type: "bill-of-lading" }) }],
      ["POST", "/api/documents", 400, { body: formOf({ type: "passport", file: true }) }],
      ["GET", "/api/disputes/x", 400],
      ["GET", "/api/disputes/123456789", 404],
      ["GET", "/api/disputes?limit=-1", 400],
      ["GET", "/api/sellers/nothex/reputation", 400],
      ["GET", "/api/operators/0x12", 400],
      ["GET", `/api/operators/${address("relayer")}`, 404],
      ["GET", `/api/operators/${address("operator")}?cursor=zzz`, 400],
      ["GET", "/api/stream?trade=x", 400],
      ["GET", "/api/nope", 404],
      ["DELETE", "/api/trades/1", 404],
    ];
    for (const [method, path, expected, init] of cases) {
      const { status, body } = await get(path, { method, ...init });
      expect([method, path, status], JSON.stringify(body)).toEqual([method, path, expected]);
      expect(body.error?.code, `${method} ${path}`).toMatch(/^[a-z_]+$/);
      expect(body.error?.message, `${method} ${path}`).toBeTypeOf("string");
    }
    // Random junk in every query parameter of the list: a 200 or a 400, never more.
    const junk = [
      "",
      "0x",
      "%00",
      "'; DROP TABLE trades; --",
      "9".repeat(90),
      "null",
      "[]",
      "\u0000",
      "🚚",
      "-0",
    ];
    for (const name of [
      "party",
      "role",
      "state",
      "token",
      "mode",
      "createdFrom",
      "createdTo",
      "cursor",
      "limit",
    ]) {
      for (const value of junk) {
        const { status } = await get(`/api/trades?${name}=${encodeURIComponent(value)}`);
        expect([200, 400], `${name}=${value}`).toContain(status);
      }
    }
  });
});

function formOf(fields: { type?: string; file?: boolean }): FormData {
  const form = new FormData();
  if (fields.type !== undefined) form.set("type", fields.type);
  if (fields.file === true) form.set("file", new Blob(["x"], { type: "text/plain" }), "x.txt");
  return form;
}

/** The API's terms (decimal strings) as the contract takes them. */
function termsFromApi(terms: Json) {
  const big = new Set(["price", "quantity", "latestDelivery", "sellerBond"]);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(terms))
    out[key] = big.has(key) ? BigInt(value as string) : value;
  return out as never;
}
