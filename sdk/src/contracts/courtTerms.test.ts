import { concat, encodeAbiParameters, parseAbiParameters, parseEther } from "viem";
import type { Hex } from "viem";
import { describe, expect, it } from "vitest";
import { CourtTermsError, courtTermsLimits, decodeCourtTerms, encodeCourtTerms } from "./index.js";
import type { CourtTerms } from "./index.js";

const DAY = 86_400;
const terms: CourtTerms = {
  panelSize: 3,
  commitWindow: 2 * DAY,
  revealWindow: 2 * DAY,
  appealWindow: 3 * DAY,
  feePerArbitrator: parseEther("0.01"),
};

/** Five raw words, as a hand-made extraData could hold them. */
const words = (...values: [bigint, bigint, bigint, bigint, bigint]): Hex =>
  encodeAbiParameters(parseAbiParameters("uint256,uint256,uint256,uint256,uint256"), values);

describe("encodeCourtTerms", () => {
  it("writes abi.encode(CourtTerms): five words, as the court decodes them", () => {
    const encoded = encodeCourtTerms(terms);
    expect(encoded).toBe(
      encodeAbiParameters(parseAbiParameters("(uint8,uint32,uint32,uint32,uint96)"), [
        [3, 2 * DAY, 2 * DAY, 3 * DAY, parseEther("0.01")],
      ]),
    );
    expect(encoded).toBe(
      words(3n, BigInt(2 * DAY), BigInt(2 * DAY), BigInt(3 * DAY), parseEther("0.01")),
    );
  });

  it("accepts the court's limits and a zero fee", () => {
    const widest: CourtTerms = {
      panelSize: courtTermsLimits.maxPanelSize,
      commitWindow: courtTermsLimits.maxWindow,
      revealWindow: 1,
      appealWindow: courtTermsLimits.maxWindow,
      feePerArbitrator: courtTermsLimits.maxFeePerArbitrator,
    };
    expect(decodeCourtTerms(encodeCourtTerms(widest))).toEqual(widest);
    expect(decodeCourtTerms(encodeCourtTerms({ ...terms, feePerArbitrator: 0n }))).toEqual({
      ...terms,
      feePerArbitrator: 0n,
    });
  });

  it.each([
    ["an even panel", { panelSize: 4 }, "panelSize", /panel size must be odd.*not 4\./],
    ["a panel over 15", { panelSize: 17 }, "panelSize", /at most 15, not 17\./],
    ["a negative panel", { panelSize: -1 }, "panelSize", /not -1\./],
    ["a fractional panel", { panelSize: 2.5 }, "panelSize", /must be a whole number, not 2\.5\./],
    ["no commit window", { commitWindow: 0 }, "commitWindow", /commit window must be 1 to/],
    [
      "a reveal window over a year",
      { revealWindow: 365 * DAY + 1 },
      "revealWindow",
      /reveal window .* not 31536001\./,
    ],
    ["no appeal window", { appealWindow: 0 }, "appealWindow", /appeal window/],
    [
      "a fee over 96 bits",
      { feePerArbitrator: 2n ** 96n },
      "feePerArbitrator",
      /fee per arbitrator must fit 96 bits/,
    ],
    ["a negative fee", { feePerArbitrator: -1n }, "feePerArbitrator", /not -1\./],
  ])("refuses %s, as the court would", (_case, change, term, message) => {
    const run = () => encodeCourtTerms({ ...terms, ...change });
    expect(run).toThrow(CourtTermsError);
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ name: "CourtTermsError", term }));
  });
});

describe("decodeCourtTerms", () => {
  it("reads back what encodeCourtTerms wrote", () => {
    expect(decodeCourtTerms(encodeCourtTerms(terms))).toEqual(terms);
  });

  it.each([
    ["no bytes", "0x" as Hex, /160 bytes \(five words\), not 0 bytes\./],
    ["four words", words(3n, 1n, 1n, 1n, 1n).slice(0, 2 + 4 * 64) as Hex, /not 128 bytes\./],
    [
      "terms with the parties appended (a dispute's extraData, not a trade's)",
      concat([encodeCourtTerms(terms), `0x${"00".repeat(96)}`]),
      /not 256 bytes\./,
    ],
    ["a string that is not hex", "0xzz" as Hex, /not "0xzz"\./],
  ])("refuses %s", (_case, data, message) => {
    expect(() => decodeCourtTerms(data)).toThrow(CourtTermsError);
    expect(() => decodeCourtTerms(data)).toThrow(message);
    expect(() => decodeCourtTerms(data)).toThrow(expect.objectContaining({ term: undefined }));
  });

  it.each([
    ["an even panel", words(2n, 1n, 1n, 1n, 0n), "panelSize"],
    ["a panel that does not fit uint8", words(257n, 1n, 1n, 1n, 0n), "panelSize"],
    ["a window that does not fit uint32", words(3n, 2n ** 32n + 1n, 1n, 1n, 0n), "commitWindow"],
    ["no reveal window", words(3n, 1n, 0n, 1n, 0n), "revealWindow"],
    ["a fee over 96 bits", words(3n, 1n, 1n, 1n, 2n ** 96n), "feePerArbitrator"],
  ])("refuses %s with the term at fault", (_case, data, term) => {
    expect(() => decodeCourtTerms(data)).toThrow(
      expect.objectContaining({ name: "CourtTermsError", term }),
    );
  });
});
