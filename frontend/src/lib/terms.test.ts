import { describe, expect, it } from "vitest";
import { amountDue, diffTerms, moneyFromTimeline, parseTerms, termsToJson } from "./terms.js";

const json = {
  buyer: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
  seller: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  operator: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  token: "0x0000000000000000000000000000000000000000",
  mode: 0,
  price: "10000000000000000000",
  quantity: "10",
  toleranceBps: 500,
  depositBps: 3000,
  lots: 1,
  latestDelivery: "1800000000",
  depositWindow: 259200,
  fulfilmentDays: 3,
  claimWindow: 0,
  responseDays: 7,
  collectAfter: 0,
  feeBps: 100,
  sellerBond: "0",
  arbitrator: "0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6",
  arbitratorExtraData: "0x",
  manifestCid: "0x0155",
};

describe("parseTerms", () => {
  it("reads the indexer's JSON into the escrow's types: bigints, numbers, checksummed addresses", () => {
    const terms = parseTerms(json);
    expect(terms.price).toBe(10n ** 19n);
    expect(terms.quantity).toBe(10n);
    expect(terms.latestDelivery).toBe(1_800_000_000n);
    expect(terms.toleranceBps).toBe(500);
    expect(terms.buyer).toBe("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    expect(termsToJson(terms).price).toBe("10000000000000000000");
  });

  it("refuses terms that lack a field", () => {
    const { price: _price, ...rest } = json;
    expect(() => parseTerms(rest)).toThrow('The terms lack "price".');
  });
});

describe("diffTerms", () => {
  it("lists the changed terms in the terms' order, ignoring address case", () => {
    const after = {
      ...json,
      quantity: "8",
      price: "9000000000000000000",
      buyer: json.buyer.toUpperCase().replace("0X", "0x"),
    };
    expect(diffTerms(json, after)).toEqual([
      { name: "price", before: "10000000000000000000", after: "9000000000000000000" },
      { name: "quantity", before: "10", after: "8" },
    ]);
  });
});

describe("money", () => {
  it("recounts what was paid and released from the events", () => {
    const timeline = [
      { event: "DepositPaid", args: { amount: "3" } },
      { event: "BalancePaid", args: { amount: "7" } },
      { event: "FundsReleased", args: { sellerAmount: "9", fee: "1" } },
    ];
    expect(moneyFromTimeline(timeline)).toEqual({ paid: 10n, released: 9n, fees: 1n });
  });

  it("owes the price less what is held, released and refunded, never below zero", () => {
    expect(amountDue({ price: 10n }, { escrowed: "3", released: "0", refunded: "0" })).toBe(7n);
    expect(amountDue({ price: 10n }, { escrowed: "8", released: "5", refunded: "0" })).toBe(0n);
  });
});
