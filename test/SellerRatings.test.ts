// Length: every rule of a rating (who, when, which trades qualify, the averages) against the
// escrow.
import { expect } from "chai";
import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { ethers, time } from "./fixtures/hardhat";
import {
  DAY,
  TradeState,
  USD,
  buildTerms,
  cid,
  deliver,
  openAndShip,
  valueFor,
} from "./fixtures/escrow";
import type { Terms } from "./fixtures/escrow";
import { now } from "./fixtures/flows";
import {
  completedDirect,
  deliveredPayAfterUse,
  directTerms,
  fundPool,
  payAfterUseTerms,
  recordScore,
  shippedDirect,
  useModes,
} from "./fixtures/modes";
import type { ModesContext } from "./fixtures/modes";
import type { SellerRatings } from "../typechain-types";

// SellerRatings (SPEC "Ratings"): after completion the buyer rates the seller once, within 30 days, on
// service, delivery speed and accuracy of description, each 1 to 5. Every payment mode counts, but only
// a trade that cost something to fake (issue 16, path 10): title attested by the accredited warehouse
// operator, or a platform fee of at least the token's floor, which the ratings' owner (the admin) sets.

const RATING_WINDOW = 30n * BigInt(DAY);

type RatingsContext = ModesContext & { ratings: SellerRatings };

/** The escrow fixture with a SellerRatings contract reading it. */
async function useRatings(): Promise<RatingsContext> {
  const ctx = await useModes();
  const ratings = (await ethers.deployContract("SellerRatings", [
    await ctx.escrow.getAddress(),
    ctx.admin.address,
  ])) as unknown as SellerRatings;
  return { ...ctx, ratings };
}

/** The platform fee a trade on `terms` paid: `price * feeBps / 10_000`, rounded down. */
const feeOf = (terms: Terms) => (terms.price * BigInt(terms.feeBps)) / 10_000n;

/** The admin sets the fee floor of `terms`'s token to `minFee`. */
async function setFloor(ctx: RatingsContext, terms: Terms, minFee: bigint): Promise<void> {
  await ctx.ratings.connect(ctx.admin).setMinFee(terms.token, minFee);
}

/** The next block's time, fixed, so an event's `ratedAt` can be asserted. */
async function nextBlockAt(secondsFromNow = 60n): Promise<bigint> {
  const at = (await now()) + secondsFromNow;
  await time.setNextBlockTimestamp(at);
  return at;
}

/** A protected trade taken to completion: shipped, then received and titled with no claim window. */
async function completedProtected(
  ctx: RatingsContext,
  overrides: Partial<Terms> = {},
): Promise<{ id: bigint; terms: Terms; completedAt: bigint }> {
  const terms = await buildTerms(ctx, overrides);
  const id = await openAndShip(ctx, terms);
  await deliver(ctx, id, terms);
  const t = await ctx.escrow.trade(id);
  expect(t.state).to.equal(TradeState.Completed);
  return { id, terms, completedAt: t.stageAt };
}

/** The seller's totals as a plain object. */
async function totalsOf(ctx: RatingsContext, seller: string) {
  const t = await ctx.ratings.totals(seller);
  return {
    count: t.count,
    serviceSum: t.serviceSum,
    speedSum: t.speedSum,
    accuracySum: t.accuracySum,
  };
}

