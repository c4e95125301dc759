import { describe, expect, it } from "vitest";
import { cancellationsFor } from "./cancellation.js";

const protectedTrade = (stateName: string, stageDeadline: number | null = 1_000) => ({
  stateName,
  modeName: "Protected",
  stageDeadline,
});

describe("cancellationsFor", () => {
  it("lets the seller cancel a signed trade whose deposit is late, from the deposit deadline", () => {
    expect(cancellationsFor(protectedTrade("Signed"), "seller", 5_000, 10n)).toEqual([
      expect.objectContaining({ kind: "missed-deposit", from: 1_001 }),
    ]);
    expect(cancellationsFor(protectedTrade("Signed"), "buyer", 5_000, 10n)).toEqual([]);
  });

  it("lets the buyer cancel a deposited trade whose fulfilment did not start", () => {
    expect(
      cancellationsFor(protectedTrade("Deposited"), "buyer", 5_000, 7n).map((c) => c.kind),
    ).toEqual(["missed-start"]);
    const direct = { ...protectedTrade("Deposited"), modeName: "Direct" };
    expect(cancellationsFor(direct, "buyer", 5_000, 0n)).toEqual([]);
  });

  it("gives an unshipped trade to the party not in default: the buyer once the balance is paid", () => {
    const paid = cancellationsFor(protectedTrade("InFulfilment"), "buyer", 5_000, 0n);
    expect(paid).toEqual([expect.objectContaining({ kind: "unshipped", from: 5_001 })]);
    expect(cancellationsFor(protectedTrade("InFulfilment"), "seller", 5_000, 0n)).toEqual([]);
    expect(
      cancellationsFor(protectedTrade("InFulfilment"), "seller", 5_000, 1n).map((c) => c.kind),
    ).toEqual(["unshipped"]);
  });

  it("offers nothing once the goods are shipped", () => {
    expect(cancellationsFor(protectedTrade("Shipped"), "buyer", 5_000, 0n)).toEqual([]);
    expect(cancellationsFor(protectedTrade("Shipped"), "seller", 5_000, 1n)).toEqual([]);
  });
});
