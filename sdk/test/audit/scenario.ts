import { getContract, maxUint256, parseEther } from "viem";
import type { Address, Hex } from "viem";
import {
  arbitrationCourtAbi,
  AttestationKind,
  ClaimGround,
  Milestone,
} from "../../src/contracts/index.js";
import { cidToCommitment } from "../../src/documents/cid/index.js";
import type { EmbeddedDocumentStore } from "../../src/documents/store/index.js";
import { addDocument, publishManifest } from "../../src/documents/store/index.js";
import { signAttestation, signInspectionReport } from "../../src/eip712/index.js";
import type { Attestation, Terms } from "../../src/eip712/index.js";
import { localAccount } from "../chain/accounts.js";
import type { Role } from "../chain/accounts.js";
import type { useChain } from "../chain/clients.js";
import type { Trades } from "../chain/trades.js";
import { courtTerms } from "../chain/trades.js";
import { mockStablecoinAbi } from "../generated/mocks.js";

type Chain = ReturnType<typeof useChain>;

/** Stores `text` as a document of `mediaType` and returns its on-chain commitment. */
export async function storeDocument(
  store: EmbeddedDocumentStore,
  text: string,
  mediaType = "text/plain",
): Promise<{ cid: string; commitment: Hex }> {
  const { cid } = await store.add(new TextEncoder().encode(text), { mediaType });
  return { cid: cid.toString(), commitment: cidToCommitment(cid) };
}

/**
 * Trades whose every committed document is in `store`: a manifest naming a specification sheet and
 * photos, shipping documents, a milestone document and a lot receipt; claims add an inspection
 * report, evidence and counter-evidence. Every attestation is signed by the operator and relayed.
 */
