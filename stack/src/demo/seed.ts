import { erc20Abi, parseAbi, zeroAddress } from "viem";

import {
  AttestationKind,
  Milestone,
  PaymentMode,
  tradeStateNames,
} from "@trade-escrow/sdk/contracts";
import type { DocumentStore } from "@trade-escrow/sdk/store";
import { address } from "@trade-escrow/sdk/devchain";
import type { DevDeployment, Role } from "@trade-escrow/sdk/devchain";
import { DAY, ETHER, useChain } from "../devchain/index.js";
import { createDemoDocuments } from "./documents.js";

/** Demo USD has 6 decimals. */
const DUSD = (amount: number) => BigInt(amount) * 10n ** 6n;
const stablecoinAbi = [...erc20Abi, ...parseAbi(["function mint(address to, uint256 amount)"])];

export type DemoTrade = { id: bigint; title: string; state: string };

export type SeedDemoParameters = {
  /** The deployed platform, with the demo stablecoin as `usd`. */
  deployed: DevDeployment;
  /** Where the demo's documents go (the store the gateway serves). */
  store: DocumentStore;
  /** Told each trade as it is seeded. */
  progress?: (message: string) => void;
};

/**
 * Seeds the demo trades that show every part of the product (SPEC.md): the automotive export with
 * the 30/70 schedule and its eight documents, completed; a shipment in transit with milestones; a
 * trade halted for a short delivery and amended; a direct payment; a pay-after-use order awaiting
 * collection; an order awaiting the seller's confirmation; and a contested claim the arbitrators
 * have voted on. Buyers rate the sellers of completed trades. Every document is stored in `store`
 * and committed on chain. Returns the trades with the state each ended in.
 */
