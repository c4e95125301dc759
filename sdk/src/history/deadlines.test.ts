import { zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { ClaimGround, ClaimStatus, PaymentMode, TradeState } from "../contracts/index.js";
import type { Terms } from "../eip712/index.js";
import {
  addBusinessDays,
  balanceDue,
  claimWindowStart,
  stageDeadline,
  tradeDeadlines,
} from "./index.js";
import type { DeadlineFields } from "./index.js";

// The contract's deadline arithmetic on records built by hand (BusinessDays.sol is compared with the
// chain in the contract tests; stageDeadline in reducer.chain.test.ts and availableActions.chain.test.ts).

const at = (iso: string) => BigInt(Date.parse(iso) / 1000);

const terms = {
  mode: PaymentMode.Protected,
  price: 1_000n,
  latestDelivery: 100_000n,
  shipWindow: 10_000,
  deliveryGrace: 5_000,
  depositWindow: 3_600,
  fulfilmentDays: 3,
  claimWindow: 2_000,
  responseDays: 7,
  collectAfter: 700,
  operator: zeroAddress,
} as unknown as Terms;

const trade = (
  fields: Partial<DeadlineFields>,
  overrides: Partial<Terms> = {},
): DeadlineFields => ({
  state: TradeState.Signed,
  stageAt: 1_000n,
  escrowed: 0n,
  released: 0n,
  refunded: 0n,
  arrivedAt: 0n,
  lateBalancePaidAt: 0n,
  claim: undefined,
  ...fields,
  terms: { ...terms, ...overrides },
});

describe("the trade's deadlines", () => {
  it("counts business days as BusinessDays.add does", () => {
    expect(addBusinessDays(at("2026-01-02T10:00:00Z"), 1)).toBe(at("2026-01-05T10:00:00Z"));
    expect(addBusinessDays(at("2026-01-03T10:00:00Z"), 7)).toBe(at("2026-01-14T00:00:00Z"));
    expect(addBusinessDays(at("2026-01-03T10:00:00Z"), 0)).toBe(at("2026-01-05T00:00:00Z"));
  });

  it("owes a balance only in a protected trade, net of refunds", () => {
    expect(balanceDue(trade({ escrowed: 300n }))).toBe(700n);
    expect(balanceDue(trade({ escrowed: 300n, refunded: 100n, released: 100n }))).toBe(500n);
    expect(balanceDue(trade({}, { mode: PaymentMode.PayAfterUse }))).toBe(0n);
  });

  it("opens the claim window at port arrival, else when the last title passed", () => {
    expect(claimWindowStart(trade({ state: TradeState.Shipped }))).toBe(0n);
    expect(claimWindowStart(trade({ state: TradeState.Shipped, arrivedAt: 5_000n }))).toBe(5_000n);
    expect(claimWindowStart(trade({ state: TradeState.Delivered, stageAt: 7_000n }))).toBe(7_000n);
  });

  it("gives each stage its deadline, as the escrow's stageDeadline", () => {
    expect(stageDeadline(trade({}))).toBe(4_600n);
    expect(stageDeadline(trade({}, { mode: PaymentMode.PayAfterUse }))).toBe(
      addBusinessDays(1_000n, 3),
    );
    expect(stageDeadline(trade({ state: TradeState.Delivered, arrivedAt: 9_000n }))).toBe(11_000n);
    expect(
      stageDeadline(trade({ state: TradeState.Delivered }, { mode: PaymentMode.PayAfterUse })),
    ).toBe(1_700n);
    expect(stageDeadline(trade({ state: TradeState.Completed }))).toBe(0n);
  });

  it("lists every deadline in force, the claim's answer while it is filed", () => {
    const claim = {
      status: ClaimStatus.Filed,
      ground: ClaimGround.SpecificationVariance,
      refundBps: 1_000,
      filedAt: at("2026-01-03T10:00:00Z"),
      costs: 0n,
      disputeId: 0n,
      ruling: 0n,
    };
    const filed = trade({ state: TradeState.Shipped, escrowed: 1_000n, arrivedAt: 9_000n, claim });
    expect(tradeDeadlines(filed)).toEqual({
      stage: 105_000n,
      balance: null,
      latestDelivery: 100_000n,
      termsLatestDelivery: 100_000n,
      deliveryGraceEnd: 105_000n,
      claimWindowEnd: 11_000n,
      claimResponse: at("2026-01-14T00:00:00Z"),
    });
    expect(
      tradeDeadlines({ ...filed, claim: { ...claim, status: ClaimStatus.Contested } }),
    ).toMatchObject({
      claimResponse: null,
    });
  });
});
