import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { address } from "@trade-escrow/sdk/devchain";
import { screenshot } from "./browser.js";
import { STEP, confirmed, expectState, openSession, upload } from "./helpers.js";
import type { Session } from "./helpers.js";
import { WALLET_INFO } from "./wallet.js";

const stack = inject("stack");

describe("a direct payment: the seller drafts, the buyer pays the seller at once", () => {
  let s: Session;

  beforeAll(async () => {
    s = await openSession(stack.chain.rpcUrl, address("seller2"));
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  it("lets the seller draft a direct-payment order", async () => {
    const { page } = s;
    await page.goto(`${stack.appUrl}/seller`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    await page.getByText("No order waits for your signature.").waitFor({ timeout: STEP });
    const form = page.getByRole("form", { name: "New direct-payment order" });
    expect(await form.getByLabel("Protection").inputValue()).toBe("Direct");
    await form.getByLabel("Buyer").fill(address("buyer2"));
    await form.getByLabel("Designated warehouse operator").fill(address("operator"));
    await form.getByLabel("Total price (ETH)").fill("2");
    await form.getByLabel("Goods", { exact: true }).fill("1 x 2022 Hilux pick-up");
    await form.getByLabel("Delivery place").fill("Lagos, Apapa port");
    await form.getByRole("button", { name: "Sign and send the draft" }).click();
    await page.waitForURL(/\/trades\/\d+$/, { timeout: STEP });
    await expectState(page, "Proposed");
    await page.getByText("Direct", { exact: true }).first().waitFor();
  });

  it("lets the buyer sign and pay the whole price straight to the seller", async () => {
    const { page, wallet } = s;
    await wallet.use(address("buyer2"));
    await page.getByRole("button", { name: "Sign the contract" }).click();
    await confirmed(page, "Sign the contract");
    await expectState(page, "Signed");
    await page
      .getByRole("button", { name: "Pay the seller directly (2 ETH, no protection)" })
      .click();
    await confirmed(page, "Pay the seller");
    await expectState(page, "In fulfilment");
    expect(await page.getByTestId("amount-paid").textContent()).toBe("2 ETH");
  });

  it("lets the seller ship and the buyer confirm receipt; the seller's credit is the price less the fee", async () => {
    const { page, wallet } = s;
    await wallet.use(address("seller2"));
    await upload(page, "waybill.txt", "Waybill 0042, Apapa.\n");
    await page.getByRole("button", { name: "Mark shipped with waybill.txt" }).click();
    await confirmed(page, "Mark shipped");
    await expectState(page, "Shipped");

    await wallet.use(address("buyer2"));
    await page.getByRole("button", { name: "Confirm receipt" }).click();
    await confirmed(page, "Confirm receipt");
    await expectState(page, "Completed");
    await page.getByTestId("timeline").getByText("Receipt confirmed").waitFor({ timeout: STEP });

    await wallet.use(address("seller2"));
    await page.getByTestId("withdrawable").waitFor({ timeout: STEP });
    expect(await page.getByTestId("withdrawable").textContent()).toBe("1.98 ETH");
    await screenshot(page, stack.screenshotDir, "trade-page-direct-payment");
  });

  it("fits a phone's screen: no sideways scrolling on the trade page and the seller's workspace", async () => {
    const { page } = s;
    await page.setViewportSize({ width: 390, height: 844 });
    // How far the page is wider than the screen (evaluated in the page).
    const overflow = async () =>
      (await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      )) as number;
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, stack.screenshotDir, "phone-trade-page");
    await page.goto(`${stack.appUrl}/seller`);
    await page
      .getByRole("region", { name: "All your sales" })
      .getByRole("link", { name: /#\d+/ })
      .first()
      .waitFor({ timeout: STEP });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, stack.screenshotDir, "phone-seller-workspace");
  });
});
