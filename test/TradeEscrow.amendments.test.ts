// Length: one describe per effect of an amendment (price, quantity, operator, bond, a held lot),
// and its refusals.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import { anyUint, anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import {
  AttestationKind,
  buildTerms,
  cid,
  DAY,
  deliver,
  depositOf,
  expectTermsInForce,
  HALT_LATE,
  HALT_QUANTITY,
  hashTerms,
  nextNonce,
  NO_SIGNATURE,
  openAndShip,
  openTrade,
  OPERATOR_BOND,
  signAmendment,
  TradeState,
  USD,
  useEscrow,
} from "./fixtures/escrow";
import type { EscrowContext, Terms } from "./fixtures/escrow";
import {
  amendSigned,
  amendmentSignatures,
  attestDirect,
  creditOf,
  days,
  feeOf,
  now,
  openAndDeposit,
  openAndStart,
  openTradesOf,
  payRest,
  receiptIdOf,
  termsEqual,
} from "./fixtures/flows";

// Amendments: both parties sign a new version of the terms; a halted trade resumes and its pending
// lot is judged against the new terms. Money paid above a lowered price goes back to the buyer.

/** Ships a trade on the default terms (10 units, 100,000 USD) and has the operator attest a short
 * lot of `quantity`, which halts it. */
async function haltedShort(
  ctx: EscrowContext,
  kind: AttestationKind,
  quantity = 9n,
): Promise<{ id: bigint; terms: Terms; receivedAt: bigint }> {
  const terms = await buildTerms(ctx);
  const id = await openAndShip(ctx, terms);
  const receivedAt = await now();
  await attestDirect(ctx, id, terms, kind, { quantity, time: receivedAt });
  expect((await ctx.escrow.trade(id)).state).to.equal(TradeState.Halted);
  return { id, terms, receivedAt };
}

/** Ships a trade and has the operator attest its full quantity one day after the latest delivery time. */
async function haltedLate(
  ctx: EscrowContext,
  kind: AttestationKind,
): Promise<{ id: bigint; terms: Terms; receivedAt: bigint }> {
  const latestDelivery = (await now()) + days(20);
  const terms = await buildTerms(ctx, { latestDelivery });
  const id = await openAndShip(ctx, terms);
  await time.increaseTo(latestDelivery + days(2));
  const receivedAt = latestDelivery + days(1);
  await expect(attestDirect(ctx, id, terms, kind, { time: receivedAt }))
    .to.emit(ctx.escrow, "TradeHalted")
    .withArgs(id, 1, HALT_LATE, terms.quantity, receivedAt);
  return { id, terms, receivedAt };
}

