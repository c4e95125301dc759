// Length: one describe per step of fulfilment (start, ship, milestones, attestations, release),
// each with its refusals.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import {
  AttestationKind,
  buildAttestation,
  buildTerms,
  CancelReason,
  cid,
  DAY,
  deliver,
  depositOf,
  expectTermsInForce,
  HALT_LATE,
  HALT_QUANTITY,
  HOUR,
  Milestone,
  openAndShip,
  openTrade,
  signAttestation,
  TradeState,
  USD,
  useEscrow,
} from "./fixtures/escrow";
import type { EscrowContext, Terms } from "./fixtures/escrow";
import {
  Weekday,
  attestDirect,
  creditOf,
  days,
  feeOf,
  nextWeekday,
  now,
  openAndDeposit,
  openAndStart,
  openTradesOf,
  payRest,
  postBond,
  receiptIdOf,
} from "./fixtures/flows";

// Fulfilment: startFulfilment, markShipped, recordMilestone, attest, release and stageDeadline.
// Business days skip Saturday and Sunday (UTC); a deadline keeps the deposit's time of day.

/** Opens and ships a trade on the default terms with `overrides`. */
async function shipped(
  ctx: EscrowContext,
  overrides: Partial<Terms> = {},
): Promise<{ id: bigint; terms: Terms }> {
  const terms = await buildTerms(ctx, overrides);
  const id = await openAndShip(ctx, terms);
  return { id, terms };
}

describe("TradeEscrow.startFulfilment", function () {
  it("moves a deposited trade to InFulfilment and starts the delivery stage", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndDeposit(ctx, terms);

    await expect(escrow.connect(seller).startFulfilment(id))
      .to.emit(escrow, "FulfilmentStarted")
      .withArgs(id)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Deposited, TradeState.InFulfilment);

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.InFulfilment);
    expect(t.stageAt).to.equal(await now());
    expect(t.escrowed).to.equal(depositOf(terms));
  });

  it("refuses anyone but the seller", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, operator, stranger } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndDeposit(ctx, terms);

    for (const caller of [buyer, operator, stranger]) {
      await expect(escrow.connect(caller).startFulfilment(id))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
    expect((await escrow.trade(id)).state).to.equal(TradeState.Deposited);
  });

  it("refuses a trade whose deposit is not paid, and one already started", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);

    await expect(escrow.connect(seller).startFulfilment(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Signed);

    await escrow.connect(buyer).payDeposit(id);
    await escrow.connect(seller).startFulfilment(id);
    await expect(escrow.connect(seller).startFulfilment(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.InFulfilment);
  });

  it("refuses terms other than the ones the trade committed", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndDeposit(ctx, terms);
    await expectTermsInForce(escrow, id, terms);
    // The business days the trade committed, not the 30 a caller might wish for.
    const deadline = await escrow.stageDeadline(id);
    await time.increaseTo(deadline + 1n);

    await expect(escrow.connect(seller).startFulfilment(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
      .withArgs(id, deadline);
  });

  it("refuses to start before the seller bond the terms require is posted", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
    const id = await openAndDeposit(ctx, terms);

    await expect(escrow.connect(seller).startFulfilment(id))
      .to.be.revertedWithCustomError(escrow, "EscrowSellerBondDue")
      .withArgs(id, USD(5_000));

    await postBond(ctx, id, terms);
    await expect(escrow.connect(seller).startFulfilment(id)).to.emit(escrow, "FulfilmentStarted");
    expect((await escrow.trade(id)).sellerBond).to.equal(USD(5_000));
  });

  // The deposit's weekday, the business days allowed, and the calendar days to the deadline: from the
  // deposit's time for a weekday deposit; from the start of its day for a weekend deposit, which counts
  // from Monday 00:00 UTC (so every business day is whole).
  const cases: {
    deposit: Weekday;
    at: number;
    businessDays: number;
    calendarDays: number;
    fromMidnight?: boolean;
  }[] = [
    { deposit: Weekday.Monday, at: 10 * HOUR, businessDays: 3, calendarDays: 3 }, // Thursday
    { deposit: Weekday.Wednesday, at: 10 * HOUR, businessDays: 3, calendarDays: 5 }, // Monday
    { deposit: Weekday.Friday, at: 10 * HOUR, businessDays: 3, calendarDays: 5 }, // Wednesday
    // Saturday 15:00: Monday, Tuesday, Wednesday, so Thursday 00:00.
    {
      deposit: Weekday.Saturday,
      at: 15 * HOUR,
      businessDays: 3,
      calendarDays: 5,
      fromMidnight: true,
    },
    // Sunday 23:00: Monday, Tuesday, Wednesday, so Thursday 00:00.
    {
      deposit: Weekday.Sunday,
      at: 23 * HOUR,
      businessDays: 3,
      calendarDays: 4,
      fromMidnight: true,
    },
    // Saturday 09:00: all of Monday, so Tuesday 00:00.
    {
      deposit: Weekday.Saturday,
      at: 9 * HOUR,
      businessDays: 1,
      calendarDays: 3,
      fromMidnight: true,
    },
    { deposit: Weekday.Thursday, at: 10 * HOUR, businessDays: 6, calendarDays: 8 }, // Friday
    { deposit: Weekday.Thursday, at: 10 * HOUR, businessDays: 10, calendarDays: 14 }, // Thursday
  ];
  const deadlineOf = (c: (typeof cases)[number], depositAt: bigint) =>
    (c.fromMidnight ? depositAt - (depositAt % BigInt(DAY)) : depositAt) + days(c.calendarDays);
  for (const c of cases) {
    const label =
      `a ${Weekday[c.deposit]} deposit plus ${c.businessDays} business days ` +
      `(${Weekday[(c.deposit + c.calendarDays) % 7]}, ${c.calendarDays} calendar days later` +
      `${c.fromMidnight ? " at 00:00" : ""})`;

    it(`accepts a start at exactly the deadline of ${label}`, async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const terms = await buildTerms(ctx, {
        fulfilmentDays: c.businessDays,
        depositWindow: 10 * DAY,
      });
      const depositAt = nextWeekday(await now(), c.deposit, c.at);
      const id = await openAndDeposit(ctx, terms, depositAt);
      const deadline = deadlineOf(c, depositAt);
      expect(await escrow.stageDeadline(id)).to.equal(deadline);

      await time.setNextBlockTimestamp(deadline);
      await expect(escrow.connect(seller).startFulfilment(id))
        .to.emit(escrow, "FulfilmentStarted")
        .withArgs(id);
      expect((await escrow.trade(id)).stageAt).to.equal(deadline);
    });

    it(`refuses a start one second after the deadline of ${label}`, async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const terms = await buildTerms(ctx, {
        fulfilmentDays: c.businessDays,
        depositWindow: 10 * DAY,
      });
      const depositAt = nextWeekday(await now(), c.deposit, c.at);
      const id = await openAndDeposit(ctx, terms, depositAt);
      const deadline = deadlineOf(c, depositAt);

      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(escrow.connect(seller).startFulfilment(id))
        .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
        .withArgs(id, deadline);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Deposited);
    });
  }
});

