// Length: direct payment and pay after use, each through its whole life and its refusals.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import {
  AttestationKind,
  buildTerms,
  CancelReason,
  cid,
  DAY,
  deliver,
  EIP712_TYPES,
  expectTermsInForce,
  hashTerms,
  HOUR,
  nextNonce,
  openAndShip,
  openTrade,
  PaymentMode,
  signOpen,
  TradeState,
  USD,
} from "./fixtures/escrow";
import type { Terms } from "./fixtures/escrow";
import {
  Weekday,
  amendSigned,
  attestDirect,
  creditOf,
  days,
  feeOf,
  nextWeekday,
  now,
  openTradesOf,
  receiptIdOf,
  termsEqual,
} from "./fixtures/flows";
import {
  COLLECT_AFTER,
  DEFAULT_THRESHOLD,
  GOOD_SCORE,
  POOL_FUNDING,
  buildCreditScore,
  completedDirect,
  deliveredPayAfterUse,
  deployLateFeeToken,
  directTerms,
  fundPool,
  paidDirect,
  payAfterUseTerms,
  poolOf,
  proposeAndAccept,
  recordScore,
  shippedDirect,
  shippedPayAfterUse,
  signCreditScore,
  startedPayAfterUse,
  useModes,
} from "./fixtures/modes";
import type { ModesContext } from "./fixtures/modes";

// Direct payment (SPEC "Direct payment, no protection") and pay after use (SPEC "Pay after use"):
// payDirect, refundVoluntarily, confirmReceipt, recordCreditScore, fundPool, withdrawPool, repayDebt,
// setCreditThreshold, and how the protected trade's steps treat the other two modes.

const ADMIN_ROLE = ethers.ZeroHash;

/** The seller's share and the fee of a released amount. */
function split(amount: bigint, feeBps: number): { seller: bigint; fee: bigint } {
  const fee = feeOf(amount, feeBps);
  return { seller: amount - fee, fee };
}

/** An accredited oracle's score recorded for the buyer and a funded pool: pay after use may open. */
async function payAfterUseReady(ctx: ModesContext): Promise<void> {
  await recordScore(ctx);
  await fundPool(ctx);
}

/** Proposes `terms` as the seller and has the buyer accept at the next Monday 10:00 UTC. */
async function acceptOnMonday(
  ctx: ModesContext,
  terms: Terms,
): Promise<{ id: bigint; openedAt: bigint }> {
  await ctx.escrow.connect(ctx.seller).proposeTrade(terms);
  const id = await ctx.escrow.tradeCount();
  const openedAt = nextWeekday(await now(), Weekday.Monday, 10 * HOUR);
  await time.setNextBlockTimestamp(openedAt);
  await ctx.escrow.connect(ctx.buyer).acceptTrade(id, terms);
  return { id, openedAt };
}

// ------------------------------------------------------------------------------------------------
// Direct payment
// ------------------------------------------------------------------------------------------------

describe("TradeEscrow direct trades: opening", function () {
  it("lets the seller draft a direct order without an operator and the buyer confirm it", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    const hash = hashTerms(terms);

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.emit(escrow, "TradeProposed")
      .withArgs(1n, seller.address, hash, termsEqual(terms));
    await expect(escrow.connect(buyer).acceptTrade(1n, terms))
      .to.emit(escrow, "TradeOpened")
      .withArgs(1n, buyer.address, seller.address, hash, termsEqual(terms))
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(1n, TradeState.Proposed, TradeState.Signed);

    const t = await escrow.trade(1n);
    expect(t.state).to.equal(TradeState.Signed);
    expect(t.proposedBySeller).to.equal(true);
    expect(t.escrowed).to.equal(0n);
    expect((await escrow.operatorBond(ethers.ZeroAddress)).openTrades).to.equal(0n);
  });

  it("opens a direct trade from both signatures and holds a named operator", async function () {
    const ctx = await useModes();
    const { escrow, operator } = ctx;
    const terms = await directTerms(ctx, { operator: operator.address });
    const before = await openTradesOf(ctx, operator);

    const id = await openTrade(ctx, terms);

    expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
    expect(await openTradesOf(ctx, operator)).to.equal(before + 1n);
  });

  it("still refuses an unaccredited operator named on a direct trade", async function () {
    const ctx = await useModes();
    const { escrow, seller, stranger } = ctx;
    const terms = await directTerms(ctx, { operator: stranger.address });

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
      .withArgs(stranger.address);
  });

  it("refuses a protected or pay-after-use trade without an operator", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    await payAfterUseReady(ctx);
    const protectedTerms = await buildTerms(ctx, { operator: ethers.ZeroAddress });
    const payLater = await payAfterUseTerms(ctx, { operator: ethers.ZeroAddress });

    for (const terms of [protectedTerms, payLater]) {
      await expect(escrow.connect(seller).proposeTrade(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
        .withArgs(ethers.ZeroAddress);
    }
    expect(await escrow.tradeCount()).to.equal(0n);
  });

  const invalidDirect: { label: string; overrides: Partial<Terms> }[] = [
    { label: "a deposit share other than the whole price", overrides: { depositBps: 3000 } },
    { label: "a claim window", overrides: { claimWindow: 3 * DAY } },
    { label: "a seller bond", overrides: { sellerBond: USD(1_000) } },
  ];
  for (const c of invalidDirect) {
    it(`refuses direct terms with ${c.label}`, async function () {
      const ctx = await useModes();
      const { escrow, seller, relayer, buyer } = ctx;
      const terms = await directTerms(ctx, c.overrides);

      await expect(escrow.connect(seller).proposeTrade(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
        .withArgs(PaymentMode.Direct);
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce());
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce());
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
        .withArgs(PaymentMode.Direct);
      expect(await escrow.tradeCount()).to.equal(0n);
    });
  }

  it("refuses protected terms with no deposit", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx, { depositBps: 0 });

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Protected);
  });
});