describe("SellerRatings.rate", function () {
  it("reads the escrow it was deployed with, allows 30 days and starts with no fee floor", async function () {
    const ctx = await useRatings();
    expect(await ctx.ratings.escrow()).to.equal(await ctx.escrow.getAddress());
    expect(await ctx.ratings.RATING_WINDOW()).to.equal(RATING_WINDOW);
    expect(await ctx.ratings.owner()).to.equal(ctx.admin.address);
    expect(await ctx.ratings.minFee(await ctx.usd.getAddress())).to.equal(0n);
    expect(await ctx.ratings.minFee(ethers.ZeroAddress)).to.equal(0n);
  });

  it("records the buyer's rating of a completed protected trade", async function () {
    const ctx = await useRatings();
    const { ratings, buyer, seller } = ctx;
    const { id } = await completedProtected(ctx);
    expect(await ratings.rated(id)).to.equal(false);

    const ratedAt = await nextBlockAt();
    await expect(ratings.connect(buyer).rate(id, 5, 4, 3))
      .to.emit(ratings, "SellerRated")
      .withArgs(seller.address, id, buyer.address, 5, 4, 3, ratedAt);

    expect(await ratings.rated(id)).to.equal(true);
    expect(await totalsOf(ctx, seller.address)).to.deep.equal({
      count: 1n,
      serviceSum: 5n,
      speedSum: 4n,
      accuracySum: 3n,
    });
  });

  it("records the rating of a completed direct trade whose fee reaches the token's floor", async function () {
    const ctx = await useRatings();
    const { ratings, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await completedDirect(ctx, terms);
    await setFloor(ctx, terms, feeOf(terms));

    const ratedAt = await nextBlockAt();
    await expect(ratings.connect(buyer).rate(id, 2, 5, 4))
      .to.emit(ratings, "SellerRated")
      .withArgs(seller.address, id, buyer.address, 2, 5, 4, ratedAt);
    expect((await ratings.totals(seller.address)).count).to.equal(1n);
  });

  it("records the rating of a collected pay-after-use trade", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, buyer, seller } = ctx;
    await recordScore(ctx);
    await fundPool(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);
    await escrow.connect(buyer).confirmReceipt(id);

    const ratedAt = await nextBlockAt();
    await expect(ratings.connect(buyer).rate(id, 1, 1, 1))
      .to.emit(ratings, "SellerRated")
      .withArgs(seller.address, id, buyer.address, 1, 1, 1, ratedAt);
    expect(await totalsOf(ctx, seller.address)).to.deep.equal({
      count: 1n,
      serviceSum: 1n,
      speedSum: 1n,
      accuracySum: 1n,
    });
  });

  it("refuses a second rating of the same trade", async function () {
    const ctx = await useRatings();
    const { ratings, buyer, seller } = ctx;
    const { id } = await completedProtected(ctx);
    await ratings.connect(buyer).rate(id, 4, 4, 4);

    await expect(ratings.connect(buyer).rate(id, 1, 1, 1))
      .to.be.revertedWithCustomError(ratings, "RatingsAlreadyRated")
      .withArgs(id);
    expect(await totalsOf(ctx, seller.address)).to.deep.equal({
      count: 1n,
      serviceSum: 4n,
      speedSum: 4n,
      accuracySum: 4n,
    });
  });

  it("accepts a rating exactly 30 days after completion", async function () {
    const ctx = await useRatings();
    const { ratings, buyer } = ctx;
    const { id, completedAt } = await completedProtected(ctx);

    await time.setNextBlockTimestamp(completedAt + RATING_WINDOW);
    await expect(ratings.connect(buyer).rate(id, 3, 3, 3)).to.emit(ratings, "SellerRated");
    expect(await ratings.rated(id)).to.equal(true);
  });

  it("refuses a rating one second after the 30 days", async function () {
    const ctx = await useRatings();
    const { ratings, buyer, seller } = ctx;
    const { id, completedAt } = await completedProtected(ctx);
    const deadline = completedAt + RATING_WINDOW;

    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(ratings.connect(buyer).rate(id, 3, 3, 3))
      .to.be.revertedWithCustomError(ratings, "RatingsWindowClosed")
      .withArgs(id, deadline);
    expect(await ratings.rated(id)).to.equal(false);
    expect((await ratings.totals(seller.address)).count).to.equal(0n);
  });

  it("counts the 30 days from the buyer's confirmation of a direct trade, not from payment", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, buyer } = ctx;
    const terms = await directTerms(ctx);
    const id = await shippedDirect(ctx, terms);
    await setFloor(ctx, terms, feeOf(terms));
    await time.increase(20 * DAY);
    await escrow.connect(buyer).confirmReceipt(id);
    const completedAt = await now();

    await time.setNextBlockTimestamp(completedAt + RATING_WINDOW);
    await expect(ratings.connect(buyer).rate(id, 5, 5, 5)).to.emit(ratings, "SellerRated");
  });

  it("refuses a trade that is shipped but not completed", async function () {
    const ctx = await useRatings();
    const { ratings, buyer } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openAndShip(ctx, terms);

    await expect(ratings.connect(buyer).rate(id, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotCompleted")
      .withArgs(id, TradeState.Shipped);
  });

  it("refuses a pay-after-use trade delivered but not yet collected", async function () {
    const ctx = await useRatings();
    const { ratings, buyer } = ctx;
    await recordScore(ctx);
    await fundPool(ctx);
    const terms = await payAfterUseTerms(ctx);
    const id = await deliveredPayAfterUse(ctx, terms);

    await expect(ratings.connect(buyer).rate(id, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotCompleted")
      .withArgs(id, TradeState.Delivered);
  });

  it("refuses a cancelled trade", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    await escrow.connect(seller).proposeTrade(terms);
    await escrow.connect(seller).withdrawProposal(1n);

    await expect(ratings.connect(buyer).rate(1n, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotCompleted")
      .withArgs(1n, TradeState.Cancelled);
  });

  it("refuses a trade whose whole price a claim refunded", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, admin, buyer, seller, stranger: agency } = ctx;
    await escrow.connect(admin).grantRole(await escrow.INSPECTOR_ROLE(), agency.address);
    const terms = await buildTerms(ctx, { claimWindow: 3 * DAY });
    const id = await openAndShip(ctx, terms);
    await deliver(ctx, id, terms);
    const report = {
      tradeId: id,
      agency: agency.address,
      varianceBps: 10_000,
      material: false,
      reportCid: cid("inspection"),
      nonce: 0n,
      deadline: (await now()) + BigInt(DAY),
    };
    await escrow.connect(agency).submitInspectionReport(report);
    const request = { ground: 0, refundBps: 10_000, costs: 0n, evidenceCid: cid("photos") };
    await escrow.connect(buyer).fileClaim(id, request, report, "0x");
    await escrow.connect(seller).acceptClaim(id);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Refunded);

    await expect(ratings.connect(buyer).rate(id, 1, 1, 1))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotCompleted")
      .withArgs(id, TradeState.Refunded);
  });

  it("refuses a trade that does not exist", async function () {
    const ctx = await useRatings();
    const { ratings, buyer } = ctx;

    await expect(ratings.connect(buyer).rate(7n, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotCompleted")
      .withArgs(7n, TradeState.None);
  });

  it("refuses anyone but the trade's buyer", async function () {
    const ctx = await useRatings();
    const { ratings, seller, operator, stranger } = ctx;
    const { id } = await completedProtected(ctx);

    for (const caller of [seller, operator, stranger]) {
      await expect(ratings.connect(caller).rate(id, 5, 5, 5))
        .to.be.revertedWithCustomError(ratings, "RatingsNotBuyer")
        .withArgs(id, caller.address);
    }
    expect(await ratings.rated(id)).to.equal(false);
  });

  it("credits the seller the escrow keeps for the trade: no caller can name another", async function () {
    const ctx = await useRatings();
    const { ratings, buyer, seller, stranger } = ctx;
    const { id, terms } = await completedProtected(ctx);

    await expect(ratings.connect(buyer).rate(id, 5, 4, 3))
      .to.emit(ratings, "SellerRated")
      .withArgs(terms.seller, id, buyer.address, 5, 4, 3, anyUint);
    expect((await ratings.totals(seller.address)).count).to.equal(1n);
    expect((await ratings.totals(stranger.address)).count).to.equal(0n);
  });

  const invalidScores: [number, number, number][] = [
    [0, 3, 3],
    [3, 0, 3],
    [3, 3, 0],
    [6, 3, 3],
    [3, 6, 3],
    [3, 3, 6],
  ];
  for (const [service, speed, accuracy] of invalidScores) {
    it(`refuses the scores ${service}, ${speed}, ${accuracy} (each must be 1 to 5)`, async function () {
      const ctx = await useRatings();
      const { ratings, buyer } = ctx;
      const { id } = await completedProtected(ctx);

      await expect(ratings.connect(buyer).rate(id, service, speed, accuracy))
        .to.be.revertedWithCustomError(ratings, "RatingsInvalidScore")
        .withArgs(service, speed, accuracy);
      expect(await ratings.rated(id)).to.equal(false);
    });
  }
});

describe("SellerRatings.rate: only trades that cost something to fake", function () {
  it("a self-dealt one-unit direct trade cannot be rated", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, seller } = ctx;
    // The seller's second address buys one unit for one wei: the 1% fee rounds to nothing.
    const secondAddress = (await ethers.getSigners())[12];
    if (secondAddress === undefined) throw new Error("Need 13 accounts.");
    const terms = await directTerms(ctx, {
      buyer: secondAddress.address,
      token: ethers.ZeroAddress,
      price: 1n,
      quantity: 1n,
      toleranceBps: 0,
    });
    expect(feeOf(terms)).to.equal(0n);
    await escrow.connect(seller).proposeTrade(terms);
    const id = await escrow.tradeCount();
    await escrow.connect(secondAddress).acceptTrade(id, terms);
    await escrow.connect(secondAddress).payDirect(id, valueFor(terms, terms.price));
    await escrow.connect(seller).markShipped(id, cid("self-dealt"));
    await escrow.connect(secondAddress).confirmReceipt(id);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);

    // With no floor for the native coin, and with the smallest floor there is.
    await expect(ratings.connect(secondAddress).rate(id, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotQualified")
      .withArgs(id, 0, 0n, 0n);
    await setFloor(ctx, terms, 1n);
    await expect(ratings.connect(secondAddress).rate(id, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotQualified")
      .withArgs(id, 0, 0n, 1n);
    expect(await ratings.rated(id)).to.equal(false);
    expect(await totalsOf(ctx, seller.address)).to.deep.equal({
      count: 0n,
      serviceSum: 0n,
      speedSum: 0n,
      accuracySum: 0n,
    });
  });

  it("refuses a direct trade whose fee is one unit below the token's floor and accepts it at the floor", async function () {
    const ctx = await useRatings();
    const { ratings, buyer, seller } = ctx;
    const terms = await directTerms(ctx);
    const id = await completedDirect(ctx, terms);
    const fee = feeOf(terms);
    expect(fee).to.equal(USD(1_000)); // 1% of 100,000 USD

    await setFloor(ctx, terms, fee + 1n);
    await expect(ratings.connect(buyer).rate(id, 4, 4, 4))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotQualified")
      .withArgs(id, 0, fee, fee + 1n);
    expect(await ratings.rated(id)).to.equal(false);

    await setFloor(ctx, terms, fee);
    const ratedAt = await nextBlockAt();
    await expect(ratings.connect(buyer).rate(id, 4, 4, 4))
      .to.emit(ratings, "SellerRated")
      .withArgs(seller.address, id, buyer.address, 4, 4, 4, ratedAt);
  });

  it("refuses a direct trade in a token with no floor, whatever its fee", async function () {
    const ctx = await useRatings();
    const { ratings, buyer } = ctx;
    const terms = await directTerms(ctx, { price: USD(10_000_000) });
    const id = await completedDirect(ctx, terms);

    await expect(ratings.connect(buyer).rate(id, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotQualified")
      .withArgs(id, 0, feeOf(terms), 0n);
  });

  it("keeps a token's floor to that token: a floor in USD does not qualify a trade in the native coin", async function () {
    const ctx = await useRatings();
    const { ratings, buyer } = ctx;
    const native = await directTerms(ctx, { token: ethers.ZeroAddress, price: 10n ** 18n });
    const id = await completedDirect(ctx, native);
    await ratings.connect(ctx.admin).setMinFee(await ctx.usd.getAddress(), 1n);

    await expect(ratings.connect(buyer).rate(id, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotQualified")
      .withArgs(id, 0, feeOf(native), 0n);
  });

  it("accepts, with no floor, a direct trade whose named operator attested title", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, buyer, seller, operator } = ctx;
    const terms = await directTerms(ctx, { operator: operator.address });
    const id = await shippedDirect(ctx, terms);
    await deliver(ctx, id, terms);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.lotsDone).to.equal(1n);

    const ratedAt = await nextBlockAt();
    await expect(ratings.connect(buyer).rate(id, 3, 4, 5))
      .to.emit(ratings, "SellerRated")
      .withArgs(seller.address, id, buyer.address, 3, 4, 5, ratedAt);
  });

  it("refuses a direct trade that named an operator but was confirmed by the buyer alone", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, buyer, operator } = ctx;
    const terms = await directTerms(ctx, { operator: operator.address });
    const id = await completedDirect(ctx, terms);
    expect((await escrow.trade(id)).lotsDone).to.equal(0n);

    await expect(ratings.connect(buyer).rate(id, 5, 5, 5))
      .to.be.revertedWithCustomError(ratings, "RatingsTradeNotQualified")
      .withArgs(id, 0, feeOf(terms), 0n);
  });

  it("accepts, with no floor, a protected trade of one unit and a zero fee: its title was attested", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, admin, buyer, seller } = ctx;
    await escrow.connect(admin).setFee(0);
    const { id, terms } = await completedProtected(ctx, {
      price: 1n,
      quantity: 1n,
      toleranceBps: 0,
      feeBps: 0,
    });
    expect(feeOf(terms)).to.equal(0n);

    await expect(ratings.connect(buyer).rate(id, 5, 5, 5))
      .to.emit(ratings, "SellerRated")
      .withArgs(seller.address, id, buyer.address, 5, 5, 5, anyUint);
  });
});

