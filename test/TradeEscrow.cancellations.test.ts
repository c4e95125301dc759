// Length: one describe per way a trade ends without delivery, each at its deadline's edges.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import {
  AttestationKind,
  buildTerms,
  CancelReason,
  cid,
  DAY,
  depositOf,
  expectTermsInForce,
  HOUR,
  Milestone,
  NO_SIGNATURE,
  openAndShip,
  openTrade,
  TradeState,
  USD,
  useEscrow,
} from "./fixtures/escrow";
import type { EscrowContext, Terms } from "./fixtures/escrow";
import {
  Weekday,
  amendSigned,
  attestDirect,
  creditOf,
  days,
  nextWeekday,
  now,
  openAndDeposit,
  openAndStart,
  openTradesOf,
  payRest,
  postBond,
} from "./fixtures/flows";

// Cancellations: a trade ends without delivery when a party misses a deadline. The buyer's money and
// the seller's bond are credited back, and the party in default cannot cancel.

const BOND = USD(5_000);

describe("TradeEscrow.cancelForMissedDeposit", function () {
  it("refuses the seller at exactly the end of the deposit window", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);
    const deadline = (await escrow.trade(id)).stageAt + BigInt(terms.depositWindow);

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, deadline);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
  });

  it("lets the seller cancel one second after the deposit window, owing nothing", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, buyer, operator } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);
    const deadline = (await escrow.trade(id)).stageAt + BigInt(terms.depositWindow);
    const openBefore = await openTradesOf(ctx, operator);

    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.DepositMissed, 0n, 0n, 0n)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Signed, TradeState.Cancelled)
      .and.not.to.emit(escrow, "Credited");

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Cancelled);
    expect(t.escrowed).to.equal(0n);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    expect(await creditOf(ctx, buyer, terms)).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
  });

  it("credits back a seller bond posted before the deposit", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx, { sellerBond: BOND });
    const id = await openTrade(ctx, terms);
    await postBond(ctx, id, terms);
    expect((await escrow.trade(id)).sellerBond).to.equal(BOND);

    await time.increase(terms.depositWindow + 1);
    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.DepositMissed, 0n, 0n, BOND)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, BOND);
    expect((await escrow.trade(id)).sellerBond).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(BOND);
  });

  it("refuses anyone but the seller", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, operator, stranger } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);
    await time.increase(terms.depositWindow + 1);
    for (const caller of [buyer, operator, stranger]) {
      await expect(escrow.connect(caller).cancelForMissedDeposit(id))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("refuses a trade whose deposit was paid, and a proposal not yet accepted", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndDeposit(ctx, terms);
    await time.increase(terms.depositWindow + 1);
    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Deposited);

    const proposal = await buildTerms(ctx);
    await escrow.connect(buyer).proposeTrade(proposal);
    const proposalId = await escrow.tradeCount();
    await time.increase(proposal.depositWindow + 1);
    await expect(escrow.connect(seller).cancelForMissedDeposit(proposalId))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(proposalId, TradeState.Proposed);
  });

  it("judges the deposit window the trade committed: no caller can shorten it", async function () {
    const ctx = await useEscrow();
    const { escrow, seller } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);
    await expectTermsInForce(escrow, id, terms);
    await time.increase(2);
    const deadline = (await escrow.trade(id)).stageAt + BigInt(terms.depositWindow);
    await expect(escrow.connect(seller).cancelForMissedDeposit(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, deadline);
  });
});