describe("TradeEscrow.payDirect", function () {
  it("credits the seller and the treasury at once and moves the trade to fulfilment", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer, seller, treasury } = ctx;
    const terms = await directTerms(ctx);
    const id = await proposeAndAccept(ctx, terms);
    const { seller: sellerShare, fee } = split(terms.price, terms.feeBps);
    const buyerBefore = await usd.balanceOf(buyer.address);
    const escrowBefore = await usd.balanceOf(await escrow.getAddress());
    const sellerBefore = await creditOf(ctx, seller, terms);
    const treasuryBefore = await creditOf(ctx, treasury, terms);

    await expect(escrow.connect(buyer).payDirect(id))
      .to.emit(escrow, "DirectPaid")
      .withArgs(id, buyer.address, terms.price)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, sellerShare, fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, usdAddress, id, sellerShare)
      .and.to.emit(escrow, "Credited")
      .withArgs(treasury.address, usdAddress, id, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Signed, TradeState.InFulfilment);

    expect(await usd.balanceOf(buyer.address)).to.equal(buyerBefore - terms.price);
    expect(await usd.balanceOf(await escrow.getAddress())).to.equal(escrowBefore + terms.price);
    expect(await creditOf(ctx, seller, terms)).to.equal(sellerBefore + sellerShare);
    expect(await creditOf(ctx, treasury, terms)).to.equal(treasuryBefore + fee);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.InFulfilment);
    expect(t.escrowed).to.equal(0n);
    expect(t.released).to.equal(terms.price);
    expect(t.stageAt).to.equal(await now());
  });

  it("takes exactly the price in the native coin", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    const terms = await directTerms(ctx, { token: ethers.ZeroAddress });
    const id = await proposeAndAccept(ctx, terms);

    for (const sent of [terms.price - 1n, terms.price + 1n, 0n]) {
      await expect(escrow.connect(buyer).payDirect(id, { value: sent }))
        .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
        .withArgs(terms.price, sent);
    }
    const sellerBefore = await creditOf(ctx, seller, terms);
    await expect(
      escrow.connect(buyer).payDirect(id, { value: terms.price }),
    ).to.changeEtherBalances(ethers, [buyer, escrow], [-terms.price, terms.price]);
    expect(await creditOf(ctx, seller, terms)).to.equal(
      sellerBefore + split(terms.price, terms.feeBps).seller,
    );
  });

  it("refuses native coin sent with a stablecoin payment", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const terms = await directTerms(ctx);
    const id = await proposeAndAccept(ctx, terms);

    await expect(escrow.connect(buyer).payDirect(id, { value: 1n }))
      .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
      .withArgs(0n, 1n);
  });

  it("refuses anyone but the buyer", async function () {
    const ctx = await useModes();
    const { escrow, seller, stranger, relayer } = ctx;
    const terms = await directTerms(ctx);
    const id = await proposeAndAccept(ctx, terms);

    for (const caller of [seller, stranger, relayer]) {
      await expect(escrow.connect(caller).payDirect(id))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
    expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
  });

  it("refuses a proposal not yet accepted and a trade already paid", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    await escrow.connect(seller).proposeTrade(terms);

    await expect(escrow.connect(buyer).payDirect(1n))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(1n, TradeState.Proposed);
    await escrow.connect(buyer).acceptTrade(1n, terms);
    await escrow.connect(buyer).payDirect(1n);
    await expect(escrow.connect(buyer).payDirect(1n))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(1n, TradeState.InFulfilment);
    expect((await escrow.trade(1n)).released).to.equal(terms.price);
  });

  it("accepts payment at the end of the deposit window and refuses it one second later", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const terms = await directTerms(ctx);
    const a = await proposeAndAccept(ctx, terms);
    const deadlineA = (await escrow.trade(a)).stageAt + BigInt(terms.depositWindow);
    const b = await proposeAndAccept(ctx, terms);
    const deadlineB = (await escrow.trade(b)).stageAt + BigInt(terms.depositWindow);
    expect(await escrow.stageDeadline(a)).to.equal(deadlineA);

    await time.setNextBlockTimestamp(deadlineA);
    await expect(escrow.connect(buyer).payDirect(a)).to.emit(escrow, "DirectPaid");
    await time.setNextBlockTimestamp(deadlineB + 1n);
    await expect(escrow.connect(buyer).payDirect(b))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
      .withArgs(b, deadlineB);
    expect((await escrow.trade(b)).state).to.equal(TradeState.Signed);
  });

  it("refuses a protected or a pay-after-use trade", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    await payAfterUseReady(ctx);
    const protectedTerms = await buildTerms(ctx);
    const payLater = await payAfterUseTerms(ctx);
    const p = await openTrade(ctx, protectedTerms);
    const q = await openTrade(ctx, payLater);

    await expect(escrow.connect(buyer).payDirect(p))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Protected);
    await expect(escrow.connect(buyer).payDirect(q))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.PayAfterUse);
    expect((await escrow.trade(p)).state).to.equal(TradeState.Signed);
    expect((await escrow.trade(q)).state).to.equal(TradeState.Signed);
  });

  it("refuses terms other than the ones the trade committed", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const terms = await directTerms(ctx);
    const id = await proposeAndAccept(ctx, terms);
    await expectTermsInForce(escrow, id, terms);

    // The committed price, whatever the buyer would rather pay.
    await expect(escrow.connect(buyer).payDirect(id))
      .to.emit(escrow, "DirectPaid")
      .withArgs(id, buyer.address, terms.price);
  });
});

describe("TradeEscrow.confirmReceipt on a direct trade", function () {
  it("completes the trade when the buyer confirms after shipment, moving no money", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller, treasury } = ctx;
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);

    await expect(escrow.connect(seller).markShipped(id, cid("bill-of-lading")))
      .to.emit(escrow, "GoodsShipped")
      .withArgs(id, cid("bill-of-lading"))
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.InFulfilment, TradeState.Shipped);
    const sellerBefore = await creditOf(ctx, seller, terms);
    const treasuryBefore = await creditOf(ctx, treasury, terms);

    const tx = escrow.connect(buyer).confirmReceipt(id);
    await expect(tx)
      .to.emit(escrow, "ReceiptConfirmed")
      .withArgs(id, buyer.address)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Completed);
    await expect(tx).not.to.emit(escrow, "FundsReleased");

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.stageAt).to.equal(await now());
    expect(t.escrowed).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(sellerBefore);
    expect(await creditOf(ctx, treasury, terms)).to.equal(treasuryBefore);
  });

  it("lets anyone confirm only once collectAfter has passed since shipment", async function () {
    const ctx = await useModes();
    const { escrow, stranger, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await shippedDirect(ctx, terms);
    const shippedAt = (await escrow.trade(id)).stageAt;
    const due = shippedAt + BigInt(terms.collectAfter);
    expect(await escrow.stageDeadline(id)).to.equal(due);

    await expect(escrow.connect(stranger).confirmReceipt(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, due);
    await time.setNextBlockTimestamp(due);
    await expect(escrow.connect(seller).confirmReceipt(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, due);
    await time.setNextBlockTimestamp(due + 1n);
    await expect(escrow.connect(stranger).confirmReceipt(id))
      .to.emit(escrow, "ReceiptConfirmed")
      .withArgs(id, stranger.address);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
  });

  it("leaves confirmation to the buyer alone when collectAfter is zero", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller, stranger } = ctx;
    const terms = await directTerms(ctx, { collectAfter: 0 });
    const id = await shippedDirect(ctx, terms);
    const shippedAt = (await escrow.trade(id)).stageAt;
    await time.increase(365 * DAY);

    for (const caller of [seller, stranger]) {
      await expect(escrow.connect(caller).confirmReceipt(id))
        .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
        .withArgs(id, shippedAt);
    }
    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.emit(escrow, "ReceiptConfirmed")
      .withArgs(id, buyer.address);
  });

  it("refuses confirmation before shipment, even by the buyer", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);

    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.InFulfilment);
  });

  it("refuses shipment of a direct trade that was not paid", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await proposeAndAccept(ctx, terms);

    await expect(escrow.connect(seller).markShipped(id, cid("bl")))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Signed);
  });

  it("refuses a protected trade", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);

    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Protected);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
  });

  it("completes a direct trade on its operator's attestation without paying the seller twice", async function () {
    const ctx = await useModes();
    const { escrow, seller, operator } = ctx;
    const terms = await directTerms(ctx, { operator: operator.address });
    const id = await openTrade(ctx, terms);
    await escrow.connect(ctx.buyer).payDirect(id);
    await escrow.connect(seller).markShipped(id, cid("bl"));
    const sellerBefore = await creditOf(ctx, seller, terms);
    const openBefore = await openTradesOf(ctx, operator);

    const tx = attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer);
    await expect(tx)
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Completed);
    await expect(tx).not.to.emit(escrow, "FundsReleased");
    expect(await creditOf(ctx, seller, terms)).to.equal(sellerBefore);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });
});