describe("TradeEscrow.stageDeadline", function () {
  it("is the end of the deposit window while the trade is Signed", async function () {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);
    const { stageAt } = await ctx.escrow.trade(id);
    expect(await ctx.escrow.stageDeadline(id)).to.equal(stageAt + BigInt(terms.depositWindow));
  });

  it("is the business-day start deadline while the trade is Deposited", async function () {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx, { depositWindow: 10 * DAY });
    const friday = nextWeekday(await now(), Weekday.Friday, 12 * HOUR);
    const id = await openAndDeposit(ctx, terms, friday);
    // Friday + 3 business days = the following Wednesday, same time of day.
    expect(await ctx.escrow.stageDeadline(id)).to.equal(friday + days(5));
  });

  it("is the balance's due time while the trade is InFulfilment with the balance unpaid", async function () {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    expect(await ctx.escrow.stageDeadline(id)).to.equal(
      terms.latestDelivery - BigInt(terms.shipWindow),
    );
  });

  it("is the latest delivery time while the trade is InFulfilment and fully paid", async function () {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await ctx.escrow.connect(ctx.buyer).payBalance(id);
    expect(await ctx.escrow.stageDeadline(id)).to.equal(terms.latestDelivery);
  });

  it("is the end of the claim window while the trade is Delivered", async function () {
    const ctx = await useEscrow();
    const { id, terms } = await shipped(ctx, { claimWindow: 3 * DAY });
    await deliver(ctx, id, terms);
    const t = await ctx.escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(await ctx.escrow.stageDeadline(id)).to.equal(t.stageAt + days(3));
  });

  it("is the latest delivery time plus the grace period while the trade is Shipped, Received or Halted", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const a = await shipped(ctx);
    const graceEnd = a.terms.latestDelivery + BigInt(a.terms.deliveryGrace);
    expect(await escrow.stageDeadline(a.id)).to.equal(graceEnd);
    await attestDirect(ctx, a.id, a.terms, AttestationKind.Receipt);
    expect((await escrow.trade(a.id)).state).to.equal(TradeState.Received);
    expect(await escrow.stageDeadline(a.id)).to.equal(graceEnd);

    const b = await shipped(ctx);
    await attestDirect(ctx, b.id, b.terms, AttestationKind.Receipt, { quantity: 9n });
    expect((await escrow.trade(b.id)).state).to.equal(TradeState.Halted);
    expect(await escrow.stageDeadline(b.id)).to.equal(
      b.terms.latestDelivery + BigInt(b.terms.deliveryGrace),
    );
  });

  it("is 0 while the trade is Proposed, Completed or Cancelled", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;

    const proposed = await buildTerms(ctx);
    await escrow.connect(buyer).proposeTrade(proposed);
    const proposedId = await escrow.tradeCount();
    expect((await escrow.trade(proposedId)).state).to.equal(TradeState.Proposed);
    expect(await escrow.stageDeadline(proposedId)).to.equal(0n);

    const a = await shipped(ctx);
    await attestDirect(ctx, a.id, a.terms, AttestationKind.ReceiptAndTitleTransfer);
    expect((await escrow.trade(a.id)).state).to.equal(TradeState.Completed);
    expect(await escrow.stageDeadline(a.id)).to.equal(0n);

    const cancelled = await buildTerms(ctx);
    const cancelledId = await openTrade(ctx, cancelled);
    await time.increase(cancelled.depositWindow + 1);
    await escrow.connect(seller).cancelForMissedDeposit(cancelledId);
    expect((await escrow.trade(cancelledId)).state).to.equal(TradeState.Cancelled);
    expect(await escrow.stageDeadline(cancelledId)).to.equal(0n);
  });

  it("refuses an unknown trade and terms the trade did not commit", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);
    await expect(escrow.stageDeadline(id + 1n))
      .to.be.revertedWithCustomError(escrow, "EscrowUnknownTrade")
      .withArgs(id + 1n);
    const signedAt = (await escrow.trade(id)).stageAt;
    expect(await escrow.stageDeadline(id)).to.equal(signedAt + BigInt(terms.depositWindow));
  });
});

