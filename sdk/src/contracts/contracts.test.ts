import {
  decodeErrorResult,
  encodeErrorResult,
  formatAbiItem,
  toFunctionSelector,
} from "viem/utils";
import { describe, expect, it } from "vitest";
import { escrowLibraryBytecodes, escrowLibraryNames, tradeEscrowBytecode } from "./bytecode.js";
import {
  AttestationKind,
  CourtPhase,
  LinkBytecodeError,
  PaymentMode,
  TradeState,
  UnknownDeploymentError,
  deploymentChainIds,
  deployments,
  erc20PermitAbi,
  getDeployment,
  linkBytecode,
  tradeEscrowAbi,
  tradeStateNames,
} from "./index.js";

/** A library placeholder as solc writes it in the hex: 40 characters standing for 20 bytes. */
const placeholder = (label: string) => `__$${label.padEnd(34, "0")}$__`;

describe("linkBytecode", () => {
  // 4 bytes of code, a placeholder for Lib at byte 4, 2 bytes, the same placeholder again at byte 26.
  const bytecode = `0x60806040${placeholder("aa")}6001${placeholder("aa")}` as const;
  const linkReferences = {
    "contracts/Lib.sol": {
      Lib: [
        { start: 4, length: 20 },
        { start: 26, length: 20 },
      ],
    },
  } as const;

  it("writes the library's address over every placeholder", () => {
    const address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const linked = linkBytecode(bytecode, linkReferences, { Lib: address });
    const hex = address.slice(2).toLowerCase();
    expect(linked).toBe(`0x60806040${hex}6001${hex}`);
  });

  it("fills the escrow's seven libraries and leaves no placeholder", () => {
    const libraries = Object.fromEntries(
      escrowLibraryNames.map((name, index) => [
        name,
        `0x${(index + 1).toString(16).padStart(40, "0")}`,
      ]),
    ) as Record<(typeof escrowLibraryNames)[number], `0x${string}`>;
    const linked = linkBytecode(
      tradeEscrowBytecode.bytecode,
      tradeEscrowBytecode.linkReferences,
      libraries,
    );
    expect(tradeEscrowBytecode.bytecode).toContain("__$");
    expect(linked).not.toContain("__$");
    expect(linked.length).toBe(tradeEscrowBytecode.bytecode.length);
    for (const name of escrowLibraryNames)
      expect(escrowLibraryBytecodes[name].bytecode).not.toContain("__$");
  });

  it("refuses a missing library, a malformed address and a wrong offset with LinkBytecodeError", () => {
    // A library left out is a type error as well as a runtime one.
    // @ts-expect-error Lib is required
    expect(() => linkBytecode(bytecode, linkReferences, {})).toThrow(LinkBytecodeError);
    expect(() => linkBytecode(bytecode, linkReferences, { Lib: "0x1234" })).toThrow(
      /"0x1234" is not an address/,
    );
    const shifted = { "contracts/Lib.sol": { Lib: [{ start: 5, length: 20 }] } } as const;
    expect(() =>
      linkBytecode(bytecode, shifted, { Lib: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }),
    ).toThrow(/no placeholder of library Lib at byte 5/);
  });

  it("accepts a fully qualified library name", () => {
    const linked = linkBytecode(bytecode, linkReferences, {
      "contracts/Lib.sol:Lib": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    } as never);
    expect(linked).not.toContain("__$");
  });
});

describe("getDeployment", () => {
  it("refuses an unknown chain with UnknownDeploymentError naming the chains it knows", () => {
    const chainIds = deploymentChainIds();
    expect(chainIds).toEqual(
      Object.keys(deployments)
        .map(Number)
        .sort((a, b) => a - b),
    );
    let error: unknown;
    try {
      getDeployment(999_999_999n);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownDeploymentError);
    expect((error as UnknownDeploymentError).chainId).toBe(999_999_999);
    expect((error as UnknownDeploymentError).shortMessage).toBe(
      "No deployment of the trade escrow is known on chain 999999999.",
    );
  });

  it("returns each generated deployment by chain id", () => {
    for (const chainId of deploymentChainIds()) {
      expect(getDeployment(chainId).chainId).toBe(chainId);
    }
  });
});

describe("generated ABIs", () => {
  const signatures = (abi: readonly { type: string }[], type: string) =>
    abi.filter((item) => item.type === type).map((item) => formatAbiItem(item as never));

  it("hold each error and event of the escrow once", () => {
    for (const type of ["error", "event", "function"]) {
      const all = signatures(tradeEscrowAbi, type);
      expect(new Set(all).size, type).toBe(all.length);
    }
    // No two errors share a selector, so revert data decodes to one error.
    const selectors = signatures(tradeEscrowAbi, "error").map((signature) =>
      toFunctionSelector(signature),
    );
    expect(new Set(selectors).size).toBe(selectors.length);
    expect(toFunctionSelector("EscrowInvalidState(uint256,uint8)")).toBe("0x30145571");
  });

  it("merge what the escrow's libraries, receipts, court and OpenZeppelin can revert with", () => {
    const errors = new Set<string>(
      tradeEscrowAbi.filter((item) => item.type === "error").map((item) => item.name),
    );
    for (const name of [
      "EscrowInvalidSignature", // the escrow's own
      "SafeERC20FailedOperation", // FulfilmentLogic, PaymentModesLogic
      "ERC20InsufficientAllowance", // a token's, bubbled through SafeERC20
      "ERC721InvalidReceiver", // the warehouse receipts'
      "ReceiptUnauthorizedMinter",
      "CourtInvalidTerms", // the court's, bubbled from arbitrationCost / createDispute
      "AccessControlUnauthorizedAccount",
      "FailedCall",
    ]) {
      expect(errors.has(name), name).toBe(true);
    }
  });

  it("decode a custom error's revert data", () => {
    const data = encodeErrorResult({
      abi: tradeEscrowAbi,
      errorName: "EscrowInvalidState",
      args: [42n, TradeState.Halted],
    });
    expect(decodeErrorResult({ abi: tradeEscrowAbi, data })).toMatchObject({
      errorName: "EscrowInvalidState",
      args: [42n, TradeState.Halted],
    });
  });

  it("give the token ERC-20, EIP-2612 and ERC-5267 functions and OpenZeppelin's errors", () => {
    const functions = signatures(erc20PermitAbi, "function");
    for (const signature of [
      "transferFrom(address,address,uint256)",
      "decimals()",
      "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
      "nonces(address)",
      "DOMAIN_SEPARATOR()",
      "eip712Domain()",
    ]) {
      expect(functions, signature).toContain(signature);
    }
    for (const signature of [
      "ERC2612ExpiredSignature(uint256)",
      "ERC20InsufficientAllowance(address,uint256,uint256)",
    ]) {
      expect(signatures(erc20PermitAbi, "error"), signature).toContain(signature);
    }
  });
});

describe("generated enums", () => {
  it("number Solidity's members in declaration order", () => {
    expect(TradeState).toMatchObject({ None: 0, Signed: 2, Completed: 9, Refunded: 11 });
    expect(tradeStateNames[TradeState.Halted]).toBe("Halted");
    expect(PaymentMode).toEqual({ Protected: 0, Direct: 1, PayAfterUse: 2 });
    expect(AttestationKind.PortArrival).toBe(3);
    expect(Object.keys(CourtPhase)[0]).toBe("None");
  });
});
