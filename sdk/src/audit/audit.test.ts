import {
  createPublicClient,
  custom,
  encodeAbiParameters,
  keccak256,
  parseAbiParameters,
} from "viem";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escrowLibraryNames } from "../contracts/bytecode.js";
import { ClaimGround } from "../contracts/index.js";
import { computeCid } from "../documents/cid/index.js";
import { DocumentNotFoundError } from "../documents/errors.js";
import { createVerifiedReader } from "../documents/verify/index.js";
import { startFakeKubo } from "../../test/kubo/fakeKubo.js";
import type { FakeKubo } from "../../test/kubo/fakeKubo.js";
import {
  InvalidAuditParametersError,
  checkKinds,
  commitmentOf,
  compareCode,
  createIpfsSource,
  expectedRuntimeCode,
  formatReport,
  isKuboRpcUrl,
  lowerMedian,
  parseAuditOptions,
  refundForRuling,
} from "./index.js";
import type { AuditReport } from "./index.js";
import { readEscrowEventsInRanges } from "./events.js";

// The verifier's pure parts, offline: the court's arithmetic, code masking, options, the report's
// text, and documents read from Kubo's RPC (the fake Kubo of test/kubo, as the store tests use).

describe("the court's arithmetic", () => {
  it("takes the lower median of the revealed votes, 0 for none", () => {
    expect(lowerMedian([])).toBe(0n);
    expect(lowerMedian([7n])).toBe(7n);
    expect(lowerMedian([2_001n, 1n])).toBe(1n);
    expect(lowerMedian([2_001n, 1n, 2_001n])).toBe(2_001n);
    expect(lowerMedian([5n, 1n, 9n, 3n])).toBe(3n);
  });

  it("seals a vote as keccak256(abi.encode(dispute, round, attempt, voter, choice, salt))", () => {
    const voter = "0x0000000000000000000000000000000000000abc";
    const salt = `0x${"11".repeat(32)}` as const;
    expect(commitmentOf({ disputeId: 3n, round: 1, attempt: 2, voter, choice: 42n, salt })).toBe(
      keccak256(
        encodeAbiParameters(parseAbiParameters("uint256,uint8,uint8,address,uint256,bytes32"), [
          3n,
          1,
          2,
          voter,
          42n,
          salt,
        ]),
      ),
    );
    expect(
      commitmentOf({ disputeId: 3n, round: 1, attempt: 2, voter, choice: 43n, salt }),
    ).not.toBe(commitmentOf({ disputeId: 3n, round: 1, attempt: 2, voter, choice: 42n, salt }));
  });

  it("refunds min(ruling - 1, asked) bps, half the asked on a refusal, costs only on a whole refund", () => {
    const base = {
      price: 100_000n,
      escrowedBefore: 100_000n,
      sellerBondBefore: 500n,
      operator: "0x0000000000000000000000000000000000000001" as const,
      operatorBondBefore: 0n,
      claim: {
        status: 2,
        ground: ClaimGround.SpecificationVariance,
        refundBps: 2_000,
        filedAt: 0n,
        costs: 0n,
        disputeId: 1n,
        ruling: 0n,
      },
    } as Parameters<typeof refundForRuling>[0];
    expect(refundForRuling(base, 1_001n)).toMatchObject({ bps: 1_000n, refund: 10_000n });
    expect(refundForRuling(base, 9_000n)).toMatchObject({ bps: 2_000n, refund: 20_000n });
    expect(refundForRuling(base, 0n)).toMatchObject({ bps: 1_000n, refund: 10_000n });
    const material = {
      ...base,
      claim: { ...base.claim, ground: ClaimGround.MaterialDamage, refundBps: 10_000, costs: 800n },
    };
    // The costs are capped by the seller's bond.
    expect(refundForRuling(material, 10_001n)).toMatchObject({ refund: 100_000n, costs: 500n });
    expect(refundForRuling(material, 5_001n)).toMatchObject({ refund: 50_000n, costs: 0n });
    const falseAttestation = {
      ...base,
      operatorBondBefore: 7_000n,
      claim: { ...base.claim, ground: ClaimGround.FalseAttestation },
    };
    // In proportion: the ruling's bps (capped by the claim's 20%) of the bond, rounded down.
    expect(refundForRuling(falseAttestation, 1_501n).slashed).toBe(1_050n);
    expect(refundForRuling(falseAttestation, 9_001n).slashed).toBe(1_400n);
    expect(refundForRuling({ ...falseAttestation, operatorBondBefore: 7n }, 1_501n).slashed).toBe(
      1n,
    );
    expect(refundForRuling(falseAttestation, 1n).slashed).toBe(0n);
  });
});

