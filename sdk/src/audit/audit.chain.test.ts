// Length: one real history on its own node, then each failure the auditor must report, made for
// real and undone from a snapshot.
import {
  createTestClient,
  http,
  keccak256,
  encodeAbiParameters,
  parseAbiParameters,
  toHex,
} from "viem";
import type { Hex } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeBytecodes } from "../contracts/bytecode.js";
import { tradeEscrowAbi } from "../contracts/index.js";
import type { Terms } from "../eip712/index.js";
import { computeCid, cidToCommitment } from "../documents/cid/index.js";
import { publishManifest } from "../documents/store/index.js";
import { createVerifiedReader } from "../documents/verify/index.js";
import { localAccount } from "../../test/chain/accounts.js";
import { useChain } from "../../test/chain/clients.js";
import { deployTestStack } from "../../test/chain/deploy.js";
import { startDevNode } from "../../test/chain/node.js";
import type { DevNode } from "../../test/chain/node.js";
import { createTrades } from "../../test/chain/trades.js";
import { startDocumentGateway } from "../../test/audit/gateway.js";
import type { DocumentGateway } from "../../test/audit/gateway.js";
import { createAuditScenario } from "../../test/audit/scenario.js";
import { auditEscrow, checkKinds, createAuditClient, createIpfsSource } from "./index.js";
import type { AuditReport, Check } from "./index.js";

// Issue 9: the auditor's verifier against a real history on a development node (anvil) of its own
// (the dispute moves the clock by days), with every document in an embedded store behind the sdk's
// gateway. Each failure case is made for real: a gateway that serves other bytes, a manifest naming
// a document nobody stored, other code at an address (hardhat_setCode), storage the events do not
// explain (hardhat_setStorageAt); the chain is restored from a snapshot after each.

let node: DevNode | undefined;
let gateway: DocumentGateway | undefined;
let ctx: ReturnType<typeof useChain>;
let testClient: ReturnType<typeof createTestClient>;
let completed: Awaited<ReturnType<ReturnType<typeof createAuditScenario>["completedTrade"]>>;
let disputed: Awaited<ReturnType<ReturnType<typeof createAuditScenario>["disputedTrade"]>>;
let scenario: ReturnType<typeof createAuditScenario>;
let trades: ReturnType<typeof createTrades> & {
  openTradeSignedBy: (terms: Terms) => Promise<bigint>;
};
let walletTradeId: bigint;

/**
 * The ERC-7201 slot of the escrow's storage (EscrowStorage._LOCATION); the terms in force are the
 * mapping at +15 (after config, trades, credits, nonce bitmaps, operators, claims, dispute trades,
 * inspection reports, credit scores, pools, debts, attested, exposures and the two exposure caps).
 */
const LAYOUT = 0xded19663f823023e3b6a105997e0f28f4651a259c36775a71b22c40842ffbf00n;
const TERMS_MAPPING = LAYOUT + 15n;

beforeAll(async () => {
  node = await startDevNode();
  const chain = await deployTestStack(node.url);
  ctx = useChain(chain);
  testClient = createTestClient({
    chain: hardhat,
    mode: "hardhat",
    transport: http(chain.rpcUrl, { retryCount: 0 }),
  });
  gateway = await startDocumentGateway();
  const base = createTrades(ctx);
  trades = {
    ...base,
    openTradeSignedBy: async (terms) =>
      base.openedTradeId(
        await ctx
          .escrowAs("relayer")
          .write.openTrade([
            terms,
            await base.consentToOpen(localAccount("walletOwner"), terms),
            await base.consentToOpen(localAccount("seller"), terms),
          ]),
      ),
  };
  scenario = createAuditScenario(ctx, trades, gateway.store);
  await scenario.prepare();
  completed = await scenario.completedTrade("a");
  await scenario.completedTrade("b");
  disputed = await scenario.disputedTrade(
    "c",
    async (seconds) => {
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
    },
    () => testClient.mine({ blocks: 1 }),
  );
  // A trade bought by an ERC-1271 contract wallet, whose owner signs its consent.
  const { terms: walletTerms } = await scenario.termsWithManifest("wallet", {
    buyer: ctx.chain.wallet,
  });
  walletTradeId = await trades.openTradeSignedBy(walletTerms);
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await node?.stop();
});