describe("TradeEscrow.refundVoluntarily", function () {
  it("pulls the refund from the seller and credits the buyer", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);
    const amount = USD(12_500);
    const sellerBefore = await usd.balanceOf(seller.address);
    const escrowBefore = await usd.balanceOf(await escrow.getAddress());
    const buyerBefore = await creditOf(ctx, buyer, terms);

    await expect(escrow.connect(seller).refundVoluntarily(id, amount))
      .to.emit(escrow, "VoluntaryRefund")
      .withArgs(id, seller.address, amount)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, usdAddress, id, amount);

    expect(await usd.balanceOf(seller.address)).to.equal(sellerBefore - amount);
    expect(await usd.balanceOf(await escrow.getAddress())).to.equal(escrowBefore + amount);
    expect(await creditOf(ctx, buyer, terms)).to.equal(buyerBefore + amount);
    expect((await escrow.trade(id)).released).to.equal(terms.price - amount);
  });

  it("refunds in parts up to what the buyer paid and no further", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await completedDirect(ctx, terms);
    const buyerBefore = await creditOf(ctx, buyer, terms);

    await expect(escrow.connect(seller).refundVoluntarily(id, terms.price + 1n))
      .to.be.revertedWithCustomError(escrow, "EscrowRefundTooLarge")
      .withArgs(id, terms.price + 1n, terms.price);
    await escrow.connect(seller).refundVoluntarily(id, USD(40_000));
    await expect(escrow.connect(seller).refundVoluntarily(id, USD(60_001)))
      .to.be.revertedWithCustomError(escrow, "EscrowRefundTooLarge")
      .withArgs(id, USD(60_001), USD(60_000));
    await escrow.connect(seller).refundVoluntarily(id, USD(60_000));
    await expect(escrow.connect(seller).refundVoluntarily(id, 1n))
      .to.be.revertedWithCustomError(escrow, "EscrowRefundTooLarge")
      .withArgs(id, 1n, 0n);

    expect(await creditOf(ctx, buyer, terms)).to.equal(buyerBefore + terms.price);
    const t = await escrow.trade(id);
    expect(t.released).to.equal(0n);
    expect(t.state).to.equal(TradeState.Completed);
  });

  it("refuses a zero refund and a refund before the buyer paid", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    const terms = await directTerms(ctx);
    const unpaid = await proposeAndAccept(ctx, terms);
    const paid = await paidDirect(ctx, terms);

    await expect(escrow.connect(seller).refundVoluntarily(unpaid, USD(1)))
      .to.be.revertedWithCustomError(escrow, "EscrowRefundTooLarge")
      .withArgs(unpaid, USD(1), 0n);
    await expect(escrow.connect(seller).refundVoluntarily(paid, 0n))
      .to.be.revertedWithCustomError(escrow, "EscrowRefundTooLarge")
      .withArgs(paid, 0n, terms.price);
  });

  it("refuses anyone but the seller", async function () {
    const ctx = await useModes();
    const { escrow, buyer, stranger, operator } = ctx;
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);

    for (const caller of [buyer, stranger, operator]) {
      await expect(escrow.connect(caller).refundVoluntarily(id, USD(1)))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
    expect((await escrow.trade(id)).released).to.equal(terms.price);
  });

  it("takes exactly the refund in the native coin", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    const terms = await directTerms(ctx, { token: ethers.ZeroAddress });
    const id = await paidDirect(ctx, terms);
    const amount = USD(5_000);

    await expect(escrow.connect(seller).refundVoluntarily(id, amount, { value: amount - 1n }))
      .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
      .withArgs(amount, amount - 1n);
    const buyerBefore = await creditOf(ctx, buyer, terms);
    await expect(
      escrow.connect(seller).refundVoluntarily(id, amount, { value: amount }),
    ).to.changeEtherBalances(ethers, [seller, escrow], [-amount, amount]);
    expect(await creditOf(ctx, buyer, terms)).to.equal(buyerBefore + amount);
  });

  it("refuses a protected or a pay-after-use trade", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    await payAfterUseReady(ctx);
    const protectedTerms = await buildTerms(ctx);
    const payLater = await payAfterUseTerms(ctx);
    const p = await openAndShip(ctx, protectedTerms);
    const q = await openTrade(ctx, payLater);

    await expect(escrow.connect(seller).refundVoluntarily(p, USD(1)))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Protected);
    await expect(escrow.connect(seller).refundVoluntarily(q, USD(1)))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.PayAfterUse);
  });

  // A voluntary refund lowers `released`; nothing becomes due again, since only protected trades are
  // paid in instalments.
  it("lets the seller still ship and complete after a partial voluntary refund, holding nothing", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);
    await escrow.connect(seller).refundVoluntarily(id, USD(1_000));

    await expect(escrow.connect(seller).markShipped(id, cid("bl")))
      .to.emit(escrow, "GoodsShipped")
      .withArgs(id, cid("bl"));
    await escrow.connect(buyer).confirmReceipt(id);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
  });
});

describe("TradeEscrow direct trades: the protected trade's steps", function () {
  it("refuses startFulfilment, cancelForMissedStart and cancelUnshipped", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);
    await time.increaseTo(terms.latestDelivery + 1n);

    await expect(escrow.connect(seller).startFulfilment(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Direct);
    await expect(escrow.connect(buyer).cancelForMissedStart(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Direct);
    for (const caller of [buyer, seller]) {
      await expect(escrow.connect(caller).cancelUnshipped(id))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
        .withArgs(PaymentMode.Direct);
    }
    expect((await escrow.trade(id)).state).to.equal(TradeState.InFulfilment);
  });

  it("refuses payBalance: a direct trade is paid in full with payDirect", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);

    await expect(escrow.connect(buyer).payBalance(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Direct);
  });

  it("lets the seller cancel a direct trade the buyer did not pay in the window", async function () {
    const ctx = await useModes();
    const { escrow, seller, buyer } = ctx;
    const terms = await directTerms(ctx);
    const id = await proposeAndAccept(ctx, terms);
    const deadline = (await escrow.trade(id)).stageAt + BigInt(terms.depositWindow);

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, deadline);
    // A refused call mines no block: the next one is the first second past the deadline.
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.DepositMissed, 0n, 0n, 0n);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Cancelled);
    await expect(escrow.connect(buyer).payDirect(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Cancelled);
  });

  // A direct trade must not take a "deposit" into escrow: from Deposited no step of a direct trade
  // could move the money again.
  it("refuses payDeposit on a direct trade, so nothing is ever held in escrow", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const terms = await directTerms(ctx);
    const id = await proposeAndAccept(ctx, terms);

    await expect(escrow.connect(buyer).payDeposit(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Direct);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Signed);
    expect(t.escrowed).to.equal(0n);
  });
});

// ------------------------------------------------------------------------------------------------
// Pay after use: credit
// ------------------------------------------------------------------------------------------------