/** `code` with byte `index` set to `value` (two hex digits). */
function setByte(code: Hex, index: number, value: string): Hex {
  return `0x${code.slice(2, 2 + index * 2)}${value}${code.slice(4 + index * 2)}`;
}

describe("expected code", () => {
  const libraries = Object.fromEntries(
    escrowLibraryNames.map((name, i) => [
      name,
      `0x${(i + 1).toString(16).padStart(40, "0")}` as const,
    ]),
  );

  it("matches linked code whatever its immutables hold, and not a changed byte", () => {
    const expected = expectedRuntimeCode("TradeEscrow", libraries);
    const immutable = expected.masked[0]!.start;
    expect(compareCode(setByte(expected.code, immutable, "ff"), expected).matches).toBe(true);
    // A byte of the metadata hash at the end, which no range masks.
    const last = (expected.code.length - 2) / 2 - 10;
    expect(expected.masked.some((r) => last >= r.start && last < r.start + r.length)).toBe(false);
    const flipped = expected.code.slice(2 + last * 2, 4 + last * 2) === "00" ? "01" : "00";
    expect(compareCode(setByte(expected.code, last, flipped), expected)).toMatchObject({
      matches: false,
      reason: `the code differs from byte ${last}`,
    });
    expect(compareCode("0x", expected)).toMatchObject({ matches: false, reason: "no code" });
  });

  it("masks a library's own address, and links the escrow against the addresses given", () => {
    const library = expectedRuntimeCode("ClaimLogic");
    expect(library.masked).toContainEqual({ start: 1, length: 20 });
    const elsewhere = expectedRuntimeCode("TradeEscrow", {
      ...libraries,
      ClaimLogic: "0x00000000000000000000000000000000000000ff",
    });
    expect(compareCode(elsewhere.code, expectedRuntimeCode("TradeEscrow", libraries)).matches).toBe(
      false,
    );
  });
});

describe("parseAuditOptions", () => {
  it("defaults to the local stack and checksums addresses", () => {
    expect(
      parseAuditOptions({
        escrow: "0xa513e6e4b8f2a923d98304ec87f64353c4d5c853",
        trade: "7",
        block: 12,
      }),
    ).toEqual({
      rpc: "http://127.0.0.1:8545",
      escrow: "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853",
      court: undefined,
      ipfs: "http://127.0.0.1:3000/ipfs",
      trade: 7n,
      block: 12n,
      fromBlock: undefined,
    });
  });

  it("names every option at fault", () => {
    const error = (() => {
      try {
        parseAuditOptions({ rpc: "ftp://x", trade: "0", colour: true });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidAuditParametersError);
    const issues = (error as InvalidAuditParametersError).issues;
    expect(issues).toHaveLength(3);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^options: Unrecognized key: "colour"/),
        "rpc: must be an http(s) or ws(s) URL",
        "trade: must be a trade id (1 or more)",
      ]),
    );
  });
});

