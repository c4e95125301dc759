// Length: one regression per path of the attack review (issue 16), in the order SECURITY.md lists
// them.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import {
  AttestationKind,
  CancelReason,
  PaymentMode,
  TradeState,
  USD,
  buildTerms,
  cid,
  deliver,
  depositOf,
  openAndShip,
  openTrade,
  useEscrow,
} from "./fixtures/escrow";
import type { EscrowContext, Terms } from "./fixtures/escrow";
import {
  amendSigned,
  attestDirect,
  openAndDeposit,
  openAndStart,
  openTradesOf,
  postBond,
  receiptIdOf,
} from "./fixtures/flows";
import {
  BUYER_EXPOSURE_CAP,
  DEFAULT_THRESHOLD,
  GOOD_SCORE,
  deliveredPayAfterUse,
  directTerms,
  fundPool,
  paidDirect,
  payAfterUseTerms,
  poolOf,
  recordScore,
  shippedPayAfterUse,
  startedPayAfterUse,
  useModes,
} from "./fixtures/modes";
import type { ModesContext } from "./fixtures/modes";
import {
  ClaimStatus,
  attestArrival,
  fileClaim,
  shipWithWindow,
  useClaims,
} from "./fixtures/claims";
import type { BlocklistStablecoin } from "../typechain-types";

// One regression test (or a few) per path the attack review of issue 16 found, each named after what it
// prevents. The attacker has capital, two addresses and perfect timing; every test ends with the
// fixture's funds-conservation check.

const SELLER_BOND = USD(5_000);

/** When an undelivered trade may be cancelled: the latest delivery time plus the grace period. */
function graceEnd(terms: Terms): bigint {
  return terms.latestDelivery + BigInt(terms.deliveryGrace);
}

/** When a protected trade's balance is due. */
function balanceDeadline(terms: Terms): bigint {
  return terms.latestDelivery - BigInt(terms.shipWindow);
}

/** A pay-after-use context: the pool funded, the buyer scored `GOOD_SCORE`, the exposure cap `cap`. */
async function creditedBuyer(cap = BUYER_EXPOSURE_CAP): Promise<ModesContext> {
  const ctx = await useModes();
  await fundPool(ctx);
  await recordScore(ctx, GOOD_SCORE);
  await ctx.escrow.connect(ctx.admin).setBuyerExposureCap(ctx.usdAddress, cap);
  return ctx;
}

/** The buyer's failed collection on a delivered pay-after-use trade: the pool pays, a debt is recorded. */
async function defaultOnce(ctx: ModesContext, terms: Terms): Promise<bigint> {
  const id = await deliveredPayAfterUse(ctx, terms);
  await ctx.usd.connect(ctx.buyer).approve(await ctx.escrow.getAddress(), 0n);
  await expect(ctx.escrow.connect(ctx.buyer).confirmReceipt(id)).to.emit(
    ctx.escrow,
    "CollectionFailed",
  );
  await ctx.usd.connect(ctx.buyer).approve(await ctx.escrow.getAddress(), ethers.MaxUint256);
  return id;
}