export async function seedDemo(parameters: SeedDemoParameters): Promise<DemoTrade[]> {
  const { deployed, store } = parameters;
  const progress = parameters.progress ?? (() => {});
  const documents = createDemoDocuments(store);
  const chain = useChain(deployed, { document: documents.textDocument });
  const { actions, buildTerms, wallet, publicClient } = chain;
  const usd = deployed.usd;
  const trades: DemoTrade[] = [];
  const done = async (id: bigint, title: string) => {
    const state = tradeStateNames[(await actions.view(id)).state] ?? "unknown";
    trades.push({ id, title, state });
    progress(`trade ${id}: ${title} (${state})`);
  };
  const stablecoin = async (role: Role, functionName: "mint" | "approve", args: unknown[]) => {
    const hash = await wallet(role).writeContract({
      address: usd,
      abi: stablecoinAbi,
      functionName,
      args,
    } as never);
    await publicClient.waitForTransactionReceipt({ hash });
  };

  // Money: Demo USD for the buyers and the platform's guarantor pool, each approving the escrow.
  for (const role of ["admin", "buyer", "buyer2", "buyer3"] as const) {
    await stablecoin("admin", "mint", [address(role), DUSD(1_000_000)]);
    await stablecoin(role, "approve", [deployed.tradeEscrow, 2n ** 255n]);
  }
  await actions.fundPool(usd, DUSD(250_000));
  // Pay after use is closed in a token until the admin caps one buyer's exposure to its pool.
  await actions.setBuyerExposureCap(usd, DUSD(50_000));

  // 1. The automotive export (seed 001): 30% deposit, 70% balance, eight documents, completed.
  {
    const terms = await buildTerms({
      token: usd,
      price: DUSD(48_500),
      quantity: 1n,
      toleranceBps: 0,
      manifestCid: await documents.automotiveManifest(),
    });
    const id = await actions.openSigned(terms);
    await actions.payAndShip(id, terms);
    // Dispatch is the shipment itself and arrival at port the operator's attestation.
    for (const milestone of [Milestone.Departed, Milestone.CustomsCleared])
      await actions.milestone(id, terms, milestone);
    await actions.deliver(id, terms);
    await actions.withdraw("seller", usd);
    await actions.rate(id, terms, [5, 5, 4]);
    await done(id, "Automotive export, 30/70, eight documents");
  }

  // 2. Cocoa in transit: paid in full, shipped, at sea.
  {
    const terms = await buildTerms({
      buyer: address("buyer2"),
      seller: address("seller2"),
      operator: address("operator2"),
      price: 12n * ETHER,
      quantity: 25n,
      manifestCid: await documents.manifest(
        { description: "Ghanaian cocoa beans, grade 1, 64 kg bags", unit: "tonne" },
        "Warehouse 3, Port of Antwerp, Belgium",
      ),
    });
    const id = await actions.proposeAndAccept(terms);
    await actions.payAndShip(id, terms);
    await actions.milestone(id, terms, Milestone.Departed);
    await done(id, "Cocoa beans in transit");
  }

  // 3. Solar panels: 8 pallets of 10 arrive; the trade halts; both sign an amendment for 8.
  {
    const terms = await buildTerms({
      buyer: address("buyer3"),
      seller: address("seller3"),
      token: usd,
      price: DUSD(24_000),
      quantity: 10n,
      toleranceBps: 500,
      manifestCid: await documents.manifest(
        { description: "Monocrystalline solar panels, 550 W, 36 per pallet", unit: "pallet" },
        "Bonded warehouse 2, Port of Mombasa, Kenya",
      ),
    });
    const id = await actions.proposeAndAccept(terms);
    await actions.payAndShip(id, terms);
    await actions.deliver(id, terms, 8n);
    await actions.amend(id, terms, { ...terms, quantity: 8n, price: DUSD(19_200) }, 1);
    await done(id, "Solar panels: short delivery, halted, amended");
  }

  // 4. A direct payment (seed 002): no escrow; the seller is paid at once; the buyer confirms.
  {
    const terms = await buildTerms({
      buyer: address("buyer2"),
      seller: address("seller"),
      operator: zeroAddress,
      token: usd,
      mode: PaymentMode.Direct,
      price: DUSD(3_200),
      quantity: 40n,
      depositBps: 10_000,
      collectAfter: 7 * DAY,
      manifestCid: await documents.manifest(
        { description: "Alloy wheel sets, 18 inch", unit: "set" },
        "Buyer's warehouse, Tema, Ghana",
      ),
    });
    const id = await actions.proposeAndAccept(terms);
    await actions.payDirect(id, terms);
    await actions.ship(id, terms);
    await actions.confirmReceipt(id, terms);
    // No operator attested title, so the rating counts only if the platform fee reached the floor the
    // admin set for Demo USD: 1% of 3,200 is 32, above a floor of 10.
    await actions.setMinRatingFee(usd, DUSD(10));
    await actions.rate(id, terms, [4, 3, 5]);
    await done(id, "Direct payment for wheel sets");
  }

  // 5. Pay after use (seed 004): a buyer scored 720 orders with nothing up front.
  {
    await actions.recordCreditScore(address("buyer3"), 720);
    const terms = await buildTerms({
      buyer: address("buyer3"),
      seller: address("seller2"),
      operator: address("operator2"),
      token: usd,
      mode: PaymentMode.PayAfterUse,
      price: DUSD(6_500),
      quantity: 100n,
      depositBps: 0,
      collectAfter: 14 * DAY,
      manifestCid: await documents.manifest(
        { description: "Drip irrigation kits, 1 ha", unit: "kit" },
        "Warehouse 5, Lomé, Togo",
      ),
    });
    const id = await actions.proposeAndAccept(terms);
    await actions.start(id, terms);
    await actions.ship(id, terms);
    await actions.deliver(id, terms);
    await done(id, "Pay after use: irrigation kits awaiting collection");
  }

  // 6. An order the seller has not confirmed yet.
  {
    const terms = await buildTerms({
      seller: address("seller3"),
      token: usd,
      price: DUSD(15_750),
      quantity: 300n,
      manifestCid: await documents.manifest(
        { description: "Cashew kernels W320, vacuum packed", unit: "carton" },
        "Cold store 1, Port of Tema, Ghana",
      ),
    });
    const id = await actions.propose(terms);
    await done(id, "Cashew kernels: order awaiting the seller");
  }

  // 7. A claim the seller contests; three arbitrators commit and reveal (last: it moves the clock).
  {
    const terms = await buildTerms({
      seller: address("seller2"),
      token: usd,
      price: DUSD(31_000),
      quantity: 1n,
      toleranceBps: 0,
      claimWindow: 3 * DAY,
      manifestCid: await documents.manifest(
        { description: "2023 Toyota Hilux 2.8 T diesel, double cab", unit: "vehicle" },
        "Bonded warehouse 7, Port of Tema, Ghana",
      ),
    });
    const id = await actions.proposeAndAccept(terms);
    await actions.payAndShip(id, terms);
    await actions.attest(id, terms, AttestationKind.PortArrival, 0, 0n);
    await actions.deliver(id, terms);
    await actions.fileClaim(id, terms, 1_000);
    await actions.contest(id, terms);
    // The panel grants 6% of the 10% asked (choice = refund bps + 1); the ruling can be appealed.
    await actions.hear((await actions.claim(id)).disputeId, 601n);
    await done(id, "Pickup: 10% specification claim, contested and voted");
  }
  return trades;
}

/** The demo's people: who each development account is. */
export const demoAccounts: readonly { role: Role; what: string }[] = [
  { role: "admin", what: "platform admin (accreditation, fee, pause, guarantor pool)" },
  { role: "treasury", what: "platform treasury (fees)" },
  { role: "buyer", what: "buyer: Accra Motors Ltd" },
  { role: "seller", what: "seller: Gulf Auto Export FZE" },
  { role: "buyer2", what: "buyer: Antwerp Cocoa Trading NV" },
  { role: "seller2", what: "seller: Kumasi Cocoa Cooperative" },
  { role: "buyer3", what: "buyer: Mombasa Solar Ltd (credit score 720)" },
  { role: "seller3", what: "seller: Shenzhen PV Manufacturing" },
  { role: "operator", what: "warehouse operator: Tema Bonded Warehouses" },
  { role: "operator2", what: "warehouse operator: Antwerp Port Logistics" },
  { role: "agency", what: "inspection agency" },
  { role: "oracle", what: "credit oracle" },
  { role: "arbitrator1", what: "arbitrator" },
  { role: "arbitrator2", what: "arbitrator" },
  { role: "arbitrator3", what: "arbitrator" },
  { role: "arbitrator4", what: "arbitrator" },
  { role: "arbitrator5", what: "arbitrator" },
  { role: "relayer", what: "relayer (sends others' signed messages)" },
];
