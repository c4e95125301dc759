/**
 * `src/contracts/generated/abis.ts`: the ABIs `as const`, the escrow's merged with every error it
 * can surface (its libraries', the receipts', the court's, OpenZeppelin's).
 */
import type { AbiItem, AbiParameter, ArtifactId } from "./artifacts.js";
import type { GeneratedFile } from "./file.js";
import { header, json } from "./format.js";
import { readPlatform } from "./platform.js";

const OZ = "@openzeppelin/contracts";

/**
 * OpenZeppelin code the escrow runs, whose errors can reach a caller: SafeERC20 and Address around
 * token and coin transfers (which bubble the token's own IERC20Errors), ECDSA.
 */
const escrowOpenZeppelinErrors: ArtifactId[] = [
  { source: `${OZ}/interfaces/draft-IERC6093.sol`, name: "IERC20Errors" },
  { source: `${OZ}/token/ERC20/utils/SafeERC20.sol`, name: "SafeERC20" },
  { source: `${OZ}/utils/Address.sol`, name: "Address" },
  { source: `${OZ}/utils/Errors.sol`, name: "Errors" },
  { source: `${OZ}/utils/cryptography/ECDSA.sol`, name: "ECDSA" },
];

/** An ERC-20 with metadata, EIP-2612 permit and ERC-5267 (the permit domain), and their errors. */
const erc20Parts: ArtifactId[] = [
  { source: `${OZ}/token/ERC20/extensions/IERC20Metadata.sol`, name: "IERC20Metadata" },
  { source: `${OZ}/token/ERC20/extensions/IERC20Permit.sol`, name: "IERC20Permit" },
  { source: `${OZ}/interfaces/IERC5267.sol`, name: "IERC5267" },
];
const erc20Errors: ArtifactId = {
  source: `${OZ}/token/ERC20/extensions/ERC20Permit.sol`,
  name: "ERC20Permit",
};

/** The canonical type of a parameter, tuples spelled out: `(address,uint256)[]`. */
function canonicalType(parameter: AbiParameter): string {
  if (!parameter.type.startsWith("tuple")) return parameter.type;
  const suffix = parameter.type.slice("tuple".length);
  return `(${(parameter.components ?? []).map(canonicalType).join(",")})${suffix}`;
}

/** What makes two ABI items the same item: kind, name, input types (and which are indexed). */
export function abiItemKey(item: AbiItem): string {
  const inputs = (item.inputs ?? [])
    .map((input) => `${canonicalType(input)}${input.indexed === true ? " indexed" : ""}`)
    .join(",");
  return `${item.type} ${item.name ?? ""}(${inputs})`;
}

/**
 * `base` followed by the errors and events of `extras` that `base` lacks, once each, sorted by
 * signature so the output does not depend on the order the artifacts were read.
 */
export function mergeAbis(base: AbiItem[], extras: AbiItem[][]): AbiItem[] {
  const seen = new Set(base.map(abiItemKey));
  const added = new Map<string, AbiItem>();
  for (const abi of extras) {
    for (const item of abi) {
      if (item.type !== "error" && item.type !== "event") continue;
      const key = abiItemKey(item);
      if (seen.has(key) || added.has(key)) continue;
      added.set(key, item);
    }
  }
  const sorted = [...added.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [...base, ...sorted.map(([, item]) => item)];
}

/** The errors of `abi`, for merging elsewhere. */
function errorsOf(abi: AbiItem[]): AbiItem[] {
  return abi.filter((item) => item.type === "error");
}

export const abisFile: GeneratedFile = {
  path: "src/contracts/generated/abis.ts",
  async render({ artifacts }) {
    const { escrow, court, ratings, receipt, libraries } = await readPlatform(artifacts);
    const ozErrors = await Promise.all(escrowOpenZeppelinErrors.map((id) => artifacts.read(id)));
    const erc20 = await Promise.all(erc20Parts.map((id) => artifacts.read(id)));
    const erc20Permit = await artifacts.read(erc20Errors);

    // The escrow: its own ABI, then what its libraries emit and revert with (they run in its
    // context), the errors of the receipts it mints and the court it calls, and OpenZeppelin's.
    const tradeEscrowAbi = mergeAbis(escrow.abi, [
      ...libraries.map((artifact) => artifact.abi),
      errorsOf(receipt.abi),
      errorsOf(court.abi),
      ...ozErrors.map((artifact) => errorsOf(artifact.abi)),
    ]);
    const erc20PermitAbi = mergeAbis(
      erc20.flatMap((artifact) => artifact.abi),
      [errorsOf(erc20Permit.abi)],
    );

    return [
      header("the Hardhat artifacts in artifacts/"),
      "/** TradeEscrow, with every error and event its linked libraries, the warehouse receipts, the court and OpenZeppelin can surface through it. */",
      `export const tradeEscrowAbi = ${json(tradeEscrowAbi)} as const;`,
      "",
      "/** ArbitrationCourt (ERC-792 arbitrator). */",
      `export const arbitrationCourtAbi = ${json(court.abi)} as const;`,
      "",
      "/** SellerRatings. */",
      `export const sellerRatingsAbi = ${json(ratings.abi)} as const;`,
      "",
      "/** WarehouseReceipt (ERC-721), deployed by the escrow: `receipts()`. */",
      `export const warehouseReceiptAbi = ${json(receipt.abi)} as const;`,
      "",
      "/** An ERC-20 payment token: IERC20Metadata, IERC20Permit (EIP-2612), IERC5267 and OpenZeppelin's ERC-20 and permit errors. */",
      `export const erc20PermitAbi = ${json(erc20PermitAbi)} as const;`,
      "",
    ].join("\n");
  },
};