describe("TradeEscrow.markShipped", function () {
  it("dispatches a fully paid trade and records the Dispatched milestone with the documents", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await payRest(ctx, id, terms);
    const documents = cid("bill-of-lading+customs-declaration");

    await expect(escrow.connect(seller).markShipped(id, documents))
      .to.emit(escrow, "GoodsShipped")
      .withArgs(id, documents)
      .and.to.emit(escrow, "MilestoneRecorded")
      .withArgs(id, Milestone.Dispatched, seller.address, documents)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.InFulfilment, TradeState.Shipped);

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Shipped);
    expect(t.stageAt).to.equal(await now());
    expect(t.escrowed).to.equal(terms.price);
  });

  it("refuses to ship after the latest delivery time, leaving the buyer free to cancel", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await payRest(ctx, id, terms);
    await time.setNextBlockTimestamp(terms.latestDelivery + 1n);

    await expect(escrow.connect(seller).markShipped(id, cid("late-bill-of-lading")))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
      .withArgs(id, terms.latestDelivery);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotShipped, terms.price, 0n, 0n);
  });

  it("refuses to ship while the balance is unpaid", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);

    await expect(escrow.connect(seller).markShipped(id, cid("bl")))
      .to.be.revertedWithCustomError(escrow, "EscrowBalanceDue")
      .withArgs(id, terms.price - depositOf(terms));
    expect((await escrow.trade(id)).state).to.equal(TradeState.InFulfilment);
  });

  it("refuses anyone but the seller", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, operator, stranger } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await payRest(ctx, id, terms);

    for (const caller of [buyer, operator, stranger]) {
      await expect(escrow.connect(caller).markShipped(id, cid("bl")))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("refuses a trade whose fulfilment has not started, and one already shipped", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndDeposit(ctx, terms);
    await payRest(ctx, id, terms);

    await expect(escrow.connect(seller).markShipped(id, cid("bl")))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Deposited);

    await escrow.connect(seller).startFulfilment(id);
    await escrow.connect(seller).markShipped(id, cid("bl"));
    await expect(escrow.connect(seller).markShipped(id, cid("bl")))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Shipped);
  });
});

describe("TradeEscrow.recordMilestone", function () {
  it("lets the seller and the operator record milestones after dispatch, with their documents", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, operator } = ctx;
    const { id } = await shipped(ctx);

    await expect(escrow.connect(seller).recordMilestone(id, Milestone.Departed, cid("dep")))
      .to.emit(escrow, "MilestoneRecorded")
      .withArgs(id, Milestone.Departed, seller.address, cid("dep"));
    await expect(escrow.connect(operator).recordMilestone(id, Milestone.Departed, cid("port")))
      .to.emit(escrow, "MilestoneRecorded")
      .withArgs(id, Milestone.Departed, operator.address, cid("port"));
    await expect(escrow.connect(seller).recordMilestone(id, Milestone.CustomsCleared, "0x"))
      .to.emit(escrow, "MilestoneRecorded")
      .withArgs(id, Milestone.CustomsCleared, seller.address, "0x");
    expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
  });

  it("accepts milestones while the lot is Received, Halted or Delivered", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, seller } = ctx;

    const a = await shipped(ctx);
    await attestDirect(ctx, a.id, a.terms, AttestationKind.Receipt);
    expect((await escrow.trade(a.id)).state).to.equal(TradeState.Received);
    await expect(escrow.connect(operator).recordMilestone(a.id, Milestone.CustomsCleared, cid("c")))
      .to.emit(escrow, "MilestoneRecorded")
      .withArgs(a.id, Milestone.CustomsCleared, operator.address, cid("c"));

    const b = await shipped(ctx);
    await attestDirect(ctx, b.id, b.terms, AttestationKind.Receipt, { quantity: 9n });
    expect((await escrow.trade(b.id)).state).to.equal(TradeState.Halted);
    await expect(escrow.connect(seller).recordMilestone(b.id, Milestone.Departed, cid("p")))
      .to.emit(escrow, "MilestoneRecorded")
      .withArgs(b.id, Milestone.Departed, seller.address, cid("p"));

    const c = await shipped(ctx, { claimWindow: DAY });
    await deliver(ctx, c.id, c.terms);
    expect((await escrow.trade(c.id)).state).to.equal(TradeState.Delivered);
    await expect(escrow.connect(operator).recordMilestone(c.id, Milestone.CustomsCleared, cid("d")))
      .to.emit(escrow, "MilestoneRecorded")
      .withArgs(c.id, Milestone.CustomsCleared, operator.address, cid("d"));
  });

  it("refuses the buyer, another operator and strangers", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, operator2, stranger } = ctx;
    const { id } = await shipped(ctx);
    for (const caller of [buyer, operator2, stranger]) {
      await expect(escrow.connect(caller).recordMilestone(id, Milestone.Departed, "0x"))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("refuses milestones before dispatch", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, operator } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await payRest(ctx, id, terms);
    for (const caller of [seller, operator]) {
      await expect(escrow.connect(caller).recordMilestone(id, Milestone.Departed, "0x"))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(id, TradeState.InFulfilment);
    }
  });

  it("refuses milestones once the trade is completed", async function () {
    const ctx = await useEscrow();
    const { escrow, operator } = ctx;
    const { id, terms } = await shipped(ctx);
    await deliver(ctx, id, terms);
    await expect(escrow.connect(operator).recordMilestone(id, Milestone.CustomsCleared, "0x"))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Completed);
  });

  it("refuses the Dispatched milestone, which only shipping records", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, operator } = ctx;
    const { id } = await shipped(ctx);
    for (const caller of [seller, operator]) {
      await expect(escrow.connect(caller).recordMilestone(id, Milestone.Dispatched, "0x"))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidMilestone")
        .withArgs(Milestone.Dispatched);
    }
  });
});

