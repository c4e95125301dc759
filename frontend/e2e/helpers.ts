import type { Page } from "playwright-core";
import type { Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { HARDHAT_MNEMONIC } from "@trade-escrow/sdk/devchain";
import { installWallet } from "./wallet.js";
import type { TestWallet } from "./wallet.js";
import { launchChromium } from "./browser.js";
import type { Browser } from "playwright-core";

/** How long one step may take: a transaction mined, then indexed, then shown. */
export const STEP = 30_000;

/** The trade page's state badge, once it reads `state` (the indexer follows the chain live). */
export async function expectState(page: Page, state: string): Promise<void> {
  await page.getByTestId("trade-state").filter({ hasText: state }).waitFor({ timeout: STEP });
}

/** The transaction status line of `label`, once confirmed. */
export async function confirmed(page: Page, label: string): Promise<void> {
  await page
    .getByTestId("tx-status")
    .filter({ hasText: `${label}: confirmed` })
    .waitFor({ timeout: STEP });
}

export type Session = {
  browser: Browser;
  page: Page;
  wallet: TestWallet;
  said(): Promise<string[]>;
};

/** Chromium with the test wallet injected; page errors go to the test's output. */
export async function openSession(rpcUrl: string, account: Address): Promise<Session> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => process.stderr.write(`page error: ${error.message}\n`));
  const wallet = await installWallet(page, rpcUrl, account);
  return {
    browser,
    page,
    wallet,
    said: () => page.locator("[role=alert], [role=status]").allInnerTexts(),
  };
}

/** Uploads a small text document through the visible uploader. */
export async function upload(page: Page, name: string, text: string): Promise<void> {
  await page
    .getByLabel("File")
    .setInputFiles({ name, mimeType: "text/plain", buffer: Buffer.from(text) });
  await page.getByRole("button", { name: "Upload" }).click();
  await page.getByTestId("uploaded-documents").getByText(name).waitFor({ timeout: STEP });
}

/**
 * A funded development account the indexer's role table leaves free (Hardhat funds twenty), so a
 * scenario's parties start with no history of their own.
 */
export const spareAccount = (index: 17 | 18 | 19): Address =>
  mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index }).address;