describe("SellerRatings.setMinFee", function () {
  it("lets the owner set a token's floor and says so", async function () {
    const ctx = await useRatings();
    const { ratings, admin } = ctx;
    const usd = await ctx.usd.getAddress();
    await expect(ratings.connect(admin).setMinFee(usd, USD(5)))
      .to.emit(ratings, "MinRatingFeeSet")
      .withArgs(usd, USD(5));
    expect(await ratings.minFee(usd)).to.equal(USD(5));
    await expect(ratings.connect(admin).setMinFee(usd, 0n))
      .to.emit(ratings, "MinRatingFeeSet")
      .withArgs(usd, 0n);
    expect(await ratings.minFee(usd)).to.equal(0n);
  });

  it("refuses anyone but the owner", async function () {
    const ctx = await useRatings();
    const { ratings, buyer, seller, stranger } = ctx;
    const usd = await ctx.usd.getAddress();
    for (const caller of [buyer, seller, stranger]) {
      await expect(ratings.connect(caller).setMinFee(usd, 1n))
        .to.be.revertedWithCustomError(ratings, "OwnableUnauthorizedAccount")
        .withArgs(caller.address);
    }
    expect(await ratings.minFee(usd)).to.equal(0n);
  });

  it("hands ownership over in two steps", async function () {
    const ctx = await useRatings();
    const { ratings, admin, stranger } = ctx;
    await ratings.connect(admin).transferOwnership(stranger.address);
    expect(await ratings.owner()).to.equal(admin.address);
    await ratings.connect(stranger).acceptOwnership();
    expect(await ratings.owner()).to.equal(stranger.address);
    await expect(ratings.connect(admin).setMinFee(ethers.ZeroAddress, 1n))
      .to.be.revertedWithCustomError(ratings, "OwnableUnauthorizedAccount")
      .withArgs(admin.address);
  });
});