describe("TradeEscrow.amend: a halted short delivery", function () {
  it("passes title and releases the lowered price inside the amendment when receipt and title were attested", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, buyer, seller, treasury, operator } = ctx;
    const { id, terms } = await haltedShort(ctx, AttestationKind.ReceiptAndTitleTransfer);
    const amended = { ...terms, quantity: 9n, price: USD(90_000) };
    const fee = feeOf(amended.price, terms.feeBps);
    const openBefore = await openTradesOf(ctx, operator);

    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "TradeAmended")
      .withArgs(id, 1, hashTerms(amended), termsEqual(amended))
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, USD(10_000))
      .and.to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, amended.price - fee, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Halted, TradeState.Completed)
      .and.to.emit(receipts, "Transfer")
      .withArgs(await escrow.getAddress(), buyer.address, receiptIdOf(id, 1));

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.version).to.equal(1n);
    await expectTermsInForce(escrow, id, amended);
    expect(t.escrowed).to.equal(0n);
    expect(t.lotsDone).to.equal(1n);
    expect(t.receivedQuantity).to.equal(9n);
    expect(t.pendingLot).to.equal(false);
    expect(t.pendingTitle).to.equal(false);
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
    expect(await creditOf(ctx, buyer, terms)).to.equal(USD(10_000));
    expect(await creditOf(ctx, seller, terms)).to.equal(amended.price - fee);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);

    await expect(escrow.connect(buyer).withdraw(terms.token)).to.changeTokenBalances(
      ethers,
      ctx.usd,
      [buyer, escrow],
      [USD(10_000), -USD(10_000)],
    );
  });

  it("resumes a halted receipt as Received, and the operator then attests title under the new terms", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, buyer } = ctx;
    const { id, terms } = await haltedShort(ctx, AttestationKind.Receipt);
    const amended = { ...terms, quantity: 9n, price: USD(90_000) };

    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Halted, TradeState.Received)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, USD(10_000))
      .and.not.to.emit(escrow, "FundsReleased");
    let t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Received);
    expect(t.pendingLot).to.equal(true);
    expect(t.pendingTitle).to.equal(false);
    expect(t.escrowed).to.equal(USD(90_000));
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(await escrow.getAddress());

    // The amended terms are the ones in force.
    await expectTermsInForce(escrow, id, amended);

    const fee = feeOf(amended.price, amended.feeBps);
    await expect(attestDirect(ctx, id, amended, AttestationKind.TitleTransfer))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, amended.price - fee, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Received, TradeState.Completed);
    t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.receivedQuantity).to.equal(9n);
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
  });

  it("lets the buyer or the seller be the caller, with an empty signature for itself", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);

    const first = { ...terms, manifestCid: cid("manifest v1") };
    const sellerSig = await signAmendment(ctx, seller, id, 1, first, nextNonce());
    await expect(escrow.connect(buyer).amend(id, first, NO_SIGNATURE, sellerSig))
      .to.emit(escrow, "TradeAmended")
      .withArgs(id, 1, hashTerms(first), termsEqual(first));

    const second = { ...first, manifestCid: cid("manifest v2") };
    const buyerSig = await signAmendment(ctx, buyer, id, 2, second, nextNonce());
    await expect(escrow.connect(seller).amend(id, second, buyerSig, NO_SIGNATURE))
      .to.emit(escrow, "TradeAmended")
      .withArgs(id, 2, hashTerms(second), termsEqual(second));

    const t = await escrow.trade(id);
    expect(t.version).to.equal(2n);
    expect(t.state).to.equal(TradeState.Signed);
    await expectTermsInForce(escrow, id, second);
  });
});

describe("TradeEscrow.amend: halting and amending twice", function () {
  it("stays halted on an amendment that still does not fit, and resumes on a second one", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const { id, terms, receivedAt } = await haltedShort(
      ctx,
      AttestationKind.ReceiptAndTitleTransfer,
      8n,
    );

    // 9 at 5%: the allowance rounds down to 0, so 8 is still short.
    const first = { ...terms, quantity: 9n, price: USD(90_000) };
    await expect(amendSigned(ctx, id, first))
      .to.emit(escrow, "TradeAmended")
      .withArgs(id, 1, hashTerms(first), termsEqual(first))
      .and.to.emit(escrow, "TradeHalted")
      .withArgs(id, 1, HALT_QUANTITY, 8n, receivedAt)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, USD(10_000))
      .and.not.to.emit(escrow, "TitleTransferred");
    let t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Halted);
    expect(t.version).to.equal(1n);
    expect(t.pendingTitle).to.equal(true);
    expect(t.escrowed).to.equal(USD(90_000));

    const second = { ...first, quantity: 8n, price: USD(80_000) };
    const fee = feeOf(second.price, second.feeBps);
    await expect(amendSigned(ctx, id, second))
      .to.emit(escrow, "TradeAmended")
      .withArgs(id, 2, hashTerms(second), termsEqual(second))
      .and.to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, second.price - fee, fee)
      .and.not.to.emit(escrow, "TradeHalted");
    t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.version).to.equal(2n);
    await expectTermsInForce(escrow, id, second);
    expect(await creditOf(ctx, buyer, terms)).to.equal(USD(20_000));
    expect(await creditOf(ctx, seller, terms)).to.equal(second.price - fee);
  });

  it("refuses signatures for a stale or a future version", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, relayer } = ctx;
    const { id, terms } = await haltedShort(ctx, AttestationKind.ReceiptAndTitleTransfer, 8n);
    const first = { ...terms, quantity: 9n, price: USD(90_000) };
    await amendSigned(ctx, id, first);
    expect((await escrow.trade(id)).version).to.equal(1n);

    const second = { ...first, quantity: 8n, price: USD(80_000) };
    const stale = await amendmentSignatures(ctx, id, second, 1);
    await expect(escrow.connect(relayer).amend(id, second, stale.buyer, stale.seller))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);

    const current = await amendmentSignatures(ctx, id, second, 2);
    await expect(escrow.connect(relayer).amend(id, second, current.buyer, stale.seller))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(seller.address);

    const future = await amendmentSignatures(ctx, id, second, 3);
    await expect(escrow.connect(relayer).amend(id, second, future.buyer, future.seller))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);

    await escrow.connect(relayer).amend(id, second, current.buyer, current.seller);
    expect((await escrow.trade(id)).version).to.equal(2n);
  });

  it("refuses signatures given for another trade's amendment", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, relayer } = ctx;
    const terms = await buildTerms(ctx);
    const a = await openTrade(ctx, terms);
    const b = await openTrade(ctx, terms);
    const amended = { ...terms, manifestCid: cid("v1") };
    const forA = await amendmentSignatures(ctx, a, amended);
    await expect(escrow.connect(relayer).amend(b, amended, forA.buyer, forA.seller))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);
  });
});

