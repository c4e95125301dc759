import { describe, expect, it } from "vitest";
import { cancellationsFor } from "./cancellation.js";
import type { CancellationContext } from "./cancellation.js";

const protectedTrade = (stateName: string, stageDeadline: number | null = 1_000) => ({
  stateName,
  modeName: "Protected",
  stageDeadline,
});

// Latest delivery 5,000 (in force); the balance due at 4,000; 600 seconds of grace for delivery.
const context = (overrides: Partial<CancellationContext> = {}): CancellationContext => ({
  latestDelivery: 5_000,
  balanceDeadline: 4_000,
  deliveryGrace: 600,
  due: 0n,
  claimOpen: false,
  ...overrides,
});

const kinds = (...args: Parameters<typeof cancellationsFor>) =>
  cancellationsFor(...args).map((c) => c.kind);

describe("cancellationsFor", () => {
  it("lets the seller cancel a signed trade whose deposit is late, from the deposit deadline", () => {
    expect(cancellationsFor(protectedTrade("Signed"), "seller", context({ due: 10n }))).toEqual([
      expect.objectContaining({ kind: "missed-deposit", from: 1_001 }),
    ]);
    expect(cancellationsFor(protectedTrade("Signed"), "buyer", context({ due: 10n }))).toEqual([]);
  });

  it("lets the seller cancel a direct trade never paid; pay after use has no deposit to miss", () => {
    const direct = { ...protectedTrade("Signed"), modeName: "Direct" };
    expect(kinds(direct, "seller", context())).toEqual(["missed-deposit"]);
    const payAfterUse = { ...protectedTrade("Signed"), modeName: "PayAfterUse" };
    expect(kinds(payAfterUse, "seller", context())).toEqual([]);
    // Pay after use starts from signing: the buyer may cancel a start that never came.
    expect(cancellationsFor(payAfterUse, "buyer", context())).toEqual([
      expect.objectContaining({ kind: "missed-start", from: 1_001 }),
    ]);
  });

  it("lets the buyer cancel a deposited trade whose fulfilment did not start; never the seller", () => {
    expect(kinds(protectedTrade("Deposited"), "buyer", context({ due: 7n }))).toEqual([
      "missed-start",
    ]);
    // The seller that has not started is the one in default: no cancellation for it.
    expect(kinds(protectedTrade("Deposited"), "seller", context({ due: 7n }))).toEqual([]);
    const direct = { ...protectedTrade("Deposited"), modeName: "Direct" };
    expect(cancellationsFor(direct, "buyer", context())).toEqual([]);
  });

  it("gives a paid, unshipped trade to the buyer after the latest delivery in force", () => {
    const paid = cancellationsFor(protectedTrade("InFulfilment"), "buyer", context());
    expect(paid).toEqual([expect.objectContaining({ kind: "unshipped", from: 5_001 })]);
    expect(cancellationsFor(protectedTrade("InFulfilment"), "seller", context())).toEqual([]);
    // A late balance moved the latest delivery: the buyer waits for the moved one.
    expect(
      cancellationsFor(protectedTrade("InFulfilment"), "buyer", context({ latestDelivery: 9_000 })),
    ).toEqual([expect.objectContaining({ kind: "unshipped", from: 9_001 })]);
  });

  it("gives an unpaid balance to the seller in fulfilment, from the balance deadline", () => {
    expect(
      cancellationsFor(protectedTrade("InFulfilment"), "seller", context({ due: 1n })),
    ).toEqual([
      expect.objectContaining({
        kind: "balance-missed",
        from: 4_001,
        label: "Cancel: the balance was not paid in time",
      }),
    ]);
    expect(kinds(protectedTrade("InFulfilment"), "buyer", context({ due: 1n }))).toEqual([]);
  });

  it("lets either party cancel goods not delivered after the latest delivery plus the grace period", () => {
    for (const state of ["Shipped", "Halted"])
      expect(cancellationsFor(protectedTrade(state), "buyer", context())).toEqual([
        expect.objectContaining({
          kind: "undelivered",
          from: 5_601,
          label: "Cancel: goods not delivered",
        }),
      ]);
    expect(cancellationsFor(protectedTrade("Received"), "buyer", context())).toEqual([
      expect.objectContaining({ kind: "undelivered", label: "Cancel: title never attested" }),
    ]);
    // The seller whose goods were lost may close the trade too; the buyer still gets the whole remedy.
    expect(cancellationsFor(protectedTrade("Shipped"), "seller", context())).toEqual([
      expect.objectContaining({ kind: "undelivered", from: 5_601, by: "seller" }),
    ]);
    const payAfterUse = { ...protectedTrade("Shipped"), modeName: "PayAfterUse" };
    expect(kinds(payAfterUse, "buyer", context())).toEqual(["undelivered"]);
  });

  it("gives a raised balance unpaid after dispatch to the seller; nothing while a claim is open or direct", () => {
    expect(cancellationsFor(protectedTrade("Received"), "seller", context({ due: 5n }))).toEqual([
      expect.objectContaining({
        kind: "undelivered",
        label: "Cancel: the raised balance was not paid",
      }),
    ]);
    expect(kinds(protectedTrade("Received"), "buyer", context({ due: 5n }))).toEqual([]);
    expect(kinds(protectedTrade("Shipped"), "buyer", context({ claimOpen: true }))).toEqual([]);
    const direct = { ...protectedTrade("Shipped"), modeName: "Direct" };
    expect(kinds(direct, "buyer", context())).toEqual([]);
  });

  it("offers nothing once the trade has ended", () => {
    for (const state of ["Delivered", "Completed", "Cancelled", "Refunded"]) {
      expect(kinds(protectedTrade(state), "buyer", context())).toEqual([]);
      expect(kinds(protectedTrade(state), "seller", context({ due: 1n }))).toEqual([]);
    }
  });
});
