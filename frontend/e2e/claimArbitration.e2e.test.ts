import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createPublicClient, http } from "viem";
import type { Address } from "viem";
import { hardhat } from "viem/chains";
import { arbitrationCourtAbi } from "@trade-escrow/sdk/contracts";
import { address } from "@trade-escrow/sdk/devchain";
import { screenshot } from "./browser.js";
import { STEP, confirmed, expectState, openSession, spareAccount, upload } from "./helpers.js";
import type { Session } from "./helpers.js";
import { WALLET_INFO } from "./wallet.js";

const stack = inject("stack");
const DAY = 86_400;
// Parties of their own, so the other scenarios' lists and credits are untouched.
const buyer = spareAccount(17);
const seller = spareAccount(18);
const transport = http(stack.chain.rpcUrl, { retryCount: 0 });
const publicClient = createPublicClient({ chain: hardhat, transport });

/** Moves the chain's clock (the court's windows are days long) and mines a block. */
async function advance(seconds: number) {
  await publicClient.request({ method: "evm_increaseTime", params: [seconds] } as never);
  await publicClient.request({ method: "evm_mine", params: [] } as never);
}

describe("a claim contested by the seller and ruled by arbitrators who commit and reveal", () => {
  let s: Session;
  let tradeId: bigint;
  let tradeUrl: string;

  beforeAll(async () => {
    s = await openSession(stack.chain.rpcUrl, buyer);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.error(`${task.name}: the page said`, await s.said());
  });
  afterAll(async () => {
    await s?.browser.close();
  });

  it("delivers a protected trade whose release waits for a 3-day claim window", async () => {
    const { page, wallet } = s;
    await page.goto(`${stack.appUrl}/buyer`);
    await page.getByRole("button", { name: WALLET_INFO.name }).click();
    const form = page.getByRole("form", { name: "New order" });
    await form.getByLabel("Seller (supplier)").fill(seller);
    await form.getByLabel("Designated warehouse operator").fill(address("operator"));
    await form.getByLabel("Total price (ETH)").fill("4");
    await form.getByLabel("Quantity", { exact: true }).fill("1");
    await form
      .getByLabel("Goods", { exact: true })
      .fill("1 x 2023 Land Cruiser 300, 3.3 L V6 diesel");
    await form.getByLabel("Delivery place").fill("Bonded warehouse 7, Port of Tema");
    await form.getByRole("button", { name: "Sign and send the order" }).click();
    await page.waitForURL(/\/trades\/\d+$/, { timeout: STEP });
    tradeUrl = page.url();
    tradeId = BigInt(/\/trades\/(\d+)$/.exec(tradeUrl)![1]!);

    await wallet.use(seller);
    await page.getByRole("button", { name: "Sign the contract" }).click();
    await expectState(page, "Signed");
    await wallet.use(buyer);
    await page.getByRole("button", { name: /Pay the deposit/ }).click();
    await expectState(page, "Deposited");
    await wallet.use(seller);
    await page.getByRole("button", { name: "Start fulfilment" }).click();
    await expectState(page, "In fulfilment");
    await wallet.use(buyer);
    await page.getByRole("button", { name: /Pay the balance/ }).click();
    await confirmed(page, "Pay the balance");
    await wallet.use(seller);
    await upload(page, "bl-tema.txt", "Bill of lading TEMA-9.\n");
    await page.getByRole("button", { name: "Mark shipped with bl-tema.txt" }).click();
    await expectState(page, "Shipped");
    await wallet.use(address("operator"));
    await page.getByLabel("Quantity received").fill("1");
    await page.getByRole("button", { name: "Sign and submit" }).click();
    await expectState(page, "Delivered");
  });

  it("lets the buyer file a claim with the agency's signed report and photo evidence", async () => {
    const { page, wallet } = s;
    // The accredited agency reports in its workspace and hands the signed report to the buyer.
    await wallet.use(address("agency"));
    await page.goto(`${stack.appUrl}/agency`);
    const form = page.getByRole("form", { name: "Inspection report" });
    await form.getByLabel("Trade id").fill(String(tradeId));
    await form.getByLabel("Variance found (% of the contract)").fill("10");
    await upload(page, "inspection.txt", `Inspection of trade ${tradeId}: 2022 2.7 L petrol.\n`);
    await form.getByRole("button", { name: "Sign the report (EIP-712) for the buyer" }).click();
    await form.getByTestId("signed-report").waitFor({ timeout: STEP });
    const signed = await form.getByTestId("signed-report").inputValue();
    expect(JSON.parse(signed)).toMatchObject({
      report: { tradeId: String(tradeId), agency: address("agency"), varianceBps: 1_000 },
    });
    await screenshot(page, stack.screenshotDir, "agency-workspace");
    await page.goto(tradeUrl);

    await wallet.use(buyer);
    await page.getByText("File a claim").click();
    await page.getByLabel("Refund asked (% of the price)").fill("10");
    await upload(page, "odometer.txt", "Photo: odometer at 31,000 km.\n");
    await page.getByLabel("The accredited agency's signed inspection report (JSON)").fill(signed);
    await page.getByRole("button", { name: "File the claim" }).click();
    await confirmed(page, "File the claim");
    await page.getByRole("heading", { name: "Claim: Filed" }).waitFor({ timeout: STEP });
  });

  it("lets the seller contest with counter-evidence, paying the court's fee", async () => {
    const { page, wallet } = s;
    await wallet.use(seller);
    await upload(page, "service-record.txt", "Service record: 11,500 km at delivery.\n");
    await page
      .getByRole("button", { name: "Contest before the court (pays the court's fee)" })
      .click();
    await confirmed(page, "Contest the claim");
    await page.getByRole("heading", { name: "Claim: Contested" }).waitFor({ timeout: STEP });
  });

  it("draws a panel whose members commit and then reveal sealed votes in the arbitrator workspace", async () => {
    const { page, wallet } = s;
    const detail = (await (await fetch(`${stack.appUrl}/api/trades/${tradeId}`)).json()) as {
      claim: { disputeId: string };
    };
    const disputeId = detail.claim.disputeId;
    expect(disputeId).toMatch(/^\d+$/);
    // The panel comes from the draw block's hash: mine past it.
    await publicClient.request({ method: "hardhat_mine", params: ["0x2"] } as never);
    await wallet.use(address("arbitrator1"));
    await page.goto(`${stack.appUrl}/arbitrator`);
    const card = page.getByTestId(`dispute-${disputeId}`);
    await card.getByRole("button", { name: "Draw the panel" }).click();
    await confirmed(page, "Draw the panel");
    const panel = (await publicClient.readContract({
      address: stack.chain.arbitrationCourt,
      abi: arbitrationCourtAbi,
      functionName: "panel",
      args: [BigInt(disputeId)],
    })) as readonly Address[];
    expect(panel).toHaveLength(3);

    for (const member of panel) {
      await wallet.use(member);
      await card.getByLabel("Refund to the buyer (% of the price)").fill("10");
      await card.getByRole("button", { name: "Commit a sealed vote" }).click();
      await card.getByText("Your sealed vote: refund 10%").waitFor({ timeout: STEP });
      await confirmed(page, "Commit the sealed vote");
    }
    await screenshot(page, stack.screenshotDir, "arbitrator-workspace-dispute");

    await advance(2 * DAY + 1);
    for (const member of panel) {
      await wallet.use(member);
      await card.getByRole("button", { name: "Reveal my vote" }).click();
      await confirmed(page, "Reveal the vote");
    }
    await card.getByRole("button", { name: "Close the round and rule" }).click();
    await confirmed(page, "Close the round");
    await card
      .getByTestId("dispute-ruling")
      .filter({ hasText: "refund 10%" })
      .waitFor({ timeout: STEP });

    // While the court's appeal window is open, a party sees the first ruling and may appeal it.
    await wallet.use(buyer);
    await page.goto(tradeUrl);
    const appeal = page.getByTestId("appeal");
    await appeal.getByText("refund 10%").waitFor({ timeout: STEP });
    const appealButton = appeal.getByRole("button", {
      name: /^Appeal \(pays the court's [\d.]+ ETH appeal fee\)$/,
    });
    expect(await appealButton.isEnabled()).toBe(true);
    await wallet.use(panel[0]!);
    await page.goto(`${stack.appUrl}/arbitrator`);

    await advance(3 * DAY + 1);
    await card.getByRole("button", { name: "Finalize and deliver the ruling" }).click();
    await confirmed(page, "Finalize the ruling");
  });

  it("executes the ruling: 10% of the price refunded to the buyer, the rest released", async () => {
    const { page, wallet } = s;
    await wallet.use(buyer);
    await page.goto(tradeUrl);
    await page.getByRole("button", { name: "Execute the court's ruling" }).click();
    await confirmed(page, "Execute the ruling");
    await page.getByRole("heading", { name: "Claim: Resolved" }).waitFor({ timeout: STEP });
    await page
      .getByTestId("withdrawable")
      .filter({ hasText: "0.4 ETH" })
      .waitFor({ timeout: STEP });
    await screenshot(page, stack.screenshotDir, "trade-page-claim-ruled");
  });
});
