/*
 * Properties of BusinessDays.add(t, n), checked against a naive day-by-day reference:
 * - the result keeps t's time of day;
 * - for n > 0 the result falls on a Monday to Friday;
 * - exactly n business days (Mon-Fri) lie in the days after t's day up to and including the result's day;
 * - add(t, 0) == t.
 */
import { expect } from "chai";
import { ethers } from "../fixtures/hardhat";
import fc from "fast-check";
import type { LibraryHarness } from "../../typechain-types";

const DAY = 86_400n;

/** Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday). */
function weekday(t: bigint): bigint {
  return (t / DAY + 3n) % 7n;
}

/** The reference: step one calendar day at a time, counting only Monday to Friday. */
function addBusinessDaysNaive(t: bigint, n: bigint): bigint {
  let result = t;
  let counted = 0n;
  while (counted < n) {
    result += DAY;
    if (weekday(result) < 5n) counted += 1n;
  }
  return result;
}

/** A UTC timestamp, for readable cases. */
const at = (iso: string) => BigInt(Date.parse(iso) / 1000);

describe("BusinessDays", function () {
  let harness: LibraryHarness;

  before(async function () {
    harness = (await ethers.deployContract("LibraryHarness")) as unknown as LibraryHarness;
  });

  describe("dayOfWeek", function () {
    it("names Thursday 1970-01-01 as 3 and Monday 2026-11-23 as 0", async function () {
      expect(await harness.dayOfWeek(0)).to.equal(3n);
      expect(await harness.dayOfWeek(at("2026-11-23T00:00:00Z"))).to.equal(0n);
      expect(await harness.isBusinessDay(at("2026-11-21T12:00:00Z"))).to.equal(false); // Saturday
      expect(await harness.isBusinessDay(at("2026-11-20T23:59:59Z"))).to.equal(true); // Friday
    });
  });

  describe("add", function () {
    const cases: Array<[string, number, string]> = [
      ["2026-11-19T10:00:00Z", 1, "2026-11-20T10:00:00Z"], // Thursday + 1 = Friday
      ["2026-11-20T10:00:00Z", 1, "2026-11-23T10:00:00Z"], // Friday + 1 = Monday
      ["2026-11-20T10:00:00Z", 3, "2026-11-25T10:00:00Z"], // Friday + 3 = Wednesday
      ["2026-11-21T10:00:00Z", 1, "2026-11-23T10:00:00Z"], // Saturday + 1 = Monday
      ["2026-11-22T23:59:59Z", 3, "2026-11-25T23:59:59Z"], // Sunday + 3 = Wednesday
      ["2026-11-23T00:00:00Z", 5, "2026-11-30T00:00:00Z"], // Monday + 5 = next Monday
      ["2026-11-21T08:00:00Z", 5, "2026-11-27T08:00:00Z"], // Saturday + 5 = Friday
      ["2026-11-16T09:30:00Z", 7, "2026-11-25T09:30:00Z"], // Monday + 7 = Wednesday of next week
      ["2026-11-19T10:00:00Z", 0, "2026-11-19T10:00:00Z"], // no days
    ];
    for (const [start, days, expected] of cases) {
      it(`moves ${start} by ${days} business days to ${expected}`, async function () {
        expect(await harness.addBusinessDays(at(start), days)).to.equal(at(expected));
      });
    }

    it("agrees with the day-by-day reference for any time and up to 400 business days", async function () {
      const seed = Date.now();
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 3n * DAY, max: 4_000_000_000n }),
          fc.bigInt({ min: 0n, max: 400n }),
          async (t, n) => {
            const result = await harness.addBusinessDays(t, n);
            expect(result, `add(${t}, ${n})`).to.equal(addBusinessDaysNaive(t, n));
            expect(result % DAY).to.equal(t % DAY);
            if (n > 0n) expect(weekday(result) < 5n).to.equal(true);
          },
        ),
        { numRuns: 300, seed, verbose: true },
      );
    });
  });
});
