import { describe, expect, it } from "vitest";
import { ClaimGround, ClaimStatus, PaymentMode, TradeState } from "@trade-escrow/sdk/contracts";
import { tradeActionWindows } from "@trade-escrow/sdk/history";
import type { ActionTradeFields } from "@trade-escrow/sdk/history";
import { cancellationsFor } from "./cancellation.js";
import { parseTerms } from "./terms.js";
import { termsJson } from "../test/termsJson.js";

// Latest delivery 5,000; the balance due at 4,000 (a 1,000-second ship window); 600 seconds of grace
// for delivery; the deposit due 1,000 seconds after signing at 0. The rules are the sdk's
// tradeActionWindows; this is their reading for people.
const terms = parseTerms(
  termsJson({
    price: "1000",
    latestDelivery: "5000",
    shipWindow: 1_000,
    deliveryGrace: 600,
    depositWindow: 1_000,
  }),
);
const MODES = {
  Protected: PaymentMode.Protected,
  Direct: PaymentMode.Direct,
  PayAfterUse: PaymentMode.PayAfterUse,
};

type Context = { due?: bigint; latestDelivery?: number; claimOpen?: boolean };

/** A trade in `stateName`, owing `due` of the price, with the latest delivery in force moved or not. */
const trade = (
  stateName: keyof typeof TradeState,
  context: Context = {},
  mode: keyof typeof MODES = "Protected",
) => {
  const moved = context.latestDelivery;
  const fields: ActionTradeFields = {
    state: TradeState[stateName],
    terms: { ...terms, mode: MODES[mode] },
    stageAt: 0n,
    escrowed: 1_000n - (context.due ?? 0n),
    released: 0n,
    refunded: 0n,
    sellerBond: 0n,
    arrivedAt: 0n,
    // A balance paid late moves the latest delivery to its payment plus the ship window.
    lateBalancePaidAt: moved === undefined ? 0n : BigInt(moved - 1_000),
    proposedBySeller: false,
    claim: context.claimOpen
      ? {
          status: ClaimStatus.Filed,
          ground: ClaimGround.SpecificationVariance,
          refundBps: 1_000,
          filedAt: 0n,
          costs: 0n,
          disputeId: 0n,
          ruling: 0n,
        }
      : undefined,
  };
  return tradeActionWindows(fields);
};
const context = (c: Context = {}) => c;
const cancellations = (
  stateName: keyof typeof TradeState,
  role: "buyer" | "seller",
  c: Context = {},
  mode: keyof typeof MODES = "Protected",
) => cancellationsFor(trade(stateName, c, mode), role);
const kinds = (...args: Parameters<typeof cancellations>) =>
  cancellations(...args).map((c) => c.kind);

describe("cancellationsFor", () => {
  it("lets the seller cancel a signed trade whose deposit is late, from the deposit deadline", () => {
    expect(cancellations("Signed", "seller", context({ due: 10n }))).toEqual([
      expect.objectContaining({ kind: "missed-deposit", from: 1_001 }),
    ]);
    expect(cancellations("Signed", "buyer", context({ due: 10n }))).toEqual([]);
  });

  it("lets the seller cancel a direct trade never paid; pay after use has no deposit to miss", () => {
    expect(kinds("Signed", "seller", context(), "Direct")).toEqual(["missed-deposit"]);
    expect(kinds("Signed", "seller", context(), "PayAfterUse")).toEqual([]);
    // Pay after use starts from signing: the buyer may cancel a start that never came, after the
    // fulfilment's business days (3 from Thursday 1970-01-01 00:00: Tuesday 00:00).
    expect(cancellations("Signed", "buyer", context(), "PayAfterUse")).toEqual([
      expect.objectContaining({ kind: "missed-start", from: 5 * 86_400 + 1 }),
    ]);
  });

  it("lets the buyer cancel a deposited trade whose fulfilment did not start; never the seller", () => {
    expect(kinds("Deposited", "buyer", context({ due: 7n }))).toEqual(["missed-start"]);
    // The seller that has not started is the one in default: no cancellation for it.
    expect(kinds("Deposited", "seller", context({ due: 7n }))).toEqual([]);
    expect(cancellations("Deposited", "buyer", context(), "Direct")).toEqual([]);
  });

  it("gives a paid, unshipped trade to the buyer after the latest delivery in force", () => {
    const paid = cancellations("InFulfilment", "buyer", context());
    expect(paid).toEqual([expect.objectContaining({ kind: "unshipped", from: 5_001 })]);
    expect(cancellations("InFulfilment", "seller", context())).toEqual([]);
    // A late balance moved the latest delivery: the buyer waits for the moved one.
    expect(cancellations("InFulfilment", "buyer", context({ latestDelivery: 9_000 }))).toEqual([
      expect.objectContaining({ kind: "unshipped", from: 9_001 }),
    ]);
  });

  it("gives an unpaid balance to the seller in fulfilment, from the balance deadline", () => {
    expect(cancellations("InFulfilment", "seller", context({ due: 1n }))).toEqual([
      expect.objectContaining({
        kind: "balance-missed",
        from: 4_001,
        label: "Cancel: the balance was not paid in time",
      }),
    ]);
    expect(kinds("InFulfilment", "buyer", context({ due: 1n }))).toEqual([]);
  });

  it("lets either party cancel goods not delivered after the latest delivery plus the grace period", () => {
    for (const state of ["Shipped", "Halted"] as const)
      expect(cancellations(state, "buyer", context())).toEqual([
        expect.objectContaining({
          kind: "undelivered",
          from: 5_601,
          label: "Cancel: goods not delivered",
        }),
      ]);
    expect(cancellations("Received", "buyer", context())).toEqual([
      expect.objectContaining({ kind: "undelivered", label: "Cancel: title never attested" }),
    ]);
    // The seller whose goods were lost may close the trade too; the buyer still gets the whole remedy.
    expect(cancellations("Shipped", "seller", context())).toEqual([
      expect.objectContaining({ kind: "undelivered", from: 5_601, by: "seller" }),
    ]);
    expect(kinds("Shipped", "buyer", context(), "PayAfterUse")).toEqual(["undelivered"]);
  });

  it("gives a raised balance unpaid after dispatch to the seller; nothing while a claim is open or direct", () => {
    expect(cancellations("Received", "seller", context({ due: 5n }))).toEqual([
      expect.objectContaining({
        kind: "undelivered",
        label: "Cancel: the raised balance was not paid",
      }),
    ]);
    expect(kinds("Received", "buyer", context({ due: 5n }))).toEqual([]);
    expect(kinds("Shipped", "buyer", context({ claimOpen: true }))).toEqual([]);
    expect(kinds("Shipped", "buyer", context(), "Direct")).toEqual([]);
  });

  it("offers nothing once the trade has ended", () => {
    for (const state of ["Delivered", "Completed", "Cancelled", "Refunded"] as const) {
      expect(kinds(state, "buyer", context())).toEqual([]);
      expect(kinds(state, "seller", context({ due: 1n }))).toEqual([]);
    }
  });
});