describe("TradeEscrow.attest: who may attest", function () {
  it("accepts the designated operator calling with an empty signature", async function () {
    const ctx = await useEscrow();
    const { escrow, operator } = ctx;
    const { id } = await shipped(ctx);
    const attestation = await buildAttestation(id, AttestationKind.Receipt, { nonce: 5n });

    await expect(escrow.connect(operator).attest(attestation, "0x"))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Received);
    // A direct call spends no nonce.
    expect(await escrow.nonceUsed(operator.address, 5n)).to.equal(false);
  });

  it("accepts the operator's EIP-712 signature relayed by anyone, and spends its nonce", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, stranger } = ctx;
    const { id } = await shipped(ctx);
    const attestation = await buildAttestation(id, AttestationKind.Receipt, { nonce: 5n });
    const signature = await signAttestation(ctx, operator, attestation);

    await expect(escrow.connect(stranger).attest(attestation, signature))
      .to.emit(escrow, "LotReceived")
      .withArgs(
        id,
        1,
        operator.address,
        receiptIdOf(id, 1),
        10n,
        attestation.time,
        await escrow.getAddress(),
        attestation.kind,
        attestation.documentCid,
      );
    expect((await escrow.trade(id)).state).to.equal(TradeState.Received);
    expect(await escrow.nonceUsed(operator.address, 5n)).to.equal(true);
  });

  it("refuses a signature by another accredited operator or by a stranger", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, operator2, stranger, relayer } = ctx;
    const { id } = await shipped(ctx);
    const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer);

    for (const signer of [operator2, stranger]) {
      const signature = await signAttestation(ctx, signer, attestation);
      await expect(escrow.connect(relayer).attest(attestation, signature))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(operator.address);
    }
    expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
  });

  it("refuses the operator's signature over a different attestation", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, relayer } = ctx;
    const { id } = await shipped(ctx);
    const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer);
    const signature = await signAttestation(ctx, operator, attestation);

    await expect(escrow.connect(relayer).attest({ ...attestation, quantity: 11n }, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(operator.address);
  });

  it("refuses anyone but the designated operator calling with an empty signature", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, operator2, stranger, seller, buyer } = ctx;
    const { id, terms } = await shipped(ctx);
    for (const caller of [stranger, operator2, seller, buyer]) {
      await expect(
        attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {}, caller),
      )
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(operator.address);
    }
  });

  it("refuses a replayed signature whose nonce was already used", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, relayer } = ctx;
    const { id } = await shipped(ctx);
    const attestation = await buildAttestation(id, AttestationKind.Receipt, { nonce: 9n });
    const signature = await signAttestation(ctx, operator, attestation);
    await escrow.connect(relayer).attest(attestation, signature);

    await expect(escrow.connect(relayer).attest(attestation, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(operator.address, 9n);
  });

  it("refuses a signature whose nonce the operator invalidated", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, relayer } = ctx;
    const { id } = await shipped(ctx);
    const attestation = await buildAttestation(id, AttestationKind.Receipt, { nonce: 300n });
    const signature = await signAttestation(ctx, operator, attestation);
    await expect(escrow.connect(operator).invalidateNonce(300n))
      .to.emit(escrow, "NonceInvalidated")
      .withArgs(operator.address, 300n);

    await expect(escrow.connect(relayer).attest(attestation, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(operator.address, 300n);
  });

  it("accepts a signature at exactly its deadline and refuses it one second later", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, relayer } = ctx;
    const a = await shipped(ctx);
    const b = await shipped(ctx);
    const deadline = (await now()) + 100n;
    const first = await buildAttestation(a.id, AttestationKind.Receipt, { nonce: 1n, deadline });
    const second = await buildAttestation(b.id, AttestationKind.Receipt, { nonce: 2n, deadline });
    const firstSig = await signAttestation(ctx, operator, first);
    const secondSig = await signAttestation(ctx, operator, second);

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(relayer).attest(first, firstSig)).to.emit(escrow, "LotReceived");
    await expect(escrow.connect(relayer).attest(second, secondSig))
      .to.be.revertedWithCustomError(escrow, "EscrowSignatureExpired")
      .withArgs(operator.address, deadline);
    expect((await escrow.trade(b.id)).state).to.equal(TradeState.Shipped);
  });

  it("refuses an operator whose accreditation was revoked", async function () {
    const ctx = await useEscrow();
    const { escrow, admin, operator, operatorRole } = ctx;
    const { id, terms } = await shipped(ctx);
    await escrow.connect(admin).revokeRole(operatorRole, operator.address);

    await expect(attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
      .withArgs(operator.address);
    const attestation = await buildAttestation(id, AttestationKind.Receipt);
    const signature = await signAttestation(ctx, operator, attestation);
    await expect(escrow.connect(ctx.relayer).attest(attestation, signature))
      .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
      .withArgs(operator.address);
  });

  it("refuses terms other than the ones the trade committed, and an unknown trade", async function () {
    const ctx = await useEscrow();
    const { escrow, operator2 } = ctx;
    const { id, terms } = await shipped(ctx);
    // Only the operator the terms designate attests: another accredited one is refused.
    await expect(attestDirect(ctx, id, terms, AttestationKind.Receipt, {}, operator2))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(terms.operator);
    await expect(attestDirect(ctx, id + 1n, terms, AttestationKind.Receipt))
      .to.be.revertedWithCustomError(escrow, "EscrowUnknownTrade")
      .withArgs(id + 1n);
  });
});

