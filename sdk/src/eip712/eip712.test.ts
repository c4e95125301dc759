// Length: every message type the sdk signs, each against the contract's type string and its hash.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createWalletClient,
  custom,
  hashTypedData,
  recoverAddress,
  serializeSignature,
  zeroAddress,
} from "viem";
import type { ContractFunctionArgs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, expectTypeOf, it } from "vitest";
import { AttestationKind, PaymentMode } from "../contracts/index.js";
import type { tradeEscrowAbi } from "../contracts/index.js";
import { useChain } from "../../test/chain/clients.js";
import {
  MissingAccountError,
  buildAmendment,
  buildAttestation,
  buildCreditScore,
  buildInspectionReport,
  buildOpenTrade,
  buildPermit,
  buildSettlement,
  eip712Types,
  escrowDomain,
  hashAmendment,
  hashAttestation,
  hashCreditScore,
  hashInspectionReport,
  hashOpenTrade,
  hashPermit,
  hashSettlement,
  permitDomain,
  signAmendment,
  signAttestation,
  signCreditScore,
  signInspectionReport,
  signOpenTrade,
  signPermit,
  signSettlement,
  verifyAmendment,
  verifyAttestation,
  verifyCreditScore,
  verifyInspectionReport,
  verifyOpenTrade,
  verifyPermit,
  verifySettlement,
} from "./index.js";
import type { PartySignature, PermitArgument, Terms } from "./index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** EIP-712 `encodeType`: the primary type, then the types it references, sorted by name. */
function encodeType(
  primaryType: string,
  types: Record<string, readonly { name: string; type: string }[]>,
): string {
  const found = new Set<string>();
  const visit = (type: string) => {
    const base = type.replace(/\[\d*\]$/, "");
    if (found.has(base) || types[base] === undefined) return;
    found.add(base);
    for (const field of types[base]) visit(field.type);
  };
  visit(primaryType);
  found.delete(primaryType);
  return [primaryType, ...[...found].sort()]
    .map((type) => `${type}(${types[type]!.map((f) => `${f.type} ${f.name}`).join(",")})`)
    .join("");
}