describe("TradeEscrow.amend: a late delivery", function () {
  it("resumes a trade halted for late delivery once the latest delivery time is extended", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await haltedLate(ctx, AttestationKind.ReceiptAndTitleTransfer);
    const amended = { ...terms, latestDelivery: terms.latestDelivery + days(3) };
    const fee = feeOf(terms.price, terms.feeBps);

    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Halted, TradeState.Completed);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
    expect(await creditOf(ctx, buyer, terms)).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - fee);
  });

  it("stays halted when the extension still ends before the lot was received", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms, receivedAt } = await haltedLate(
      ctx,
      AttestationKind.ReceiptAndTitleTransfer,
    );
    const amended = { ...terms, latestDelivery: receivedAt - 1n };
    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "TradeHalted")
      .withArgs(id, 1, HALT_LATE, terms.quantity, receivedAt)
      .and.not.to.emit(escrow, "FundsReleased");
    expect((await escrow.trade(id)).state).to.equal(TradeState.Halted);

    const exact = { ...amended, latestDelivery: receivedAt };
    await expect(amendSigned(ctx, id, exact)).to.emit(escrow, "FundsReleased");
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
  });
});

describe("TradeEscrow.amend: a raised price", function () {
  it("after a pending receipt and title, waits in Received until the buyer pays and the operator attests title", async function () {
    const ctx = await useEscrow();
    const { escrow, usd, receipts, buyer } = ctx;
    const { id, terms } = await haltedLate(ctx, AttestationKind.ReceiptAndTitleTransfer);
    const amended = {
      ...terms,
      latestDelivery: terms.latestDelivery + days(3),
      price: USD(105_000),
    };

    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Halted, TradeState.Received)
      .and.not.to.emit(escrow, "TitleTransferred");
    let t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Received);
    expect(t.pendingLot).to.equal(true);
    expect(t.pendingTitle).to.equal(false);
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(await escrow.getAddress());

    await expect(attestDirect(ctx, id, amended, AttestationKind.TitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowBalanceDue")
      .withArgs(id, USD(5_000));

    const payment = escrow.connect(buyer).payBalance(id);
    await expect(payment).to.emit(escrow, "BalancePaid").withArgs(id, buyer.address, USD(5_000));
    await expect(payment).to.changeTokenBalances(
      ethers,
      usd,
      [buyer, escrow],
      [-USD(5_000), USD(5_000)],
    );
    expect((await escrow.trade(id)).state).to.equal(TradeState.Received);

    const fee = feeOf(amended.price, amended.feeBps);
    await expect(attestDirect(ctx, id, amended, AttestationKind.TitleTransfer))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, amended.price - fee, fee)
      .and.to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1));
    t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
  });

  it("lets the buyer pay a raised price while the trade is still halted, then resumes on the next amendment", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer } = ctx;
    const { id, terms } = await haltedShort(ctx, AttestationKind.ReceiptAndTitleTransfer);
    const raised = { ...terms, price: USD(105_000) };
    await expect(amendSigned(ctx, id, raised)).to.emit(escrow, "TradeHalted");
    expect((await escrow.trade(id)).state).to.equal(TradeState.Halted);

    await expect(escrow.connect(buyer).payBalance(id))
      .to.emit(escrow, "BalancePaid")
      .withArgs(id, buyer.address, USD(5_000));
    expect((await escrow.trade(id)).escrowed).to.equal(USD(105_000));

    const fits = { ...raised, quantity: 9n };
    const fee = feeOf(fits.price, fits.feeBps);
    await expect(amendSigned(ctx, id, fits))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, fits.price - fee, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Halted, TradeState.Completed);
  });

  it("makes a price raised before shipment due as balance before the seller may ship", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await payRest(ctx, id, terms);
    const amended = { ...terms, price: USD(110_000) };
    await amendSigned(ctx, id, amended);
    expect((await escrow.trade(id)).state).to.equal(TradeState.InFulfilment);

    await expect(escrow.connect(seller).markShipped(id, cid("bl")))
      .to.be.revertedWithCustomError(escrow, "EscrowBalanceDue")
      .withArgs(id, USD(10_000));
    await expect(escrow.connect(buyer).payBalance(id))
      .to.emit(escrow, "BalancePaid")
      .withArgs(id, buyer.address, USD(10_000));
    await escrow.connect(seller).markShipped(id, cid("bl"));

    const fee = feeOf(amended.price, amended.feeBps);
    await expect(attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, amended.price - fee, fee);
  });

  it("refuses a title transfer after shipping until a raised price is paid", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    const amended = { ...terms, price: USD(101_000) };
    await amendSigned(ctx, id, amended);

    await expect(attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowBalanceDue")
      .withArgs(id, USD(1_000));
    await attestDirect(ctx, id, amended, AttestationKind.Receipt);
    await expect(attestDirect(ctx, id, amended, AttestationKind.TitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowBalanceDue")
      .withArgs(id, USD(1_000));
    await escrow.connect(buyer).payBalance(id);
    await expect(attestDirect(ctx, id, amended, AttestationKind.TitleTransfer)).to.emit(
      escrow,
      "FundsReleased",
    );
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
  });
});