describe("TradeEscrow.attest: what may be attested", function () {
  it("refuses a lot other than the next one", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx);
    for (const lot of [0, 2]) {
      await expect(attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { lot }))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidLot")
        .withArgs(id, 1, lot);
    }
  });

  it("refuses a received quantity of zero", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx);
    for (const kind of [AttestationKind.Receipt, AttestationKind.ReceiptAndTitleTransfer]) {
      await expect(attestDirect(ctx, id, terms, kind, { quantity: 0n }))
        .to.be.revertedWithCustomError(escrow, "EscrowZeroQuantity")
        .withArgs(id, 1);
    }
  });

  it("refuses a receipt time in the future", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx);
    const shippedAt = (await escrow.trade(id)).stageAt;
    const blockTime = (await now()) + 10n;
    const future = blockTime + 1n;
    await time.setNextBlockTimestamp(blockTime);
    await expect(attestDirect(ctx, id, terms, AttestationKind.Receipt, { time: future }))
      .to.be.revertedWithCustomError(escrow, "EscrowAttestedTimeOutOfRange")
      .withArgs(future, shippedAt, blockTime);
  });

  it("refuses a receipt time before the goods were shipped", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx);
    const shippedAt = (await escrow.trade(id)).stageAt;
    const blockTime = (await now()) + 10n;
    await time.setNextBlockTimestamp(blockTime);
    await expect(attestDirect(ctx, id, terms, AttestationKind.Receipt, { time: shippedAt - 1n }))
      .to.be.revertedWithCustomError(escrow, "EscrowAttestedTimeOutOfRange")
      .withArgs(shippedAt - 1n, shippedAt, blockTime);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
  });

  it("refuses a title transfer for a lot that was not received", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx);
    await expect(attestDirect(ctx, id, terms, AttestationKind.TitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Shipped);
  });

  it("refuses a title transfer while the trade is halted", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx);
    await attestDirect(ctx, id, terms, AttestationKind.Receipt, { quantity: 9n });
    await expect(attestDirect(ctx, id, terms, AttestationKind.TitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Halted);
    await expect(attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Halted);
  });

  it("refuses a receipt unless the goods are shipped", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await payRest(ctx, id, terms);
    for (const kind of [AttestationKind.Receipt, AttestationKind.ReceiptAndTitleTransfer]) {
      await expect(attestDirect(ctx, id, terms, kind))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(id, TradeState.InFulfilment);
    }
    await ctx.escrow.connect(ctx.seller).markShipped(id, cid("bl"));
    await attestDirect(ctx, id, terms, AttestationKind.Receipt);
    await expect(attestDirect(ctx, id, terms, AttestationKind.Receipt))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Received);
  });
});

describe("TradeEscrow.attest: receipt, then title transfer", function () {
  it("issues the warehouse receipt to the escrow and holds the lot on a conforming receipt", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, operator, seller } = ctx;
    const { id, terms } = await shipped(ctx);
    // Received in the second the goods were shipped: the earliest time the escrow accepts.
    const receivedAt = (await escrow.trade(id)).stageAt;
    const attestation = await buildAttestation(id, AttestationKind.Receipt, { time: receivedAt });
    const escrowAddress = await escrow.getAddress();

    await expect(escrow.connect(operator).attest(attestation, "0x"))
      .to.emit(escrow, "LotReceived")
      .withArgs(
        id,
        1,
        operator.address,
        receiptIdOf(id, 1),
        10n,
        receivedAt,
        escrowAddress,
        attestation.kind,
        attestation.documentCid,
      )
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Received)
      .and.to.emit(receipts, "Transfer")
      .withArgs(ethers.ZeroAddress, escrowAddress, receiptIdOf(id, 1))
      .and.not.to.emit(escrow, "FundsReleased");

    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(escrowAddress);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Received);
    expect(t.pendingLot).to.equal(true);
    expect(t.pendingTitle).to.equal(false);
    expect(t.pendingQuantity).to.equal(10n);
    expect(t.pendingTime).to.equal(receivedAt);
    expect(t.lotsDone).to.equal(0n);
    expect(t.escrowed).to.equal(terms.price);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
  });

  it("passes title, hands the receipt to the buyer and pays the seller and the fee on the title transfer", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, operator, buyer, seller, treasury } = ctx;
    const { id, terms } = await shipped(ctx, { price: USD(100_000) + 99n });
    await attestDirect(ctx, id, terms, AttestationKind.Receipt);
    const fee = feeOf(terms.price, terms.feeBps);
    const openBefore = await openTradesOf(ctx, operator);

    await expect(attestDirect(ctx, id, terms, AttestationKind.TitleTransfer))
      .to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, terms.price - fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(treasury.address, terms.token, id, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Received, TradeState.Completed)
      .and.to.emit(receipts, "Transfer")
      .withArgs(await escrow.getAddress(), buyer.address, receiptIdOf(id, 1));

    expect(fee).to.equal(1_000_000_000n); // 1% of 100,000.000099 USD, rounded down
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - fee);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect(t.lotsDone).to.equal(1n);
    expect(t.receivedQuantity).to.equal(10n);
    expect(t.pendingLot).to.equal(false);
    expect(t.pendingQuantity).to.equal(0n);
    expect(t.pendingTime).to.equal(0n);
  });

  it("pays out exactly what was credited when the seller and the treasury withdraw", async function () {
    const ctx = await useEscrow();
    const { escrow, usd, seller, treasury } = ctx;
    const { id, terms } = await shipped(ctx);
    await attestDirect(ctx, id, terms, AttestationKind.Receipt);
    await attestDirect(ctx, id, terms, AttestationKind.TitleTransfer);
    const fee = feeOf(terms.price, terms.feeBps);

    const withdrawal = escrow.connect(seller).withdraw(terms.token);
    await expect(withdrawal)
      .to.emit(escrow, "Withdrawn")
      .withArgs(seller.address, terms.token, terms.price - fee);
    await expect(withdrawal).to.changeTokenBalances(
      ethers,
      usd,
      [seller, escrow],
      [terms.price - fee, -(terms.price - fee)],
    );
    await expect(escrow.connect(treasury).withdraw(terms.token)).to.changeTokenBalances(
      ethers,
      usd,
      [treasury, escrow],
      [fee, -fee],
    );
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
  });
});

