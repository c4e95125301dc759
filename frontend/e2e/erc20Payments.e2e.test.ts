import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createPublicClient, createWalletClient, http } from "viem";
import { hardhat } from "viem/chains";
import { address } from "@trade-escrow/sdk/devchain";
import { testStablecoin } from "@trade-escrow/sdk/devchain";
import { STEP, confirmed, expectState, openSession, spareAccount } from "./helpers.js";
import type { Session } from "./helpers.js";
import { WALLET_INFO } from "./wallet.js";

const stack = inject("stack");
const buyer = spareAccount(19);
const seller = spareAccount(18);

describe("an ERC-20 trade: the deposit paid with a permit, the balance after an approval", () => {
  let s: Session;

  beforeAll(async () => {
    // The buyer holds 1,000 TUSD and has approved nothing.
    const transport = http(stack.chain.rpcUrl, { retryCount: 0 });
    const admin = createWalletClient({ chain: hardhat, transport, account: address("admin") });
    const hash = await admin.writeContract({
      address: stack.chain.usd,
      abi: testStablecoin().abi,
      functionName: "mint",
      args: [buyer, 1_000_000_000n],
    });
    await createPublicClient({ chain: hardhat, transport }).waitForTransactionReceipt({ hash });
    s = await openSession(stack.chain.rpcUrl, buyer);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  it("orders in TUSD and has the seller sign", async () => {
    const { page, wallet } = s;
    await page.goto(`${stack.appUrl}/buyer`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    const form = page.getByRole("form", { name: "New order" });
    await form.getByLabel("Token").selectOption({ label: "TUSD" });
    await form.getByLabel("Seller (supplier)").fill(seller);
    await form.getByLabel("Designated warehouse operator").fill(address("operator"));
    await form.getByLabel("Total price (TUSD)").fill("100");
    await form.getByLabel("Claim window after arrival (days)").fill("0");
    await form.getByLabel("Goods", { exact: true }).fill("200 kg of green coffee");
    await form.getByLabel("Delivery place").fill("Warehouse 2, Port of Mombasa");
    await form.getByRole("button", { name: "Sign and send the order" }).click();
    await page.waitForURL(/\/trades\/\d+$/, { timeout: STEP });
    await wallet.use(seller);
    await page.getByRole("button", { name: "Sign the contract" }).click();
    await expectState(page, "Signed");
  });

  it("pays the deposit with an EIP-2612 permit: one signature, one transaction, no approval", async () => {
    const { page, wallet } = s;
    await wallet.use(buyer);
    const before = wallet.calls.length;
    await page
      .getByRole("button", { name: "Sign a permit and pay the deposit in one transaction" })
      .click();
    await confirmed(page, "Pay the deposit with a permit");
    await expectState(page, "Deposited");
    const calls = wallet.calls.slice(before);
    expect(calls.filter((m) => m === "eth_signTypedData_v4")).toHaveLength(1);
    expect(calls.filter((m) => m === "eth_sendTransaction")).toHaveLength(1);
    expect(await page.getByTestId("amount-due").textContent()).toBe("70 TUSD");
  });

  it("pays the balance after approving the escrow for it: two transactions", async () => {
    const { page, wallet } = s;
    await wallet.use(seller);
    await page.getByRole("button", { name: "Start fulfilment" }).click();
    await expectState(page, "In fulfilment");
    await wallet.use(buyer);
    const before = wallet.calls.length;
    await page.getByRole("button", { name: "Pay the balance (70 TUSD)" }).click();
    await confirmed(page, "Pay the balance");
    await page
      .getByTestId("amount-due")
      .filter({ hasText: /^0 TUSD$/ })
      .waitFor({ timeout: STEP });
    expect(wallet.calls.slice(before).filter((m) => m === "eth_sendTransaction")).toHaveLength(2);
    expect(await page.getByTestId("amount-paid").textContent()).toBe("100 TUSD");
  });
});