describe("TradeEscrow.amend: a lowered price", function () {
  it("refunds the buyer what it paid above a price lowered below the deposit", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndDeposit(ctx, terms);
    const deposit = depositOf(terms);
    const amended = { ...terms, price: USD(20_000) };

    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, deposit - USD(20_000));
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Deposited);
    expect(t.escrowed).to.equal(USD(20_000));
    expect(await creditOf(ctx, buyer, terms)).to.equal(deposit - USD(20_000));
    await expect(escrow.connect(buyer).payBalance(id))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingDue")
      .withArgs(id);
  });

  it("keeps what earlier lots released and pays exactly the new price over the remaining lots", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, treasury } = ctx;
    const terms = await buildTerms(ctx, { lots: 3, quantity: 30n });
    const id = await openAndShip(ctx, terms);
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 10n });
    const released = (await escrow.trade(id)).released;
    expect(released).to.equal((terms.price * 10n) / 30n);

    const amended = { ...terms, price: USD(60_000) };
    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, USD(40_000));
    expect((await escrow.trade(id)).escrowed).to.equal(USD(60_000) - released);

    await attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer, {
      lot: 2,
      quantity: 10n,
    });
    await attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer, {
      lot: 3,
      quantity: 10n,
    });
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect((await creditOf(ctx, seller, terms)) + (await creditOf(ctx, treasury, terms))).to.equal(
      amended.price,
    );
    expect(await creditOf(ctx, buyer, terms)).to.equal(USD(40_000));
  });

  it("refunds the buyer the difference when the price is lowered in the claim window", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, stranger } = ctx;
    const terms = await buildTerms(ctx, { claimWindow: 3 * DAY });
    const id = await openAndShip(ctx, terms);
    await deliver(ctx, id, terms);
    const { stageAt } = await escrow.trade(id);

    const amended = { ...terms, price: USD(92_500) };
    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, USD(7_500))
      .and.not.to.emit(escrow, "FundsReleased");
    let t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.escrowed).to.equal(USD(92_500));
    expect(t.stageAt).to.equal(stageAt);
    expect(await creditOf(ctx, buyer, terms)).to.equal(USD(7_500));

    await time.increaseTo(stageAt + BigInt(amended.claimWindow) + 1n);
    const fee = feeOf(amended.price, amended.feeBps);
    await expect(escrow.connect(stranger).release(id))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, amended.price - fee, fee);
    t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(await creditOf(ctx, seller, terms)).to.equal(amended.price - fee);
  });
});