describe("TradeEscrow.attest: receipt and title transfer at once", function () {
  it("mints the receipt straight to the buyer and completes the trade in one transaction", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, operator, buyer, seller, treasury } = ctx;
    const { id, terms } = await shipped(ctx, { sellerBond: USD(5_000) });
    const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer);
    const fee = feeOf(terms.price, terms.feeBps);
    const openBefore = await openTradesOf(ctx, operator);

    await expect(escrow.connect(operator).attest(attestation, "0x"))
      .to.emit(escrow, "LotReceived")
      .withArgs(
        id,
        1,
        operator.address,
        receiptIdOf(id, 1),
        10n,
        attestation.time,
        buyer.address,
        attestation.kind,
        attestation.documentCid,
      )
      .and.to.emit(receipts, "Transfer")
      .withArgs(ethers.ZeroAddress, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, USD(5_000))
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Completed);

    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - fee + USD(5_000));
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
    expect(t.pendingLot).to.equal(false);
  });
});

describe("TradeEscrow.attest: automatic stop", function () {
  const halts: { name: string; quantity: bigint; late: boolean; reasons: number }[] = [
    {
      name: "below the minimum (9 of 10 at 5%)",
      quantity: 9n,
      late: false,
      reasons: HALT_QUANTITY,
    },
    {
      name: "above the maximum (11 of 10 at 5%)",
      quantity: 11n,
      late: false,
      reasons: HALT_QUANTITY,
    },
    {
      name: "received after the latest delivery time",
      quantity: 10n,
      late: true,
      reasons: HALT_LATE,
    },
    {
      name: "both short and late",
      quantity: 9n,
      late: true,
      reasons: HALT_QUANTITY | HALT_LATE,
    },
  ];
  for (const h of halts) {
    it(`halts a receipt-and-title attestation ${h.name} and releases nothing`, async function () {
      const ctx = await useEscrow();
      const { escrow, receipts, operator, seller, treasury } = ctx;
      const latestDelivery = (await now()) + days(20);
      const { id, terms } = await shipped(ctx, { latestDelivery });
      if (h.late) await time.increaseTo(latestDelivery + days(1));
      const receivedAt = h.late ? latestDelivery + 1n : await now();
      const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer, {
        quantity: h.quantity,
        time: receivedAt,
      });
      const escrowAddress = await escrow.getAddress();

      await expect(escrow.connect(operator).attest(attestation, "0x"))
        .to.emit(escrow, "TradeHalted")
        .withArgs(id, 1, h.reasons, h.quantity, receivedAt)
        .and.to.emit(escrow, "LotReceived")
        .withArgs(
          id,
          1,
          operator.address,
          receiptIdOf(id, 1),
          h.quantity,
          receivedAt,
          escrowAddress,
          attestation.kind,
          attestation.documentCid,
        )
        .and.to.emit(escrow, "TradeStateChanged")
        .withArgs(id, TradeState.Shipped, TradeState.Halted)
        .and.not.to.emit(escrow, "FundsReleased");

      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Halted);
      expect(t.escrowed).to.equal(terms.price);
      expect(t.lotsDone).to.equal(0n);
      expect(t.pendingLot).to.equal(true);
      expect(t.pendingTitle).to.equal(true);
      expect(t.pendingQuantity).to.equal(h.quantity);
      expect(t.pendingTime).to.equal(receivedAt);
      expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(escrowAddress);
      expect(await creditOf(ctx, seller, terms)).to.equal(0n);
      expect(await creditOf(ctx, treasury, terms)).to.equal(0n);
    });
  }

  it("halts a receipt-only attestation outside the tolerance without a pending title", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx);
    await expect(attestDirect(ctx, id, terms, AttestationKind.Receipt, { quantity: 11n }))
      .to.emit(escrow, "TradeHalted")
      .withArgs(id, 1, HALT_QUANTITY, 11n, anyUint);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Halted);
    expect(t.pendingLot).to.equal(true);
    expect(t.pendingTitle).to.equal(false);
  });

  for (const quantity of [95n, 100n, 105n]) {
    it(`accepts ${quantity} of 100 at 5% tolerance and releases the full price`, async function () {
      const ctx = await useEscrow();
      const { escrow } = ctx;
      const { id, terms } = await shipped(ctx, { quantity: 100n });
      const fee = feeOf(terms.price, terms.feeBps);
      await expect(
        attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity }),
      )
        .to.emit(escrow, "FundsReleased")
        .withArgs(id, terms.price - fee, fee)
        .and.not.to.emit(escrow, "TradeHalted");
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Completed);
      expect(t.receivedQuantity).to.equal(quantity);
    });
  }

  for (const quantity of [94n, 106n]) {
    it(`halts ${quantity} of 100 at 5% tolerance`, async function () {
      const ctx = await useEscrow();
      const { escrow } = ctx;
      const { id, terms } = await shipped(ctx, { quantity: 100n });
      await expect(
        attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity }),
      )
        .to.emit(escrow, "TradeHalted")
        .withArgs(id, 1, HALT_QUANTITY, quantity, anyUint)
        .and.not.to.emit(escrow, "FundsReleased");
      expect((await escrow.trade(id)).state).to.equal(TradeState.Halted);
    });
  }

  it("accepts a lot received exactly at the latest delivery time", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const latestDelivery = (await now()) + days(20);
    const { id, terms } = await shipped(ctx, { latestDelivery });
    await time.increaseTo(latestDelivery + days(2));
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        time: latestDelivery,
      }),
    )
      .to.emit(escrow, "TitleTransferred")
      .and.not.to.emit(escrow, "TradeHalted");
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
  });

  it("halts a lot received one second after the latest delivery time", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const latestDelivery = (await now()) + days(20);
    const { id, terms } = await shipped(ctx, { latestDelivery });
    await time.increaseTo(latestDelivery + days(2));
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.Receipt, { time: latestDelivery + 1n }),
    )
      .to.emit(escrow, "TradeHalted")
      .withArgs(id, 1, HALT_LATE, 10n, latestDelivery + 1n);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Halted);
  });
});