describe("TradeEscrow.cancelForMissedStart", function () {
  // A deposit on Thursday 10:00 with 3 business days: Friday, Monday, Tuesday, so Tuesday 10:00.
  // One on Saturday counts from Monday 00:00: Monday, Tuesday, Wednesday, so Thursday 00:00.
  const cases = [
    { deposit: Weekday.Thursday, calendarDays: 5, name: "Thursday deposit (deadline Tuesday)" },
    {
      deposit: Weekday.Saturday,
      calendarDays: 5,
      fromMidnight: true,
      name: "Saturday deposit (deadline Thursday 00:00)",
    },
  ];
  const deadlineOf = (c: (typeof cases)[number], depositAt: bigint) =>
    (c.fromMidnight === true ? depositAt - (depositAt % BigInt(DAY)) : depositAt) +
    days(c.calendarDays);
  for (const c of cases) {
    it(`refuses the buyer at exactly the business-day deadline of a ${c.name}`, async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx, { depositWindow: 10 * DAY });
      const depositAt = nextWeekday(await now(), c.deposit, 10 * HOUR);
      const id = await openAndDeposit(ctx, terms, depositAt);
      const deadline = deadlineOf(c, depositAt);
      expect(await escrow.stageDeadline(id)).to.equal(deadline);

      await time.setNextBlockTimestamp(deadline);
      await expect(escrow.connect(buyer).cancelForMissedStart(id))
        .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
        .withArgs(id, deadline);
    });

    it(`lets the buyer cancel one second after the business-day deadline of a ${c.name}`, async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, operator } = ctx;
      const terms = await buildTerms(ctx, { depositWindow: 10 * DAY });
      const depositAt = nextWeekday(await now(), c.deposit, 10 * HOUR);
      const id = await openAndDeposit(ctx, terms, depositAt);
      const deadline = deadlineOf(c, depositAt);
      const openBefore = await openTradesOf(ctx, operator);
      const deposit = depositOf(terms);

      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(escrow.connect(buyer).cancelForMissedStart(id))
        .to.emit(escrow, "TradeCancelled")
        .withArgs(id, CancelReason.FulfilmentNotStarted, deposit, 0n, 0n)
        .and.to.emit(escrow, "Credited")
        .withArgs(buyer.address, terms.token, id, deposit)
        .and.to.emit(escrow, "TradeStateChanged")
        .withArgs(id, TradeState.Deposited, TradeState.Cancelled);
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Cancelled);
      expect(t.escrowed).to.equal(0n);
      expect(await creditOf(ctx, buyer, terms)).to.equal(deposit);
      expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    });
  }

  it("refunds the buyer in full, balance paid early included, and gives it the seller's forfeited bond", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx, { sellerBond: BOND });
    const id = await openAndDeposit(ctx, terms);
    await postBond(ctx, id, terms);
    await payRest(ctx, id, terms);
    expect((await escrow.trade(id)).escrowed).to.equal(terms.price);

    await time.increaseTo((await escrow.stageDeadline(id)) + 1n);
    await expect(escrow.connect(buyer).cancelForMissedStart(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.FulfilmentNotStarted, terms.price, BOND, 0n)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, terms.price)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, BOND);
    const t = await escrow.trade(id);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + BOND);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
  });

  it("refuses anyone but the buyer", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, operator, stranger } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndDeposit(ctx, terms);
    await time.increaseTo((await escrow.stageDeadline(id)) + 1n);
    for (const caller of [seller, operator, stranger]) {
      await expect(escrow.connect(caller).cancelForMissedStart(id))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("refuses a trade not yet deposited, and one whose fulfilment started in time", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer } = ctx;
    const signed = await buildTerms(ctx);
    const signedId = await openTrade(ctx, signed);
    await time.increase(10 * DAY);
    await expect(escrow.connect(buyer).cancelForMissedStart(signedId))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(signedId, TradeState.Signed);

    const terms = await buildTerms(ctx);
    const id = await openAndStart(ctx, terms);
    await time.increase(10 * DAY);
    await expect(escrow.connect(buyer).cancelForMissedStart(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.InFulfilment);
  });
});