describe("TradeEscrow.recordCreditScore", function () {
  it("records the score an accredited oracle sends itself", async function () {
    const ctx = await useModes();
    const { escrow, buyer, oracle } = ctx;
    const score = await buildCreditScore(ctx, 640);

    await expect(escrow.connect(oracle).recordCreditScore(score, "0x"))
      .to.emit(escrow, "CreditScoreRecorded")
      .withArgs(buyer.address, oracle.address, 640, score.issuedAt, score.expiresAt, score.nonce);

    const recorded = await escrow.creditScore(buyer.address);
    expect(recorded.score).to.equal(640);
    expect(recorded.issuedAt).to.equal(score.issuedAt);
    expect(recorded.expiresAt).to.equal(score.expiresAt);
    expect(recorded.oracle).to.equal(oracle.address);
  });

  it("records a score relayed with the oracle's signature and spends its nonce", async function () {
    const ctx = await useModes();
    const { escrow, buyer, oracle, relayer } = ctx;
    const score = await buildCreditScore(ctx, 810);
    const signature = await signCreditScore(ctx, oracle, score);
    expect(await escrow.nonceUsed(oracle.address, score.nonce)).to.equal(false);

    await expect(escrow.connect(relayer).recordCreditScore(score, signature))
      .to.emit(escrow, "CreditScoreRecorded")
      .withArgs(buyer.address, oracle.address, 810, score.issuedAt, score.expiresAt, score.nonce);

    expect(await escrow.nonceUsed(oracle.address, score.nonce)).to.equal(true);
    const recorded = await escrow.creditScore(buyer.address);
    expect(recorded.score).to.equal(810);
    expect(recorded.oracle).to.equal(oracle.address);
  });

  it("refuses a signature used before", async function () {
    const ctx = await useModes();
    const { escrow, oracle, relayer } = ctx;
    const score = await buildCreditScore(ctx, 700);
    const signature = await signCreditScore(ctx, oracle, score);
    await escrow.connect(relayer).recordCreditScore(score, signature);

    await expect(escrow.connect(relayer).recordCreditScore(score, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(oracle.address, score.nonce);
  });

  it("refuses a signature whose nonce the oracle invalidated", async function () {
    const ctx = await useModes();
    const { escrow, buyer, oracle, relayer } = ctx;
    const score = await buildCreditScore(ctx, 700);
    const signature = await signCreditScore(ctx, oracle, score);
    await escrow.connect(oracle).invalidateNonce(score.nonce);

    await expect(escrow.connect(relayer).recordCreditScore(score, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(oracle.address, score.nonce);
    expect((await escrow.creditScore(buyer.address)).score).to.equal(0);
  });

  it("refuses a signed attestation after it expired", async function () {
    const ctx = await useModes();
    const { escrow, buyer, oracle, relayer } = ctx;
    const expiresAt = (await now()) + BigInt(DAY);
    const score = await buildCreditScore(ctx, 700, { expiresAt });
    const signature = await signCreditScore(ctx, oracle, score);

    await time.setNextBlockTimestamp(expiresAt + 1n);
    await expect(escrow.connect(relayer).recordCreditScore(score, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowSignatureExpired")
      .withArgs(oracle.address, expiresAt);
    expect((await escrow.creditScore(buyer.address)).oracle).to.equal(ethers.ZeroAddress);
  });

  it("refuses an oracle the admin has not accredited, calling or signing", async function () {
    const ctx = await useModes();
    const { escrow, rogueOracle, relayer, stranger } = ctx;
    const score = await buildCreditScore(ctx, 850);
    const signature = await signCreditScore(ctx, rogueOracle, score);

    await expect(escrow.connect(rogueOracle).recordCreditScore(score, "0x"))
      .to.be.revertedWithCustomError(escrow, "EscrowOracleNotAccredited")
      .withArgs(rogueOracle.address);
    await expect(escrow.connect(relayer).recordCreditScore(score, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowOracleNotAccredited")
      .withArgs(rogueOracle.address);
    await expect(escrow.connect(stranger).recordCreditScore(score, "0x"))
      .to.be.revertedWithCustomError(escrow, "EscrowOracleNotAccredited")
      .withArgs(stranger.address);
  });

  it("refuses an attestation altered after the oracle signed it", async function () {
    const ctx = await useModes();
    const { escrow, oracle, relayer } = ctx;
    const signed = await buildCreditScore(ctx, 560);
    const signature = await signCreditScore(ctx, oracle, signed);
    const altered = { ...signed, score: 900 };
    const recovered = ethers.verifyTypedData(
      ctx.domain,
      { CreditScore: [...EIP712_TYPES.CreditScore] },
      altered,
      signature,
    );
    expect(recovered).to.not.equal(oracle.address);

    await expect(escrow.connect(relayer).recordCreditScore(altered, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowOracleNotAccredited")
      .withArgs(recovered);
  });

  it("refuses an oracle whose accreditation was revoked", async function () {
    const ctx = await useModes();
    const { escrow, admin, oracle, oracleRole } = ctx;
    await escrow.connect(admin).revokeRole(oracleRole, oracle.address);

    await expect(escrow.connect(oracle).recordCreditScore(await buildCreditScore(ctx, 700), "0x"))
      .to.be.revertedWithCustomError(escrow, "EscrowOracleNotAccredited")
      .withArgs(oracle.address);
  });

  it("replaces the recorded score with a newer one, lower or higher", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    const first = await recordScore(ctx, 800, { issuedAt: (await now()) - 100n });
    const second = await recordScore(ctx, 500, { issuedAt: first.issuedAt + 1n });

    const recorded = await escrow.creditScore(buyer.address);
    expect(recorded.score).to.equal(500);
    expect(recorded.issuedAt).to.equal(second.issuedAt);
    expect(recorded.expiresAt).to.equal(second.expiresAt);
  });

  it("refuses an attestation issued before, or at the same time as, the one recorded", async function () {
    const ctx = await useModes();
    const { escrow, buyer, oracle } = ctx;
    const recorded = await recordScore(ctx, 700);

    for (const issuedAt of [recorded.issuedAt - 1n, recorded.issuedAt]) {
      const older = await buildCreditScore(ctx, 900, { issuedAt });
      await expect(escrow.connect(oracle).recordCreditScore(older, "0x"))
        .to.be.revertedWithCustomError(escrow, "EscrowCreditStale")
        .withArgs(buyer.address, issuedAt, recorded.issuedAt);
    }
    expect((await escrow.creditScore(buyer.address)).score).to.equal(700);
  });

  it("refuses an attestation issued in the future", async function () {
    const ctx = await useModes();
    const { escrow, buyer, oracle } = ctx;
    const at = (await now()) + 100n;
    const future = await buildCreditScore(ctx, 700, { issuedAt: at + 1n });

    await time.setNextBlockTimestamp(at);
    await expect(escrow.connect(oracle).recordCreditScore(future, "0x"))
      .to.be.revertedWithCustomError(escrow, "EscrowCreditStale")
      .withArgs(buyer.address, at + 1n, 0n);
    const current = await buildCreditScore(ctx, 700, { issuedAt: at + 1n });
    await time.setNextBlockTimestamp(at + 1n);
    await expect(escrow.connect(oracle).recordCreditScore(current, "0x")).to.emit(
      escrow,
      "CreditScoreRecorded",
    );
  });
});

describe("TradeEscrow.setCreditThreshold", function () {
  it("starts at the SPEC's 550", async function () {
    const ctx = await useModes();
    expect(await ctx.escrow.DEFAULT_CREDIT_THRESHOLD()).to.equal(DEFAULT_THRESHOLD);
    expect(await ctx.escrow.creditThreshold()).to.equal(DEFAULT_THRESHOLD);
  });

  it("lets the admin raise the bar for new trades only", async function () {
    const ctx = await useModes();
    const { escrow, admin, buyer, seller } = ctx;
    const score = await recordScore(ctx, 650);
    await fundPool(ctx);
    const terms = await payAfterUseTerms(ctx);
    const before = await deliveredPayAfterUse(ctx, terms);

    await expect(escrow.connect(admin).setCreditThreshold(700))
      .to.emit(escrow, "CreditThresholdSet")
      .withArgs(700);
    expect(await escrow.creditThreshold()).to.equal(700);

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowCreditRefused")
      .withArgs(buyer.address, 650, 700, score.expiresAt);
    await expect(escrow.connect(buyer).confirmReceipt(before))
      .to.emit(escrow, "PaymentCollected")
      .withArgs(before, buyer.address, terms.price);
  });

  it("re-checks the buyer's credit when the proposal is accepted", async function () {
    const ctx = await useModes();
    const { escrow, admin, buyer, seller } = ctx;
    const score = await recordScore(ctx, 650);
    await fundPool(ctx);
    const terms = await payAfterUseTerms(ctx);
    await escrow.connect(seller).proposeTrade(terms);
    await escrow.connect(admin).setCreditThreshold(651);

    await expect(escrow.connect(buyer).acceptTrade(1n, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowCreditRefused")
      .withArgs(buyer.address, 650, 651, score.expiresAt);
    expect((await escrow.trade(1n)).state).to.equal(TradeState.Proposed);
    expect((await poolOf(ctx)).committed).to.equal(0n);
  });

  it("refuses anyone but the admin", async function () {
    const ctx = await useModes();
    const { escrow, oracle, stranger } = ctx;

    for (const caller of [oracle, stranger]) {
      await expect(escrow.connect(caller).setCreditThreshold(1))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(caller.address, ADMIN_ROLE);
    }
    expect(await escrow.creditThreshold()).to.equal(DEFAULT_THRESHOLD);
  });
});

// ------------------------------------------------------------------------------------------------
// Pay after use: the guarantor pool
// ------------------------------------------------------------------------------------------------

describe("TradeEscrow.fundPool", function () {
  it("adds the platform's stablecoins to the pool", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, platform } = ctx;
    const platformBefore = await usd.balanceOf(platform.address);

    await expect(escrow.connect(platform).fundPool(usdAddress, USD(200_000)))
      .to.emit(escrow, "PoolChanged")
      .withArgs(usdAddress, platform.address, USD(200_000), USD(200_000));
    await expect(escrow.connect(platform).fundPool(usdAddress, USD(50_000)))
      .to.emit(escrow, "PoolChanged")
      .withArgs(usdAddress, platform.address, USD(50_000), USD(250_000));

    expect(await usd.balanceOf(platform.address)).to.equal(platformBefore - USD(250_000));
    expect(await poolOf(ctx)).to.deep.equal({ balance: USD(250_000), committed: 0n });
  });

  it("takes exactly the amount in the native coin", async function () {
    const ctx = await useModes();
    const { escrow, platform } = ctx;
    const amount = ethers.parseEther("2");

    await expect(escrow.connect(platform).fundPool(ethers.ZeroAddress, amount, { value: 1n }))
      .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
      .withArgs(amount, 1n);
    await expect(
      escrow.connect(platform).fundPool(ethers.ZeroAddress, amount, { value: amount }),
    ).to.changeEtherBalances(ethers, [platform, escrow], [-amount, amount]);
    expect((await poolOf(ctx, ethers.ZeroAddress)).balance).to.equal(amount);
  });

  it("refuses a zero amount and one beyond 96 bits", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, platform } = ctx;
    const tooMuch = 2n ** 96n;

    await expect(escrow.connect(platform).fundPool(usdAddress, 0n))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
      .withArgs(0n);
    await expect(escrow.connect(platform).fundPool(usdAddress, tooMuch))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
      .withArgs(tooMuch);
  });

  it("refuses a token that delivers less than the amount", async function () {
    const ctx = await useModes();
    const { escrow, platform } = ctx;
    const { token, address, startCharging } = await deployLateFeeToken(ctx);
    await startCharging();
    const amount = USD(10_000);

    await expect(escrow.connect(platform).fundPool(address, amount))
      .to.be.revertedWithCustomError(escrow, "EscrowTokenShortfall")
      .withArgs(address, amount, amount - amount / 100n);
    expect(await token.balanceOf(await escrow.getAddress())).to.equal(0n);
    expect((await poolOf(ctx, address)).balance).to.equal(0n);
  });
});

describe("TradeEscrow.withdrawPool", function () {
  it("lets the admin take out only what no open trade is guaranteed by", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, admin, treasury } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    await openTrade(ctx, terms);
    const available = POOL_FUNDING - terms.price;

    await expect(escrow.connect(admin).withdrawPool(usdAddress, available + 1n, treasury.address))
      .to.be.revertedWithCustomError(escrow, "EscrowPoolInsufficient")
      .withArgs(usdAddress, available, available + 1n);
    await expect(escrow.connect(admin).withdrawPool(usdAddress, 0n, treasury.address))
      .to.be.revertedWithCustomError(escrow, "EscrowPoolInsufficient")
      .withArgs(usdAddress, available, 0n);

    const treasuryBefore = await usd.balanceOf(treasury.address);
    await expect(escrow.connect(admin).withdrawPool(usdAddress, available, treasury.address))
      .to.emit(escrow, "PoolChanged")
      .withArgs(usdAddress, treasury.address, -available, terms.price);
    expect(await usd.balanceOf(treasury.address)).to.equal(treasuryBefore + available);
    expect(await poolOf(ctx)).to.deep.equal({ balance: terms.price, committed: terms.price });
  });

  it("refuses anyone but the admin", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, platform, stranger } = ctx;
    await fundPool(ctx);

    for (const caller of [platform, stranger]) {
      await expect(escrow.connect(caller).withdrawPool(usdAddress, 1n, caller.address))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(caller.address, ADMIN_ROLE);
    }
    expect((await poolOf(ctx)).balance).to.equal(POOL_FUNDING);
  });

  it("refuses to send to the zero address", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, admin } = ctx;
    await fundPool(ctx);

    await expect(
      escrow.connect(admin).withdrawPool(usdAddress, 1n, ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(escrow, "EscrowZeroAddress");
  });

  it("pays out a native-coin pool", async function () {
    const ctx = await useModes();
    const { escrow, admin, platform, stranger } = ctx;
    const amount = ethers.parseEther("1");
    await escrow.connect(platform).fundPool(ethers.ZeroAddress, amount, { value: amount });

    await expect(
      escrow.connect(admin).withdrawPool(ethers.ZeroAddress, amount, stranger.address),
    ).to.changeEtherBalances(ethers, [escrow, stranger], [-amount, amount]);
    expect((await poolOf(ctx, ethers.ZeroAddress)).balance).to.equal(0n);
  });
});

// ------------------------------------------------------------------------------------------------
// Pay after use: opening
// ------------------------------------------------------------------------------------------------

describe("TradeEscrow pay-after-use trades: opening", function () {
  it("opens with nothing paid and reserves the price in the pool", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer, seller, relayer } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const buyerBefore = await usd.balanceOf(buyer.address);
    const buyerSig = await signOpen(ctx, buyer, terms, nextNonce());
    const sellerSig = await signOpen(ctx, seller, terms, nextNonce());

    await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
      .to.emit(escrow, "TradeOpened")
      .withArgs(1n, buyer.address, seller.address, hashTerms(terms), termsEqual(terms))
      .and.to.emit(escrow, "GuaranteeChanged")
      .withArgs(1n, usdAddress, terms.price);

    expect(await poolOf(ctx)).to.deep.equal({ balance: POOL_FUNDING, committed: terms.price });
    expect(await usd.balanceOf(buyer.address)).to.equal(buyerBefore);
    const t = await escrow.trade(1n);
    expect(t.state).to.equal(TradeState.Signed);
    expect(t.escrowed).to.equal(0n);
  });

  it("reserves the price only when the proposal is accepted", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);

    await escrow.connect(seller).proposeTrade(terms);
    expect((await poolOf(ctx)).committed).to.equal(0n);
    await expect(escrow.connect(buyer).acceptTrade(1n, terms))
      .to.emit(escrow, "GuaranteeChanged")
      .withArgs(1n, usdAddress, terms.price);
    expect((await poolOf(ctx)).committed).to.equal(terms.price);
  });

  it("refuses a score exactly at the threshold and accepts one point above (seed 004: above 550)", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    await fundPool(ctx);
    const at = await recordScore(ctx, DEFAULT_THRESHOLD, { issuedAt: (await now()) - 100n });
    const terms = await payAfterUseTerms(ctx);

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowCreditRefused")
      .withArgs(buyer.address, DEFAULT_THRESHOLD, DEFAULT_THRESHOLD, at.expiresAt);
    await recordScore(ctx, DEFAULT_THRESHOLD + 1, { issuedAt: at.issuedAt + 1n });
    await expect(escrow.connect(seller).proposeTrade(terms)).to.emit(escrow, "TradeProposed");
  });

  it("refuses a buyer whose attestation has expired, and accepts it up to its expiry", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    await fundPool(ctx);
    const expiresAt = (await now()) + BigInt(DAY);
    await recordScore(ctx, GOOD_SCORE, { expiresAt });
    const terms = await payAfterUseTerms(ctx);

    await time.setNextBlockTimestamp(expiresAt);
    await expect(escrow.connect(seller).proposeTrade(terms)).to.emit(escrow, "TradeProposed");
    await time.setNextBlockTimestamp(expiresAt + 1n);
    await expect(escrow.connect(buyer).acceptTrade(1n, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowCreditRefused")
      .withArgs(buyer.address, GOOD_SCORE, DEFAULT_THRESHOLD, expiresAt);
    expect((await escrow.trade(1n)).state).to.equal(TradeState.Proposed);
  });

  it("refuses a buyer with no recorded score", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    await fundPool(ctx);
    const terms = await payAfterUseTerms(ctx);

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowOracleNotAccredited")
      .withArgs(ethers.ZeroAddress);
  });

  it("refuses a score from an oracle whose accreditation was revoked", async function () {
    const ctx = await useModes();
    const { escrow, admin, oracle, oracleRole, seller } = ctx;
    await payAfterUseReady(ctx);
    await escrow.connect(admin).revokeRole(oracleRole, oracle.address);
    const terms = await payAfterUseTerms(ctx);

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowOracleNotAccredited")
      .withArgs(oracle.address);
  });

  it("refuses a buyer whose allowance does not cover the price", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    await usd.connect(buyer).approve(await escrow.getAddress(), terms.price - 1n);

    await expect(escrow.connect(seller).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowAllowanceTooLow")
      .withArgs(usdAddress, terms.price - 1n, terms.price);
    await usd.connect(buyer).approve(await escrow.getAddress(), terms.price);
    await expect(escrow.connect(seller).proposeTrade(terms)).to.emit(escrow, "TradeProposed");
  });

  it("refuses a trade the pool has no room to guarantee", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer, seller } = ctx;
    await recordScore(ctx);
    const terms = await payAfterUseTerms(ctx);
    await escrow.connect(seller).proposeTrade(terms);

    await expect(escrow.connect(buyer).acceptTrade(1n, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowPoolInsufficient")
      .withArgs(usdAddress, 0n, terms.price);
    await fundPool(ctx, USD(150_000));
    await escrow.connect(buyer).acceptTrade(1n, terms);
    await escrow.connect(seller).proposeTrade(terms);
    await expect(escrow.connect(buyer).acceptTrade(2n, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowPoolInsufficient")
      .withArgs(usdAddress, USD(50_000), terms.price);
    expect(await poolOf(ctx)).to.deep.equal({ balance: USD(150_000), committed: terms.price });
  });

  const invalidPayAfterUse: { label: string; overrides: Partial<Terms> }[] = [
    { label: "in the native coin", overrides: { token: ethers.ZeroAddress } },
    { label: "with a deposit", overrides: { depositBps: 3000 } },
    { label: "with a claim window", overrides: { claimWindow: 3 * DAY } },
    { label: "with no automatic collection (collectAfter 0)", overrides: { collectAfter: 0 } },
  ];
  for (const c of invalidPayAfterUse) {
    it(`refuses pay-after-use terms ${c.label}`, async function () {
      const ctx = await useModes();
      const { escrow, seller } = ctx;
      await payAfterUseReady(ctx);
      const terms = await payAfterUseTerms(ctx, c.overrides);

      await expect(escrow.connect(seller).proposeTrade(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
        .withArgs(PaymentMode.PayAfterUse);
      expect(await escrow.tradeCount()).to.equal(0n);
    });
  }
});

// ------------------------------------------------------------------------------------------------
// Pay after use: fulfilment, delivery and collection
// ------------------------------------------------------------------------------------------------

describe("TradeEscrow pay-after-use trades: fulfilment and delivery", function () {
  it("starts fulfilment from Signed with nothing paid, within the business days from opening", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const a = await acceptOnMonday(ctx, terms);
    const deadline = a.openedAt + days(3); // Monday + 3 business days: Thursday
    expect(await escrow.stageDeadline(a.id)).to.equal(deadline);

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(seller).startFulfilment(a.id))
      .to.emit(escrow, "FulfilmentStarted")
      .withArgs(a.id)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(a.id, TradeState.Signed, TradeState.InFulfilment);
    const t = await escrow.trade(a.id);
    expect(t.stageAt).to.equal(deadline);
    expect(t.escrowed).to.equal(0n);
  });

  it("refuses a start one second after the deadline, and anyone but the seller", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const a = await acceptOnMonday(ctx, terms);
    const deadline = a.openedAt + days(3);

    await expect(escrow.connect(buyer).startFulfilment(a.id))
      .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
      .withArgs(a.id, buyer.address);
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(seller).startFulfilment(a.id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
      .withArgs(a.id, deadline);
    expect((await escrow.trade(a.id)).state).to.equal(TradeState.Signed);
  });

  it("ships with nothing paid", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await startedPayAfterUse(ctx, terms);

    await expect(escrow.connect(seller).markShipped(id, cid("bl")))
      .to.emit(escrow, "GoodsShipped")
      .withArgs(id, cid("bl"))
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.InFulfilment, TradeState.Shipped);
    expect((await escrow.trade(id)).escrowed).to.equal(0n);
  });

  it("leaves the trade Delivered with nothing released when the operator attests title", async function () {
    const ctx = await useModes();
    const { escrow, receipts, buyer, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await shippedPayAfterUse(ctx, terms);
    const sellerBefore = await creditOf(ctx, seller, terms);

    const tx = attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer);
    await expect(tx)
      .to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Delivered);
    await expect(tx).not.to.emit(escrow, "FundsReleased");

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.stageAt).to.equal(await now());
    expect(t.escrowed).to.equal(0n);
    expect(t.released).to.equal(0n);
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
    expect(await creditOf(ctx, seller, terms)).to.equal(sellerBefore);
    expect((await poolOf(ctx)).committed).to.equal(terms.price);
    expect(await escrow.stageDeadline(id)).to.equal(t.stageAt + BigInt(COLLECT_AFTER));
  });

  it("refuses release() on a delivered pay-after-use trade", async function () {
    const ctx = await useModes();
    const { escrow, stranger } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    await time.increase(COLLECT_AFTER + DAY);

    await expect(escrow.connect(stranger).release(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.PayAfterUse);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Delivered);
  });

  it("refuses payBalance: the price is collected after delivery", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await startedPayAfterUse(ctx, terms);

    await expect(escrow.connect(buyer).payBalance(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.PayAfterUse);
  });

  // A pay-after-use trade takes no deposit; a "deposit" of 0 would move it to Deposited, where the
  // seller could never start fulfilment.
  it("refuses payDeposit on a pay-after-use trade", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await openTrade(ctx, terms);

    await expect(escrow.connect(buyer).payDeposit(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.PayAfterUse);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
  });
});