describe("TradeEscrow.attest: lots", function () {
  // 30 units in 3 lots at ±5%: the total must end within [29, 31]; the price does not divide by 3.
  const lotTerms = { lots: 3, quantity: 30n, price: USD(100_000) + 1n };

  it("releases each lot's share of the price, returns to Shipped, and the last lot releases the remainder", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, operator, buyer, seller, treasury } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    const share = (terms.price * 10n) / 30n;
    const openBefore = await openTradesOf(ctx, operator);

    for (const lot of [1, 2]) {
      const fee = feeOf(share, terms.feeBps);
      await expect(
        attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
          lot,
          quantity: 10n,
        }),
      )
        .to.emit(escrow, "FundsReleased")
        .withArgs(id, share - fee, fee)
        .and.to.emit(escrow, "TitleTransferred")
        .withArgs(id, lot, buyer.address, receiptIdOf(id, lot))
        // Shipped to Shipped is no change of state, so no TradeStateChanged.
        .and.not.to.emit(escrow, "TradeStateChanged");
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Shipped);
      expect(t.lotsDone).to.equal(BigInt(lot));
      expect(t.released).to.equal(share * BigInt(lot));
      expect(t.receivedQuantity).to.equal(10n * BigInt(lot));
      expect(t.escrowed).to.equal(terms.price - share * BigInt(lot));
      expect(await receipts.ownerOf(receiptIdOf(id, lot))).to.equal(buyer.address);
      expect(await openTradesOf(ctx, operator)).to.equal(openBefore);
    }

    const rest = terms.price - 2n * share;
    const lastFee = feeOf(rest, terms.feeBps);
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 3,
        quantity: 10n,
      }),
    )
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, rest - lastFee, lastFee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Completed);

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.lotsDone).to.equal(3n);
    expect(t.receivedQuantity).to.equal(30n);
    expect(t.escrowed).to.equal(0n);
    expect(t.released).to.equal(2n * share); // only the lots before the last count as released
    expect((await creditOf(ctx, seller, terms)) + (await creditOf(ctx, treasury, terms))).to.equal(
      terms.price,
    );
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("ends the trade at an early lot that brings the total to the tolerance floor", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, treasury, operator } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    const openBefore = await openTradesOf(ctx, operator);
    const fee = feeOf(terms.price, terms.feeBps);

    // 29 of 30 is the floor at 5%: the goods have arrived, so lot 1 of at most 3 is the last.
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 1,
        quantity: 29n,
      }),
    )
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Completed);
    const t = await escrow.trade(id);
    expect(t.lotsDone).to.equal(1n);
    expect(t.escrowed).to.equal(0n);
    expect((await creditOf(ctx, seller, terms)) + (await creditOf(ctx, treasury, terms))).to.equal(
      terms.price,
    );
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("never pays the whole price before the last lot", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    // 28 of 30 is below the floor of 29, so more must come; the lot releases 28/30 of the price.
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
      lot: 1,
      quantity: 28n,
    });
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Shipped);
    expect(t.released).to.equal((terms.price * 28n) / 30n);
    expect(t.escrowed > 0n).to.equal(true);
  });

  it("returns a lot to Shipped after its receipt and title are attested separately", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    const share = (terms.price * 12n) / 30n;
    await attestDirect(ctx, id, terms, AttestationKind.Receipt, { lot: 1, quantity: 12n });
    expect((await escrow.trade(id)).state).to.equal(TradeState.Received);

    await expect(attestDirect(ctx, id, terms, AttestationKind.TitleTransfer, { lot: 1 }))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, share - feeOf(share, terms.feeBps), feeOf(share, terms.feeBps))
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Received, TradeState.Shipped);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Shipped);
    expect(t.released).to.equal(share);
    expect(t.receivedQuantity).to.equal(12n);
    expect(t.pendingLot).to.equal(false);
  });

  it("expects the next lot number after a lot's title has passed", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 10n });
    for (const lot of [1, 3]) {
      await expect(attestDirect(ctx, id, terms, AttestationKind.Receipt, { lot, quantity: 10n }))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidLot")
        .withArgs(id, 2, lot);
    }
  });

  it("holds an earlier lot only to the ceiling, so a first lot of 5 of 30 is accepted", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    const share = (terms.price * 5n) / 30n;
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 5n }),
    )
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, share - feeOf(share, terms.feeBps), feeOf(share, terms.feeBps))
      .and.not.to.emit(escrow, "TradeHalted");
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Shipped);
    expect(t.released).to.equal(share);
  });

  it("halts an earlier lot that takes the total above the ceiling", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 20n });
    const releasedBefore = (await escrow.trade(id)).released;

    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 2,
        quantity: 12n,
      }),
    )
      .to.emit(escrow, "TradeHalted")
      .withArgs(id, 2, HALT_QUANTITY, 12n, anyUint)
      .and.not.to.emit(escrow, "FundsReleased");
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Halted);
    expect(t.released).to.equal(releasedBefore);
    expect(t.receivedQuantity).to.equal(20n);
    expect(t.pendingQuantity).to.equal(12n);
  });

  it("accepts an earlier lot that brings the total exactly to the ceiling", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 20n });
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 2,
        quantity: 10n,
      }),
    ).not.to.emit(escrow, "TradeHalted");
    expect((await escrow.trade(id)).receivedQuantity).to.equal(30n);
  });

  it("halts the last lot when the total stays below the floor", async function () {
    const ctx = await useEscrow();
    const { escrow } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 10n });
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
      lot: 2,
      quantity: 10n,
    });
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 3,
        quantity: 8n,
      }),
    )
      .to.emit(escrow, "TradeHalted")
      .withArgs(id, 3, HALT_QUANTITY, 8n, anyUint)
      .and.not.to.emit(escrow, "FundsReleased");
    expect((await escrow.trade(id)).state).to.equal(TradeState.Halted);
  });

  it("completes when the last lot brings the total exactly to the floor", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, treasury } = ctx;
    const { id, terms } = await shipped(ctx, lotTerms);
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, { quantity: 10n });
    await attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
      lot: 2,
      quantity: 10n,
    });
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 3,
        quantity: 9n,
      }),
    ).to.emit(escrow, "FundsReleased");
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.receivedQuantity).to.equal(29n);
    expect((await creditOf(ctx, seller, terms)) + (await creditOf(ctx, treasury, terms))).to.equal(
      terms.price,
    );
  });

  it("releases nothing per lot when the terms have a claim window, and delivers after the last lot", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const { id, terms } = await shipped(ctx, { ...lotTerms, claimWindow: 2 * DAY });
    for (const lot of [1, 2]) {
      await expect(
        attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
          lot,
          quantity: 10n,
        }),
      )
        .to.emit(escrow, "TitleTransferred")
        .and.not.to.emit(escrow, "FundsReleased");
      expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
    }
    await expect(
      attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer, {
        lot: 3,
        quantity: 10n,
      }),
    )
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Delivered)
      .and.not.to.emit(escrow, "FundsReleased");
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.released).to.equal(0n);
    expect(t.escrowed).to.equal(terms.price);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
  });
});

