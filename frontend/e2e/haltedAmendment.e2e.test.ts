import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { address } from "@trade-escrow/sdk/devchain";
import { screenshot } from "./browser.js";
import { STEP, confirmed, expectState, openSession, upload } from "./helpers.js";
import type { Session } from "./helpers.js";
import { WALLET_INFO } from "./wallet.js";

const stack = inject("stack");

describe("a trade halted by a short delivery, amended by both parties and completed", () => {
  let s: Session;

  beforeAll(async () => {
    s = await openSession(stack.chain.rpcUrl, address("buyer3"));
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  it("runs the trade to shipment", async () => {
    const { page, wallet } = s;
    await page.goto(`${stack.appUrl}/buyer`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    const form = page.getByRole("form", { name: "New order" });
    await form.getByLabel("Seller (supplier)").fill(address("seller3"));
    await form.getByLabel("Designated warehouse operator").fill(address("operator2"));
    await form.getByLabel("Total price (ETH)").fill("5");
    await form.getByLabel("Quantity", { exact: true }).fill("10");
    await form.getByLabel("Claim window after arrival (days)").fill("0");
    await form.getByLabel("Goods", { exact: true }).fill("10 t of cocoa beans, grade 1");
    await form.getByLabel("Delivery place").fill("Warehouse 3, Port of Abidjan");
    await form.getByRole("button", { name: "Sign and send the order" }).click();
    await page.waitForURL(/\/trades\/\d+$/, { timeout: STEP });

    await wallet.use(address("seller3"));
    await page.getByRole("button", { name: "Sign the contract" }).click();
    await expectState(page, "Signed");
    await wallet.use(address("buyer3"));
    await page.getByRole("button", { name: /Pay the deposit/ }).click();
    await expectState(page, "Deposited");
    await wallet.use(address("seller3"));
    await page.getByRole("button", { name: "Start fulfilment" }).click();
    await expectState(page, "In fulfilment");
    await wallet.use(address("buyer3"));
    await page.getByRole("button", { name: /Pay the balance/ }).click();
    await confirmed(page, "Pay the balance");
    await wallet.use(address("seller3"));
    await upload(page, "bl-abidjan.txt", "Bill of lading ABJ-77.\n");
    await page.getByRole("button", { name: "Mark shipped with bl-abidjan.txt" }).click();
    await expectState(page, "Shipped");
  });

  it("halts when the operator attests 8 of 10 tonnes, outside the 5% tolerance", async () => {
    const { page, wallet } = s;
    await wallet.use(address("operator2"));
    await page.getByLabel("Attestation").selectOption({ label: "Goods received (receipt only)" });
    await page.getByLabel("Quantity received").fill("8");
    await page.getByRole("button", { name: "Sign and submit" }).click();
    await confirmed(page, "Submit attestation");
    await expectState(page, "Halted");
    await page.getByText("Nothing moves until buyer and seller sign an amendment.").waitFor();
  });

  it("resumes once the seller signs an amendment to 8 tonnes and the buyer countersigns it", async () => {
    const { page, wallet } = s;
    await wallet.use(address("seller3"));
    await page.getByLabel("Quantity", { exact: true }).fill("8");
    await page.getByRole("button", { name: "Sign the amendment (EIP-712)" }).click();
    const signed = page.getByTestId("signed-amendment");
    await signed.waitFor({ timeout: STEP });
    const consent = await signed.inputValue();
    expect(JSON.parse(consent)).toMatchObject({ version: 1, terms: { quantity: "8" } });

    await wallet.use(address("buyer3"));
    await page.getByTestId("incoming-amendment").fill(consent);
    await page.getByText("What the amendment changes").waitFor();
    await page.getByRole("button", { name: "Countersign and submit the amendment" }).click();
    await confirmed(page, "Amend the trade");
    await page
      .getByTestId("trade-state")
      .filter({ hasNotText: "Halted" })
      .waitFor({ timeout: STEP });
    const diff = page.getByTestId("terms-diff");
    await diff.waitFor({ timeout: STEP });
    expect(await diff.getByRole("row", { name: /quantity/ }).innerText()).toMatch(
      /quantity\s+10\s+8/,
    );
  });

  it("completes after the operator transfers title of the lot judged against the amended terms", async () => {
    const { page, wallet } = s;
    await expectState(page, "Received");
    await wallet.use(address("operator2"));
    await page.getByRole("button", { name: "Sign and submit" }).click();
    await confirmed(page, "Submit attestation");
    await expectState(page, "Completed");
    await page.getByTestId("timeline").getByText("Trade amended").waitFor({ timeout: STEP });
    await screenshot(page, stack.screenshotDir, "trade-page-amended");
  });
});