export function createAuditScenario(ctx: Chain, trades: Trades, store: EmbeddedDocumentStore) {
  const escrow = (role: Role) => ctx.escrowAs(role).write;
  const court = (role: Role) =>
    getContract({
      address: ctx.chain.arbitrationCourt,
      abi: arbitrationCourtAbi,
      client: { public: ctx.publicClient, wallet: ctx.walletOf(role) },
    });

  /** Terms whose manifest (with two documents) is in the store; the documents' CIDs too. */
  const termsWithManifest = async (label: string, overrides: Partial<Terms> = {}) => {
    const enc = new TextEncoder();
    const spec = await addDocument(store, enc.encode(`specification sheet of ${label}`), {
      type: "specification-sheet-and-mileage-records",
      name: `spec-${label}.txt`,
      mediaType: "text/plain",
    });
    const photos = await addDocument(store, enc.encode(`photos of ${label}`), {
      type: "photos-and-videos",
      name: `photos-${label}.txt`,
      mediaType: "text/plain",
    });
    const manifest = {
      version: 1 as const,
      goods: { description: `goods of ${label}`, unit: "vehicle" },
      deliveryPlace: "Bonded warehouse 7, Port of Tema, Ghana",
      documents: [spec, photos],
    };
    const { cid } = await publishManifest(store, manifest);
    const terms = await trades.buildTerms({ manifestCid: cidToCommitment(cid), ...overrides });
    return { terms, manifestCid: cid.toString(), documents: [spec.cid, photos.cid] };
  };

  /** The operator's signed attestation of the whole quantity, relayed, with a stored receipt. */
  const attestReceiptAndTitle = (tradeId: bigint, terms: Terms): Promise<string> =>
    attest(tradeId, terms, AttestationKind.ReceiptAndTitleTransfer, "warehouse receipt");

  /**
   * The operator's signed attestation of lot 1 (`kind`), relayed, with a stored document; returns
   * the document's CID.
   */
  const attest = async (
    tradeId: bigint,
    terms: Terms,
    kind: AttestationKind,
    document: string,
  ): Promise<string> => {
    const receipt = await storeDocument(store, `${document} of trade ${tradeId}`);
    const message: Attestation = {
      tradeId,
      kind,
      lot: 1,
      quantity: terms.quantity,
      time: await ctx.latestTimestamp(),
      documentCid: receipt.commitment,
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    const signature = await signAttestation(localAccount("operator"), {
      domain: ctx.domain,
      message,
    });
    await ctx.mined(escrow("relayer").attest([message, signature]));
    return receipt.cid;
  };

  /** Deposit, start, balance, shipment with stored shipping documents, a milestone with its document. */
  const payAndShip = async (tradeId: bigint, terms: Terms): Promise<void> => {
    await ctx.mined(escrow("buyer").payDeposit([tradeId]));
    if (terms.sellerBond !== 0n) await ctx.mined(escrow("seller").postSellerBond([tradeId]));
    await ctx.mined(escrow("seller").startFulfilment([tradeId]));
    await ctx.mined(escrow("buyer").payBalance([tradeId]));
    const shipping = await storeDocument(store, `bill of lading of trade ${tradeId}`);
    await ctx.mined(escrow("seller").markShipped([tradeId, shipping.commitment]));
    const departed = await storeDocument(store, `departure of trade ${tradeId}`);
    await ctx.mined(
      escrow("seller").recordMilestone([tradeId, Milestone.Departed, departed.commitment]),
    );
  };

  /** A protected trade, delivered and paid out (no claim window): every step on chain. */
  const completedTrade = async (label: string) => {
    const { terms, manifestCid, documents } = await termsWithManifest(label);
    const tradeId = await trades.openTrade(terms);
    await payAndShip(tradeId, terms);
    await attestReceiptAndTitle(tradeId, terms);
    return { tradeId, terms, manifestCid, documents };
  };

  /**
   * A claim of a false attestation, contested and heard by the court: three arbitrators commit and
   * reveal (refunds 0%, 20%, 20%), the round closes, the ruling is final and executed. The test
   * node's clock moves by days. The arbitrators must be accredited.
   */
  const disputedTrade = async (
    label: string,
    travel: (seconds: number) => Promise<void>,
    mine: () => Promise<void>,
  ) => {
    const { terms } = await termsWithManifest(label, {
      claimWindow: 5 * 86_400,
      sellerBond: 2_000n * 10n ** 6n,
    });
    const tradeId = await trades.openTrade(terms);
    await payAndShip(tradeId, terms);
    await attest(tradeId, terms, AttestationKind.Receipt, "warehouse receipt");
    // A title transfer's document is committed in its calldata alone (no event carries it).
    const titleDocument = await attest(tradeId, terms, AttestationKind.TitleTransfer, "title deed");
    const report = {
      tradeId,
      agency: localAccount("agency").address,
      varianceBps: 2_000,
      material: false,
      reportCid: (await storeDocument(store, `inspection report of trade ${tradeId}`)).commitment,
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    const agencySignature = await signInspectionReport(localAccount("agency"), {
      domain: ctx.domain,
      message: report,
    });
    const evidence = await storeDocument(store, `photos of the damage, trade ${tradeId}`);
    await ctx.mined(
      escrow("buyer").fileClaim([
        tradeId,
        {
          ground: ClaimGround.FalseAttestation,
          refundBps: 2_000,
          costs: 0n,
          evidenceCid: evidence.commitment,
        },
        report,
        agencySignature,
      ]),
    );
    const cost = await court("stranger").read.arbitrationCost([courtTerms]);
    const counter = await storeDocument(store, `counter-evidence of trade ${tradeId}`);
    await ctx.mined(escrow("seller").contestClaim([tradeId, counter.commitment], { value: cost }));
    const { disputeId } = await ctx.escrowAs("stranger").read.claim([tradeId]);
    await mine();
    await ctx.mined(court("stranger").write.drawPanel([disputeId]));
    const panel = await court("stranger").read.panel([disputeId]);
    const votes = panel.map((member, i) => ({
      member,
      choice: i === 0 ? 1n : 2_001n,
      salt: `0x${(i + 7).toString(16).padStart(64, "0")}` as Hex,
    }));
    for (const vote of votes) {
      const commitment = await court("stranger").read.commitmentOf([
        disputeId,
        0,
        0,
        vote.member,
        vote.choice,
        vote.salt,
      ]);
      await ctx.mined(court(roleOf(vote.member)).write.commitVote([disputeId, commitment]));
    }
    await travel(2 * 86_400 + 1);
    for (const vote of votes)
      await ctx.mined(
        court(roleOf(vote.member)).write.revealVote([disputeId, vote.choice, vote.salt]),
      );
    await ctx.mined(court("stranger").write.closeRound([disputeId]));
    await travel(3 * 86_400 + 1);
    await ctx.mined(court("stranger").write.finalize([disputeId]));
    await ctx.mined(escrow("stranger").executeRuling([tradeId]));
    return { tradeId, terms, disputeId, titleDocument };
  };

  /** Accredits the three test arbitrators, gives the operator a bond and the seller USD for its bonds. */
  const prepare = async (): Promise<void> => {
    const usd = getContract({
      address: ctx.chain.usd,
      abi: mockStablecoinAbi,
      client: { public: ctx.publicClient, wallet: ctx.walletOf("admin") },
    });
    await ctx.mined(usd.write.mint([localAccount("seller").address, 1_000_000n * 10n ** 6n]));
    await ctx.mined(
      getContract({
        address: ctx.chain.usd,
        abi: mockStablecoinAbi,
        client: ctx.walletOf("seller"),
      }).write.approve([ctx.chain.tradeEscrow, maxUint256]),
    );
    for (const role of ["arbitrator1", "arbitrator2", "arbitrator3"] as const)
      await ctx.mined(court("admin").write.accreditArbitrator([localAccount(role).address]));
    await ctx.mined(
      escrow("operator").postOperatorBond([parseEther("2")], { value: parseEther("2") }),
    );
  };

  return {
    attest,
    termsWithManifest,
    payAndShip,
    attestReceiptAndTitle,
    completedTrade,
    disputedTrade,
    prepare,
  };
}

function roleOf(address: Address): Role {
  const role = (["arbitrator1", "arbitrator2", "arbitrator3"] as const).find(
    (r) => localAccount(r).address === address,
  );
  if (role === undefined) throw new Error(`${address} is no test arbitrator.`);
  return role;
}