describe("Money safety (issue 16): pay after use cannot drain the pool (path 1)", function () {
  it("an amendment cannot raise a delivered trade's price past the buyer's exposure cap (the self-dealt drain)", async function () {
    const ctx = await creditedBuyer(USD(1_000));
    const { escrow, buyer, usdAddress } = ctx;
    const terms = await payAfterUseTerms(ctx, { price: USD(1) });
    const id = await deliveredPayAfterUse(ctx, terms);
    const whole = (await poolOf(ctx)).balance;

    await expect(amendSigned(ctx, id, { ...terms, price: whole }))
      .to.be.revertedWithCustomError(escrow, "EscrowExposureAboveCap")
      .withArgs(buyer.address, usdAddress, whole, USD(1_000));
    expect((await poolOf(ctx)).committed).to.equal(USD(1));
    expect((await escrow.buyerExposure(buyer.address, usdAddress))[0]).to.equal(USD(1));
  });

  it("an amendment cannot raise the price once the oracle cut the buyer's score, or after the score expired", async function () {
    const ctx = await creditedBuyer();
    const { escrow, buyer } = ctx;
    const terms = await payAfterUseTerms(ctx, { price: USD(1_000) });
    const id = await deliveredPayAfterUse(ctx, terms);
    const cut = await recordScore(ctx, 1, { issuedAt: BigInt(await time.latest()) });

    await expect(amendSigned(ctx, id, { ...terms, price: USD(2_000) }))
      .to.be.revertedWithCustomError(escrow, "EscrowCreditRefused")
      .withArgs(buyer.address, 1, DEFAULT_THRESHOLD, cut.expiresAt);
    // Lowering takes no new exposure and stays open to a buyer whose credit fell.
    const lowered = { ...terms, price: USD(500) };
    await expect(amendSigned(ctx, id, lowered)).to.emit(escrow, "TradeAmended");

    const fresh = await recordScore(ctx, GOOD_SCORE, {
      issuedAt: BigInt(await time.latest()),
      expiresAt: BigInt(await time.latest()) + 100n,
    });
    await time.setNextBlockTimestamp(fresh.expiresAt + 1n);
    await expect(amendSigned(ctx, id, { ...lowered, price: USD(2_000) }))
      .to.be.revertedWithCustomError(escrow, "EscrowCreditRefused")
      .withArgs(buyer.address, GOOD_SCORE, DEFAULT_THRESHOLD, fresh.expiresAt);
  });
});

describe("Money safety (issue 16): a debt to the pool stops new exposure (path 2)", function () {
  it("a buyer whose collection failed can open no pay-after-use trade in that token until it repays", async function () {
    const ctx = await creditedBuyer();
    const { escrow, buyer, usdAddress } = ctx;
    const first = await payAfterUseTerms(ctx, { price: USD(1_000) });
    await defaultOnce(ctx, first);
    expect(await escrow.debt(buyer.address, usdAddress)).to.equal(USD(1_000));

    const second = await payAfterUseTerms(ctx, { price: USD(1_000), manifestCid: cid("second") });
    await expect(openTrade(ctx, second))
      .to.be.revertedWithCustomError(escrow, "EscrowDebtOutstanding")
      .withArgs(buyer.address, usdAddress, USD(1_000));
    await expect(escrow.connect(buyer).proposeTrade(second))
      .to.be.revertedWithCustomError(escrow, "EscrowDebtOutstanding")
      .withArgs(buyer.address, usdAddress, USD(1_000));

    await escrow.connect(buyer).repayDebt(usdAddress, USD(1_000));
    await expect(openTrade(ctx, second)).to.not.be.revert(ethers);
  });

  it("a buyer in debt cannot raise the price of its other open trade, and may still lower it", async function () {
    const ctx = await creditedBuyer();
    const { escrow, buyer, usdAddress } = ctx;
    const open = await payAfterUseTerms(ctx, { price: USD(1_000), manifestCid: cid("open") });
    const openId = await startedPayAfterUse(ctx, open);
    await defaultOnce(ctx, await payAfterUseTerms(ctx, { price: USD(2_000) }));

    await expect(amendSigned(ctx, openId, { ...open, price: USD(1_500) }))
      .to.be.revertedWithCustomError(escrow, "EscrowDebtOutstanding")
      .withArgs(buyer.address, usdAddress, USD(2_000));
    await expect(amendSigned(ctx, openId, { ...open, price: USD(900) })).to.emit(
      escrow,
      "TradeAmended",
    );
  });

  it("caps what the pool guarantees for one buyer over all its open trades", async function () {
    const ctx = await creditedBuyer(USD(150_000));
    const { escrow, buyer, usdAddress } = ctx;
    await openTrade(ctx, await payAfterUseTerms(ctx, { price: USD(100_000) }));

    const over = await payAfterUseTerms(ctx, { price: USD(50_001), manifestCid: cid("over") });
    await expect(openTrade(ctx, over))
      .to.be.revertedWithCustomError(escrow, "EscrowExposureAboveCap")
      .withArgs(buyer.address, usdAddress, USD(150_001), USD(150_000));
    await openTrade(ctx, { ...over, price: USD(50_000) });
    expect(await escrow.buyerExposure(buyer.address, usdAddress)).to.deep.equal([
      USD(150_000),
      USD(150_000),
    ]);
  });

  it("a trade keeps the cap in force when it opened; a lowered cap binds new trades, and 0 closes pay after use", async function () {
    const ctx = await creditedBuyer(USD(150_000));
    const { escrow, admin, buyer, usdAddress } = ctx;
    const terms = await payAfterUseTerms(ctx, { price: USD(100_000) });
    const id = await startedPayAfterUse(ctx, terms);
    await expect(escrow.connect(admin).setBuyerExposureCap(usdAddress, USD(50_000)))
      .to.emit(escrow, "BuyerExposureCapSet")
      .withArgs(usdAddress, USD(50_000));

    await expect(amendSigned(ctx, id, { ...terms, price: USD(150_000) })).to.emit(
      escrow,
      "TradeAmended",
    );
    const next = await payAfterUseTerms(ctx, { price: USD(1), manifestCid: cid("next") });
    await expect(openTrade(ctx, next))
      .to.be.revertedWithCustomError(escrow, "EscrowExposureAboveCap")
      .withArgs(buyer.address, usdAddress, USD(150_000) + USD(1), USD(50_000));

    await escrow.connect(admin).setBuyerExposureCap(usdAddress, 0n);
    await expect(openTrade(ctx, next))
      .to.be.revertedWithCustomError(escrow, "EscrowExposureAboveCap")
      .withArgs(buyer.address, usdAddress, USD(150_000) + USD(1), 0);
  });

  it("refuses the cap to anyone but the admin", async function () {
    const ctx = await useModes();
    await expect(ctx.escrow.connect(ctx.stranger).setBuyerExposureCap(ctx.usdAddress, 1n))
      .to.be.revertedWithCustomError(ctx.escrow, "AccessControlUnauthorizedAccount")
      .withArgs(ctx.stranger.address, ethers.ZeroHash);
  });
});

