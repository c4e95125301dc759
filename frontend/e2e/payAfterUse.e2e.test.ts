import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createPublicClient, createWalletClient, http } from "viem";
import { hardhat } from "viem/chains";
import { PaymentMode } from "@trade-escrow/sdk/contracts";
import { address, testStablecoin } from "@trade-escrow/sdk/devchain";
import { DAY, useChain } from "@trade-escrow/stack/devchain";
import { screenshot } from "./browser.js";
import { STEP, confirmed, expectState, openSession } from "./helpers.js";
import type { Session } from "./helpers.js";
import { WALLET_INFO } from "./wallet.js";

const stack = inject("stack");
const buyer = address("buyer2");
const seller = address("seller3");
const TUSD = (units: number) => BigInt(units) * 1_000_000n;

describe("pay after use: the buyer confirms receipt, collection fails, the pool pays and the buyer repays", () => {
  let s: Session;
  let tradeId: bigint;
  const transport = http(stack.chain.rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const token = async (role: "admin" | "buyer2", functionName: string, args: unknown[]) => {
    const wallet = createWalletClient({ chain: hardhat, transport, account: address(role) });
    const hash = await wallet.writeContract({
      address: stack.chain.usd,
      abi: testStablecoin().abi,
      functionName,
      args,
    } as never);
    await publicClient.waitForTransactionReceipt({ hash });
  };

  beforeAll(async () => {
    const chain = useChain(stack.chain);
    // The platform funds the guarantor pool and caps one buyer's exposure to it (no cap: pay after
    // use is closed in the token); the oracle scores the buyer 720 (above the threshold of 550).
    await token("admin", "mint", [address("admin"), TUSD(1_000)]);
    await token("admin", "approve", [stack.chain.tradeEscrow, TUSD(1_000)]);
    await chain.actions.fundPool(stack.chain.usd, TUSD(1_000));
    await chain.actions.setBuyerExposureCap(stack.chain.usd, TUSD(500));
    await chain.actions.recordCreditScore(buyer, 720);
    const terms = await chain.buildTerms({
      buyer,
      seller,
      token: stack.chain.usd,
      mode: PaymentMode.PayAfterUse,
      price: TUSD(100),
      depositBps: 0,
      collectAfter: 14 * DAY,
    });
    tradeId = await chain.actions.proposeAndAccept(terms);
    await chain.actions.start(tradeId, terms);
    await chain.actions.ship(tradeId, terms);
    await chain.actions.deliver(tradeId, terms);
    // The buyer withdraws its authorisation: the collection will fail.
    await token("buyer2", "approve", [stack.chain.tradeEscrow, 0n]);
    s = await openSession(stack.chain.rpcUrl, buyer);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  it("lets the buyer confirm receipt; the price is collected or guaranteed", async () => {
    const { page } = s;
    await page.goto(`${stack.appUrl}/trades/${tradeId}`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    await expectState(page, "Delivered");
    await page
      .getByRole("button", { name: "Confirm receipt (collects 100 TUSD as authorised)" })
      .click();
    await confirmed(page, "Confirm receipt");
    await expectState(page, "Completed");
  });

  it("shows the buyer's debt to the pool and repays it after an approval", async () => {
    const { page, wallet } = s;
    await page.goto(`${stack.appUrl}/buyer`);
    const form = page.getByRole("form", { name: "Repay TUSD" });
    await form.waitFor({ timeout: STEP });
    expect(await form.textContent()).toContain("You owe the guarantor pool 100 TUSD.");
    await screenshot(page, stack.screenshotDir, "buyer-workspace-debt");
    const before = wallet.calls.filter((m) => m === "eth_sendTransaction").length;
    await form.getByRole("button", { name: "Repay" }).click();
    await page.getByText("You owe nothing to the guarantor pool.").waitFor({ timeout: STEP });
    // Two transactions: the approval, then the repayment.
    expect(wallet.calls.filter((m) => m === "eth_sendTransaction").length - before).toBe(2);
  });
});