describe("TradeEscrow.confirmReceipt on a pay-after-use trade", function () {
  it("collects the price from the buyer and pays the seller when the buyer confirms", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer, seller, treasury, operator } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    const { seller: sellerShare, fee } = split(terms.price, terms.feeBps);
    const buyerBefore = await usd.balanceOf(buyer.address);
    const escrowBefore = await usd.balanceOf(await escrow.getAddress());
    const sellerBefore = await creditOf(ctx, seller, terms);
    const treasuryBefore = await creditOf(ctx, treasury, terms);
    const openBefore = await openTradesOf(ctx, operator);

    const tx = escrow.connect(buyer).confirmReceipt(id);
    await expect(tx)
      .to.emit(escrow, "ReceiptConfirmed")
      .withArgs(id, buyer.address)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed)
      .and.to.emit(escrow, "GuaranteeChanged")
      .withArgs(id, usdAddress, 0n)
      .and.to.emit(escrow, "PaymentCollected")
      .withArgs(id, buyer.address, terms.price)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, sellerShare, fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, usdAddress, id, sellerShare);
    await expect(tx).not.to.emit(escrow, "CollectionFailed");

    expect(await usd.balanceOf(buyer.address)).to.equal(buyerBefore - terms.price);
    expect(await usd.balanceOf(await escrow.getAddress())).to.equal(escrowBefore + terms.price);
    expect(await creditOf(ctx, seller, terms)).to.equal(sellerBefore + sellerShare);
    expect(await creditOf(ctx, treasury, terms)).to.equal(treasuryBefore + fee);
    expect(await poolOf(ctx)).to.deep.equal({ balance: POOL_FUNDING, committed: 0n });
    expect(await escrow.debt(buyer.address, usdAddress)).to.equal(0n);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect(t.stageAt).to.equal(await now());
  });

  it("lets anyone collect only once collectAfter has passed since delivery", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller, stranger } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    const due = (await escrow.trade(id)).stageAt + BigInt(COLLECT_AFTER);

    await expect(escrow.connect(seller).confirmReceipt(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, due);
    await time.setNextBlockTimestamp(due);
    await expect(escrow.connect(stranger).confirmReceipt(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, due);
    await time.setNextBlockTimestamp(due + 1n);
    await expect(escrow.connect(stranger).confirmReceipt(id))
      .to.emit(escrow, "ReceiptConfirmed")
      .withArgs(id, stranger.address)
      .and.to.emit(escrow, "PaymentCollected")
      .withArgs(id, buyer.address, terms.price);
  });

  it("refuses collection before delivery", async function () {
    const ctx = await useModes();
    const { escrow, buyer } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await shippedPayAfterUse(ctx, terms);

    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Shipped);
    expect((await poolOf(ctx)).committed).to.equal(terms.price);
  });

  it("has the pool pay the seller in full and records the debt when the buyer revoked its allowance", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer, seller, stranger } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    await usd.connect(buyer).approve(await escrow.getAddress(), 0n);
    const { seller: sellerShare, fee } = split(terms.price, terms.feeBps);
    const buyerBefore = await usd.balanceOf(buyer.address);
    const escrowBefore = await usd.balanceOf(await escrow.getAddress());
    const sellerBefore = await creditOf(ctx, seller, terms);
    await time.increase(COLLECT_AFTER + 1);

    const tx = escrow.connect(stranger).confirmReceipt(id);
    await expect(tx)
      .to.emit(escrow, "CollectionFailed")
      .withArgs(id, buyer.address, usdAddress, terms.price)
      .and.to.emit(escrow, "PoolChanged")
      .withArgs(usdAddress, buyer.address, -terms.price, POOL_FUNDING - terms.price)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, sellerShare, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed);
    await expect(tx).not.to.emit(escrow, "PaymentCollected");

    expect(await usd.balanceOf(buyer.address)).to.equal(buyerBefore);
    expect(await usd.balanceOf(await escrow.getAddress())).to.equal(escrowBefore);
    expect(await creditOf(ctx, seller, terms)).to.equal(sellerBefore + sellerShare);
    expect(await escrow.debt(buyer.address, usdAddress)).to.equal(terms.price);
    expect(await poolOf(ctx)).to.deep.equal({
      balance: POOL_FUNDING - terms.price,
      committed: 0n,
    });
  });

  it("has the pool pay the seller when the buyer holds too little to pay", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer, seller, stranger } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    const held = await usd.balanceOf(buyer.address);
    await usd.connect(buyer).transfer(stranger.address, held - (terms.price - 1n));
    const sellerBefore = await creditOf(ctx, seller, terms);

    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.emit(escrow, "CollectionFailed")
      .withArgs(id, buyer.address, usdAddress, terms.price);

    expect(await usd.balanceOf(buyer.address)).to.equal(terms.price - 1n);
    expect(await creditOf(ctx, seller, terms)).to.equal(
      sellerBefore + split(terms.price, terms.feeBps).seller,
    );
    expect(await escrow.debt(buyer.address, usdAddress)).to.equal(terms.price);
    expect((await poolOf(ctx)).balance).to.equal(POOL_FUNDING - terms.price);
  });

  it("has the pool cover what a token that started charging a fee fails to deliver", async function () {
    const ctx = await useModes();
    const { escrow, buyer, seller, platform } = ctx;
    const { token, address, startCharging } = await deployLateFeeToken(ctx);
    await escrow.connect(platform).fundPool(address, POOL_FUNDING);
    await recordScore(ctx);
    const terms = await payAfterUseTerms(ctx, { token: address });
    const id = await deliveredPayAfterUse(ctx, terms);
    await startCharging();
    const shortfall = terms.price / 100n; // the token's 1% fee
    const { seller: sellerShare, fee } = split(terms.price, terms.feeBps);
    const escrowBefore = await token.balanceOf(await escrow.getAddress());
    const sellerBefore = await creditOf(ctx, seller, terms);

    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.emit(escrow, "PaymentCollected")
      .withArgs(id, buyer.address, terms.price - shortfall)
      .and.to.emit(escrow, "CollectionFailed")
      .withArgs(id, buyer.address, address, shortfall)
      .and.to.emit(escrow, "PoolChanged")
      .withArgs(address, buyer.address, -shortfall, POOL_FUNDING - shortfall)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, sellerShare, fee);

    expect(await token.balanceOf(await escrow.getAddress())).to.equal(
      escrowBefore + terms.price - shortfall,
    );
    expect(await creditOf(ctx, seller, terms)).to.equal(sellerBefore + sellerShare);
    expect(await escrow.debt(buyer.address, address)).to.equal(shortfall);
    expect(await poolOf(ctx, address)).to.deep.equal({
      balance: POOL_FUNDING - shortfall,
      committed: 0n,
    });
  });
});