describe("Money safety (issue 16): undelivered goods never lock the buyer's money (path 3)", function () {
  async function shippedWithBond(ctx: EscrowContext): Promise<{ id: bigint; terms: Terms }> {
    const terms = await buildTerms(ctx, { sellerBond: SELLER_BOND });
    return { id: await openAndShip(ctx, terms), terms };
  }

  it("goods shipped and never received: after the grace period the buyer is refunded and takes the seller's bond", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller, operator } = ctx;
    const { id, terms } = await shippedWithBond(ctx);
    const openBefore = await openTradesOf(ctx, operator);

    await time.setNextBlockTimestamp(graceEnd(terms));
    await expect(escrow.connect(buyer).cancelUndelivered(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, graceEnd(terms));
    await time.setNextBlockTimestamp(graceEnd(terms) + 1n);
    await expect(escrow.connect(ctx.stranger).cancelUndelivered(id))
      .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
      .withArgs(id, ctx.stranger.address);
    await expect(escrow.connect(buyer).cancelUndelivered(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotDelivered, terms.price, SELLER_BOND, 0);

    expect((await escrow.trade(id)).state).to.equal(TradeState.Cancelled);
    expect(await escrow.withdrawable(buyer.address, terms.token)).to.equal(
      terms.price + SELLER_BOND,
    );
    expect(await escrow.withdrawable(seller.address, terms.token)).to.equal(0n);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("a seller whose goods were lost may close the trade too, and the buyer still gets its money and the bond", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await shippedWithBond(ctx);

    await time.setNextBlockTimestamp(graceEnd(terms) + 1n);
    await expect(escrow.connect(seller).cancelUndelivered(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotDelivered, terms.price, SELLER_BOND, 0);
    expect(await escrow.withdrawable(buyer.address, terms.token)).to.equal(
      terms.price + SELLER_BOND,
    );
  });

  it("a lot received in the terms whose title is never attested: the buyer is refunded, the seller keeps its bond and gets its goods back", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, buyer, seller } = ctx;
    const { id, terms } = await shippedWithBond(ctx);
    await attestDirect(ctx, id, terms, AttestationKind.Receipt);
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(await escrow.getAddress());

    await time.setNextBlockTimestamp(graceEnd(terms) + 1n);
    await expect(escrow.connect(buyer).cancelUndelivered(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.TitleNotAttested, terms.price, 0, SELLER_BOND);

    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(seller.address);
    const t = await escrow.trade(id);
    expect([t.pendingLot, t.pendingTitle, t.pendingQuantity]).to.deep.equal([false, false, 0n]);
    expect(await escrow.withdrawable(buyer.address, terms.token)).to.equal(terms.price);
    expect(await escrow.withdrawable(seller.address, terms.token)).to.equal(SELLER_BOND);
  });

  it("a halted trade the seller never amends: the buyer is refunded and takes the bond, the held lot goes back to the seller", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, buyer, seller } = ctx;
    const { id, terms } = await shippedWithBond(ctx);
    await attestDirect(ctx, id, terms, AttestationKind.Receipt, { quantity: 5n });
    expect((await escrow.trade(id)).state).to.equal(TradeState.Halted);

    await time.setNextBlockTimestamp(graceEnd(terms) + 1n);
    await expect(escrow.connect(buyer).cancelUndelivered(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotDelivered, terms.price, SELLER_BOND, 0);
    expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(seller.address);
  });

  it("a buyer that owes a price raised after dispatch cannot cancel; the seller can, keeping its bond", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await shippedWithBond(ctx);
    const raised = { ...terms, price: terms.price + USD(10_000) };
    await amendSigned(ctx, id, raised);

    await time.setNextBlockTimestamp(graceEnd(raised) + 1n);
    await expect(escrow.connect(buyer).cancelUndelivered(id))
      .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
      .withArgs(id, buyer.address);
    await expect(escrow.connect(seller).cancelUndelivered(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.BalanceMissed, terms.price, 0, SELLER_BOND);
  });

  it("an open claim decides the money first: no cancellation while it is filed", async function () {
    const ctx = await useClaims();
    const { escrow, buyer } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    await fileClaim(ctx, id, terms);

    await time.setNextBlockTimestamp(graceEnd(terms) + 1n);
    await expect(escrow.connect(buyer).cancelUndelivered(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Filed);
  });

  it("a shipped pay-after-use trade that never arrives frees the pool's cover and the buyer's exposure", async function () {
    const ctx = await creditedBuyer();
    const { escrow, buyer, usdAddress } = ctx;
    const terms = await payAfterUseTerms(ctx);
    const id = await shippedPayAfterUse(ctx, terms);
    expect((await poolOf(ctx)).committed).to.equal(terms.price);

    await time.setNextBlockTimestamp(graceEnd(terms) + 1n);
    await expect(escrow.connect(buyer).cancelUndelivered(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotDelivered, 0, 0, 0);
    expect((await poolOf(ctx)).committed).to.equal(0n);
    expect((await escrow.buyerExposure(buyer.address, usdAddress))[0]).to.equal(0n);
  });

  it("refuses a direct trade, whose money went to the seller at payment", async function () {
    const ctx = await useModes();
    const terms = await directTerms(ctx);
    const id = await paidDirect(ctx, terms);
    await ctx.escrow.connect(ctx.seller).markShipped(id, cid("direct-shipping"));
    await time.setNextBlockTimestamp(graceEnd(terms) + 1n);
    await expect(ctx.escrow.connect(ctx.buyer).cancelUndelivered(id))
      .to.be.revertedWithCustomError(ctx.escrow, "EscrowInvalidTermsForMode")
      .withArgs(PaymentMode.Direct);
  });
});

describe("Money safety (issue 16): a last-second balance takes nothing from the seller (path 4)", function () {
  /** A started trade whose buyer pays the balance in the block at the latest delivery time. */
  async function balancePaidAtTheLastSecond(): Promise<{
    ctx: EscrowContext;
    id: bigint;
    terms: Terms;
    moved: bigint;
  }> {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx, { sellerBond: SELLER_BOND });
    const id = await openAndStart(ctx, terms);
    await time.setNextBlockTimestamp(terms.latestDelivery);
    await ctx.escrow.connect(ctx.buyer).payBalance(id);
    return { ctx, id, terms, moved: terms.latestDelivery + BigInt(terms.shipWindow) };
  }

  it("a balance paid at the latest delivery time leaves the seller its whole ship window, and the lot is on time", async function () {
    const { ctx, id, terms, moved } = await balancePaidAtTheLastSecond();
    const { escrow, buyer, seller } = ctx;

    await time.setNextBlockTimestamp(terms.latestDelivery + 1n);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, moved);
    expect(await escrow.stageDeadline(id)).to.equal(moved);

    await time.setNextBlockTimestamp(moved);
    await expect(escrow.connect(seller).markShipped(id, cid("late-ship"))).to.emit(
      escrow,
      "GoodsShipped",
    );
    await deliver(ctx, id, terms, { time: moved });
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
  });

  it("a seller that does not ship in the moved window is in default: the buyer cancels and takes the bond", async function () {
    const { ctx, id, terms, moved } = await balancePaidAtTheLastSecond();
    const { escrow, buyer, seller } = ctx;

    await time.setNextBlockTimestamp(moved + 1n);
    await expect(escrow.connect(seller).markShipped(id, cid("too-late")))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
      .withArgs(id, moved);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.NotShipped, terms.price, SELLER_BOND, 0);
  });

  it("the seller cancels a balance unpaid at its due time without waiting for the latest delivery; the buyer cannot", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx, { sellerBond: SELLER_BOND });
    const id = await openAndStart(ctx, terms);

    await time.setNextBlockTimestamp(balanceDeadline(terms));
    await expect(escrow.connect(seller).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, balanceDeadline(terms));
    await time.setNextBlockTimestamp(balanceDeadline(terms) + 1n);
    await expect(escrow.connect(buyer).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
      .withArgs(id, buyer.address);
    await expect(escrow.connect(seller).cancelUnshipped(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.BalanceMissed, depositOf(terms), 0, SELLER_BOND);
  });
});