describe("TradeEscrow.amend: the operator", function () {
  it("moves the open-trade count to a new operator, who then attests in place of the old one", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, operator2 } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    const before1 = await openTradesOf(ctx, operator);
    const before2 = await openTradesOf(ctx, operator2);

    const amended = { ...terms, operator: operator2.address };
    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "TradeAmended")
      .withArgs(id, 1, hashTerms(amended), termsEqual(amended));
    expect(await openTradesOf(ctx, operator)).to.equal(before1 - 1n);
    expect(await openTradesOf(ctx, operator2)).to.equal(before2 + 1n);

    await expect(attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(operator2.address);
    await expect(
      attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer, {}, operator2),
    )
      .to.emit(escrow, "LotReceived")
      .withArgs(
        id,
        1,
        operator2.address,
        receiptIdOf(id, 1),
        10n,
        anyUint,
        ctx.buyer.address,
        AttestationKind.ReceiptAndTitleTransfer,
        anyValue,
      );
    expect(await openTradesOf(ctx, operator2)).to.equal(before2);
    expect(await openTradesOf(ctx, operator)).to.equal(before1 - 1n);
  });

  it("replaces an operator whose accreditation was revoked", async function () {
    const ctx = await useEscrow();
    const { escrow, admin, operator, operator2, operatorRole } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    await escrow.connect(admin).revokeRole(operatorRole, operator.address);
    await expect(attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
      .withArgs(operator.address);

    const amended = { ...terms, operator: operator2.address };
    await amendSigned(ctx, id, amended);
    await attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer, {}, operator2);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
  });

  it("refuses an operator that is not accredited", async function () {
    const ctx = await useEscrow();
    const { escrow, stranger } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    const amended = { ...terms, operator: stranger.address };
    await expect(amendSigned(ctx, id, amended))
      .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
      .withArgs(stranger.address);
  });

  it("refuses an operator whose bond is below its requirement", async function () {
    const ctx = await useEscrow();
    const { escrow, operator2 } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    await escrow.connect(operator2).withdrawOperatorBond(OPERATOR_BOND);
    const amended = { ...terms, operator: operator2.address };
    await expect(amendSigned(ctx, id, amended))
      .to.be.revertedWithCustomError(escrow, "EscrowOperatorBondTooLow")
      .withArgs(operator2.address, 0n, OPERATOR_BOND);
  });
});

describe("TradeEscrow.amend: the seller bond", function () {
  it("credits the seller the bond above a lowered bond, and returns the rest on completion", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
    const id = await openAndStart(ctx, terms);
    expect((await escrow.trade(id)).sellerBond).to.equal(USD(5_000));

    const amended = { ...terms, sellerBond: USD(2_000) };
    await expect(amendSigned(ctx, id, amended))
      .to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, USD(3_000));
    expect((await escrow.trade(id)).sellerBond).to.equal(USD(2_000));
    expect(await creditOf(ctx, seller, terms)).to.equal(USD(3_000));

    await payRest(ctx, id, amended);
    await escrow.connect(seller).markShipped(id, cid("bl"));
    await expect(attestDirect(ctx, id, amended, AttestationKind.ReceiptAndTitleTransfer))
      .to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, USD(2_000));
    const fee = feeOf(terms.price, terms.feeBps);
    expect(await creditOf(ctx, seller, terms)).to.equal(USD(5_000) + terms.price - fee);
  });

  it("makes a raised bond due before the seller may start", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx, { sellerBond: USD(1_000) });
    const id = await openAndDeposit(ctx, terms);
    await escrow.connect(seller).postSellerBond(id);
    const amended = { ...terms, sellerBond: USD(4_000) };
    await amendSigned(ctx, id, amended);

    await expect(escrow.connect(seller).startFulfilment(id))
      .to.be.revertedWithCustomError(escrow, "EscrowSellerBondDue")
      .withArgs(id, USD(3_000));
    await expect(escrow.connect(seller).postSellerBond(id))
      .to.emit(escrow, "SellerBondPosted")
      .withArgs(id, seller.address, USD(3_000));
    await expect(escrow.connect(seller).startFulfilment(id)).to.emit(escrow, "FulfilmentStarted");
  });
});