describe("TradeEscrow.repayDebt", function () {
  /** A completed pay-after-use trade whose collection failed: the buyer owes the price. */
  async function indebted(ctx: ModesContext): Promise<Terms> {
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    await ctx.usd.connect(ctx.buyer).approve(await ctx.escrow.getAddress(), 0n);
    await ctx.escrow.connect(ctx.buyer).confirmReceipt(id);
    await ctx.usd.connect(ctx.buyer).approve(await ctx.escrow.getAddress(), ethers.MaxUint256);
    return terms;
  }

  it("takes a partial repayment back into the pool", async function () {
    const ctx = await useModes();
    const { escrow, usd, usdAddress, buyer } = ctx;
    const terms = await indebted(ctx);
    const part = USD(30_000);
    const buyerBefore = await usd.balanceOf(buyer.address);
    const poolBefore = (await poolOf(ctx)).balance;

    await expect(escrow.connect(buyer).repayDebt(usdAddress, part))
      .to.emit(escrow, "DebtRepaid")
      .withArgs(buyer.address, usdAddress, part, terms.price - part)
      .and.to.emit(escrow, "PoolChanged")
      .withArgs(usdAddress, buyer.address, part, poolBefore + part);

    expect(await usd.balanceOf(buyer.address)).to.equal(buyerBefore - part);
    expect(await escrow.debt(buyer.address, usdAddress)).to.equal(terms.price - part);
    expect((await poolOf(ctx)).balance).to.equal(poolBefore + part);
  });

  it("clears the debt on full repayment and restores the pool", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer } = ctx;
    const terms = await indebted(ctx);
    await escrow.connect(buyer).repayDebt(usdAddress, USD(30_000));
    const rest = terms.price - USD(30_000);

    await expect(escrow.connect(buyer).repayDebt(usdAddress, rest))
      .to.emit(escrow, "DebtRepaid")
      .withArgs(buyer.address, usdAddress, rest, 0n)
      .and.to.emit(escrow, "PoolChanged")
      .withArgs(usdAddress, buyer.address, rest, POOL_FUNDING);

    expect(await escrow.debt(buyer.address, usdAddress)).to.equal(0n);
    expect(await poolOf(ctx)).to.deep.equal({ balance: POOL_FUNDING, committed: 0n });
  });

  it("refuses more than is owed, a zero repayment, and a buyer who owes nothing", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer, seller } = ctx;
    const terms = await indebted(ctx);

    await expect(escrow.connect(buyer).repayDebt(usdAddress, terms.price + 1n))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingOwed")
      .withArgs(buyer.address, usdAddress, terms.price);
    await expect(escrow.connect(buyer).repayDebt(usdAddress, 0n))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingOwed")
      .withArgs(buyer.address, usdAddress, terms.price);
    await expect(escrow.connect(seller).repayDebt(usdAddress, 1n))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingOwed")
      .withArgs(seller.address, usdAddress, 0n);
    expect(await escrow.debt(buyer.address, usdAddress)).to.equal(terms.price);
  });

  it("refuses a repayment in a token that delivers less than the amount", async function () {
    const ctx = await useModes();
    const { escrow, buyer, platform } = ctx;
    const { address, startCharging } = await deployLateFeeToken(ctx);
    await escrow.connect(platform).fundPool(address, POOL_FUNDING);
    await recordScore(ctx);
    const terms = await payAfterUseTerms(ctx, { token: address });
    const id = await deliveredPayAfterUse(ctx, terms);
    await startCharging();
    await escrow.connect(buyer).confirmReceipt(id);
    const owed = await escrow.debt(buyer.address, address);

    await expect(escrow.connect(buyer).repayDebt(address, owed))
      .to.be.revertedWithCustomError(escrow, "EscrowTokenShortfall")
      .withArgs(address, owed, owed - owed / 100n);
    expect(await escrow.debt(buyer.address, address)).to.equal(owed);
  });
});

