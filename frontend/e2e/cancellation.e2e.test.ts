import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createPublicClient, http, zeroAddress } from "viem";
import { tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import { hardhat } from "viem/chains";
import { address } from "@trade-escrow/sdk/devchain";
import { useChain } from "@trade-escrow/stack/devchain";
import { STEP, confirmed, expectState, openSession } from "./helpers.js";
import type { Session } from "./helpers.js";
import { WALLET_INFO } from "./wallet.js";

const stack = inject("stack");
const buyer = address("buyer3");
const seller = address("seller3");
const publicClient = createPublicClient({
  chain: hardhat,
  transport: http(stack.chain.rpcUrl, { retryCount: 0 }),
});

/** Moves the chain's clock and mines a block. */
async function advance(seconds: number) {
  await publicClient.request({ method: "evm_increaseTime", params: [seconds] } as never);
  await publicClient.request({ method: "evm_mine", params: [] } as never);
}

describe("a signed trade whose deposit never came: the seller cancels after the deposit window", () => {
  let s: Session;
  let tradeId: bigint;

  beforeAll(async () => {
    const chain = useChain(stack.chain);
    const terms = await chain.buildTerms({ buyer, seller, depositWindow: 3_600 });
    tradeId = await chain.actions.openSigned(terms);
    s = await openSession(stack.chain.rpcUrl, seller);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  it("offers the cancellation only once the window has passed, by the chain's clock", async () => {
    const { page } = s;
    await page.goto(`${stack.appUrl}/trades/${tradeId}`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    await expectState(page, "Signed");
    const cancel = page.getByRole("button", { name: "Cancel: the deposit was not paid in time" });
    await cancel.waitFor({ timeout: STEP });
    expect(await cancel.isDisabled()).toBe(true);
    expect(await page.getByTestId("cancel").textContent()).toContain("Possible from");
    await advance(3_601);
    await page.getByTestId("cancel").getByText("Possible now.").waitFor({ timeout: STEP });
    expect(await cancel.isEnabled()).toBe(true);
  });

  it("cancels the trade: nothing owed by either party", async () => {
    const { page, wallet } = s;
    await page.getByRole("button", { name: "Cancel: the deposit was not paid in time" }).click();
    await confirmed(page, "Cancel: the deposit was not paid in time");
    await expectState(page, "Cancelled");
    await wallet.use(buyer);
    await page.getByText("Nothing for the buyer to do now.").waitFor({ timeout: STEP });
    expect(await page.getByTestId("cancel").count()).toBe(0);
  });
});

describe("goods shipped and never delivered: the buyer cancels after the grace period", () => {
  let s: Session;
  let tradeId: bigint;
  const HOUR = 3_600;
  const recipient = address("relayer");
  const credit = () =>
    publicClient.readContract({
      address: stack.chain.tradeEscrow,
      abi: tradeEscrowAbi,
      functionName: "withdrawable",
      args: [buyer, zeroAddress],
    });

  beforeAll(async () => {
    const chain = useChain(stack.chain);
    const now = (await publicClient.getBlock()).timestamp;
    // Short windows: the chain's clock is shared with the files that run after this one (their
    // signatures' deadlines are days away). Latest delivery in 2 hours, the balance due an hour
    // before it, an hour's grace after it.
    const terms = await chain.buildTerms({
      buyer,
      seller,
      latestDelivery: now + BigInt(2 * HOUR),
      shipWindow: HOUR,
      deliveryGrace: HOUR,
    });
    tradeId = await chain.actions.openSigned(terms);
    await chain.actions.payAndShip(tradeId, terms);
    s = await openSession(stack.chain.rpcUrl, buyer);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  it("offers 'Cancel: goods not delivered' once the latest delivery plus the grace period passed", async () => {
    const { page } = s;
    await page.goto(`${stack.appUrl}/trades/${tradeId}`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    await expectState(page, "Shipped");
    const cancel = page.getByRole("button", { name: "Cancel: goods not delivered" });
    await cancel.waitFor({ timeout: STEP });
    expect(await cancel.isDisabled()).toBe(true);
    expect(await page.getByTestId("cancel").textContent()).toContain("Possible from");
    await advance(3 * HOUR + 60);
    await page.getByTestId("cancel").getByText("Possible now.").waitFor({ timeout: STEP });
    const before = await credit();
    await cancel.click();
    await confirmed(page, "Cancel: goods not delivered");
    await expectState(page, "Cancelled");
    // The whole price (10 ETH) back to the buyer; no bond was posted.
    expect((await credit()) - before).toBe(10n ** 19n);
  });

  it("withdraws the refund to another address", async () => {
    const { page } = s;
    const before = await publicClient.getBalance({ address: recipient });
    const owed = await credit();
    await page.getByLabel("Pay to another address (optional)").fill(recipient);
    await page.getByRole("button", { name: /^Withdraw / }).click();
    await confirmed(page, `Withdraw to ${recipient}`);
    expect((await publicClient.getBalance({ address: recipient })) - before).toBe(owed);
    expect(await credit()).toBe(0n);
  });
});