describe("SellerRatings.totals", function () {
  it("sums and counts a seller's ratings across trades and modes, apart from other sellers'", async function () {
    const ctx = await useRatings();
    const { escrow, ratings, buyer, seller } = ctx;
    const otherSeller = (await ethers.getSigners())[11];
    if (otherSeller === undefined) throw new Error("Need 12 accounts.");
    const a = await completedProtected(ctx);
    const directA = await directTerms(ctx, { manifestCid: cid("direct-a") });
    const b = await completedDirect(ctx, directA);
    const otherTerms = await directTerms(ctx, { seller: otherSeller.address });
    await escrow.connect(otherSeller).proposeTrade(otherTerms);
    const otherId = await escrow.tradeCount();
    await escrow.connect(buyer).acceptTrade(otherId, otherTerms);
    await escrow.connect(buyer).payDirect(otherId);
    await escrow.connect(otherSeller).markShipped(otherId, cid("bl-other"));
    await escrow.connect(buyer).confirmReceipt(otherId);
    await setFloor(ctx, directA, feeOf(directA));

    await ratings.connect(buyer).rate(a.id, 5, 4, 3);
    await ratings.connect(buyer).rate(b, 2, 3, 5);
    await ratings.connect(buyer).rate(otherId, 1, 2, 1);

    expect(await totalsOf(ctx, seller.address)).to.deep.equal({
      count: 2n,
      serviceSum: 7n,
      speedSum: 7n,
      accuracySum: 8n,
    });
    expect(await totalsOf(ctx, otherSeller.address)).to.deep.equal({
      count: 1n,
      serviceSum: 1n,
      speedSum: 2n,
      accuracySum: 1n,
    });
  });

  it("is all zeros for a seller never rated", async function () {
    const ctx = await useRatings();
    expect(await totalsOf(ctx, ctx.seller.address)).to.deep.equal({
      count: 0n,
      serviceSum: 0n,
      speedSum: 0n,
      accuracySum: 0n,
    });
  });
});
