import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createPublicClient, http, zeroAddress } from "viem";
import { hardhat } from "viem/chains";
import { tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import { address } from "@trade-escrow/sdk/devchain";
import { DAY, ETHER, useChain } from "@trade-escrow/stack/devchain";
import { screenshot } from "./browser.js";
import { STEP, confirmed, openSession, upload } from "./helpers.js";
import type { Session } from "./helpers.js";
import { WALLET_INFO } from "./wallet.js";

const stack = inject("stack");
const buyer = address("buyer3");
const seller = address("seller3");

describe("a claim settled by agreement: the seller signs a settlement, the buyer countersigns", () => {
  let s: Session;
  let tradeId: bigint;
  const chainClient = createPublicClient({
    chain: hardhat,
    transport: http(stack.chain.rpcUrl, { retryCount: 0 }),
  });
  const credit = (account: `0x${string}`) =>
    chainClient.readContract({
      address: stack.chain.tradeEscrow,
      abi: tradeEscrowAbi,
      functionName: "withdrawable",
      args: [account, zeroAddress],
    });

  beforeAll(async () => {
    // A delivered protected trade of 10 ETH with a 3-day claim window, and the buyer's claim of 10%.
    const chain = useChain(stack.chain);
    const terms = await chain.buildTerms({ buyer, seller, claimWindow: 3 * DAY });
    tradeId = await chain.actions.openSigned(terms);
    await chain.actions.payAndShip(tradeId, terms);
    await chain.actions.deliver(tradeId, terms);
    await chain.actions.fileClaim(tradeId, terms, 1_000);
    s = await openSession(stack.chain.rpcUrl, seller);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  let consent = "";

  it("lets the seller propose and sign a 1 ETH settlement (EIP-712), refusing more than is held", async () => {
    const { page, wallet } = s;
    await page.goto(`${stack.appUrl}/trades/${tradeId}`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    await page.getByRole("heading", { name: "Claim: Filed" }).waitFor({ timeout: STEP });
    const panel = page.getByTestId("settlement");
    await panel.getByText("Settle the claim by agreement").click();
    const refund = panel.getByLabel("Refund to the buyer (ETH)");
    await refund.fill("11");
    await panel.getByRole("button", { name: "Sign the settlement (EIP-712)" }).click();
    await panel.getByText("The refund cannot exceed what the escrow holds").waitFor();
    expect(wallet.calls).not.toContain("eth_signTypedData_v4");

    await refund.fill("1");
    await panel.getByRole("button", { name: "Sign the settlement (EIP-712)" }).click();
    const signed = panel.getByTestId("signed-settlement");
    await signed.waitFor({ timeout: STEP });
    expect(wallet.calls).toContain("eth_signTypedData_v4");
    consent = await signed.inputValue();
    const parsed = JSON.parse(consent) as Record<string, string>;
    expect(parsed).toMatchObject({
      tradeId: tradeId.toString(),
      refund: ETHER.toString(),
      signer: seller,
    });
    // The seller cannot countersign its own consent.
    await panel.getByTestId("incoming-settlement").fill(consent);
    await panel.getByText("not by the other party").waitFor();
  });

  it("lets the buyer add evidence to the open claim", async () => {
    const { page, wallet } = s;
    await wallet.use(buyer);
    // The claim's filing recorded the first evidence; this adds one more entry to the timeline.
    const evidence = page.getByTestId("timeline").getByText("Evidence", { exact: true });
    const before = await evidence.count();
    expect(before).toBeGreaterThanOrEqual(1);
    await page.getByText("Add evidence").click();
    await upload(page, "underbody.txt", "Photo: underbody corrosion, left sill.\n");
    await page.getByRole("button", { name: "Submit underbody.txt to the claim" }).click();
    await confirmed(page, "Submit evidence");
    await evidence.nth(before).waitFor({ timeout: STEP });
  });

  it("lets the buyer check the consent and countersign: the refund is credited, the claim settled", async () => {
    const { page } = s;
    const before = await credit(buyer);
    const panel = page.getByTestId("settlement");
    await panel.getByTestId("incoming-settlement").fill(consent);
    expect(await panel.getByTestId("settlement-terms").textContent()).toContain(
      "The seller agrees to refund 1 ETH to the buyer",
    );
    await panel.getByRole("button", { name: "Countersign and settle for 1 ETH" }).click();
    await confirmed(page, "Settle the claim");
    await page.getByRole("heading", { name: "Claim: Resolved" }).waitFor({ timeout: STEP });
    expect((await credit(buyer)) - before).toBe(ETHER);
    const claim = page.getByTestId("claim");
    await claim.getByText("Settled", { exact: true }).waitFor({ timeout: STEP });
    await page.getByTestId("timeline").getByText("Claim resolved").waitFor({ timeout: STEP });
    await screenshot(page, stack.screenshotDir, "trade-page-claim-settled");
  });
});