describe("TradeEscrow.cancelUnshipped", function () {
  /** A started trade whose latest delivery time is 20 days away. */
  async function started(ctx: EscrowContext, paid: boolean): Promise<{ id: bigint; terms: Terms }> {
    const terms = await buildTerms(ctx, {
      latestDelivery: (await now()) + days(20),
      sellerBond: BOND,
    });
    const id = await openAndStart(ctx, terms);
    if (paid) await payRest(ctx, id, terms);
    return { id, terms };
  }

  it("refuses at exactly the latest delivery time", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer } = ctx;
    const { id, terms } = await started(ctx, true);
    await time.setNextBlockTimestamp(terms.latestDelivery);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, terms.latestDelivery);
  });

  it("lets the buyer cancel a fully paid, unshipped trade after the latest delivery time", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, operator } = ctx;
    const { id, terms } = await started(ctx, true);
    const openBefore = await openTradesOf(ctx, operator);

    await time.setNextBlockTimestamp(terms.latestDelivery + 1n);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotShipped, terms.price, BOND, 0n)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, terms.price)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, BOND)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.InFulfilment, TradeState.Cancelled);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Cancelled);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + BOND);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("refuses the seller when the buyer paid in full", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, stranger, operator } = ctx;
    const { id, terms } = await started(ctx, true);
    await time.increaseTo(terms.latestDelivery + 1n);
    for (const caller of [seller, operator, stranger]) {
      await expect(escrow.connect(caller).cancelUnshipped(id))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("lets the seller cancel when the balance is unpaid, refunding the deposit to the buyer", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await started(ctx, false);
    const deposit = depositOf(terms);

    await time.setNextBlockTimestamp(terms.latestDelivery + 1n);
    await expect(escrow.connect(seller).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.BalanceMissed, deposit, 0n, BOND)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, deposit)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, BOND);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Cancelled);
    expect(await creditOf(ctx, buyer, terms)).to.equal(deposit);
    expect(await creditOf(ctx, seller, terms)).to.equal(BOND);
  });

  it("refuses the buyer when the balance is unpaid", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, stranger } = ctx;
    const { id, terms } = await started(ctx, false);
    await time.increaseTo(terms.latestDelivery + 1n);
    for (const caller of [buyer, stranger]) {
      await expect(escrow.connect(caller).cancelUnshipped(id))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("applies to a deposited trade whose fulfilment never started", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer } = ctx;
    const terms = await buildTerms(ctx, { latestDelivery: (await now()) + days(20) });
    const id = await openAndDeposit(ctx, terms);
    await payRest(ctx, id, terms);
    await time.increaseTo(terms.latestDelivery + 1n);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotShipped, terms.price, 0n, 0n)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Deposited, TradeState.Cancelled);
  });

  it("refuses a trade already shipped, and one not yet deposited", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const latestDelivery = (await now()) + days(20);
    const shippedTerms = await buildTerms(ctx, { latestDelivery });
    const shippedId = await openAndShip(ctx, shippedTerms);
    const signedTerms = await buildTerms(ctx, { latestDelivery, depositWindow: 30 * DAY });
    const signedId = await openTrade(ctx, signedTerms);
    await time.increaseTo(latestDelivery + 1n);

    for (const caller of [buyer, seller]) {
      await expect(escrow.connect(caller).cancelUnshipped(shippedId))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(shippedId, TradeState.Shipped);
      await expect(escrow.connect(caller).cancelUnshipped(signedId))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(signedId, TradeState.Signed);
    }
  });

  it("judges the deadline and the payment by the amended terms", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await started(ctx, true);
    const later = { ...terms, latestDelivery: terms.latestDelivery + days(10) };
    await amendSigned(ctx, id, later);
    await time.increaseTo(terms.latestDelivery + 1n);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, later.latestDelivery);

    // A raised price leaves a balance due: now the buyer is in default and only the seller may cancel.
    const raised = { ...later, price: later.price + USD(1_000) };
    await amendSigned(ctx, id, raised);
    await time.increaseTo(later.latestDelivery + 1n);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
      .withArgs(id, buyer.address);
    await expect(escrow.connect(seller).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.BalanceMissed, terms.price, 0n, BOND);
  });
});