type AuditOverrides = { fetch?: typeof globalThis.fetch; tradeId?: bigint; blockNumber?: bigint };

function audit(overrides: AuditOverrides = {}): Promise<AuditReport> {
  const url = gateway!.url;
  return auditEscrow({
    client: createAuditClient(ctx.chain.rpcUrl),
    escrow: ctx.chain.tradeEscrow,
    court: ctx.chain.arbitrationCourt,
    reader: createVerifiedReader({
      source: createIpfsSource({
        url,
        // Raw blocks, so a lying fetch can answer per block.
        format: "raw",
        ...(overrides.fetch === undefined ? {} : { fetch: overrides.fetch }),
      }),
    }),
    ipfsName: url,
    fromBlock: BigInt(ctx.chain.deploymentBlock),
    libraries: ctx.chain.libraries,
    tradeId: overrides.tradeId,
    blockNumber: overrides.blockNumber,
  });
}

const failed = (report: AuditReport) => report.checks.filter((c) => c.status === "failed");

/** Runs `body` on the chain as it is now, then puts the chain back. */
async function onSnapshot(body: () => Promise<void>): Promise<void> {
  const id = await testClient.snapshot();
  try {
    await body();
  } finally {
    await testClient.revert({ id });
  }
}

describe("auditEscrow", () => {
  it("passes a clean history, with checks of every kind", async () => {
    const report = await audit();
    expect(failed(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.totals.skipped).toBe(0);
    for (const kind of checkKinds) expect(report.byKind[kind].passed, kind).toBeGreaterThan(0);
    // The escrow, seven libraries, the receipts and the court.
    expect(report.byKind.code.passed).toBe(10);
    expect(report.checks.filter((c) => c.kind === "trade")).toHaveLength(4);
    // Manifest and the two documents it names, for each trade.
    const documents = report.checks.filter((c) => c.kind === "document").map((c) => c.evidence.cid);
    expect(documents).toContain(completed.manifestCid);
    for (const cid of completed.documents) expect(documents).toContain(cid);
    // A title transfer's document, committed only in the attestation's calldata.
    expect(report.checks.find((c) => c.evidence.cid === disputed.titleDocument)).toMatchObject({
      status: "passed",
      message: expect.stringContaining("attestation document"),
    });
    // Three votes recounted, one round, the final ruling and the refund it executed.
    const arbitration = report.checks.filter((c) => c.kind === "arbitration");
    expect(arbitration.filter((c) => c.subject.startsWith("vote of"))).toHaveLength(3);
    expect(arbitration.map((c) => c.subject)).toEqual(
      expect.arrayContaining([
        `ruling of round 0.0 of dispute ${disputed.disputeId} of trade ${disputed.tradeId}`,
        `final ruling of dispute ${disputed.disputeId} of trade ${disputed.tradeId}`,
        `refund executed on dispute ${disputed.disputeId} of trade ${disputed.tradeId}`,
      ]),
    );
    // Both parties' consent for each trade, the operator's attestations, the agency's report, roles.
    const signatures = report.checks.filter((c) => c.kind === "signature").map((c) => c.subject);
    expect(signatures).toContain(`buyer's consent to open trade ${completed.tradeId}`);
    expect(
      report.checks.find((c) => c.subject === `buyer's consent to open trade ${walletTradeId}`),
    ).toMatchObject({
      status: "passed",
      message: expect.stringContaining(`contract wallet ${ctx.chain.wallet} (ERC-1271)`),
    });
    expect(signatures).toContain(
      `operator's attestation of lot 1 of trade ${completed.tradeId}: role`,
    );
    expect(
      signatures.some((s) => s.startsWith(`inspection report of trade ${disputed.tradeId}`)),
    ).toBe(true);
    expect(report.checks.filter((c) => c.kind === "funds").map((c) => c.subject)).toEqual(
      expect.arrayContaining(["funds in native coin", `funds in token ${ctx.chain.usd}`]),
    );
  });

  it("reports a document whose bytes the gateway changed as a mismatch", async () => {
    const [tampered] = completed.documents;
    const lying: typeof globalThis.fetch = async (input, init) => {
      const url = String(input);
      if (url.includes(`/ipfs/${tampered}`))
        return new Response(new TextEncoder().encode("a forged specification sheet"), {
          headers: { "content-type": "application/vnd.ipld.raw" },
        });
      return fetch(input, init);
    };
    const report = await audit({ fetch: lying });
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual([
      expect.objectContaining({
        kind: "document",
        subject: `document ${tampered}`,
        problem: "mismatch",
        evidence: expect.objectContaining({ cid: tampered, tradeId: String(completed.tradeId) }),
      }),
    ]);
  });

  it("reports a document nobody stored as missing, not as a mismatch", async () => {
    await onSnapshot(async () => {
      // A manifest naming a document that was never added to any store.
      const ghost = (await computeCid(new TextEncoder().encode("never stored"))).cid.toString();
      const { cid: manifestCid } = await publishManifest(gateway!.store, {
        version: 1,
        goods: { description: "a vehicle", unit: "vehicle" },
        deliveryPlace: "Tema",
        documents: [
          {
            type: "bill-of-lading",
            name: "bl.pdf",
            mediaType: "application/pdf",
            size: 12,
            cid: ghost,
          },
        ],
      });
      const terms = await trades.buildTerms({ manifestCid: cidToCommitment(manifestCid) });
      const tradeId = await trades.openTrade(terms);
      const report = await audit();
      expect(failed(report)).toEqual([
        expect.objectContaining({
          kind: "document",
          subject: `document ${ghost}`,
          problem: "missing",
          evidence: expect.objectContaining({ cid: ghost, tradeId: String(tradeId) }),
        }),
      ]);
      expect(report.checks.find((c) => c.evidence.cid === manifestCid.toString())?.status).toBe(
        "passed",
      );
    });
  });

  it("reports other code at the escrow's address and stops there", async () => {
    await onSnapshot(async () => {
      await testClient.setCode({
        address: ctx.chain.tradeEscrow,
        bytecode: (await ctx.publicClient.getCode({ address: ctx.chain.arbitrationCourt }))!,
      });
      const report = await audit();
      expect(report.passed).toBe(false);
      expect(report.checks).toEqual([
        expect.objectContaining({
          kind: "code",
          status: "failed",
          problem: "code-mismatch",
          evidence: expect.objectContaining({ address: ctx.chain.tradeEscrow }),
        }),
      ]);
    });
  });

  it("reports a library whose code was replaced, and keeps auditing", async () => {
    await onSnapshot(async () => {
      const claimLogic = ctx.chain.libraries.ClaimLogic!;
      const other = (await ctx.publicClient.getCode({
        address: ctx.chain.libraries.FulfilmentLogic!,
      }))!;
      await testClient.setCode({ address: claimLogic, bytecode: other });
      const report = await audit();
      const failures = failed(report);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        kind: "code",
        subject: `ClaimLogic at ${claimLogic}`,
        problem: "code-mismatch",
      });
      expect(report.byKind.trade.passed).toBe(4);
    });
  });

  it("reports a trade whose stored state the events do not explain", async () => {
    await onSnapshot(async () => {
      // The first slot of the trade's kept terms: the token (low 160 bits) and the price (high 96).
      const slot = keccak256(
        encodeAbiParameters(parseAbiParameters("uint256, uint256"), [
          completed.tradeId,
          TERMS_MAPPING,
        ]),
      );
      const forged: Hex = toHex((1n << 160n) | BigInt(completed.terms.token), { size: 32 });
      await testClient.setStorageAt({ address: ctx.chain.tradeEscrow, index: slot, value: forged });
      const report = await audit();
      const failures = failed(report);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject<Partial<Check>>({
        kind: "trade",
        subject: `trade ${completed.tradeId} state`,
        problem: "state-mismatch",
        evidence: expect.objectContaining({
          field: "terms.price",
          found: "1",
          expected: completed.terms.price.toString(),
        }) as Check["evidence"],
      });
    });
  });

  it("reports a court whose record of a ruling contradicts the votes it recounts", async () => {
    await onSnapshot(async () => {
      // ArbitrationCourt's storage: _disputes is the mapping at slot 5 (after AccessControl's
      // _roles, _treasury, _arbitrators, _arbitratorIndex, _disputeCount); the packed DisputeData
      // keeps `ruling` (uint32) alone at the start of its third slot.
      const base = BigInt(
        keccak256(
          encodeAbiParameters(parseAbiParameters("uint256, uint256"), [disputed.disputeId, 5n]),
        ),
      );
      const slot = toHex(base + 2n, { size: 32 });
      const stored = await ctx.publicClient.getStorageAt({
        address: ctx.chain.arbitrationCourt,
        slot,
      });
      expect(BigInt(stored!) & 0xffffffffn).toBe(2_001n);
      await testClient.setStorageAt({
        address: ctx.chain.arbitrationCourt,
        index: slot,
        value: toHex((BigInt(stored!) & ~0xffffffffn) | 1n, { size: 32 }),
      });
      const report = await audit();
      expect(failed(report)).toEqual([
        expect.objectContaining({
          kind: "arbitration",
          subject: `final ruling of dispute ${disputed.disputeId} of trade ${disputed.tradeId}`,
          problem: "ruling-mismatch",
          evidence: expect.objectContaining({ expected: "2001", found: "1" }),
        }),
      ]);
    });
  });

  it("reports money the escrow holds but owes nobody", async () => {
    await onSnapshot(async () => {
      const balance = await ctx.publicClient.getBalance({ address: ctx.chain.tradeEscrow });
      await testClient.setBalance({ address: ctx.chain.tradeEscrow, value: balance + 1n });
      const report = await audit();
      expect(failed(report)).toEqual([
        expect.objectContaining({
          kind: "funds",
          subject: "funds in native coin",
          problem: "funds-surplus",
          evidence: expect.objectContaining({
            found: String(balance + 1n),
            expected: String(balance),
          }),
        }),
      ]);
    });
  });

  it("reports a court holding less than the fees and credits it owes", async () => {
    await onSnapshot(async () => {
      const balance = await ctx.publicClient.getBalance({ address: ctx.chain.arbitrationCourt });
      expect(balance).toBeGreaterThan(0n);
      await testClient.setBalance({ address: ctx.chain.arbitrationCourt, value: balance - 1n });
      const report = await audit();
      expect(failed(report)).toEqual([
        expect.objectContaining({
          kind: "funds",
          subject: `funds of the court ${ctx.chain.arbitrationCourt}`,
          problem: "funds-shortfall",
          evidence: expect.objectContaining({
            found: String(balance - 1n),
            expected: String(balance),
          }),
        }),
      ]);
    });
  });

  it("audits one trade, and the history as it stood at an earlier block", async () => {
    const one = await audit({ tradeId: completed.tradeId });
    expect(one.passed).toBe(true);
    expect(one.checks.filter((c) => c.kind === "trade").map((c) => c.subject)).toEqual([
      `trade ${completed.tradeId} state`,
    ]);
    expect(one.byKind.arbitration.passed).toBe(0);

    const openings = await ctx.publicClient.getContractEvents({
      address: ctx.chain.tradeEscrow,
      abi: tradeEscrowAbi,
      eventName: "TradeOpened",
      fromBlock: 0n,
    });
    // The history as it stood when the second trade opened: two trades, nothing disputed yet.
    const opened = { blockNumber: openings[1]!.blockNumber };
    const earlier = await audit({ blockNumber: opened.blockNumber });
    expect(earlier.passed).toBe(true);
    expect(earlier.blockNumber).toBe(String(opened.blockNumber));
    expect(earlier.checks.filter((c) => c.kind === "trade")).toHaveLength(2);
  });
});

// The runtime code the sdk generated is what the compiler emits for the deployed contracts.
describe("the generated runtime code", () => {
  it("has immutables to mask for the escrow and none for the court", () => {
    expect(runtimeBytecodes.TradeEscrow.immutableReferences.length).toBeGreaterThan(0);
    expect(runtimeBytecodes.ArbitrationCourt.immutableReferences).toHaveLength(0);
  });
});
