import fc from "fast-check";
import { bytesToHex } from "viem";
import { describe, expect, it } from "vitest";
import { PaymentMode } from "../contracts/index.js";
import { useChain } from "../../test/chain/clients.js";
import { libraryHarnessAbi } from "../../test/generated/mocks.js";
import { createTrades } from "../../test/chain/trades.js";
import { hashTerms } from "./index.js";
import type { Terms } from "./index.js";

// Invariant: for any terms the contract accepts as calldata, the sdk's `hashTerms` equals the
// escrow's TradeTerms.hash (through LibraryHarness, on a real chain): every field, at every width,
// with empty and long `bytes`. fast-check prints the seed and the smallest failing terms on failure.

const ctx = useChain();
const trades = createTrades(ctx);
const chainHash = (t: Terms) =>
  ctx.publicClient.readContract({
    address: ctx.chain.libraryHarness,
    abi: libraryHarnessAbi,
    functionName: "hashTerms",
    args: [t],
  });

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => bytesToHex(bytes));
const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const smallUint = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const bytes = fc.uint8Array({ maxLength: 160 }).map((value) => bytesToHex(value));

const terms: fc.Arbitrary<Terms> = fc.record({
  buyer: address,
  seller: address,
  operator: address,
  token: address,
  // An enum in calldata: the contract refuses values outside PaymentMode.
  mode: fc.constantFrom(PaymentMode.Protected, PaymentMode.Direct, PaymentMode.PayAfterUse),
  price: uint(256),
  quantity: uint(64),
  toleranceBps: smallUint(16),
  depositBps: smallUint(16),
  lots: smallUint(16),
  latestDelivery: uint(64),
  shipWindow: smallUint(32),
  deliveryGrace: smallUint(32),
  depositWindow: smallUint(32),
  fulfilmentDays: smallUint(8),
  claimWindow: smallUint(32),
  responseDays: smallUint(8),
  collectAfter: smallUint(32),
  feeBps: smallUint(16),
  sellerBond: uint(256),
  arbitrator: address,
  arbitratorExtraData: bytes,
  manifestCid: bytes,
});

describe("hashTerms", () => {
  it("equals TradeTerms.hash for the tests' default terms", async () => {
    const defaults = await trades.buildTerms();
    expect(hashTerms(defaults)).toBe(await chainHash(defaults));
  });

  it("equals TradeTerms.hash for any terms", async () => {
    await fc.assert(
      fc.asyncProperty(terms, async (t) => {
        expect(hashTerms(t)).toBe(await chainHash(t));
      }),
      // The same terms every run (FUZZ_SEED=<n> for others, FUZZ_SEED=random to draw them).
      {
        numRuns: 200,
        seed:
          process.env.FUZZ_SEED === "random"
            ? Date.now() % 2 ** 31
            : Number(process.env.FUZZ_SEED ?? 20_261_203),
      },
    );
  });

  it("changes with every field", async () => {
    const base = await trades.buildTerms();
    const seen = new Set([hashTerms(base)]);
    for (const [key, value] of Object.entries(base) as [keyof Terms, Terms[keyof Terms]][]) {
      const changed =
        typeof value === "bigint"
          ? value + 1n
          : typeof value === "number"
            ? value + 1
            : value === "0x"
              ? "0x00"
              : // Lower case: a changed address no longer matches its checksum.
                `${value.slice(0, -1).toLowerCase()}${value.endsWith("0") ? "1" : "0"}`;
      const other = { ...base, [key]: changed } as Terms;
      const hash = hashTerms(other);
      expect(seen.has(hash), key).toBe(false);
      seen.add(hash);
    }
    expect(seen.size).toBe(Object.keys(base).length + 1);
  });
});
