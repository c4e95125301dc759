import { getAddress, keccak256 } from "viem";
import type { Address, Client, Hex } from "viem";
import { getCode } from "viem/actions";
import { linkBytecode, runtimeBytecodes } from "../contracts/bytecode.js";
import type { LinkReferences } from "../contracts/index.js";

/** A contract whose runtime bytecode the sdk knows. */
export type KnownContract = keyof typeof runtimeBytecodes;

export type ExpectedCode = {
  /** The compiler's runtime bytecode, linked and with the masked ranges zeroed. */
  code: Hex;
  /** Byte ranges left out of the comparison: immutables, and a library's own address. */
  masked: readonly { start: number; length: number }[];
};

export type CompareCodeReturnType =
  | { matches: true; codeHash: Hex; expectedHash: Hex }
  | {
      matches: false;
      codeHash: Hex;
      expectedHash: Hex;
      /** Why: no code at all, another length, or the first byte that differs. */
      reason: string;
    };

/**
 * The code a contract must have at its address, as the sdk's generated runtime bytecode says:
 *
 * - libraries linked at the addresses `libraries` gives (for the escrow: read from the code at the
 *   address by `linkedLibraries`, then each library is checked in its own right);
 * - immutables (written by the constructor: the escrow's fee cap, bond token, receipts and
 *   EIP-712 domain cache; the receipts' escrow) masked to zero on both sides;
 * - a library's first 21 bytes hold `PUSH20 <its own address>` (solc's call protection), which the
 *   compiler leaves zero: masked as well.
 *
 * The metadata hash at the end of the code is compared: the same sources and settings give the same
 * bytes, so any change to the contracts shows.
 */
export function expectedRuntimeCode(
  name: KnownContract,
  libraries: Readonly<Record<string, Address>> = {},
): ExpectedCode {
  const entry = runtimeBytecodes[name];
  const linkReferences = entry.linkReferences as LinkReferences;
  // `libraries` is checked at run time by linkBytecode (a missing one throws LinkBytecodeError);
  // its static type cannot name the libraries of a contract chosen at run time.
  const linked =
    Object.keys(linkReferences).length === 0
      ? (entry.bytecode as Hex)
      : linkBytecode(entry.bytecode as Hex, linkReferences, libraries as never);
  const masked: { start: number; length: number }[] = [...entry.immutableReferences];
  if (isLibrary(name)) masked.push({ start: 1, length: 20 });
  return { code: mask(linked, masked), masked };
}

/** Whether `name` is one of the escrow's linked libraries. */
export function isLibrary(name: KnownContract): boolean {
  return name.endsWith("Logic");
}

/**
 * The addresses of the libraries the escrow's code at `code` links, read where the compiler left
 * their placeholders.
 */
export function linkedLibraries(code: Hex): Record<string, Address> {
  const linkReferences = runtimeBytecodes.TradeEscrow.linkReferences as LinkReferences;
  const found: Record<string, Address> = {};
  for (const byName of Object.values(linkReferences)) {
    for (const [name, references] of Object.entries(byName)) {
      const first = references[0];
      if (first === undefined) continue;
      const hex = code.slice(2 + first.start * 2, 2 + (first.start + first.length) * 2);
      if (hex.length === 40) found[name] = getAddress(`0x${hex}`);
    }
  }
  return found;
}

/** Compares the code at an address with the expected code, masking the same ranges in both. */
export function compareCode(found: Hex, expected: ExpectedCode): CompareCodeReturnType {
  const codeHash = keccak256(found);
  const expectedHash = keccak256(expected.code);
  if (found === "0x") return { matches: false, codeHash, expectedHash, reason: "no code" };
  const foundMasked = mask(found, expected.masked).toLowerCase();
  const wanted = expected.code.toLowerCase();
  if (foundMasked.length !== wanted.length) {
    return {
      matches: false,
      codeHash,
      expectedHash,
      reason: `${(foundMasked.length - 2) / 2} bytes of code where ${(wanted.length - 2) / 2} are expected`,
    };
  }
  if (foundMasked === wanted) return { matches: true, codeHash, expectedHash };
  let index = 2;
  while (index < wanted.length && foundMasked[index] === wanted[index]) index += 1;
  return {
    matches: false,
    codeHash,
    expectedHash,
    reason: `the code differs from byte ${Math.floor((index - 2) / 2)}`,
  };
}

/** Reads the code at `address` at `blockNumber`. */
export async function readCode(
  client: Client,
  address: Address,
  blockNumber: bigint,
): Promise<Hex> {
  return (await getCode(client, { address, blockNumber })) ?? "0x";
}

function mask(code: Hex, ranges: readonly { start: number; length: number }[]): Hex {
  let hex = code.slice(2);
  for (const { start, length } of ranges) {
    const from = start * 2;
    if (from >= hex.length) continue;
    const to = Math.min(hex.length, from + length * 2);
    hex = hex.slice(0, from) + "0".repeat(to - from) + hex.slice(to);
  }
  return `0x${hex}`;
}
