import { describe, expect, it } from "vitest";
import { termsJson } from "../test/termsJson.js";
import { amountDue, diffTerms, moneyFromTimeline, parseTerms, termsToJson } from "./terms.js";

const json = termsJson();

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