/** The type strings of contracts/libraries/TradeTerms.sol, by primary type, read from the source. */
function solidityTypeStrings(): Map<string, string> {
  const source = readFileSync(resolve(ROOT, "contracts/libraries/TradeTerms.sol"), "utf8");
  const expression = (name: string) => {
    const match = new RegExp(`constant ${name}\\s*=([\\s\\S]*?);`).exec(source);
    if (match === null) throw new Error(`TradeTerms.sol has no ${name}.`);
    return match[1]!;
  };
  const literals = (text: string) => [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join("");
  const termsType = literals(expression("TERMS_TYPE"));
  const strings = new Map<string, string>();
  for (const [, name] of source.matchAll(/constant (\w+)_TYPEHASH\s*=/g)) {
    const text = expression(`${name}_TYPEHASH`);
    const typeString = literals(text) + (/\bTERMS_TYPE\b/.test(text) ? termsType : "");
    strings.set(typeString.slice(0, typeString.indexOf("(")), typeString);
  }
  return strings;
}

describe("eip712Types", () => {
  it("spells every type string exactly as TradeTerms.sol", () => {
    const solidity = solidityTypeStrings();
    expect([...solidity.keys()].sort()).toEqual(Object.keys(eip712Types).sort());
    for (const [primaryType, typeString] of solidity) {
      expect(encodeType(primaryType, eip712Types), primaryType).toBe(typeString);
    }
  });

  it("types Terms, PartySignature and Permit as the escrow's ABI does", () => {
    type OpenTradeArgs = ContractFunctionArgs<typeof tradeEscrowAbi, "nonpayable", "openTrade">;
    expectTypeOf<Terms>().toEqualTypeOf<OpenTradeArgs[0]>();
    expectTypeOf<PartySignature>().toEqualTypeOf<{
      nonce: bigint;
      deadline: bigint;
      signature: `0x${string}`;
    }>();
    expectTypeOf<PermitArgument>().toEqualTypeOf<{
      value: bigint;
      deadline: bigint;
      v: number;
      r: `0x${string}`;
      s: `0x${string}`;
    }>();
  });
});

describe("escrowDomain", () => {
  it("is the domain the deployed escrow reports (ERC-5267 eip712Domain)", async () => {
    const ctx = useChain();
    const [, name, version, chainId, verifyingContract, salt, extensions] = await ctx
      .escrowAs("stranger")
      .read.eip712Domain();
    expect(ctx.domain).toEqual({ name, version, chainId: Number(chainId), verifyingContract });
    expect([salt, extensions]).toEqual([`0x${"0".repeat(64)}`, []]);
  });

  it("takes a bigint chain id", () => {
    const verifyingContract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    expect(escrowDomain({ chainId: 1n, verifyingContract })).toEqual({
      name: "TradeEscrow",
      version: "1",
      chainId: 1,
      verifyingContract,
    });
  });
});

// Offline: every message's helpers agree with each other (build, sign, hash, verify), sign with a
// local account and a wallet client alike, and a changed message no longer verifies.
const signer = privateKeyToAccount(`0x${"11".repeat(32)}`);
const stranger = privateKeyToAccount(`0x${"22".repeat(32)}`);
const domain = {
  chainId: 31337,
  verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
} as const;
const terms: Terms = {
  buyer: signer.address,
  seller: stranger.address,
  operator: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  token: zeroAddress,
  mode: PaymentMode.Protected,
  price: 10n ** 24n,
  quantity: 10n,
  toleranceBps: 500,
  depositBps: 3_000,
  lots: 2,
  latestDelivery: 1_900_000_000n,
  shipWindow: 1_209_600,
  deliveryGrace: 1_209_600,
  depositWindow: 259_200,
  fulfilmentDays: 3,
  claimWindow: 259_200,
  responseDays: 7,
  collectAfter: 0,
  feeBps: 100,
  sellerBond: 0n,
  arbitrator: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  arbitratorExtraData: "0x1234",
  manifestCid: "0x01551220aa",
};

/** Each message's helpers, a message, and the same message changed in one field. */
const cases = [
  {
    name: "OpenTrade",
    build: buildOpenTrade,
    sign: signOpenTrade,
    hash: hashOpenTrade,
    verify: verifyOpenTrade,
    message: { terms, nonce: 1n, deadline: 2n },
    changed: { terms: { ...terms, lots: 3 }, nonce: 1n, deadline: 2n },
  },
  {
    name: "Amendment",
    build: buildAmendment,
    sign: signAmendment,
    hash: hashAmendment,
    verify: verifyAmendment,
    message: { tradeId: 1n, version: 1, terms, nonce: 1n, deadline: 2n },
    changed: { tradeId: 1n, version: 2, terms, nonce: 1n, deadline: 2n },
  },
  {
    name: "Attestation",
    build: buildAttestation,
    sign: signAttestation,
    hash: hashAttestation,
    verify: verifyAttestation,
    message: {
      tradeId: 1n,
      kind: AttestationKind.Receipt,
      lot: 1,
      quantity: 5n,
      time: 1_800_000_000n,
      documentCid: "0x",
      nonce: 1n,
      deadline: 2n,
    },
    changed: {
      tradeId: 1n,
      kind: AttestationKind.ReceiptAndTitleTransfer,
      lot: 1,
      quantity: 5n,
      time: 1_800_000_000n,
      documentCid: "0x",
      nonce: 1n,
      deadline: 2n,
    },
  },
  {
    name: "InspectionReport",
    build: buildInspectionReport,
    sign: signInspectionReport,
    hash: hashInspectionReport,
    verify: verifyInspectionReport,
    message: {
      tradeId: 1n,
      agency: signer.address,
      varianceBps: 100,
      material: false,
      reportCid: "0x01",
      nonce: 1n,
      deadline: 2n,
    },
    changed: {
      tradeId: 1n,
      agency: signer.address,
      varianceBps: 100,
      material: true,
      reportCid: "0x01",
      nonce: 1n,
      deadline: 2n,
    },
  },
  {
    name: "Settlement",
    build: buildSettlement,
    sign: signSettlement,
    hash: hashSettlement,
    verify: verifySettlement,
    message: { tradeId: 1n, refund: 10n, nonce: 1n, deadline: 2n },
    changed: { tradeId: 1n, refund: 11n, nonce: 1n, deadline: 2n },
  },
  {
    name: "CreditScore",
    build: buildCreditScore,
    sign: signCreditScore,
    hash: hashCreditScore,
    verify: verifyCreditScore,
    message: { buyer: stranger.address, score: 700, issuedAt: 1n, expiresAt: 2n, nonce: 3n },
    changed: { buyer: stranger.address, score: 701, issuedAt: 1n, expiresAt: 2n, nonce: 3n },
  },
] as const;

describe.each(cases)("$name helpers", (c) => {
  // The union of the cases' helper types is not callable as one; each case pairs them correctly.
  const helpers = c as unknown as {
    build: (p: object) => ReturnType<typeof buildSettlement>;
    sign: typeof signSettlement;
    hash: (p: object) => `0x${string}`;
    verify: (p: object) => Promise<boolean>;
    message: object;
    changed: object;
  };

  it("builds typed data with the escrow's domain and only the types the message references", () => {
    const typedData = helpers.build({ domain, message: helpers.message });
    expect(typedData.primaryType).toBe(c.name);
    expect(typedData.domain).toEqual(escrowDomain(domain));
    const expected =
      c.name === "OpenTrade" || c.name === "Amendment" ? [c.name, "Terms"] : [c.name];
    expect(Object.keys(typedData.types).sort()).toEqual(expected.sort());
    expect(helpers.hash({ domain, message: helpers.message })).toBe(hashTypedData(typedData));
  });

  it("signs the digest `hash` gives, and verifies only the signed message", async () => {
    const signature = await helpers.sign(signer, { domain, message: helpers.message as never });
    const hash = helpers.hash({ domain, message: helpers.message });
    expect(await recoverAddress({ hash, signature })).toBe(signer.address);
    expect(
      await helpers.verify({
        domain,
        message: helpers.message,
        address: signer.address,
        signature,
      }),
    ).toBe(true);
    expect(
      await helpers.verify({
        domain,
        message: helpers.changed,
        address: signer.address,
        signature,
      }),
    ).toBe(false);
    expect(
      await helpers.verify({
        domain,
        message: helpers.message,
        address: stranger.address,
        signature,
      }),
    ).toBe(false);
    expect(
      await helpers.verify({
        domain: { ...domain, chainId: 1 },
        message: helpers.message,
        address: signer.address,
        signature,
      }),
    ).toBe(false);
  });

  it("signs the same with a wallet client holding the local account", async () => {
    const client = createWalletClient({
      account: signer,
      transport: custom({
        request: () => Promise.reject(new Error("A local account signs without the node.")),
      }),
    });
    const fromClient = await helpers.sign(client, { domain, message: helpers.message as never });
    const fromPair = await helpers.sign(
      { client, account: signer },
      { domain, message: helpers.message as never },
    );
    const fromAccount = await helpers.sign(signer, { domain, message: helpers.message as never });
    expect(fromClient).toBe(fromAccount);
    expect(fromPair).toBe(fromAccount);
  });
});

describe("signing with a wallet client", () => {
  it("asks the wallet (eth_signTypedData_v4) for a JSON-RPC account", async () => {
    const requests: { method: string; params: unknown }[] = [];
    const client = createWalletClient({
      transport: custom({
        request: async ({ method, params }: { method: string; params: unknown }) => {
          requests.push({ method, params });
          return `0x${"ab".repeat(65)}`;
        },
      }),
    });
    const signature = await signSettlement(
      { client, account: signer.address },
      { domain, message: { tradeId: 1n, refund: 2n, nonce: 3n, deadline: 4n } },
    );
    expect(signature).toBe(`0x${"ab".repeat(65)}`);
    expect(requests.map((r) => r.method)).toEqual(["eth_signTypedData_v4"]);
    const [address, json] = requests[0]!.params as [string, string];
    expect(address).toBe(signer.address);
    expect(JSON.parse(json)).toMatchObject({
      primaryType: "Settlement",
      domain: { name: "TradeEscrow", version: "1", chainId: 31337 },
      message: { tradeId: "1", refund: "2", nonce: "3", deadline: "4" },
    });
  });

  it("refuses a wallet client without an account with MissingAccountError", async () => {
    const client = createWalletClient({ transport: custom({ request: async () => null }) });
    await expect(
      signSettlement(client, {
        domain,
        message: { tradeId: 1n, refund: 2n, nonce: 3n, deadline: 4n },
      }),
    ).rejects.toBeInstanceOf(MissingAccountError);
  });
});

describe("permits", () => {
  const token = permitDomain({
    name: "Test USD",
    chainId: 31337,
    verifyingContract: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
  });
  const message = {
    owner: signer.address,
    spender: domain.verifyingContract,
    value: 5n,
    nonce: 0n,
    deadline: 9n,
  };

  it("signs in the token's domain (version 1 by default) and splits v, r, s for the escrow", async () => {
    expect(token.version).toBe("1");
    const { signature, permit } = await signPermit(signer, { domain: token, message });
    expect(buildPermit({ domain: token, message }).domain).toEqual(token);
    expect(serializeSignature({ r: permit.r, s: permit.s, v: BigInt(permit.v) })).toBe(signature);
    expect([27, 28]).toContain(permit.v);
    expect(permit).toMatchObject({ value: 5n, deadline: 9n });
    expect(await recoverAddress({ hash: hashPermit({ domain: token, message }), signature })).toBe(
      signer.address,
    );
    expect(await verifyPermit({ domain: token, message, address: signer.address, signature })).toBe(
      true,
    );
    expect(
      await verifyPermit({
        domain: { ...token, version: "2" },
        message,
        address: signer.address,
        signature,
      }),
    ).toBe(false);
  });
});
