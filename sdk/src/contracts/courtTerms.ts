import { decodeAbiParameters, encodeAbiParameters, isHex, size } from "viem";
import type { Hex } from "viem";
import { CourtTermsError } from "./errors.js";

/**
 * `IArbitrationCourt.CourtTerms`: the court's terms for a trade, fixed when a dispute is created.
 * Their encoding is the trade's `arbitratorExtraData` (ERC-792 extraData).
 */
export type CourtTerms = {
  /** Arbitrators on the first panel: odd, at most 15 (an appeal sits 2 × panelSize + 1). */
  panelSize: number;
  /** Seconds after the draw to commit a vote: 1 s to 365 days. */
  commitWindow: number;
  /** Seconds after the commit window to reveal it: 1 s to 365 days. */
  revealWindow: number;
  /** Seconds after a first ruling to appeal it: 1 s to 365 days. */
  appealWindow: number;
  /** Native coin (wei) per panel seat; fits 96 bits. */
  feePerArbitrator: bigint;
};

/** What the court accepts (`ArbitrationCourt._decodeTerms`). */
export const courtTermsLimits = {
  /** `(_MAX_PANEL - 1) / 2`: an appeal's panel of 2 × 15 + 1 is the court's largest. */
  maxPanelSize: 15,
  /** `_MAX_WINDOW`, 365 days in seconds, for each of the three windows. */
  maxWindow: 365 * 86_400,
  maxFeePerArbitrator: 2n ** 96n - 1n,
} as const;

/** The encoding's length: five 32-byte words. */
const TERMS_SIZE = 5 * 32;

const courtTermsParameters = [
  {
    type: "tuple",
    components: [
      { name: "panelSize", type: "uint8" },
      { name: "commitWindow", type: "uint32" },
      { name: "revealWindow", type: "uint32" },
      { name: "appealWindow", type: "uint32" },
      { name: "feePerArbitrator", type: "uint96" },
    ],
  },
] as const;

/** The five words as the court reads them first, so an out-of-range word gets our message. */
const words = [
  { type: "uint256" },
  { type: "uint256" },
  { type: "uint256" },
  { type: "uint256" },
  { type: "uint256" },
] as const;

/** Each term as a message names it. */
const termNames: Record<keyof CourtTerms, string> = {
  panelSize: "panel size",
  commitWindow: "commit window",
  revealWindow: "reveal window",
  appealWindow: "appeal window",
  feePerArbitrator: "fee per arbitrator",
};

const windows = ["commitWindow", "revealWindow", "appealWindow"] as const;

/** Throws `CourtTermsError` unless the court would accept `terms`, checked as it checks them. */
function checkCourtTerms(terms: { [key in keyof CourtTerms]: bigint }): void {
  const { panelSize, feePerArbitrator } = terms;
  if (panelSize % 2n !== 1n || panelSize > BigInt(courtTermsLimits.maxPanelSize)) {
    throw new CourtTermsError(
      "panelSize",
      `The court's panel size must be odd and at most ${courtTermsLimits.maxPanelSize}, not ${panelSize}.`,
    );
  }
  for (const key of windows) {
    const value = terms[key];
    if (value < 1n || value > BigInt(courtTermsLimits.maxWindow)) {
      throw new CourtTermsError(
        key,
        `The court's ${termNames[key]} must be 1 to ${courtTermsLimits.maxWindow} seconds (365 days), not ${value}.`,
      );
    }
  }
  if (feePerArbitrator < 0n || feePerArbitrator > courtTermsLimits.maxFeePerArbitrator) {
    throw new CourtTermsError(
      "feePerArbitrator",
      `The court's fee per arbitrator must fit 96 bits, not ${feePerArbitrator}.`,
    );
  }
}

/** `value` as a bigint, when it is a whole number. */
function whole(key: keyof CourtTerms, value: number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) {
    throw new CourtTermsError(
      key,
      `The court's ${termNames[key]} must be a whole number, not ${value}.`,
    );
  }
  return BigInt(value);
}

/**
 * Encodes the court's terms as the trade's `arbitratorExtraData`: `abi.encode(CourtTerms)`, five
 * words. The escrow appends the parties when it opens a dispute, so the court never draws them.
 *
 * @throws {CourtTermsError} when the court would refuse a term (`CourtInvalidTerms`).
 *
 * @example
 * const arbitratorExtraData = encodeCourtTerms({
 *   panelSize: 3,
 *   commitWindow: 2 * DAY,
 *   revealWindow: 2 * DAY,
 *   appealWindow: 3 * DAY,
 *   feePerArbitrator: parseEther("0.01"),
 * });
 */
export function encodeCourtTerms(terms: CourtTerms): Hex {
  checkCourtTerms({
    panelSize: whole("panelSize", terms.panelSize),
    commitWindow: whole("commitWindow", terms.commitWindow),
    revealWindow: whole("revealWindow", terms.revealWindow),
    appealWindow: whole("appealWindow", terms.appealWindow),
    feePerArbitrator: whole("feePerArbitrator", terms.feePerArbitrator),
  });
  return encodeAbiParameters(courtTermsParameters, [terms]);
}

/**
 * Decodes a trade's `arbitratorExtraData` into the court's terms: exactly five words, each in the
 * range the court accepts.
 *
 * @throws {CourtTermsError} when the bytes are not five words or the court would refuse a term.
 *
 * @example
 * const { panelSize, feePerArbitrator } = decodeCourtTerms(terms.arbitratorExtraData);
 * const hearingCost = BigInt(panelSize) * feePerArbitrator;
 */
export function decodeCourtTerms(extraData: Hex): CourtTerms {
  if (!isHex(extraData, { strict: true }) || size(extraData) !== TERMS_SIZE) {
    const what = isHex(extraData, { strict: true })
      ? `${size(extraData)} bytes`
      : JSON.stringify(extraData);
    throw new CourtTermsError(
      undefined,
      `The court's terms are ${TERMS_SIZE} bytes (five words), not ${what}.`,
    );
  }
  const [panelSize, commitWindow, revealWindow, appealWindow, feePerArbitrator] =
    decodeAbiParameters(words, extraData);
  checkCourtTerms({ panelSize, commitWindow, revealWindow, appealWindow, feePerArbitrator });
  return {
    panelSize: Number(panelSize),
    commitWindow: Number(commitWindow),
    revealWindow: Number(revealWindow),
    appealWindow: Number(appealWindow),
    feePerArbitrator,
  };
}
