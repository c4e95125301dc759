// Length: every consent the escrow accepts, signed by the sdk with keys, wallet clients and an
// ERC-1271 wallet, on a real chain.
import { recoverAddress, recoverTypedDataAddress } from "viem";
import { keptTerms } from "../history/index.js";
import { describe, expect, it } from "vitest";
import {
  AttestationKind,
  ClaimGround,
  ClaimStatus,
  TradeState,
  erc20PermitAbi,
} from "../contracts/index.js";
import { localAccount } from "../../test/chain/accounts.js";
import { revertOf, useChain } from "../../test/chain/clients.js";
import { DAY, USD, createTrades, documentCid } from "../../test/chain/trades.js";
import {
  buildCreditScore,
  getPermitDomain,
  hashAmendment,
  hashAttestation,
  hashCreditScore,
  hashInspectionReport,
  hashOpenTrade,
  hashPermit,
  hashSettlement,
  signAmendment,
  signAttestation,
  signCreditScore,
  signInspectionReport,
  signOpenTrade,
  signPermit,
  signSettlement,
  verifyAmendment,
  verifyAttestation,
  verifyCreditScore,
  verifyInspectionReport,
  verifyOpenTrade,
  verifyPermit,
  verifySettlement,
} from "./index.js";
import type { Attestation, InspectionReport, Terms } from "./index.js";

// Every message the sdk signs is submitted to the real escrow on a development node (anvil): the
// contract accepts it (so the sdk's typed data is the contract's), and the signer recovered from
// the sdk's `hash…` digest is the signer (so that digest is the one the contract checks). A message
// changed after signing is refused with the contract's custom error, decoded through the generated
// ABI. The verify helpers give the contract's answer, for EOAs and for an ERC-1271 wallet.

const ctx = useChain();
const trades = createTrades(ctx);
const { domain } = ctx;
const buyer = localAccount("buyer");
const seller = localAccount("seller");
const operator = localAccount("operator");
const agency = localAccount("agency");
const oracle = localAccount("oracle");
const walletOwner = localAccount("walletOwner");

