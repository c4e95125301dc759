import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { addBusinessDays, stageDeadline, tradeDeadlines } from "./deadlines.js";
import { PaymentMode, TradeState } from "@trade-escrow/sdk/contracts";
import type { TradeRecord } from "@trade-escrow/sdk/history";
import { decodeRecord, encodeRecord, toApiJson } from "./json.js";
import { readConfig } from "./config.js";
import { backoffDelay, withRetry } from "./retry.js";
import { RpcError } from "./errors.js";

const at = (iso: string) => BigInt(Date.parse(iso) / 1000);

describe("addBusinessDays (BusinessDays.sol)", () => {
  // 2026-01-02 is a Friday, 2026-01-03 a Saturday, 2026-01-04 a Sunday, 2026-01-05 a Monday. The contract's
  // tests (test/libraries/BusinessDays.test.ts) compare this function with the chain's library.
  it("skips weekends and keeps a weekday start's time of day", () => {
    expect(addBusinessDays(at("2026-01-02T10:00:00Z"), 1)).toBe(at("2026-01-05T10:00:00Z"));
    expect(addBusinessDays(at("2025-12-31T10:00:00Z"), 3)).toBe(at("2026-01-05T10:00:00Z"));
    expect(addBusinessDays(at("2026-01-05T10:00:00Z"), 5)).toBe(at("2026-01-12T10:00:00Z"));
    expect(addBusinessDays(at("2026-01-05T10:00:00Z"), 7)).toBe(at("2026-01-14T10:00:00Z"));
    expect(addBusinessDays(at("2026-01-05T10:00:00Z"), 0)).toBe(at("2026-01-05T10:00:00Z"));
  });
  it("a deposit made on Saturday leaves the seller its whole business day", () => {
    expect(addBusinessDays(at("2026-01-03T00:00:01Z"), 1)).toBe(at("2026-01-06T00:00:00Z"));
    expect(addBusinessDays(at("2026-01-03T10:00:00Z"), 1)).toBe(at("2026-01-06T00:00:00Z"));
    expect(addBusinessDays(at("2026-01-04T10:00:00Z"), 1)).toBe(at("2026-01-06T00:00:00Z"));
  });
  it("a claim filed on a Saturday gives the seller all 7 business days", () => {
    expect(addBusinessDays(at("2026-01-03T10:00:00Z"), 7)).toBe(at("2026-01-14T00:00:00Z"));
  });
  it("moves each side of the weekend's edges as the contract does", () => {
    expect(addBusinessDays(at("2026-01-02T23:59:59Z"), 1)).toBe(at("2026-01-05T23:59:59Z"));
    expect(addBusinessDays(at("2026-01-03T00:00:00Z"), 1)).toBe(at("2026-01-06T00:00:00Z"));
    expect(addBusinessDays(at("2026-01-04T23:59:59Z"), 1)).toBe(at("2026-01-06T00:00:00Z"));
    expect(addBusinessDays(at("2026-01-05T00:00:00Z"), 1)).toBe(at("2026-01-06T00:00:00Z"));
    expect(addBusinessDays(at("2026-01-03T10:00:00Z"), 0)).toBe(at("2026-01-05T00:00:00Z"));
  });
});

describe("stageDeadline (FulfilmentLogic.stageDeadline)", () => {
  // Latest delivery at 100,000; the balance is due 10,000 before it; 5,000 of grace after it.
  const trade = (fields: Partial<TradeRecord>) =>
    ({
      state: TradeState.InFulfilment,
      stageAt: 1_000n,
      escrowed: 300n,
      released: 0n,
      refunded: 0n,
      arrivedAt: 0n,
      lateBalancePaidAt: 0n,
      claim: undefined,
      terms: {
        mode: PaymentMode.Protected,
        price: 1_000n,
        latestDelivery: 100_000n,
        shipWindow: 10_000,
        deliveryGrace: 5_000,
        claimWindow: 0,
        collectAfter: 0,
        responseDays: 7,
      },
      ...fields,
    }) as TradeRecord;

  it("asks for the balance first, then the shipment by the latest delivery in force", () => {
    expect(stageDeadline(trade({}))).toBe(90_000n);
    expect(tradeDeadlines(trade({}))).toMatchObject({ stage: "90000", balance: "90000" });
    expect(stageDeadline(trade({ escrowed: 1_000n }))).toBe(100_000n);
    // Paid late at 95,000: the seller ships until 105,000.
    const late = trade({ escrowed: 1_000n, lateBalancePaidAt: 95_000n });
    expect(stageDeadline(late)).toBe(105_000n);
    expect(tradeDeadlines(late)).toMatchObject({
      balance: null,
      latestDelivery: "105000",
      termsLatestDelivery: "100000",
      deliveryGraceEnd: "110000",
    });
  });

  it("gives a shipped, received or halted trade until the latest delivery plus the grace period", () => {
    for (const state of [TradeState.Shipped, TradeState.Received, TradeState.Halted])
      expect(stageDeadline(trade({ state, escrowed: 1_000n }))).toBe(105_000n);
    const direct = trade({ state: TradeState.Shipped, escrowed: 1_000n });
    direct.terms = { ...direct.terms, mode: PaymentMode.Direct, collectAfter: 7_000 };
    expect(stageDeadline(direct)).toBe(8_000n);
    expect(tradeDeadlines(direct).deliveryGraceEnd).toBeNull();
  });
});