describe("formatReport", () => {
  it("tabulates checks by kind and lists what failed with its evidence", () => {
    const zero = { passed: 0, failed: 0, skipped: 0 };
    const report: AuditReport = {
      chainId: 31337,
      escrow: "0x0000000000000000000000000000000000000001",
      court: undefined,
      blockNumber: "90",
      fromBlock: "3",
      tradeId: undefined,
      ipfs: "http://127.0.0.1:3000/ipfs",
      startedAt: "2026-01-01T00:00:00.000Z",
      durationMs: 1_500,
      passed: false,
      totals: { passed: 1, failed: 1, skipped: 0 },
      byKind: {
        ...Object.fromEntries(checkKinds.map((k) => [k, zero])),
        document: { passed: 1, failed: 1, skipped: 0 },
      } as AuditReport["byKind"],
      checks: [
        { kind: "document", subject: "document a", status: "passed", message: "ok.", evidence: {} },
        {
          kind: "document",
          subject: "document b",
          status: "failed",
          problem: "missing",
          message: "The manifest of trade 2: b is missing.",
          evidence: { block: "40", cid: "b", tradeId: "2" },
        },
      ],
    };
    const text = formatReport(report);
    expect(text).toMatch(/^document\s+1\s+1\s+0$/m);
    expect(text).not.toMatch(/^trade\s/m);
    expect(text).toContain(
      "FAILED [document: missing] The manifest of trade 2: b is missing.\n    block 40; cid b; tradeId 2",
    );
    expect(text.trimEnd().endsWith("FAILED: 1 check(s) failed.")).toBe(true);
  });
});

describe("documents from a Kubo RPC endpoint", () => {
  let kubo: FakeKubo;
  beforeAll(async () => {
    kubo = await startFakeKubo();
  });
  afterAll(async () => {
    await kubo.close();
  });

  it("tells a Kubo RPC URL from a gateway", () => {
    expect(isKuboRpcUrl("http://127.0.0.1:5001/api/v0")).toBe(true);
    expect(isKuboRpcUrl("http://127.0.0.1:5001/api/v0/")).toBe(true);
    expect(isKuboRpcUrl("http://127.0.0.1:3000/ipfs")).toBe(false);
  });

  it("reads blocks offline with block/get, verified, and says when the node lacks one", async () => {
    const bytes = new TextEncoder().encode("bill of lading");
    const { cid } = await computeCid(bytes);
    await kubo.blocks.put(cid, bytes);
    const reader = createVerifiedReader({
      source: createIpfsSource({ url: `${kubo.url}/api/v0` }),
    });
    expect(new TextDecoder().decode(await reader.bytes(cid))).toBe("bill of lading");
    const request = kubo.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/api/v0/block/get" });
    expect(request.query.get("arg")).toBe(cid.toString());
    expect(request.query.get("offline")).toBe("true");

    const absent = (await computeCid(new TextEncoder().encode("never added"))).cid;
    await expect(reader.bytes(absent)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });
});

describe("reading events in ranges", () => {
  it("splits a range the node refuses until the node answers", async () => {
    const asked: [bigint, bigint][] = [];
    const client = createPublicClient({
      transport: custom(
        {
          request: async ({ method, params }: { method: string; params?: unknown }) => {
            if (method !== "eth_getLogs") throw new Error(`unexpected ${method}`);
            const [{ fromBlock, toBlock }] = params as [{ fromBlock: Hex; toBlock: Hex }];
            const range: [bigint, bigint] = [BigInt(fromBlock), BigInt(toBlock)];
            asked.push(range);
            // A provider's cap: at most 10 blocks per query.
            if (range[1] - range[0] + 1n > 10n)
              throw Object.assign(new Error("query exceeds 10 blocks"), { code: -32005 });
            return [];
          },
        },
        { retryCount: 0 },
      ),
    });
    const events = await readEscrowEventsInRanges({
      client,
      escrow: "0x0000000000000000000000000000000000000001",
      fromBlock: 0n,
      toBlock: 99n,
      chunkSize: 50n,
    });
    expect(events).toEqual([]);
    const answered = asked.filter(([from, to]) => to - from + 1n <= 10n);
    // Every block read exactly once, in order, in ranges the node accepts.
    expect(
      answered.flatMap(([from, to]) =>
        Array.from({ length: Number(to - from + 1n) }, (_, i) => from + BigInt(i)),
      ),
    ).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i)));
    expect(asked.length).toBeGreaterThan(answered.length);
  });
});