// ------------------------------------------------------------------------------------------------
// Pay after use: cancellations and amendments
// ------------------------------------------------------------------------------------------------

describe("TradeEscrow pay-after-use trades: cancellations", function () {
  it("lets the buyer cancel a trade not started in time and frees the guarantee", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer, operator } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const a = await acceptOnMonday(ctx, terms);
    const deadline = a.openedAt + days(3);
    const openBefore = await openTradesOf(ctx, operator);

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(buyer).cancelForMissedStart(a.id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(a.id, deadline);
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(buyer).cancelForMissedStart(a.id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(a.id, CancelReason.FulfilmentNotStarted, 0n, 0n, 0n)
      .and.to.emit(escrow, "GuaranteeChanged")
      .withArgs(a.id, usdAddress, 0n)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(a.id, TradeState.Signed, TradeState.Cancelled);

    expect(await poolOf(ctx)).to.deep.equal({ balance: POOL_FUNDING, committed: 0n });
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("refuses cancelForMissedStart by anyone but the buyer", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await openTrade(ctx, terms);
    await time.increase(14 * DAY);

    await expect(escrow.connect(seller).cancelForMissedStart(id))
      .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
      .withArgs(id, seller.address);
  });

  it("lets the buyer cancel a started trade not shipped by the latest delivery and frees the guarantee", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx, { sellerBond: USD(2_000) });
    const id = await openTrade(ctx, terms);
    await escrow.connect(seller).postSellerBond(id);
    await escrow.connect(seller).startFulfilment(id);
    const buyerBefore = await creditOf(ctx, buyer, terms);

    await time.setNextBlockTimestamp(terms.latestDelivery);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, terms.latestDelivery);
    // A refused call mines no block: the next one is the first second past the deadline.
    await time.setNextBlockTimestamp(terms.latestDelivery + 1n);
    await expect(escrow.connect(seller).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
      .withArgs(id, seller.address);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotShipped, 0n, USD(2_000), 0n)
      .and.to.emit(escrow, "GuaranteeChanged")
      .withArgs(id, usdAddress, 0n);

    expect(await creditOf(ctx, buyer, terms)).to.equal(buyerBefore + USD(2_000));
    expect((await poolOf(ctx)).committed).to.equal(0n);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Cancelled);
  });

  it("refuses cancelForMissedDeposit on a pay-after-use trade", async function () {
    const ctx = await useModes();
    const { escrow, seller } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await openTrade(ctx, terms);
    await time.increase(terms.depositWindow + DAY);

    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.PayAfterUse);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
    expect((await poolOf(ctx)).committed).to.equal(terms.price);
  });
});