describe("Money safety (issue 16): the party in default never cancels (path 5)", function () {
  it("a seller that never started cannot cancel as if the buyer had missed the balance; the buyer's cancellation still pays it the bond", async function () {
    const ctx = await useEscrow();
    const { escrow, buyer, seller } = ctx;
    const terms = await buildTerms(ctx, { sellerBond: SELLER_BOND });
    const id = await openAndDeposit(ctx, terms);
    await postBond(ctx, id, terms);

    await time.setNextBlockTimestamp(terms.latestDelivery + 1n);
    await expect(escrow.connect(seller).cancelUnshipped(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Deposited);
    await expect(escrow.connect(buyer).cancelForMissedStart(id))
      .to.emit(escrow, "TradeCancelled")
      .withArgs(id, CancelReason.FulfilmentNotStarted, depositOf(terms), SELLER_BOND, 0);
  });
});

describe("Money safety (issue 16): credits reach a party a token blocks (path 11)", function () {
  async function blockedSeller(): Promise<{
    ctx: ModesContext;
    token: BlocklistStablecoin;
    address: string;
    credit: bigint;
  }> {
    const ctx = await useModes();
    const token = (await ethers.deployContract(
      "BlocklistStablecoin",
    )) as unknown as BlocklistStablecoin;
    const address = await token.getAddress();
    await token.mint(ctx.buyer.address, USD(1_000_000));
    await token.connect(ctx.buyer).approve(await ctx.escrow.getAddress(), ethers.MaxUint256);
    const terms = await directTerms(ctx, { token: address });
    await paidDirect(ctx, terms);
    const credit = await ctx.escrow.withdrawable(ctx.seller.address, address);
    await token.setBlocked(ctx.seller.address, true);
    return { ctx, token, address, credit };
  }

  it("a seller whose address the stablecoin blocks withdraws its credit to another address it names", async function () {
    const { ctx, token, address, credit } = await blockedSeller();
    const { escrow, seller, stranger } = ctx;
    expect(credit).to.be.greaterThan(0n);

    await expect(escrow.connect(seller).withdraw(address))
      .to.be.revertedWithCustomError(token, "BlocklistStablecoinBlocked")
      .withArgs(seller.address);
    const tx = escrow.connect(seller).withdrawTo(address, stranger.address);
    await expect(tx).to.emit(escrow, "Withdrawn").withArgs(seller.address, address, credit);
    await expect(tx).to.changeTokenBalances(ethers, token, [stranger, escrow], [credit, -credit]);
    expect(await escrow.withdrawable(seller.address, address)).to.equal(0n);
  });

  it("refuses to withdraw to the zero address, or what the caller was never credited", async function () {
    const { ctx, address } = await blockedSeller();
    const { escrow, seller, stranger } = ctx;
    await expect(
      escrow.connect(seller).withdrawTo(address, ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(escrow, "EscrowZeroAddress");
    await expect(escrow.connect(stranger).withdrawTo(address, seller.address))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
      .withArgs(stranger.address, address);
  });
});
