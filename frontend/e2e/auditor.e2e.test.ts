import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Hex } from "viem";
import { address } from "@trade-escrow/sdk/devchain";
import { useChain } from "@trade-escrow/stack/devchain";
import { cidToCommitment } from "@trade-escrow/sdk/cid";
import { createManifest } from "@trade-escrow/sdk/manifest";
import { addDocument, createEmbeddedStore, publishManifest } from "@trade-escrow/sdk/store";
import type { EmbeddedDocumentStore } from "@trade-escrow/sdk/store";
import { launchChromium, screenshot } from "./browser.js";
import type { Browser, Page } from "playwright-core";

const stack = inject("stack");
/** An audit reads the whole history and every document: allow it more than a transaction. */
const AUDIT = 120_000;

/** The blockstore-fs file that holds a single-block (raw leaf) document: the one with its bytes. */
async function blockFileOf(dir: string, bytes: Uint8Array): Promise<string> {
  const entries = await readdir(join(dir, "blocks"), { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (Buffer.from(await readFile(path)).equals(Buffer.from(bytes))) return path;
  }
  throw new Error(`No block in ${dir} holds the document's bytes.`);
}

/** Runs the audit of one trade in the auditor workspace and waits for its summary. */
async function auditTrade(page: Page, tradeId: bigint, before: () => void): Promise<void> {
  await page.goto(`${stack.appUrl}/auditor`);
  await page.getByRole("radio", { name: "One trade" }).check();
  await page.getByLabel("Trade id").fill(tradeId.toString());
  before();
  await page.getByRole("button", { name: "Run the audit in this browser" }).click();
  await page.getByTestId("audit-summary").waitFor({ timeout: AUDIT });
}

describe("the auditor checks a trade from the chain and IPFS, in the browser", () => {
  let browser: Browser;
  let store: EmbeddedDocumentStore;
  let tradeId: bigint;
  /** The bill of lading: the document the second test tampers with. */
  let billOfLading: { cid: string; bytes: Uint8Array };
  let tampered: { path: string; original: Buffer } | undefined;
  const rpcCalls: string[] = [];
  const apiCalls: string[] = [];

  beforeAll(async () => {
    // A trade whose documents are in the server's IPFS store: a manifest with a specification
    // sheet, the seller's EIP-712 consent, then paid and shipped with a bill of lading.
    store = createEmbeddedStore({ directory: stack.ipfsDir });
    const encoder = new TextEncoder();
    const stored = new Map<string, { cid: string; bytes: Uint8Array }>();
    const document = async (label: string): Promise<Hex> => {
      const bytes = encoder.encode(`Auditor e2e ${Date.now()}: ${label}\n`);
      const { cid } = await store.add(bytes, { mediaType: "text/plain" });
      stored.set(label, { cid: cid.toString(), bytes });
      return cidToCommitment(cid);
    };
    const sheet = await addDocument(
      store,
      encoder.encode(`Specification sheet, 1 x 2024 Corolla, ${Date.now()}\n`),
      {
        type: "specification-sheet-and-mileage-records",
        name: "spec.txt",
        mediaType: "text/plain",
      },
    );
    const manifest = await publishManifest(
      store,
      createManifest({
        goods: { description: "1 x 2024 Toyota Corolla", unit: "vehicle" },
        deliveryPlace: "Bonded warehouse 2, Port of Tema",
        documents: [sheet],
      }),
    );
    const chain = useChain(stack.chain, { document });
    const terms = await chain.buildTerms({
      buyer: address("buyer3"),
      seller: address("seller3"),
      manifestCid: cidToCommitment(manifest.cid),
    });
    tradeId = await chain.actions.openSigned(terms);
    await chain.actions.payAndShip(tradeId, terms);
    billOfLading = stored.get(`bill of lading ${tradeId}`)!;

    browser = await launchChromium();
  });

  const newPage = async () => {
    // A fresh context each time: nothing cached from an earlier audit.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error("page error:", error.message));
    page.on("request", (request) => {
      if (request.url().startsWith(stack.chain.rpcUrl)) rpcCalls.push(request.url());
      if (request.url().includes("/api/") && !request.url().includes("/api/stream"))
        apiCalls.push(request.url());
    });
    return page;
  };

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail")
      for (const context of browser.contexts())
        for (const page of context.pages())
          console.error(
            `${task.name}: the page said`,
            await page.locator("[role=alert], [role=status]").allInnerTexts(),
          );
  });

  afterAll(async () => {
    // Put the document's bytes back for whatever runs next on this stack.
    if (tampered !== undefined) await writeFile(tampered.path, tampered.original);
    await store?.close();
    await browser?.close();
  });

  it("passes every check of a trade, reading the chain's RPC and not the indexer", async () => {
    const page = await newPage();
    // What the page requests once the audit starts (the shell's live stream is open already).
    await auditTrade(page, tradeId, () => {
      rpcCalls.length = 0;
      apiCalls.length = 0;
    });
    const summary = page.getByTestId("audit-summary");
    expect(await summary.textContent()).toContain("Every check passed");
    expect(await summary.textContent()).toContain(`Trade ${tradeId}`);
    // The documents: the manifest, the sheet it lists and the bill of lading, each hashed here.
    const documents = page.getByTestId("audit-kind-document");
    await documents.locator("summary").click();
    const passedDocuments = documents.locator("[data-testid=audit-check][data-status=passed]");
    expect(await passedDocuments.count()).toBeGreaterThanOrEqual(3);
    expect(await documents.getByRole("link", { name: billOfLading.cid }).count()).toBe(1);
    // The seller's EIP-712 consent, with its signer.
    const signatures = page.getByTestId("audit-kind-signature");
    await signatures.locator("summary").click();
    expect(await signatures.textContent()).toContain(address("seller3"));
    // Funds: held equals owed.
    expect(await page.getByTestId("audit-kind-funds").getByRole("heading").textContent()).toMatch(
      /^Funds: [1-9]\d* passed, 0 failed/,
    );
    expect(rpcCalls.length).toBeGreaterThan(0);
    expect(apiCalls).toEqual([]);
    await screenshot(page, stack.screenshotDir, "auditor-workspace");
  });

  it("checks the whole contract: every trade rebuilt from events equals the chain's view", async () => {
    const page = await newPage();
    await page.goto(`${stack.appUrl}/auditor`);
    expect(await page.getByRole("radio", { name: "The whole contract" }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Run the audit in this browser" }).click();
    await page.getByTestId("audit-progress").waitFor({ timeout: AUDIT });
    await page.getByTestId("audit-summary").waitFor({ timeout: AUDIT });
    expect(await page.getByTestId("audit-summary").textContent()).toContain("The whole contract");
    // Every trade on this shared chain (other scenarios' too): each a check, none failed.
    const trades = await page.getByTestId("audit-kind-trade").getByRole("heading").textContent();
    const [, passed, failed] = /^Trades: (\d+) passed, (\d+) failed/.exec(trades ?? "") ?? [];
    expect(Number(passed)).toBeGreaterThanOrEqual(Number(tradeId));
    expect(Number(failed)).toBe(0);
  });

  it("fails the document check of a tampered document, naming its CID as a mismatch", async () => {
    const path = await blockFileOf(stack.ipfsDir, billOfLading.bytes);
    const original = await readFile(path);
    tampered = { path, original };
    // Same length, one word changed: the gateway serves these bytes under the old CID.
    await writeFile(path, Buffer.from(original.toString("utf8").replace("Auditor", "Forgery")));

    const page = await newPage();
    await auditTrade(page, tradeId, () => undefined);
    const summary = page.getByTestId("audit-summary");
    expect(await summary.textContent()).toContain("1 check failed.");
    const failed = page
      .getByTestId("audit-kind-document")
      .locator("[data-testid=audit-check][data-status=failed]");
    expect(await failed.count()).toBe(1);
    expect(await failed.getByTestId("audit-problem").textContent()).toBe("mismatch");
    expect(await failed.getByRole("link", { name: billOfLading.cid }).count()).toBe(1);
    expect(await failed.textContent()).toContain(`bytes served for ${billOfLading.cid}`);
    // Every other family still passes.
    expect(await page.locator("[data-testid=audit-check][data-status=failed]").count()).toBe(1);
    await screenshot(page, stack.screenshotDir, "auditor-tampered-document");
    // On a phone the report fits the screen: long CIDs and hashes wrap.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