describe("TradeEscrow.release", function () {
  const windowTerms = { claimWindow: 3 * DAY, sellerBond: USD(5_000) };

  it("delivers the last lot without releasing money while a claim window is set", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, buyer, seller, operator } = ctx;
    const { id, terms } = await shipped(ctx, windowTerms);
    const openBefore = await openTradesOf(ctx, operator);

    await expect(attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer))
      .to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptIdOf(id, 1))
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Delivered)
      .and.not.to.emit(escrow, "FundsReleased");

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.stageAt).to.equal(await now());
    expect(t.escrowed).to.equal(terms.price);
    expect(t.sellerBond).to.equal(USD(5_000));
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore);
  });

  it("refuses to release at exactly the end of the claim window", async function () {
    const ctx = await useEscrow();
    const { escrow, stranger } = ctx;
    const { id, terms } = await shipped(ctx, windowTerms);
    await deliver(ctx, id, terms);
    const windowEnd = (await escrow.trade(id)).stageAt + BigInt(terms.claimWindow);

    await time.setNextBlockTimestamp(windowEnd);
    await expect(escrow.connect(stranger).release(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, windowEnd);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Delivered);
  });

  it("lets anyone release one second after the window: seller paid, fee taken, bond returned, operator freed", async function () {
    const ctx = await useEscrow();
    const { escrow, stranger, seller, treasury, operator } = ctx;
    const { id, terms } = await shipped(ctx, windowTerms);
    await deliver(ctx, id, terms);
    const windowEnd = (await escrow.trade(id)).stageAt + BigInt(terms.claimWindow);
    const fee = feeOf(terms.price, terms.feeBps);
    const openBefore = await openTradesOf(ctx, operator);

    await time.setNextBlockTimestamp(windowEnd + 1n);
    await expect(escrow.connect(stranger).release(id))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, terms.price - fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, USD(5_000))
      .and.to.emit(escrow, "Credited")
      .withArgs(treasury.address, terms.token, id, fee);

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - fee + USD(5_000));
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("refuses a trade that is not Delivered, including one already released", async function () {
    const ctx = await useEscrow();
    const { escrow, stranger } = ctx;
    const { id, terms } = await shipped(ctx, windowTerms);
    await expect(escrow.connect(stranger).release(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Shipped);

    await deliver(ctx, id, terms);
    await time.increase(terms.claimWindow + 1);
    await escrow.connect(stranger).release(id);
    await expect(escrow.connect(stranger).release(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Completed);
  });

  it("refuses terms other than the ones the trade committed", async function () {
    const ctx = await useEscrow();
    const { escrow, stranger } = ctx;
    const { id, terms } = await shipped(ctx, windowTerms);
    await deliver(ctx, id, terms);
    await expectTermsInForce(escrow, id, terms);
    const windowEnd = (await escrow.trade(id)).stageAt + BigInt(terms.claimWindow);
    // The window the trade committed holds the money: no caller can release it early.
    await expect(escrow.connect(stranger).release(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, windowEnd);
  });
});
