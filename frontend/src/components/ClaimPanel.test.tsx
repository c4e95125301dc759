import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { TradeDetail } from "../lib/api.js";
import { parseTerms } from "../lib/terms.js";
import { renderWithApp } from "../test/render.js";
import { termsJson } from "../test/termsJson.js";
import { ClaimPanel } from "./ClaimPanel.js";

// The claim panel offers what the escrow would take now (the sdk's availableActions). Terms: a 5-day
// claim window, 7 business days for the seller's answer; times are fixed (unix seconds).
const terms = parseTerms(termsJson({ claimWindow: 432_000 }));
const BUYER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const SELLER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
// Monday 2030-01-07 10:00 UTC.
const T0 = 1_894_010_400;

function renderPanel(trade: Partial<TradeDetail>, account: string, now: number) {
  renderWithApp(
    <ClaimPanel
      trade={
        {
          id: "7",
          stateName: "Shipped",
          modeName: "Protected",
          buyer: BUYER,
          seller: SELLER,
          token: "0x0000000000000000000000000000000000000000",
          stageAt: T0,
          arrivedAt: 0,
          lateBalancePaidAt: null,
          claim: null,
          timeline: [],
          balances: {
            escrowed: terms.price.toString(),
            released: "0",
            refunded: "0",
            sellerBond: "0",
          },
          ...trade,
        } as TradeDetail
      }
      terms={terms}
      due={0n}
      now={BigInt(now)}
      clients={{ account: account, config: {} } as never}
      tx={{ run: () => Promise.resolve(true), busy: false } as never}
    />,
  );
}

/** A claim the buyer filed at T0, with only what the panel reads (the API's other fields left out). */
function filedClaim(): TradeDetail["claim"] {
  return {
    status: "Filed",
    filedAt: T0,
    ground: 0,
    refundBps: 1_000,
    costs: "0",
  } as TradeDetail["claim"];
}
describe("ClaimPanel", () => {
  it("offers the buyer a claim from Shipped once port arrival opened the window, until it closes", () => {
    renderPanel({ arrivedAt: T0 + 3_600 }, BUYER, T0 + 86_400);
    expect(screen.getByText("File a claim")).toBeTruthy();
  });

  it("offers no claim before port arrival, after the window, or to the seller", () => {
    renderPanel({}, BUYER, T0 + 86_400);
    renderPanel({ arrivedAt: T0 }, BUYER, T0 + 432_001);
    renderPanel({ arrivedAt: T0 }, SELLER, T0 + 86_400);
    expect(screen.queryByText("File a claim")).toBeNull();
  });

  it("lets the seller answer within its business days, with no default judgment yet", () => {
    const claim = filedClaim();
    renderPanel({ arrivedAt: T0, claim }, SELLER, T0 + 86_400);
    expect(screen.getByRole("button", { name: /^Accept the claim/ })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Enforce the default judgment/ })).toBeNull();
  });

  it("after the seller's 7 business days: the default judgment, no answer", () => {
    const claim = filedClaim();
    renderPanel({ arrivedAt: T0, claim }, SELLER, T0 + 9 * 86_400 + 1);
    expect(screen.queryByRole("button", { name: /^Accept the claim/ })).toBeNull();
    expect(screen.getByRole("button", { name: /^Enforce the default judgment/ })).toBeTruthy();
  });
});