describe("OpenTrade", () => {
  it("opens a trade relayed with both parties' sdk signatures (local account and wallet client)", async () => {
    const terms = await trades.buildTerms();
    const buyerMessage = { terms, nonce: trades.nextNonce(), deadline: await trades.deadline() };
    const sellerMessage = { terms, nonce: trades.nextNonce(), deadline: await trades.deadline() };
    const buyerSignature = await signOpenTrade(buyer, { domain, message: buyerMessage });
    const sellerSignature = await signOpenTrade(
      { client: ctx.walletOf("seller"), account: seller.address },
      { domain, message: sellerMessage },
    );
    expect(
      await recoverAddress({
        hash: hashOpenTrade({ domain, message: buyerMessage }),
        signature: buyerSignature,
      }),
    ).toBe(buyer.address);
    expect(
      await recoverAddress({
        hash: hashOpenTrade({ domain, message: sellerMessage }),
        signature: sellerSignature,
      }),
    ).toBe(seller.address);
    expect(
      await verifyOpenTrade({
        domain,
        message: buyerMessage,
        address: buyer.address,
        signature: buyerSignature,
      }),
    ).toBe(true);
    expect(
      await verifyOpenTrade({
        domain,
        message: sellerMessage,
        address: seller.address,
        signature: sellerSignature,
        client: ctx.publicClient,
      }),
    ).toBe(true);

    const tradeId = await trades.openedTradeId(
      await ctx.escrowAs("relayer").write.openTrade([
        terms,
        { nonce: buyerMessage.nonce, deadline: buyerMessage.deadline, signature: buyerSignature },
        {
          nonce: sellerMessage.nonce,
          deadline: sellerMessage.deadline,
          signature: sellerSignature,
        },
      ]),
    );
    const stored = await trades.tradeView(tradeId);
    expect(stored.state).toBe(TradeState.Signed);
    expect(await trades.termsInForce(tradeId)).toEqual(keptTerms(terms));
  });

  it("refuses a consent to other terms with EscrowInvalidSignature(buyer)", async () => {
    const terms = await trades.buildTerms();
    const signed = {
      terms: { ...terms, price: terms.price + 1n },
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    const signature = await signOpenTrade(buyer, { domain, message: signed });
    const tampered = { ...signed, terms };
    expect(
      await verifyOpenTrade({ domain, message: tampered, address: buyer.address, signature }),
    ).toBe(false);
    expect(
      await verifyOpenTrade({
        domain,
        message: tampered,
        address: buyer.address,
        signature,
        client: ctx.publicClient,
      }),
    ).toBe(false);
    const sellerSignature = await trades.consentToOpen(seller, terms);
    const revert = await revertOf(
      ctx
        .simulateAs("relayer")
        .openTrade([
          terms,
          { nonce: signed.nonce, deadline: signed.deadline, signature },
          sellerSignature,
        ]),
    );
    expect(revert).toEqual({ errorName: "EscrowInvalidSignature", args: [buyer.address] });
  });

  it("accepts an ERC-1271 wallet's consent, which only a public client verifies", async () => {
    const terms = await trades.buildTerms({ buyer: ctx.chain.wallet });
    const message = { terms, nonce: trades.nextNonce(), deadline: await trades.deadline() };
    // The wallet accepts its owner's ECDSA signature of the EIP-712 digest as is.
    const signature = await signOpenTrade(walletOwner, { domain, message });
    expect(
      await verifyOpenTrade({
        domain,
        message,
        address: ctx.chain.wallet,
        signature,
        client: ctx.publicClient,
      }),
    ).toBe(true);
    expect(await verifyOpenTrade({ domain, message, address: ctx.chain.wallet, signature })).toBe(
      false,
    );
    const other = { ...message, deadline: message.deadline + 1n };
    expect(
      await verifyOpenTrade({
        domain,
        message: other,
        address: ctx.chain.wallet,
        signature,
        client: ctx.publicClient,
      }),
    ).toBe(false);

    const walletConsent = { nonce: message.nonce, deadline: message.deadline, signature };
    expect(
      await revertOf(
        ctx
          .simulateAs("relayer")
          .openTrade([
            terms,
            { ...walletConsent, deadline: other.deadline },
            await trades.consentToOpen(seller, terms),
          ]),
      ),
    ).toEqual({ errorName: "EscrowInvalidSignature", args: [ctx.chain.wallet] });
    const tradeId = await trades.openedTradeId(
      await ctx
        .escrowAs("relayer")
        .write.openTrade([terms, walletConsent, await trades.consentToOpen(seller, terms)]),
    );
    expect(await trades.termsInForce(tradeId)).toEqual(keptTerms(terms));
  });
});

describe("Amendment", () => {
  it("amends a trade with both parties' sdk signatures, one of them an ERC-1271 wallet's", async () => {
    const current = await trades.buildTerms({ buyer: ctx.chain.wallet });
    const walletConsent = await trades.consentToOpen(walletOwner, current);
    const tradeId = await trades.openedTradeId(
      await ctx
        .escrowAs("relayer")
        .write.openTrade([current, walletConsent, await trades.consentToOpen(seller, current)]),
    );
    const amended: Terms = {
      ...current,
      price: USD(90_000),
      latestDelivery: current.latestDelivery + 7n * BigInt(DAY),
    };
    const { version } = await trades.tradeView(tradeId);
    const message = (nonce: bigint, deadline: bigint) => ({
      tradeId,
      version: version + 1,
      terms: amended,
      nonce,
      deadline,
    });
    const buyerMessage = message(trades.nextNonce(), await trades.deadline());
    const sellerMessage = message(trades.nextNonce(), await trades.deadline());
    const buyerSignature = await signAmendment(walletOwner, { domain, message: buyerMessage });
    const sellerSignature = await signAmendment(ctx.walletOf("seller"), {
      domain,
      message: sellerMessage,
    });
    expect(
      await recoverAddress({
        hash: hashAmendment({ domain, message: sellerMessage }),
        signature: sellerSignature,
      }),
    ).toBe(seller.address);
    expect(
      await recoverAddress({
        hash: hashAmendment({ domain, message: buyerMessage }),
        signature: buyerSignature,
      }),
    ).toBe(walletOwner.address);
    expect(
      await verifyAmendment({
        domain,
        message: buyerMessage,
        address: ctx.chain.wallet,
        signature: buyerSignature,
        client: ctx.publicClient,
      }),
    ).toBe(true);
    expect(
      await verifyAmendment({
        domain,
        message: sellerMessage,
        address: seller.address,
        signature: sellerSignature,
      }),
    ).toBe(true);

    const consent = (m: typeof buyerMessage, signature: `0x${string}`) => ({
      nonce: m.nonce,
      deadline: m.deadline,
      signature,
    });
    await ctx.mined(
      ctx
        .escrowAs("relayer")
        .write.amend([
          tradeId,
          amended,
          consent(buyerMessage, buyerSignature),
          consent(sellerMessage, sellerSignature),
        ]),
    );
    const stored = await trades.tradeView(tradeId);
    expect(stored.version).toBe(1);
    expect(await trades.termsInForce(tradeId)).toEqual(keptTerms(amended));
  });

  it("refuses a consent to another version with EscrowInvalidSignature(seller)", async () => {
    const current = await trades.buildTerms();
    const tradeId = await trades.openTrade(current);
    const amended: Terms = { ...current, quantity: 12n };
    const buyerMessage = {
      tradeId,
      version: 1,
      terms: amended,
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    const sellerMessage = { ...buyerMessage, version: 2, nonce: trades.nextNonce() };
    const buyerSignature = await signAmendment(buyer, { domain, message: buyerMessage });
    const sellerSignature = await signAmendment(seller, { domain, message: sellerMessage });
    expect(
      await verifyAmendment({
        domain,
        message: { ...sellerMessage, version: 1 },
        address: seller.address,
        signature: sellerSignature,
      }),
    ).toBe(false);
    const revert = await revertOf(
      ctx.simulateAs("relayer").amend([
        tradeId,
        amended,
        { nonce: buyerMessage.nonce, deadline: buyerMessage.deadline, signature: buyerSignature },
        {
          nonce: sellerMessage.nonce,
          deadline: sellerMessage.deadline,
          signature: sellerSignature,
        },
      ]),
    );
    expect(revert).toEqual({ errorName: "EscrowInvalidSignature", args: [seller.address] });
  });
});

describe("Attestation", () => {
  it("applies an operator's sdk-signed attestation that anyone relays, and refuses it changed", async () => {
    const terms = await trades.buildTerms();
    const tradeId = await trades.openTrade(terms);
    await trades.payAndShip(tradeId);
    const attestation: Attestation = {
      tradeId,
      kind: AttestationKind.ReceiptAndTitleTransfer,
      lot: 1,
      quantity: terms.quantity,
      time: await ctx.latestTimestamp(),
      documentCid: await documentCid(`receipt-${tradeId}`),
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    // The operator's wallet client, its account hoisted.
    const signature = await signAttestation(ctx.walletOf("operator"), {
      domain,
      message: attestation,
    });
    expect(
      await recoverAddress({ hash: hashAttestation({ domain, message: attestation }), signature }),
    ).toBe(operator.address);
    expect(
      await verifyAttestation({
        domain,
        message: attestation,
        address: operator.address,
        signature,
        client: ctx.publicClient,
      }),
    ).toBe(true);

    const tampered = { ...attestation, quantity: attestation.quantity - 1n };
    expect(
      await verifyAttestation({ domain, message: tampered, address: operator.address, signature }),
    ).toBe(false);
    expect(await revertOf(ctx.simulateAs("stranger").attest([tampered, signature]))).toEqual({
      errorName: "EscrowInvalidSignature",
      args: [operator.address],
    });

    await ctx.mined(ctx.escrowAs("stranger").write.attest([attestation, signature]));
    expect((await trades.tradeView(tradeId)).state).toBe(TradeState.Completed);
  });
});

describe("InspectionReport and Settlement", () => {
  it("files a claim on an sdk-signed report and settles it with sdk-signed consents", async () => {
    const terms = await trades.buildTerms({ claimWindow: 3 * DAY });
    const tradeId = await trades.openTrade(terms);
    await trades.payAndShip(tradeId);
    await ctx.mined(
      ctx.escrowAs("operator").write.attest([
        {
          tradeId,
          kind: AttestationKind.ReceiptAndTitleTransfer,
          lot: 1,
          quantity: terms.quantity,
          time: await ctx.latestTimestamp(),
          documentCid: "0x",
          nonce: 0n,
          deadline: 0n,
        },
        "0x",
      ]),
    );
    expect((await trades.tradeView(tradeId)).state).toBe(TradeState.Delivered);

    // The agency's report, signed with its local account.
    const report: InspectionReport = {
      tradeId,
      agency: agency.address,
      varianceBps: 1_000,
      material: false,
      reportCid: await documentCid(`inspection-${tradeId}`),
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    const agencySignature = await signInspectionReport(agency, { domain, message: report });
    expect(
      await recoverAddress({
        hash: hashInspectionReport({ domain, message: report }),
        signature: agencySignature,
      }),
    ).toBe(agency.address);
    expect(
      await verifyInspectionReport({
        domain,
        message: report,
        address: agency.address,
        signature: agencySignature,
      }),
    ).toBe(true);
    const request = {
      ground: ClaimGround.SpecificationVariance,
      refundBps: 1_000,
      costs: 0n,
      evidenceCid: await documentCid("photos"),
    };
    const inflated = { ...report, varianceBps: 5_000 };
    expect(
      await verifyInspectionReport({
        domain,
        message: inflated,
        address: agency.address,
        signature: agencySignature,
        client: ctx.publicClient,
      }),
    ).toBe(false);
    expect(
      await revertOf(
        ctx.simulateAs("buyer").fileClaim([tradeId, request, inflated, agencySignature]),
      ),
    ).toEqual({ errorName: "EscrowInvalidSignature", args: [agency.address] });
    await ctx.mined(
      ctx.escrowAs("buyer").write.fileClaim([tradeId, request, report, agencySignature]),
    );
    expect((await ctx.escrowAs("stranger").read.claim([tradeId])).status).toBe(ClaimStatus.Filed);

    // Both parties settle for 5,000 USD: the buyer with its local account, the seller through its wallet.
    const refund = USD(5_000);
    const buyerMessage = {
      tradeId,
      refund,
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    const sellerMessage = {
      tradeId,
      refund,
      nonce: trades.nextNonce(),
      deadline: await trades.deadline(),
    };
    const buyerSignature = await signSettlement(buyer, { domain, message: buyerMessage });
    const sellerSignature = await signSettlement(
      { client: ctx.walletOf("seller"), account: seller.address },
      { domain, message: sellerMessage },
    );
    expect(
      await recoverAddress({
        hash: hashSettlement({ domain, message: buyerMessage }),
        signature: buyerSignature,
      }),
    ).toBe(buyer.address);
    expect(
      await recoverAddress({
        hash: hashSettlement({ domain, message: sellerMessage }),
        signature: sellerSignature,
      }),
    ).toBe(seller.address);
    expect(
      await verifySettlement({
        domain,
        message: sellerMessage,
        address: seller.address,
        signature: sellerSignature,
        client: ctx.publicClient,
      }),
    ).toBe(true);
    expect(
      await verifySettlement({
        domain,
        message: { ...buyerMessage, refund: refund * 2n },
        address: buyer.address,
        signature: buyerSignature,
      }),
    ).toBe(false);
    const consent = (m: typeof buyerMessage, signature: `0x${string}`) => ({
      nonce: m.nonce,
      deadline: m.deadline,
      signature,
    });
    expect(
      await revertOf(
        ctx
          .simulateAs("relayer")
          .settleClaim([
            tradeId,
            refund * 2n,
            consent(buyerMessage, buyerSignature),
            consent(sellerMessage, sellerSignature),
          ]),
      ),
    ).toEqual({ errorName: "EscrowInvalidSignature", args: [buyer.address] });
    await ctx.mined(
      ctx
        .escrowAs("relayer")
        .write.settleClaim([
          tradeId,
          refund,
          consent(buyerMessage, buyerSignature),
          consent(sellerMessage, sellerSignature),
        ]),
    );
    expect((await ctx.escrowAs("stranger").read.claim([tradeId])).status).toBe(
      ClaimStatus.Resolved,
    );
    expect(await ctx.escrowAs("stranger").read.withdrawable([buyer.address, terms.token])).toBe(
      refund,
    );
  });
});

describe("CreditScore", () => {
  it("records an oracle's sdk-signed score that anyone relays, and refuses it changed", async () => {
    const now = await ctx.latestTimestamp();
    const score = {
      buyer: localAccount("stranger").address,
      score: 720,
      issuedAt: now,
      expiresAt: now + 90n * BigInt(DAY),
      nonce: trades.nextNonce(),
    };
    const signature = await signCreditScore(oracle, { domain, message: score });
    expect(
      await recoverAddress({ hash: hashCreditScore({ domain, message: score }), signature }),
    ).toBe(oracle.address);
    expect(
      await verifyCreditScore({ domain, message: score, address: oracle.address, signature }),
    ).toBe(true);

    // The escrow takes whoever signed as the oracle: a changed score recovers someone unaccredited.
    const raised = { ...score, score: 850 };
    const recovered = await recoverTypedDataAddress({
      ...buildCreditScore({ domain, message: raised }),
      signature,
    });
    expect(recovered).not.toBe(oracle.address);
    expect(
      await verifyCreditScore({ domain, message: raised, address: oracle.address, signature }),
    ).toBe(false);
    expect(
      await revertOf(ctx.simulateAs("relayer").recordCreditScore([raised, signature])),
    ).toEqual({
      errorName: "EscrowOracleNotAccredited",
      args: [recovered],
    });

    await ctx.mined(ctx.escrowAs("relayer").write.recordCreditScore([score, signature]));
    const recorded = await ctx.escrowAs("stranger").read.creditScore([score.buyer]);
    expect(recorded).toMatchObject({ score: 720, oracle: oracle.address });
  });
});

describe("Permit", () => {
  it("pays a deposit with an sdk-signed EIP-2612 permit, and a changed one is refused by the token", async () => {
    const permitBuyer = localAccount("permitBuyer");
    const terms = await trades.buildTerms({ buyer: permitBuyer.address });
    const tradeId = await trades.openedTradeId(
      await ctx
        .escrowAs("relayer")
        .write.openTrade([
          terms,
          await trades.consentToOpen(permitBuyer, terms),
          await trades.consentToOpen(seller, terms),
        ]),
    );
    const deposit = (terms.price * BigInt(terms.depositBps)) / 10_000n;
    const tokenDomain = await getPermitDomain(ctx.publicClient, ctx.chain.usd);
    expect(tokenDomain).toEqual({
      name: "Test USD",
      version: "1",
      chainId: ctx.chain.chainId,
      verifyingContract: ctx.chain.usd,
    });
    const nonce = await ctx.publicClient.readContract({
      address: ctx.chain.usd,
      abi: erc20PermitAbi,
      functionName: "nonces",
      args: [permitBuyer.address],
    });
    const message = {
      owner: permitBuyer.address,
      spender: ctx.chain.tradeEscrow,
      value: deposit,
      nonce,
      deadline: await trades.deadline(),
    };
    const { signature, permit } = await signPermit(permitBuyer, { domain: tokenDomain, message });
    expect(
      await recoverAddress({ hash: hashPermit({ domain: tokenDomain, message }), signature }),
    ).toBe(permitBuyer.address);
    expect(
      await verifyPermit({ domain: tokenDomain, message, address: permitBuyer.address, signature }),
    ).toBe(true);

    // A permit whose deadline was changed fails inside the escrow's try/catch; the transfer then
    // meets no allowance and the token's OpenZeppelin error surfaces through the escrow's ABI.
    expect(
      await revertOf(
        ctx
          .simulateAs("permitBuyer")
          .payDepositWithPermit([tradeId, { ...permit, deadline: permit.deadline + 1n }]),
      ),
    ).toEqual({
      errorName: "ERC20InsufficientAllowance",
      args: [ctx.chain.tradeEscrow, 0n, deposit],
    });

    await ctx.mined(ctx.escrowAs("permitBuyer").write.payDepositWithPermit([tradeId, permit]));
    expect((await trades.tradeView(tradeId)).state).toBe(TradeState.Deposited);
    expect((await trades.tradeView(tradeId)).escrowed).toBe(deposit);
  });
});
