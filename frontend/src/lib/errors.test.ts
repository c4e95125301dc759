import { describe, expect, it } from "vitest";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  encodeErrorResult,
} from "viem";
import type { Abi, AbiParameter } from "viem";
import {
  TradeState,
  arbitrationCourtAbi,
  erc20PermitAbi,
  sellerRatingsAbi,
  tradeEscrowAbi,
} from "@trade-escrow/sdk/contracts";
import { decodeRevert, errorSentences, toReadableError } from "./errors.js";

const invalidState = encodeErrorResult({
  abi: tradeEscrowAbi,
  errorName: "EscrowInvalidState",
  args: [7n, TradeState.Shipped],
});

describe("toReadableError", () => {
  it("turns a revert with the escrow's custom error into a sentence and the decoded error", () => {
    const cause = new ContractFunctionRevertedError({
      abi: tradeEscrowAbi,
      data: invalidState,
      functionName: "payDeposit",
    });
    const error = new ContractFunctionExecutionError(cause, {
      abi: tradeEscrowAbi,
      functionName: "payDeposit",
      args: [],
    });
    expect(toReadableError(error)).toEqual({
      kind: "revert",
      title: "Trade 7 is Shipped; this action is not possible in that state.",
      detail: "EscrowInvalidState(7, 5)",
    });
  });

  it("decodes revert data a wallet nests in its RPC error", () => {
    const walletError = {
      code: -32603,
      message: "Internal JSON-RPC error.",
      data: { data: invalidState },
    };
    expect(toReadableError(walletError)).toMatchObject({
      kind: "revert",
      detail: "EscrowInvalidState(7, 5)",
    });
  });

  it("says why a trade cannot be rated, with its fee and the token's floor", () => {
    const data = encodeErrorResult({
      abi: sellerRatingsAbi,
      errorName: "RatingsTradeNotQualified",
      args: [3n, 0, 0n, 0n],
    });
    expect(toReadableError({ data })).toEqual({
      kind: "revert",
      title:
        "Trade 3 cannot be rated: no warehouse operator attested its title, and its platform fee " +
        "(0 smallest units) is below the rating floor (none set for its token).",
      detail: "RatingsTradeNotQualified(3, 0, 0, 0)",
    });
    const below = encodeErrorResult({
      abi: sellerRatingsAbi,
      errorName: "RatingsTradeNotQualified",
      args: [4n, 0, 999n, 1_000n],
    });
    expect(toReadableError({ data: below }).title).toContain("(999 smallest units)");
    expect(toReadableError({ data: below }).title).toContain("rating floor (1000)");
  });

  it("explains the pool's refusals: a debt outstanding, the exposure cap, the credit threshold", () => {
    const buyer = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
    const token = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";
    const sentence = (errorName: string, args: readonly unknown[]) =>
      toReadableError({
        data: encodeErrorResult({ abi: tradeEscrowAbi, errorName, args } as never),
      }).title;
    expect(sentence("EscrowDebtOutstanding", [buyer, token, 250n])).toBe(
      `Pay after use is refused: ${buyer} still owes the guarantor pool 250 (smallest units) of token ${token}. Repay the debt first.`,
    );
    expect(sentence("EscrowExposureAboveCap", [buyer, token, 70n, 60n])).toBe(
      `The guarantor pool would cover 70 (smallest units) of token ${token} for ${buyer}, above the cap of 60 per buyer. Lower the price or wait for open trades to finish.`,
    );
    expect(sentence("EscrowCreditRefused", [buyer, 550, 550, 2_000_000_000n])).toBe(
      `Pay after use needs a credit score above 550; ${buyer}'s is 550.`,
    );
    expect(sentence("EscrowCreditRefused", [buyer, 700, 550, 0n])).toBe(
      `The credit score of ${buyer} expired on Thu, 01 Jan 1970 00:00:00 GMT.`,
    );
  });

  it("names an error it has no sentence for, with its arguments", () => {
    const data = encodeErrorResult({
      abi: tradeEscrowAbi,
      errorName: "EscrowInvalidBps",
      args: [12_000],
    });
    expect(toReadableError({ data })).toEqual({
      kind: "revert",
      title: "The contract refused: EscrowInvalidBps.",
      detail: "EscrowInvalidBps(12000)",
    });
  });

  it("says the person rejected the request, from viem's error or a wallet's code 4001", () => {
    expect(toReadableError(new UserRejectedRequestError(new Error("no"))).kind).toBe("rejected");
    expect(toReadableError({ code: 4001, message: "User rejected" })).toEqual({
      kind: "rejected",
      title: "You rejected the request in your wallet.",
    });
  });

  it("says when the account cannot pay", () => {
    expect(toReadableError(new InsufficientFundsError()).kind).toBe("insufficient-funds");
  });

  it("falls back to the message of an unknown error, ending with a period", () => {
    expect(toReadableError(new Error("boom"))).toEqual({ kind: "other", title: "boom." });
  });
});

describe("decodeRevert", () => {
  it("decodes the court's errors as well as the escrow's", () => {
    const courtError = arbitrationCourtAbi.find((item) => item.type === "error");
    expect(courtError).toBeDefined();
    const inputs = (courtError as { inputs: readonly { type: string }[] }).inputs;
    const args = inputs.map((i) =>
      i.type === "address"
        ? "0x0000000000000000000000000000000000000001"
        : i.type === "bool"
          ? true
          : i.type.startsWith("bytes")
            ? `0x${"00".repeat(32)}`
            : 1n,
    );
    const data = encodeErrorResult({
      abi: arbitrationCourtAbi,
      errorName: (courtError as { name: string }).name,
      args,
    } as never);
    expect(decodeRevert(data)?.errorName).toBe((courtError as { name: string }).name);
  });

  it("answers undefined for data no ABI knows", () => {
    expect(decodeRevert("0xdeadbeef")).toBeUndefined();
  });
});

describe("errorSentences", () => {
  const abis = [tradeEscrowAbi, arbitrationCourtAbi, sellerRatingsAbi, erc20PermitAbi];
  const declared = abis.flatMap((abi) => abi.filter((item) => item.type === "error"));

  it("keys each sentence by an error that a contract the dApp calls declares", () => {
    const names = new Set<string>(declared.map((error) => error.name));
    const unknown = Object.keys(errorSentences).filter((name) => !names.has(name));
    expect(unknown).toEqual([]);
    expect(Object.keys(errorSentences).length).toBeGreaterThan(30);
  });

  it("turns each of those errors, encoded as the contract reverts with it, into its sentence", () => {
    const sample = (p: AbiParameter): unknown =>
      p.type === "address"
        ? "0x0000000000000000000000000000000000000001"
        : p.type === "bool"
          ? true
          : p.type.startsWith("bytes")
            ? `0x${"00".repeat(32)}`
            : /^u?int(8|16|24|32|40|48)$/.test(p.type)
              ? 1
              : 1n;
    for (const name of Object.keys(errorSentences)) {
      const error = declared.find((item) => item.name === name)!;
      const abi: Abi = [error];
      const data = encodeErrorResult({ abi, errorName: name, args: error.inputs.map(sample) });
      const readable = toReadableError({ data });
      expect(readable.kind, name).toBe("revert");
      expect(readable.title, name).not.toMatch(/^The contract refused/);
      expect(readable.title, name).toMatch(/[.!]$/);
    }
  });
});