describe("TradeEscrow.amend: refusals", function () {
  it("refuses to change the buyer, the seller or the payment token", async function () {
    const ctx = await useEscrow();
    const { escrow, stranger } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    for (const change of [
      { buyer: stranger.address },
      { seller: stranger.address },
      { token: ethers.ZeroAddress },
    ]) {
      await expect(amendSigned(ctx, id, { ...terms, ...change }))
        .to.be.revertedWithCustomError(escrow, "EscrowAmendmentChangesParties")
        .withArgs(id);
    }
  });

  it("refuses to change the fee", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    await expect(amendSigned(ctx, id, { ...terms, feeBps: terms.feeBps + 100 }))
      .to.be.revertedWithCustomError(escrow, "EscrowFeeMismatch")
      .withArgs(terms.feeBps + 100, terms.feeBps);
    await expect(amendSigned(ctx, id, { ...terms, feeBps: 0 }))
      .to.be.revertedWithCustomError(escrow, "EscrowFeeMismatch")
      .withArgs(0, terms.feeBps);
  });

  it("refuses terms of an invalid shape", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    await expect(amendSigned(ctx, id, { ...terms, lots: 0 }))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidQuantity")
      .withArgs(terms.quantity, 0);
    await expect(amendSigned(ctx, id, { ...terms, price: 0n }))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
      .withArgs(0n);
  });

  it("refuses a price below what earlier lots released, and a lot count not above the lots delivered", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const terms = await buildTerms(ctx, { lots: 3, quantity: 30n });
    const id = await openAndShip(ctx, terms);
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 10n });
    const released = (await escrow.trade(id)).released;

    await expect(amendSigned(ctx, id, { ...terms, price: released - 1n }))
      .to.be.revertedWithCustomError(escrow, "EscrowAmendmentBelowDelivered")
      .withArgs(id, released - 1n, 3);
    await expect(amendSigned(ctx, id, { ...terms, lots: 1 }))
      .to.be.revertedWithCustomError(escrow, "EscrowAmendmentBelowDelivered")
      .withArgs(id, terms.price, 1);

    // The boundary: exactly the released amount and one more lot than delivered are accepted.
    await expect(amendSigned(ctx, id, { ...terms, price: released, lots: 2 })).to.emit(
      escrow,
      "TradeAmended",
    );
  });

  it("refuses to change the lot count of a delivered trade or raise its price above what was paid", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const terms = await buildTerms(ctx, { claimWindow: 3 * DAY });
    const id = await openAndShip(ctx, terms);
    await deliver(ctx, id, terms);

    await expect(amendSigned(ctx, id, { ...terms, lots: 2 }))
      .to.be.revertedWithCustomError(escrow, "EscrowAmendmentBelowDelivered")
      .withArgs(id, terms.price, 2);
    await expect(amendSigned(ctx, id, { ...terms, price: terms.price + USD(1_000) }))
      .to.be.revertedWithCustomError(escrow, "EscrowBalanceDue")
      .withArgs(id, USD(1_000));
    expect((await escrow.trade(id)).state).to.equal(TradeState.Delivered);
  });

  it("refuses a proposal, a completed trade and a cancelled trade", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;

    const proposed = await buildTerms(ctx);
    await escrow.connect(buyer).proposeTrade(proposed);
    const proposedId = await escrow.tradeCount();
    await expect(amendSigned(ctx, proposedId, { ...proposed, price: USD(1) }))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(proposedId, TradeState.Proposed);

    const completed = await buildTerms(ctx);
    const completedId = await openAndShip(ctx, completed);
    await deliver(ctx, completedId, completed);
    await expect(amendSigned(ctx, completedId, { ...completed, price: USD(1) }))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(completedId, TradeState.Completed);

    const cancelled = await buildTerms(ctx);
    const cancelledId = await openTrade(ctx, cancelled);
    await time.increase(cancelled.depositWindow + 1);
    await escrow.connect(seller).cancelForMissedDeposit(cancelledId);
    await expect(amendSigned(ctx, cancelledId, { ...cancelled, price: USD(1) }))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(cancelledId, TradeState.Cancelled);
  });

  it("refuses an unknown trade", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    await expect(amendSigned(ctx, id + 1n, { ...terms, quantity: 9n }))
      .to.be.revertedWithCustomError(escrow, "EscrowUnknownTrade")
      .withArgs(id + 1n);
  });

  it("refuses a missing signature of either party", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, relayer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    const amended = { ...terms, quantity: 9n };
    const sigs = await amendmentSignatures(ctx, id, amended);

    await expect(escrow.connect(relayer).amend(id, amended, NO_SIGNATURE, sigs.seller))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);
    await expect(escrow.connect(relayer).amend(id, amended, sigs.buyer, NO_SIGNATURE))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(seller.address);
    await expect(escrow.connect(buyer).amend(id, amended, NO_SIGNATURE, NO_SIGNATURE))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(seller.address);
    await expect(escrow.connect(seller).amend(id, amended, NO_SIGNATURE, NO_SIGNATURE))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);
    expect((await escrow.trade(id)).version).to.equal(0n);
  });

  it("refuses a signature by someone other than the party, or over other terms", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, stranger, relayer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    const amended = { ...terms, quantity: 9n };
    const sigs = await amendmentSignatures(ctx, id, amended);

    const byStranger = await signAmendment(ctx, stranger, id, 1, amended, nextNonce());
    await expect(escrow.connect(relayer).amend(id, amended, byStranger, sigs.seller))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);

    const otherTerms = { ...amended, price: USD(1) };
    const sellerOnOther = await signAmendment(ctx, seller, id, 1, otherTerms, nextNonce());
    await expect(escrow.connect(relayer).amend(id, amended, sigs.buyer, sellerOnOther))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(seller.address);
  });

  it("refuses a nonce already used or invalidated", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, relayer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);

    await escrow.connect(buyer).invalidateNonce(77n);
    const amended = { ...terms, quantity: 9n };
    const buyerSig = await signAmendment(ctx, buyer, id, 1, amended, 77n);
    const sellerSig = await signAmendment(ctx, seller, id, 1, amended, 78n);
    await expect(escrow.connect(relayer).amend(id, amended, buyerSig, sellerSig))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(buyer.address, 77n);

    const okBuyer = await signAmendment(ctx, buyer, id, 1, amended, 79n);
    await escrow.connect(relayer).amend(id, amended, okBuyer, sellerSig);
    // The seller's nonce 78 is spent: a signature for the next version that reuses it is refused.
    const next = { ...amended, quantity: 8n };
    const buyerNext = await signAmendment(ctx, buyer, id, 2, next, 80n);
    const sellerReuse = await signAmendment(ctx, seller, id, 2, next, 78n);
    await expect(escrow.connect(relayer).amend(id, next, buyerNext, sellerReuse))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(seller.address, 78n);
  });

  it("refuses either party's signature one second after its deadline", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, relayer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    const amended = { ...terms, quantity: 9n };
    const deadline = (await now()) + 100n;
    const buyerSig = await signAmendment(ctx, buyer, id, 1, amended, nextNonce(), deadline);
    const sellerSig = await signAmendment(ctx, seller, id, 1, amended, nextNonce(), deadline);

    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(relayer).amend(id, amended, buyerSig, sellerSig))
      .to.be.revertedWithCustomError(escrow, "EscrowSignatureExpired")
      .withArgs(buyer.address, deadline);

    const freshBuyer = await signAmendment(ctx, buyer, id, 1, amended, nextNonce());
    await expect(escrow.connect(relayer).amend(id, amended, freshBuyer, sellerSig))
      .to.be.revertedWithCustomError(escrow, "EscrowSignatureExpired")
      .withArgs(seller.address, deadline);
  });

  it("accepts signatures at exactly their deadline", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, relayer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);
    const amended = { ...terms, quantity: 9n };
    const deadline = (await now()) + 100n;
    const buyerSig = await signAmendment(ctx, buyer, id, 1, amended, nextNonce(), deadline);
    const sellerSig = await signAmendment(ctx, seller, id, 1, amended, nextNonce(), deadline);

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(relayer).amend(id, amended, buyerSig, sellerSig))
      .to.emit(escrow, "TradeAmended")
      .withArgs(id, 1, hashTerms(amended), termsEqual(amended));
  });
});
