import { describe, expect, it } from "vitest";
import { PaymentMode, decodeCourtTerms } from "@trade-escrow/sdk/contracts";
import { defaultOrderValues } from "../components/OrderForm.js";
import { NATIVE_TOKEN } from "../config.js";
import { buildTerms, validateOrder } from "./orderSchema.js";
import type { OrderFormValues } from "./orderSchema.js";

const buyer = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const seller = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const operator = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const court = "0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6";

const valid = (overrides: Partial<OrderFormValues> = {}): OrderFormValues => ({
  ...defaultOrderValues({ buyer, seller, operator, token: NATIVE_TOKEN }),
  price: "10.5",
  quantity: "10",
  goods: "10 vehicles",
  deliveryPlace: "Port of Tema",
  ...overrides,
});

describe("validateOrder", () => {
  it("accepts a complete protected order and builds the escrow's terms", () => {
    const result = validateOrder(valid({ latestDelivery: "2099-01-31T12:00" }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const terms = buildTerms(result.data, {
      token: { symbol: "ETH", address: NATIVE_TOKEN, decimals: 18 },
      feeBps: 100,
      court,
      manifestCid: "0x01",
    });
    expect(terms).toMatchObject({
      buyer,
      seller,
      operator,
      mode: PaymentMode.Protected,
      price: 10_500_000_000_000_000_000n,
      quantity: 10n,
      toleranceBps: 500,
      depositBps: 3_000,
      lots: 1,
      latestDelivery: BigInt(Date.UTC(2099, 0, 31, 12) / 1000),
      shipWindow: 14 * 86_400,
      deliveryGrace: 14 * 86_400,
      depositWindow: 72 * 3_600,
      claimWindow: 3 * 86_400,
      feeBps: 100,
      arbitrator: court,
    });
    expect(decodeCourtTerms(terms.arbitratorExtraData)).toEqual({
      panelSize: 3,
      commitWindow: 2 * 86_400,
      revealWindow: 2 * 86_400,
      appealWindow: 3 * 86_400,
      feePerArbitrator: 10n ** 16n,
    });
  });

  it("refuses a panel larger than the court seats", () => {
    const result = validateOrder(valid({ panelSize: "17" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.panelSize).toBe("The panel size must be between 1 and 15");
  });

  it("names every wrong term beside its field", () => {
    const result = validateOrder(
      valid({
        seller: buyer,
        price: "ten",
        lots: "20",
        panelSize: "4",
        goods: " ",
        latestDelivery: "2001-01-01T00:00",
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      seller: "The seller must not be the buyer",
      price: "The price must be a number such as 1250 or 0.5",
      lots: "There cannot be more lots than units",
      panelSize: "The panel size must be odd",
      goods: "The goods description is required",
      latestDelivery: "The latest delivery must be in the future",
    });
  });

  it("holds a direct payment to its rules: paid in full, no claim window, no bond", () => {
    const result = validateOrder(
      valid({ mode: "Direct", depositPercent: "30", claimWindowDays: "3", sellerBond: "1" }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.depositPercent).toBe(
      "A direct payment is paid in full: the deposit must be 100%",
    );
    expect(result.errors.claimWindowDays).toBe("A direct payment has no claim window");
    expect(result.errors.sellerBond).toBe("A direct payment has no seller's bond");
  });

  it("needs a ship window for a balance, due after today, and a delivery grace period", () => {
    const none = validateOrder(
      valid({ latestDelivery: "2099-01-31T12:00", shipWindowDays: "0", deliveryGraceDays: "0" }),
    );
    expect(none.ok).toBe(false);
    if (none.ok) return;
    expect(none.errors).toMatchObject({
      shipWindowDays: "A trade with a balance needs a ship window of at least 1 day",
      deliveryGraceDays: "A protected trade needs a delivery grace period of at least 1 day",
    });
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 16);
    const early = validateOrder(valid({ latestDelivery: soon, shipWindowDays: "14" }));
    expect(early.ok).toBe(false);
    if (early.ok) return;
    expect(early.errors.shipWindowDays).toBe(
      "The balance would be due before today: shorten the ship window or move the latest delivery",
    );
    expect(validateOrder(valid({ latestDelivery: soon, shipWindowDays: "7" })).ok).toBe(true);
    // Paid in full up front: no balance, no ship window needed.
    expect(
      validateOrder(valid({ latestDelivery: soon, depositPercent: "100", shipWindowDays: "0" })).ok,
    ).toBe(true);
    expect(validateOrder(valid({ shipWindowDays: "400" })).ok).toBe(false);
  });

  it("refuses an operator who is a party, and percentages above 100", () => {
    const result = validateOrder(valid({ operator: seller, tolerancePercent: "150" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.operator).toBe("The warehouse operator must be neither buyer nor seller");
    expect(result.errors.tolerancePercent).toBe("The tolerance must be between 0 and 100");
  });
});
