/*
 * Properties of TradeMath:
 * - deposit <= price and deposit = floor(price * bps / 10_000), so deposit + balance == price exactly;
 * - splitFee parts add up to the amount and the fee never exceeds amount * bps / 10_000;
 * - lot shares round down, so the shares of all but the last lot never exceed the price;
 * - the tolerance range is symmetric around the quantity and never admits more than the tolerance says.
 */
import { expect } from "chai";
import { ethers } from "../fixtures/hardhat";
import fc from "fast-check";
import type { LibraryHarness } from "../../typechain-types";

const MAX96 = 2n ** 96n - 1n;
/** A fixed seed, so every run checks the same cases (FUZZ_SEED=<n> replays another). */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);

describe("TradeMath", function () {
  let harness: LibraryHarness;

  before(async function () {
    harness = (await ethers.deployContract("LibraryHarness")) as unknown as LibraryHarness;
  });

  it("takes a 30% deposit of 100,000.07 USD as 30,000.021 rounded down", async function () {
    expect(await harness.deposit(100_000_070_000n, 3000)).to.equal(30_000_021_000n);
    expect(await harness.deposit(7n, 3000)).to.equal(2n);
  });

  it("rounds the fee of an amount below 10,000 / feeBps units down to zero: the platform, not a party, bears it", async function () {
    // 1% of 99 units is 0.99 of a unit: the seller is credited all 99, the treasury nothing.
    expect(await harness.splitFee(99n, 100)).to.deep.equal([99n, 0n]);
    expect(await harness.splitFee(100n, 100)).to.deep.equal([99n, 1n]);
    expect(await harness.splitFee(1n, 1000)).to.deep.equal([1n, 0n]);
  });

  it("splits a fee so that seller part and fee add up to the amount", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: MAX96 }),
        fc.integer({ min: 0, max: 1000 }),
        async (amount, bps) => {
          const [sellerAmount, fee] = await harness.splitFee(amount, bps);
          expect(sellerAmount + fee).to.equal(amount);
          expect(fee).to.equal((amount * BigInt(bps)) / 10_000n);
        },
      ),
      { numRuns: 100, seed: SEED, verbose: true },
    );
  });

  it("rounds deposits down and never above the price", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: MAX96 }),
        fc.integer({ min: 1, max: 10_000 }),
        async (price, bps) => {
          const deposit = await harness.deposit(price, bps);
          expect(deposit).to.equal((price * BigInt(bps)) / 10_000n);
          expect(deposit <= price).to.equal(true);
        },
      ),
      { numRuns: 100, seed: SEED, verbose: true },
    );
  });

  it("gives lot shares whose sum over the lots never exceeds the price", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: MAX96 }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        async (price, lots) => {
          const quantity = BigInt(lots.reduce((a, b) => a + b, 0));
          let total = 0n;
          for (const lot of lots) total += await harness.lotShare(price, lot, quantity);
          expect(total <= price).to.equal(true);
          expect(price - total < BigInt(lots.length)).to.equal(true);
        },
      ),
      { numRuns: 60, seed: SEED, verbose: true },
    );
  });

  it("makes the tolerance range quantity plus or minus the allowance rounded down", async function () {
    expect(await harness.toleranceRange(100, 500)).to.deep.equal([95n, 105n]);
    expect(await harness.toleranceRange(10, 500)).to.deep.equal([10n, 10n]);
    expect(await harness.toleranceRange(10, 10_000)).to.deep.equal([0n, 20n]);
    expect(await harness.toleranceRange(19, 1000)).to.deep.equal([18n, 20n]);
  });
});
