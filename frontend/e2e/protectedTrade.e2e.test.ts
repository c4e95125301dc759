import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { address } from "@trade-escrow/sdk/devchain";
import { launchChromium, screenshot } from "./browser.js";
import { WALLET_INFO, installWallet } from "./wallet.js";
import type { TestWallet } from "./wallet.js";

const stack = inject("stack");
const STEP = 30_000;

/** The trade page's state badge, once it reads `state` (the indexer follows the chain live). */
async function expectState(page: Page, state: string) {
  await page.getByTestId("trade-state").filter({ hasText: state }).waitFor({ timeout: STEP });
}

/** The trade page's entry for the manifest, in its list of documents. */
function manifestOf(page: Page) {
  return page
    .getByRole("region", { name: "Documents" })
    .getByRole("listitem")
    .filter({ has: page.locator(".badge", { hasText: /^Manifest$/ }) });
}

async function confirmed(page: Page, label: string) {
  await page
    .getByTestId("tx-status")
    .filter({ hasText: `${label}: confirmed` })
    .waitFor({ timeout: STEP });
}

describe("a protected trade across buyer, seller and operator", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let wallet: TestWallet;
  let tradeUrl: string;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on("pageerror", (error) => console.error("page error:", error.message));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning")
        console.error(`page ${m.type()}:`, m.text());
    });
    wallet = await installWallet(page, stack.chain.rpcUrl, address("buyer"));
  });

  afterEach(async ({ task }) => {
    if (task.result?.state !== "fail") return;
    // What the page said when a step failed: its alerts and statuses.
    const said = await page.locator("[role=alert], [role=status]").allInnerTexts();
    console.error(`${task.name}: the page said`, said);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("connects the injected wallet found by EIP-6963 and shows the buyer's empty workspace", async () => {
    await page.goto(`${stack.appUrl}/buyer`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    await page.getByTestId("account").waitFor();
    expect(await page.getByTestId("account").textContent()).toContain(WALLET_INFO.name);
    await page.getByText("No orders yet: place one below.").waitFor();
    expect(wallet.calls).toContain("eth_requestAccounts");
  });

  it("prompts to switch when the wallet is on another network, and switches it", async () => {
    await wallet.useChain(1);
    const banner = page.getByText("Your wallet is on chain 1; this dApp runs on");
    await banner.waitFor({ timeout: STEP });
    await page.getByText("Switch your wallet to the right network to see your trades.").waitFor();
    await page.getByRole("button", { name: /^Switch to / }).click();
    await banner.waitFor({ state: "detached", timeout: STEP });
    expect(wallet.calls).toContain("wallet_switchEthereumChain");
    await page.getByText("No orders yet: place one below.").waitFor({ timeout: STEP });
  });

  it("refuses an order with invalid terms, naming each one", async () => {
    await page.getByLabel("Seller (supplier)").fill("0x1234");
    await page.getByRole("button", { name: "Sign and send the order" }).click();
    await page.getByText("The seller must be an address (0x and 40 hex digits)").waitFor();
    await page.getByText("The price must be a number such as 1250 or 0.5").waitFor();
    await page.getByText("The goods description is required").waitFor();
  });

  it("places an order with a document: the manifest's CID, then the terms signed on chain", async () => {
    await page.getByLabel("Seller (supplier)").fill(address("seller"));
    await page.getByLabel("Designated warehouse operator").fill(address("operator"));
    await page.getByLabel("Total price (ETH)").fill("10");
    await page.getByLabel("Quantity", { exact: true }).fill("10");
    await page.getByLabel("Claim window after arrival (days)").fill("0");
    await page
      .getByLabel("Goods", { exact: true })
      .fill("10 x 2023 Toyota Land Cruiser 300, 3.3 L V6 diesel, white");
    await page.getByLabel("Delivery place").fill("Bonded warehouse 7, Port of Tema, Ghana");
    await page.getByLabel("File").setInputFiles({
      name: "spec-sheet.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Specification sheet: 2023, 3.3 L V6 diesel, 12,000 km.\n"),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    const uploaded = page.getByTestId("uploaded-documents").locator("code.cid", {
      hasText: /^bafkrei/,
    });
    await uploaded.waitFor();
    const specSheetCid = await uploaded.textContent();
    await screenshot(page, stack.screenshotDir, "buyer-workspace");
    await page.getByRole("button", { name: "Sign and send the order" }).click();
    await page.waitForURL(/\/trades\/\d+$/, { timeout: STEP });
    tradeUrl = page.url();
    await expectState(page, "Proposed");
    // The trade page lists the manifest the terms commit to, under its CID; the link opens the
    // manifest the order form published, which lists the spec sheet under the CID computed on upload.
    const manifestLink = manifestOf(page).getByRole("link").first();
    await manifestLink.waitFor({ timeout: STEP });
    const manifestCid = await manifestLink.getAttribute("title");
    expect(manifestCid).toMatch(/^baf[a-z2-7]+$/);
    expect(await manifestLink.textContent()).toBe(`${(manifestCid ?? "").slice(0, 16)}…`);
    const href = (await manifestLink.getAttribute("href")) ?? "";
    expect(href).toBe(`/ipfs/${manifestCid}`);
    const published = (await (await fetch(new URL(href, stack.appUrl))).json()) as {
      documents: { name: string; cid: string }[];
    };
    expect(published.documents).toEqual([
      expect.objectContaining({ name: "spec-sheet.txt", cid: specSheetCid }),
    ]);
  });

  it("lets the seller sign the contract, after which the buyer pays the deposit", async () => {
    await wallet.use(address("seller"));
    await page.getByRole("button", { name: "Sign the contract" }).click();
    await confirmed(page, "Sign the contract");
    await expectState(page, "Signed");

    await wallet.use(address("buyer"));
    await page.getByRole("button", { name: /Pay the deposit \(3 ETH\)/ }).click();
    await confirmed(page, "Pay the deposit");
    await expectState(page, "Deposited");
    expect(await page.getByTestId("amount-due").textContent()).toBe("7 ETH");
  });

  it("shows a rejected signature as a readable message", async () => {
    await wallet.use(address("seller"));
    wallet.rejectNext("eth_sendTransaction");
    await page.getByRole("button", { name: "Start fulfilment" }).click();
    await page
      .getByText("Start fulfilment failed: You rejected the request in your wallet.")
      .waitFor();
  });

  it("runs fulfilment: the seller starts, the buyer pays the balance, the seller ships with a bill of lading", async () => {
    await page.getByRole("button", { name: "Start fulfilment" }).click();
    await confirmed(page, "Start fulfilment");
    await expectState(page, "In fulfilment");

    await wallet.use(address("buyer"));
    await page.getByRole("button", { name: /Pay the balance \(7 ETH\)/ }).click();
    await confirmed(page, "Pay the balance");
    await page
      .getByTestId("amount-due")
      .filter({ hasText: /^0 ETH$/ })
      .waitFor({ timeout: STEP });

    await wallet.use(address("seller"));
    await page.getByLabel("File").setInputFiles({
      name: "bill-of-lading.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Bill of lading MSCU 1234567, Tema.\n"),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("button", { name: "Mark shipped with bill-of-lading.txt" }).click();
    await confirmed(page, "Mark shipped");
    await expectState(page, "Shipped");
  });

  it("lets the operator attest receipt and title transfer, which releases the money", async () => {
    await screenshot(page, stack.screenshotDir, "trade-page-shipped");
    await wallet.use(address("operator"));
    await page.goto(`${stack.appUrl}/operator`);
    const awaiting = page.getByRole("region", { name: "Awaiting receipt or arrival" });
    await awaiting.getByRole("link", { name: /#\d+/ }).first().waitFor({ timeout: STEP });
    await screenshot(page, stack.screenshotDir, "operator-workspace");
    await page.goto(tradeUrl);
    await page.getByLabel("Quantity received").fill("10");
    // The time defaults to the latest block's: after the shipment, not after the chain's now.
    expect(await page.getByLabel("Received at (UTC)").inputValue()).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/,
    );
    await page.getByRole("button", { name: "Sign and submit" }).click();
    await confirmed(page, "Submit attestation");
    await expectState(page, "Completed");
    const timeline = page.getByTestId("timeline");
    await timeline.getByText("Funds released").waitFor({ timeout: STEP });
    await timeline.getByText("Title transferred").waitFor();
  });

  it("verifies the manifest's bytes against its CID in the browser", async () => {
    await page.getByRole("button", { name: "Verify" }).first().click();
    await page.getByTestId("cid-verified").first().waitFor({ timeout: STEP });
    expect(await page.getByTestId("cid-verified").first().textContent()).toMatch(/bytes match CID/);
    await screenshot(page, stack.screenshotDir, "trade-page-completed");
  });

  it("lets the seller withdraw the proceeds and the buyer rate the seller", async () => {
    await wallet.use(address("seller"));
    const withdraw = page.getByRole("button", { name: /^Withdraw / });
    await withdraw.waitFor({ timeout: STEP });
    // 10 ETH less the 1% platform fee.
    expect(await page.getByTestId("withdrawable").textContent()).toBe("9.9 ETH");
    await withdraw.click();
    await confirmed(page, "Withdraw");

    await wallet.use(address("buyer"));
    await page.getByRole("button", { name: "Rate" }).click();
    await confirmed(page, "Rate the seller");
    await page.getByTestId("timeline").getByText("Seller rated").waitFor({ timeout: STEP });
  });

  it("shows the seller's workspace and the arbitrator's empty state", async () => {
    await wallet.use(address("seller"));
    await page.goto(`${stack.appUrl}/seller`);
    await page
      .getByRole("region", { name: "All your sales" })
      .getByRole("link", { name: /#\d+/ })
      .first()
      .waitFor();
    await screenshot(page, stack.screenshotDir, "seller-workspace");
    // An account on no panel (the claim scenario may have drawn any arbitrator): the empty state.
    await wallet.use(address("relayer"));
    await page.goto(`${stack.appUrl}/arbitrator`);
    await page.getByText("No dispute is assigned to you.").waitFor({ timeout: STEP });
    await screenshot(page, stack.screenshotDir, "arbitrator-workspace");
  });
});
