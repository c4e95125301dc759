/*
 * Properties of BusinessDays.add(t, n), checked against a reference written from the rule's meaning
 * (test/fixtures/claims.ts: the latest moment by which at most n days of weekday time have passed):
 * - exactly n days of Monday-to-Friday time lie between t and the result;
 * - a weekday start keeps its time of day; a weekend start counts from Monday 00:00 UTC;
 * - for n > 0 the result falls on a Monday to Friday;
 * - the result never decreases as t grows;
 * - the indexer's mirror (indexer/src/internal/deadlines.ts) returns the same as the chain.
 * fast-check runs with a fixed seed; a failure prints it and the counterexample.
 */
import { expect } from "chai";
import { ethers } from "../fixtures/hardhat";
import fc from "fast-check";
import type { LibraryHarness } from "../../typechain-types";
import { addBusinessDays } from "../fixtures/claims";
import { addBusinessDays as indexerAddBusinessDays } from "../../indexer/src/internal/deadlines";

const DAY = 86_400n;
const SEED = 16_008;

/** Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday). */
function weekday(t: bigint): bigint {
  return (t / DAY + 3n) % 7n;
}

/** Seconds of Monday-to-Friday time in [from, to). */
function weekdaySeconds(from: bigint, to: bigint): bigint {
  let total = 0n;
  for (let t = from; t < to;) {
    const dayEnd = (t / DAY + 1n) * DAY;
    const end = dayEnd < to ? dayEnd : to;
    if (weekday(t) < 5n) total += end - t;
    t = end;
  }
  return total;
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
    // 2026-11-20 is a Friday, 2026-11-21 a Saturday, 2026-11-22 a Sunday, 2026-11-23 a Monday.
    const cases: Array<[string, number, string]> = [
      ["2026-11-19T10:00:00Z", 1, "2026-11-20T10:00:00Z"], // Thursday + 1 = Friday
      ["2026-11-20T10:00:00Z", 1, "2026-11-23T10:00:00Z"], // Friday + 1 = Monday
      ["2026-11-20T10:00:00Z", 3, "2026-11-25T10:00:00Z"], // Friday + 3 = Wednesday
      ["2026-11-21T10:00:00Z", 1, "2026-11-24T00:00:00Z"], // Saturday + 1 = all of Monday
      ["2026-11-22T23:59:59Z", 3, "2026-11-26T00:00:00Z"], // Sunday + 3 = Monday to Wednesday
      ["2026-11-23T00:00:00Z", 5, "2026-11-30T00:00:00Z"], // Monday + 5 = next Monday
      ["2026-11-21T08:00:00Z", 5, "2026-11-30T00:00:00Z"], // Saturday + 5 = Monday to Friday
      ["2026-11-16T09:30:00Z", 7, "2026-11-25T09:30:00Z"], // Monday + 7 = Wednesday of next week
      ["2026-11-19T10:00:00Z", 0, "2026-11-19T10:00:00Z"], // no days from a weekday
      ["2026-11-21T10:00:00Z", 0, "2026-11-23T00:00:00Z"], // no days from a weekend: Monday 00:00
    ];
    for (const [start, days, expected] of cases) {
      it(`moves ${start} by ${days} business days to ${expected}`, async function () {
        expect(await harness.addBusinessDays(at(start), days)).to.equal(at(expected));
      });
    }

    it("a deposit made on Saturday leaves the seller its whole business day", async function () {
      // Saturday 00:00:01 + 1 business day was Monday 00:00:01: one second of Monday, no business time.
      const saturday = at("2026-11-21T00:00:01Z");
      const deadline = await harness.addBusinessDays(saturday, 1);
      expect(deadline).to.equal(at("2026-11-24T00:00:00Z")); // the end of Monday
      expect(weekdaySeconds(saturday, deadline)).to.equal(DAY);
    });

    it("a claim filed on a Saturday gives the seller all 7 business days", async function () {
      // Was Saturday 10:00 + 7 = the Tuesday after next 10:00: the first Monday minus 10 hours.
      const filed = at("2026-11-21T10:00:00Z");
      const deadline = await harness.addBusinessDays(filed, 7);
      expect(deadline).to.equal(at("2026-12-02T00:00:00Z")); // Monday 23rd 00:00 to Wednesday 2nd 00:00
      expect(weekdaySeconds(filed, deadline)).to.equal(7n * DAY);
    });

    // One second either side of each edge of the weekend, with 1 and 7 business days.
    const edges: Array<[string, number, string]> = [
      ["2026-11-20T23:59:59Z", 1, "2026-11-23T23:59:59Z"], // Friday 23:59:59: the last weekday second
      ["2026-11-21T00:00:00Z", 1, "2026-11-24T00:00:00Z"], // Saturday 00:00:00: counts from Monday
      ["2026-11-22T23:59:59Z", 1, "2026-11-24T00:00:00Z"], // Sunday 23:59:59: counts from Monday
      ["2026-11-23T00:00:00Z", 1, "2026-11-24T00:00:00Z"], // Monday 00:00:00: its own time of day
      ["2026-11-23T00:00:01Z", 1, "2026-11-24T00:00:01Z"], // Monday 00:00:01
      ["2026-11-20T23:59:59Z", 7, "2026-12-01T23:59:59Z"],
      ["2026-11-21T00:00:00Z", 7, "2026-12-02T00:00:00Z"],
      ["2026-11-22T23:59:59Z", 7, "2026-12-02T00:00:00Z"],
      ["2026-11-23T00:00:00Z", 7, "2026-12-02T00:00:00Z"],
    ];
    for (const [start, days, expected] of edges) {
      it(`at the weekend's edge, moves ${start} by ${days} business days to ${expected}`, async function () {
        const deadline = await harness.addBusinessDays(at(start), days);
        expect(deadline).to.equal(at(expected));
        expect(weekdaySeconds(at(start), deadline)).to.equal(BigInt(days) * DAY);
        expect(indexerAddBusinessDays(at(start), days)).to.equal(deadline);
      });
    }

    it("agrees with the reference, and the indexer with the chain, for any time and up to 400 business days", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 3n * DAY, max: 4_000_000_000n }),
          fc.bigInt({ min: 0n, max: 400n }),
          async (t, n) => {
            const result = await harness.addBusinessDays(t, n);
            expect(result, `add(${t}, ${n})`).to.equal(addBusinessDays(t, n));
            expect(indexerAddBusinessDays(t, Number(n)), `indexer add(${t}, ${n})`).to.equal(
              result,
            );
            expect(weekdaySeconds(t, result)).to.equal(n * DAY);
            if (weekday(t) < 5n) expect(result % DAY).to.equal(t % DAY);
            else expect(result % DAY).to.equal(0n);
            if (n > 0n) expect(weekday(result) < 5n).to.equal(true);
          },
        ),
        { numRuns: 300, seed: SEED, verbose: true },
      );
    });

    it("never moves a deadline earlier for a later start", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 3n * DAY, max: 4_000_000_000n }),
          fc.bigInt({ min: 1n, max: 3n * DAY }),
          fc.bigInt({ min: 0n, max: 20n }),
          async (t, later, n) => {
            const first = await harness.addBusinessDays(t, n);
            const second = await harness.addBusinessDays(t + later, n);
            expect(
              second >= first,
              `add(${t}, ${n}) = ${first} > add(${t + later}, ${n}) = ${second}`,
            ).to.equal(true);
          },
        ),
        { numRuns: 200, seed: SEED + 1, verbose: true },
      );
    });
  });
});