describe("TradeEscrow: after a cancellation", function () {
  it("pays each party exactly what was credited, once", async function () {
    const ctx = await useEscrow();
    const { escrow, usd, buyer, seller } = ctx;
    const terms = await buildTerms(ctx, {
      latestDelivery: (await now()) + days(20),
      sellerBond: BOND,
    });
    const id = await openAndStart(ctx, terms);
    await payRest(ctx, id, terms);
    await time.increaseTo(terms.latestDelivery + 1n);
    await escrow.connect(buyer).cancelUnshipped(id);

    // The seller defaulted, so its bond went to the buyer with the refund.
    const owed = terms.price + BOND;
    const buyerWithdrawal = escrow.connect(buyer).withdraw(terms.token);
    await expect(buyerWithdrawal)
      .to.emit(escrow, "Withdrawn")
      .withArgs(buyer.address, terms.token, owed);
    await expect(buyerWithdrawal).to.changeTokenBalances(
      ethers,
      usd,
      [buyer, escrow],
      [owed, -owed],
    );
    await expect(escrow.connect(seller).withdraw(terms.token))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
      .withArgs(seller.address, terms.token);

    expect(await creditOf(ctx, buyer, terms)).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
    await expect(escrow.connect(buyer).withdraw(terms.token))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
      .withArgs(buyer.address, terms.token);
  });

  it("pays refunds in the native coin for a trade paid in it", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const bond = ethers.parseEther("0.5");
    const terms = await buildTerms(ctx, {
      token: ethers.ZeroAddress,
      price: ethers.parseEther("3"),
      sellerBond: bond,
    });
    const id = await openAndDeposit(ctx, terms);
    await postBond(ctx, id, terms);
    const deposit = depositOf(terms);
    await time.increaseTo((await escrow.stageDeadline(id)) + 1n);
    await expect(escrow.connect(buyer).cancelForMissedStart(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.FulfilmentNotStarted, deposit, bond, 0n);

    // The seller's forfeited bond compensates the buyer, in the trade's coin.
    await expect(escrow.connect(buyer).withdraw(ethers.ZeroAddress)).to.changeEtherBalances(
      ethers,
      [buyer, escrow],
      [deposit + bond, -(deposit + bond)],
    );
    expect(await escrow.withdrawable(seller.address, ethers.ZeroAddress)).to.equal(0n);
    expect(await escrow.withdrawable(buyer.address, ethers.ZeroAddress)).to.equal(0n);
  });

  /** Ways to end a trade without delivery; each returns the cancelled trade. */
  const endings: {
    name: string;
    cancel: (ctx: EscrowContext) => Promise<{ id: bigint; terms: Terms }>;
  }[] = [
    {
      name: "a missed deposit",
      cancel: async (ctx) => {
        const terms = await buildTerms(ctx, { sellerBond: BOND });
        const id = await openTrade(ctx, terms);
        await postBond(ctx, id, terms);
        await time.increase(terms.depositWindow + 1);
        await ctx.escrow.connect(ctx.seller).cancelForMissedDeposit(id);
        return { id, terms };
      },
    },
    {
      name: "a missed start",
      cancel: async (ctx) => {
        const terms = await buildTerms(ctx, { sellerBond: BOND });
        const id = await openAndDeposit(ctx, terms);
        await postBond(ctx, id, terms);
        await time.increaseTo((await ctx.escrow.stageDeadline(id)) + 1n);
        await ctx.escrow.connect(ctx.buyer).cancelForMissedStart(id);
        return { id, terms };
      },
    },
    {
      name: "goods not shipped",
      cancel: async (ctx) => {
        const terms = await buildTerms(ctx, { latestDelivery: (await now()) + days(20) });
        const id = await openAndStart(ctx, terms);
        await payRest(ctx, id, terms);
        await time.increaseTo(terms.latestDelivery + 1n);
        await ctx.escrow.connect(ctx.buyer).cancelUnshipped(id);
        return { id, terms };
      },
    },
    {
      name: "a missed balance",
      cancel: async (ctx) => {
        const terms = await buildTerms(ctx, { latestDelivery: (await now()) + days(20) });
        const id = await openAndStart(ctx, terms);
        await time.increaseTo(terms.latestDelivery + 1n);
        await ctx.escrow.connect(ctx.seller).cancelUnshipped(id);
        return { id, terms };
      },
    },
  ];
  for (const ending of endings) {
    it(`refuses every further action on a trade cancelled for ${ending.name}`, async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, operator, stranger, relayer } = ctx;
      const { id, terms } = await ending.cancel(ctx);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Cancelled);

      const refusals = [
        () => escrow.connect(buyer).payDeposit(id),
        () => escrow.connect(buyer).payBalance(id),
        () => escrow.connect(seller).postSellerBond(id),
        () => escrow.connect(seller).startFulfilment(id),
        () => escrow.connect(seller).markShipped(id, cid("bl")),
        () => escrow.connect(seller).recordMilestone(id, Milestone.Departed, "0x"),
        () => attestDirect(ctx, id, terms, AttestationKind.Receipt),
        () => attestDirect(ctx, id, terms, AttestationKind.ReceiptAndTitleTransfer),
        () => attestDirect(ctx, id, terms, AttestationKind.TitleTransfer),
        () => escrow.connect(stranger).release(id),
        () => escrow.connect(seller).cancelForMissedDeposit(id),
        () => escrow.connect(buyer).cancelForMissedStart(id),
        () => escrow.connect(buyer).cancelUnshipped(id),
        () => escrow.connect(seller).cancelUnshipped(id),
        () => escrow.connect(buyer).withdrawProposal(id),
        () => escrow.connect(seller).acceptTrade(id, terms),
        () => amendSigned(ctx, id, { ...terms, price: USD(1) }),
        () => escrow.connect(relayer).amend(id, terms, NO_SIGNATURE, NO_SIGNATURE),
      ];
      // Sent one at a time: each is a thunk.
      for (const refusal of refusals) {
        await expect(refusal())
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
          .withArgs(id, TradeState.Cancelled);
      }
      expect((await escrow.trade(id)).state).to.equal(TradeState.Cancelled);
      expect(await openTradesOf(ctx, operator)).to.equal(0n);
    });
  }
});