describe("TradeEscrow pay-after-use trades: amendments", function () {
  it("moves the pool's commitment with a raised price and collects the new price", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await startedPayAfterUse(ctx, terms);
    const amended = { ...terms, price: USD(150_000) };

    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "GuaranteeChanged")
      .withArgs(id, usdAddress, 0n)
      .and.to.emit(escrow, "GuaranteeChanged")
      .withArgs(id, usdAddress, USD(150_000))
      .and.to.emit(escrow, "TradeAmended");
    expect((await poolOf(ctx)).committed).to.equal(USD(150_000));

    await escrow.connect(ctx.seller).markShipped(id, cid("bl"));
    await deliver(ctx, id, amended);
    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.emit(escrow, "PaymentCollected")
      .withArgs(id, buyer.address, USD(150_000));
    expect((await poolOf(ctx)).committed).to.equal(0n);
  });

  it("frees part of the commitment when the price is lowered", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await openTrade(ctx, terms);

    await expect(amendSigned(ctx, id, { ...terms, price: USD(60_000) }))
      .to.emit(escrow, "GuaranteeChanged")
      .withArgs(id, usdAddress, USD(60_000));
    expect(await poolOf(ctx)).to.deep.equal({ balance: POOL_FUNDING, committed: USD(60_000) });
  });

  it("refuses a raised price the pool has no room for", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress } = ctx;
    await recordScore(ctx);
    await fundPool(ctx, USD(120_000));
    const terms = await payAfterUseTerms(ctx);
    const id = await openTrade(ctx, terms);
    const amended = { ...terms, price: USD(150_000) };

    await expect(amendSigned(ctx, id, amended))
      .to.be.revertedWithCustomError(escrow, "EscrowPoolInsufficient")
      .withArgs(usdAddress, USD(120_000), USD(150_000));
    expect((await poolOf(ctx)).committed).to.equal(terms.price);
    await expectTermsInForce(escrow, id, terms);
  });

  it("refuses an amendment that changes the payment mode", async function () {
    const ctx = await useModes();
    const { escrow } = ctx;
    await payAfterUseReady(ctx);
    const payLater = await payAfterUseTerms(ctx);
    const p = await openTrade(ctx, payLater);
    const direct = await directTerms(ctx);
    const d = await paidDirect(ctx, direct);

    await expect(
      amendSigned(ctx, p, { ...payLater, mode: PaymentMode.Protected, depositBps: 3000 }),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowAmendmentChangesParties")
      .withArgs(p);
    await expect(
      amendSigned(ctx, d, {
        ...direct,
        mode: PaymentMode.Protected,
        operator: ctx.operator.address,
      }),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowAmendmentChangesParties")
      .withArgs(d);
    expect((await poolOf(ctx)).committed).to.equal(payLater.price);
  });

  // Before collection a delivered pay-after-use trade has paid nothing, so its price may still be
  // amended (the pool's reservation follows it).
  it("lets the parties lower the price of a delivered pay-after-use trade before collection", async function () {
    const ctx = await useModes();
    const { escrow, usdAddress, buyer } = ctx;
    await payAfterUseReady(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    const amended = { ...terms, price: USD(90_000) };

    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "GuaranteeChanged")
      .withArgs(id, usdAddress, USD(90_000));
    await expect(escrow.connect(buyer).confirmReceipt(id))
      .to.emit(escrow, "PaymentCollected")
      .withArgs(id, buyer.address, USD(90_000));
  });
});