describe("JSON with bigints", () => {
  it("round-trips records and writes decimal strings for the API", () => {
    const value = { a: 1n, b: [2n, "0xabc"], c: { d: -3n, e: undefined, f: null } };
    expect(decodeRecord(JSON.parse(JSON.stringify(encodeRecord(value))))).toEqual({
      a: 1n,
      b: [2n, "0xabc"],
      c: { d: -3n, f: null },
    });
    expect(toApiJson(value)).toEqual({
      a: "1",
      b: ["2", "0xabc"],
      c: { d: "-3", e: undefined, f: null },
    });
  });
});

describe("readConfig", () => {
  it("has defaults and refuses malformed settings", () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      finalityDepth: 12,
      dataDir: "./.data/indexer",
    });
    expect(() => readConfig({ PORT: "http" })).toThrow(ConfigError);
    expect(() => readConfig({ FINALITY_DEPTH: "-1" })).toThrow(/FINALITY_DEPTH/);
    expect(() => readConfig({ ESCROW_ADDRESS: "0x12" })).toThrow(/ESCROW_ADDRESS/);
    expect(
      readConfig({ ESCROW_ADDRESS: "0x5fbdb2315678afecb367f032d93f642f64180aa3" }).contracts.escrow,
    ).toBe("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  });
  it("reads the network settings: chain id, RPC and the IPFS API", () => {
    expect(readConfig({})).toMatchObject({ chainId: undefined, ipfsApiUrl: undefined });
    expect(
      readConfig({
        CHAIN_ID: "84532",
        RPC_URL: "https://sepolia.base.org",
        IPFS_API_URL: "http://127.0.0.1:5001",
        IPFS_API_AUTHORIZATION: "Bearer t",
      }),
    ).toMatchObject({
      chainId: 84532,
      rpcUrl: "https://sepolia.base.org",
      ipfsApiUrl: "http://127.0.0.1:5001",
      ipfsApiAuthorization: "Bearer t",
    });
    expect(readConfig({ CHAIN_ID: "" }).chainId).toBeUndefined();
    expect(() => readConfig({ CHAIN_ID: "0" })).toThrow(/CHAIN_ID/);
    expect(() => readConfig({ CHAIN_ID: "base" })).toThrow(/CHAIN_ID/);
    expect(() => readConfig({ RPC_URL: "127.0.0.1:8545" })).toThrow(/RPC_URL/);
    expect(() => readConfig({ IPFS_API_URL: "ipfs://node" })).toThrow(/IPFS_API_URL/);
  });
});

describe("retries", () => {
  it("backs off exponentially within bounds", () => {
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const delay = backoffDelay(attempt, { baseMs: 100, maxMs: 5_000 });
      expect(delay).toBeGreaterThanOrEqual(Math.min(5_000, 100 * 2 ** attempt) / 2);
      expect(delay).toBeLessThanOrEqual(5_000);
    }
  });
  it("retries retryable errors only", async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          if (calls < 3) throw new RpcError("down");
          return "up";
        },
        { baseMs: 1, maxMs: 2 },
      ),
    ).resolves.toBe("up");
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new Error("a bug");
        },
        { baseMs: 1 },
      ),
    ).rejects.toThrow("a bug");
    expect(calls).toBe(1);
  });
});
