import { describe, expect, it } from "vitest";
import {
  encodeSettlementConsent,
  parseSettlementConsent,
  refundSchema,
} from "./settlementSchema.js";

const seller = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const consent = {
  tradeId: 7n,
  refund: 10n ** 18n,
  signer: seller,
  nonce: 42n,
  deadline: 2_000_000_000n,
  signature: `0x${"ab".repeat(65)}`,
} as const;
const expected = { tradeId: 7n, otherParty: seller, escrowed: 10n ** 19n, now: 1_900_000_000n };

describe("settlement consents", () => {
  it("round-trips a consent through its JSON", () => {
    const text = encodeSettlementConsent(consent);
    expect(JSON.parse(text)).toMatchObject({ refund: "1000000000000000000", nonce: "42" });
    expect(parseSettlementConsent(text, expected)).toEqual({ ok: true, consent });
  });

  it("refuses a consent for another trade, from the wrong signer, expired or too large", () => {
    const text = encodeSettlementConsent(consent);
    const error = (e: Partial<typeof expected>) => {
      const result = parseSettlementConsent(text, { ...expected, ...e });
      return result.ok ? undefined : result.error;
    };
    expect(error({ tradeId: 8n })).toBe("This consent is for trade 7.");
    expect(error({ otherParty: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65" })).toMatch(
      /not by the other party/,
    );
    expect(error({ now: 2_000_000_001n })).toBe("This consent has expired; ask for a new one.");
    expect(error({ escrowed: 10n ** 17n })).toBe(
      "The refund is more than the escrow holds for this trade.",
    );
  });

  it("refuses what is not a signed consent, saying why", () => {
    expect(parseSettlementConsent("{", expected)).toEqual({
      ok: false,
      error: "This is not a signed settlement (it is not JSON).",
    });
    const noSignature = JSON.stringify({
      ...JSON.parse(encodeSettlementConsent(consent)),
      signature: "0x12",
    });
    expect(parseSettlementConsent(noSignature, expected)).toEqual({
      ok: false,
      error: "This is not a signed settlement: The signature must be 0x and hex digits.",
    });
  });
});

describe("refundSchema", () => {
  const schema = refundSchema(6, 5_000_000n);
  it("reads whole units into the token's smallest unit", () => {
    expect(schema.parse("2.5")).toBe(2_500_000n);
  });
  it("refuses too many decimals, a negative amount and more than the escrow holds", () => {
    expect(schema.safeParse("1.0000001").error?.issues[0]?.message).toBe("At most 6 decimals");
    expect(schema.safeParse("-1").error?.issues[0]?.message).toBe(
      "The refund must be a number such as 1.5",
    );
    expect(schema.safeParse("6").error?.issues[0]?.message).toBe(
      "The refund cannot exceed what the escrow holds",
    );
  });
});
