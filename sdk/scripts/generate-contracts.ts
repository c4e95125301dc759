/**
 * Generates the sdk's typed contracts from the root Hardhat artifacts and deployments:
 *
 *   src/contracts/generated/abis.ts         ABIs `as const` (the escrow's merged with every error it
 *                                           can surface: its libraries', the receipts', the court's,
 *                                           OpenZeppelin's)
 *   src/contracts/generated/bytecode.ts     creation bytecode + link references
 *   src/contracts/generated/runtime.ts      runtime bytecode, its link and immutable references
 *   src/contracts/generated/enums.ts        the interfaces' Solidity enums, from the compiler's AST
 *   src/contracts/generated/deployments.ts  addresses per chain id, from ../deployments/<chainId>.json
 *   test/generated/mocks.ts                 test-only mocks (stablecoin with permit, ERC-1271 wallet)
 *
 * None of these is committed or edited by hand. Run after `hardhat compile` (the root `npm run
 * compile` does both); the sdk's `pretest` and `pretypecheck` run it too:
 *
 *   npm run generate -w sdk
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// ------------------------------------------------------------------------------------------------
// Types
// ------------------------------------------------------------------------------------------------

export type AbiParameter = {
  name?: string;
  type: string;
  internalType?: string;
  indexed?: boolean;
  components?: AbiParameter[];
};

export type AbiItem = {
  type: string;
  name?: string;
  inputs?: AbiParameter[];
  outputs?: AbiParameter[];
  stateMutability?: string;
  anonymous?: boolean;
};

export type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;

export type Artifact = {
  contractName: string;
  sourceName: string;
  abi: AbiItem[];
  bytecode: string;
  linkReferences: LinkReferences;
  deployedBytecode: string;
  deployedLinkReferences: LinkReferences;
  /** Hardhat 3: the byte ranges of the runtime code's immutables, by the AST id of each. */
  immutableReferences?: Record<string, Ranges>;
  /** Hardhat 3: the source's name in the compiler's input (`project/…`, `npm/…@version/…`). */
  inputSourceName: string;
  /** Hardhat 3: `artifacts/build-info/<id>.output.json` holds the compiler's output. */
  buildInfoId: string;
};

/** Byte ranges of a runtime bytecode, as solc reports them. */
type Ranges = { start: number; length: number }[];

/** A contract's artifact, by its source path (relative to `artifacts/`) and name. */
type ArtifactId = { source: string; name: string };

export class GenerateError extends Error {
  override name = "GenerateError";
}

// ------------------------------------------------------------------------------------------------
// What is generated
// ------------------------------------------------------------------------------------------------

const SDK = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = resolve(SDK, "..");

const OZ = "@openzeppelin/contracts";

/** The escrow's external logic libraries, as scripts/lib/deployEscrow.ts ESCROW_LIBRARIES lists them. */
export const ESCROW_LIBRARIES = [
  "AmendmentLogic",
  "AttestationLogic",
  "CancellationLogic",
  "ClaimLogic",
  "FulfilmentLogic",
  "OpeningLogic",
  "PaymentModesLogic",
] as const;

const contracts = {
  tradeEscrow: { source: "contracts/TradeEscrow.sol", name: "TradeEscrow" },
  arbitrationCourt: { source: "contracts/ArbitrationCourt.sol", name: "ArbitrationCourt" },
  sellerRatings: { source: "contracts/SellerRatings.sol", name: "SellerRatings" },
  warehouseReceipt: { source: "contracts/WarehouseReceipt.sol", name: "WarehouseReceipt" },
} satisfies Record<string, ArtifactId>;

const libraries: ArtifactId[] = ESCROW_LIBRARIES.map((name) => ({
  source: `contracts/libraries/${name}.sol`,
  name,
}));

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

const mocks = {
  mockStablecoin: { source: "contracts/mocks/MockStablecoin.sol", name: "MockStablecoin" },
  mockErc1271Wallet: { source: "contracts/mocks/MockERC1271Wallet.sol", name: "MockERC1271Wallet" },
} satisfies Record<string, ArtifactId>;

/** The interfaces whose enums are generated. */
const enumSources = [
  "contracts/interfaces/ITradeEscrow.sol",
  "contracts/interfaces/IArbitrationCourt.sol",
  "contracts/interfaces/IArbitrator.sol",
];

/** Enums renamed in TypeScript, where the Solidity name alone says too little. */
const enumAliases: Record<string, string> = { "IArbitrationCourt.Phase": "CourtPhase" };

/** What `deployments/<chainId>.json` holds (written by the deploy script). */
const deploymentAddressKeys = [
  "tradeEscrow",
  "arbitrationCourt",
  "sellerRatings",
  "warehouseReceipt",
] as const;
const deploymentOptionalKeys = ["bondToken"] as const;
const deploymentAddressMapKeys = ["libraries", "tokens"] as const;

// ------------------------------------------------------------------------------------------------
// Reading artifacts
// ------------------------------------------------------------------------------------------------

const compileHint = "run `npm run compile` at the repository root first";

export async function readArtifact(root: string, id: ArtifactId): Promise<Artifact> {
  const path = join(root, "artifacts", id.source, `${id.name}.json`);
  if (!existsSync(path)) {
    throw new GenerateError(
      `Missing Hardhat artifact ${relative(root, path)}: ${compileHint} (hardhat compile).`,
    );
  }
  const artifact = JSON.parse(await readFile(path, "utf8")) as Artifact;
  if (!Array.isArray(artifact.abi) || typeof artifact.bytecode !== "string") {
    throw new GenerateError(`${relative(root, path)} is not a Hardhat artifact; ${compileHint}.`);
  }
  return artifact;
}

/** The compiler's output that `artifact` came from (`artifacts/build-info/<id>.output.json`). */
async function readBuildInfoOutput(root: string, artifact: Artifact): Promise<unknown> {
  const path = join(root, "artifacts", "build-info", `${artifact.buildInfoId}.output.json`);
  if (!existsSync(path))
    throw new GenerateError(`Missing ${relative(root, path)}: ${compileHint}.`);
  return JSON.parse(await readFile(path, "utf8")) as unknown;
}

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

// ------------------------------------------------------------------------------------------------
// Enums from the compiler's AST
// ------------------------------------------------------------------------------------------------

type AstNode = { nodeType?: string; [key: string]: unknown };
type EnumDefinition = { canonicalName: string; name: string; members: string[] };

function findEnums(node: unknown, found: EnumDefinition[]): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const child of node) findEnums(child, found);
    return;
  }
  const ast = node as AstNode;
  if (ast.nodeType === "EnumDefinition") {
    const canonicalName = String(ast.canonicalName);
    found.push({
      canonicalName,
      name: enumAliases[canonicalName] ?? String(ast.name),
      members: (ast.members as { name: string }[]).map((member) => member.name),
    });
    return;
  }
  for (const value of Object.values(ast)) findEnums(value, found);
}

async function readEnums(root: string): Promise<EnumDefinition[]> {
  // The interfaces usually share one compiler output (tens of MiB): read and parse each once.
  const outputs = new Map<string, { output: { sources: Record<string, { ast: unknown }> } }>();
  const enums: EnumDefinition[] = [];
  for (const source of enumSources) {
    const name = source.slice(source.lastIndexOf("/") + 1, -".sol".length);
    const artifact = await readArtifact(root, { source, name });
    let buildInfo = outputs.get(artifact.buildInfoId);
    if (buildInfo === undefined) {
      buildInfo = (await readBuildInfoOutput(root, artifact)) as NonNullable<typeof buildInfo>;
      outputs.set(artifact.buildInfoId, buildInfo);
    }
    const ast = buildInfo.output.sources[artifact.inputSourceName]?.ast;
    if (ast === undefined) throw new GenerateError(`No AST for ${source}: ${compileHint}.`);
    findEnums(ast, enums);
  }
  const names = new Map<string, string>();
  for (const definition of enums) {
    const other = names.get(definition.name);
    if (other !== undefined) {
      throw new GenerateError(
        `Two enums are named ${definition.name} (${other}, ${definition.canonicalName}); rename one.`,
      );
    }
    names.set(definition.name, definition.canonicalName);
  }
  return enums;
}

// ------------------------------------------------------------------------------------------------
// Deployments
// ------------------------------------------------------------------------------------------------

const addressPattern = /^0x[0-9a-fA-F]{40}$/;

type DeploymentRecord = Record<string, unknown>;

/**
 * Reads and checks `directory/<chainId>.json`. Returns the deployments by chain id, the keys in a
 * fixed order; throws on anything the `Deployment` type would not describe.
 */
export async function readDeployments(directory: string): Promise<Map<number, DeploymentRecord>> {
  const deployments = new Map<number, DeploymentRecord>();
  if (!existsSync(directory)) return deployments;
  const files = (await readdir(directory)).filter((file) => file.endsWith(".json")).sort();
  for (const file of files) {
    const where = `deployments/${file}`;
    const chainIdText = file.slice(0, -".json".length);
    if (!/^[1-9][0-9]*$/.test(chainIdText)) {
      throw new GenerateError(`${where}: the file name must be a chain id, like 31337.json.`);
    }
    const chainId = Number(chainIdText);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(join(directory, file), "utf8"));
    } catch (error) {
      throw new GenerateError(`${where} is not JSON: ${(error as Error).message}.`);
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new GenerateError(`${where} must hold one object.`);
    }
    const input = json as Record<string, unknown>;
    const known = new Set<string>([
      "chainId",
      "deploymentBlock",
      ...deploymentAddressKeys,
      ...deploymentOptionalKeys,
      ...deploymentAddressMapKeys,
    ]);
    for (const key of Object.keys(input)) {
      if (!known.has(key)) {
        throw new GenerateError(
          `${where}: unknown key "${key}"; add it to the Deployment type and the generator first.`,
        );
      }
    }
    if (input.chainId !== undefined && input.chainId !== chainId) {
      throw new GenerateError(
        `${where}: chainId ${String(input.chainId)} differs from the file name.`,
      );
    }
    const checkAddress = (key: string, value: unknown): string => {
      if (typeof value !== "string" || !addressPattern.test(value)) {
        throw new GenerateError(
          `${where}: ${key} must be a 20-byte 0x address, not ${JSON.stringify(value)}.`,
        );
      }
      return value;
    };
    const record: DeploymentRecord = { chainId };
    for (const key of deploymentAddressKeys) record[key] = checkAddress(key, input[key]);
    const block = input.deploymentBlock;
    if (typeof block !== "number" || !Number.isSafeInteger(block) || block < 0) {
      throw new GenerateError(
        `${where}: deploymentBlock must be a block number, not ${JSON.stringify(block)}.`,
      );
    }
    record.deploymentBlock = block;
    for (const key of deploymentOptionalKeys) {
      if (input[key] !== undefined) record[key] = checkAddress(key, input[key]);
    }
    for (const key of deploymentAddressMapKeys) {
      const map = input[key];
      if (map === undefined) continue;
      if (map === null || typeof map !== "object" || Array.isArray(map)) {
        throw new GenerateError(`${where}: ${key} must map names to addresses.`);
      }
      record[key] = Object.fromEntries(
        Object.entries(map as Record<string, unknown>)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, value]) => [name, checkAddress(`${key}.${name}`, value)]),
      );
    }
    deployments.set(chainId, record);
  }
  return deployments;
}

// ------------------------------------------------------------------------------------------------
// Writing
// ------------------------------------------------------------------------------------------------

const header = (what: string) =>
  [
    `// Generated by sdk/scripts/generate-contracts.ts from ${what}.`,
    "// Do not edit: `npm run generate -w sdk` (or the root `npm run compile`) rewrites it.",
    "",
  ].join("\n");

const json = (value: unknown) => JSON.stringify(value, null, 2);

function camel(name: string): string {
  // TradeEscrow -> tradeEscrow, MockERC1271Wallet -> mockErc1271Wallet
  const words = name.match(/[A-Z]+(?![a-z])\d*|[A-Z][a-z\d]*|[a-z\d]+/g) ?? [name];
  return words
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase(),
    )
    .join("");
}

function bytecodeEntry(artifact: Artifact): { bytecode: string; linkReferences: LinkReferences } {
  return { bytecode: artifact.bytecode, linkReferences: artifact.linkReferences };
}

/**
 * The runtime bytecode of `artifact` as the compiler emitted it: library placeholders (filled by
 * linking) and the byte ranges of its immutables (written by the constructor), flattened and sorted,
 * from the build info's `evm.deployedBytecode.immutableReferences`.
 */
async function runtimeEntry(
  root: string,
  artifact: Artifact,
): Promise<{ bytecode: string; linkReferences: LinkReferences; immutableReferences: Ranges }> {
  // Hardhat 3's artifacts carry the immutables' byte ranges themselves.
  const references = artifact.immutableReferences;
  if (references === undefined) {
    throw new GenerateError(
      `No immutable references for ${artifact.contractName}: ${compileHint}.`,
    );
  }
  const immutableReferences = Object.values(references)
    .flat()
    .sort((a, b) => a.start - b.start);
  return {
    bytecode: artifact.deployedBytecode,
    linkReferences: artifact.deployedLinkReferences,
    immutableReferences,
  };
}

/** Writes `path` only when its content changes, so watchers and caches stay quiet. */
async function writeIfChanged(path: string, content: string): Promise<boolean> {
  if (existsSync(path) && (await readFile(path, "utf8")) === content) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return true;
}

export type GenerateParameters = {
  /** The repository root: `artifacts/` and `deployments/` are read from here. */
  root?: string;
  /** Where the sdk is: output goes to `src/contracts/generated/` and `test/generated/` under it. */
  sdk?: string;
  /** Where the deployment records are. Default: `deployments/` under `root`. */
  deployments?: string;
};

/** Reads the artifacts and deployments and writes the generated files. Returns what changed. */
export async function generateContracts(parameters: GenerateParameters = {}): Promise<string[]> {
  const root = parameters.root ?? ROOT;
  const sdk = parameters.sdk ?? SDK;
  if (!existsSync(join(root, "artifacts"))) {
    throw new GenerateError(`No Hardhat artifacts in ${join(root, "artifacts")}: ${compileHint}.`);
  }

  const escrow = await readArtifact(root, contracts.tradeEscrow);
  const court = await readArtifact(root, contracts.arbitrationCourt);
  const ratings = await readArtifact(root, contracts.sellerRatings);
  const receipt = await readArtifact(root, contracts.warehouseReceipt);
  const libraryArtifacts = await Promise.all(libraries.map((id) => readArtifact(root, id)));
  const ozErrors = await Promise.all(escrowOpenZeppelinErrors.map((id) => readArtifact(root, id)));
  const erc20 = await Promise.all(erc20Parts.map((id) => readArtifact(root, id)));
  const erc20Permit = await readArtifact(root, erc20Errors);
  const mockArtifacts = {
    mockStablecoin: await readArtifact(root, mocks.mockStablecoin),
    mockErc1271Wallet: await readArtifact(root, mocks.mockErc1271Wallet),
  };

  // Check that the libraries the escrow links are exactly the ones listed here.
  const linked = Object.values(escrow.linkReferences)
    .flatMap((byName) => Object.keys(byName))
    .sort();
  if (json(linked) !== json([...ESCROW_LIBRARIES].sort())) {
    throw new GenerateError(
      `TradeEscrow links ${linked.join(", ")}, but the generator lists ${ESCROW_LIBRARIES.join(", ")}; update ESCROW_LIBRARIES.`,
    );
  }

  // The escrow: its own ABI, then what its libraries emit and revert with (they run in its
  // context), the errors of the receipts it mints and the court it calls, and OpenZeppelin's.
  const tradeEscrowAbi = mergeAbis(escrow.abi, [
    ...libraryArtifacts.map((artifact) => artifact.abi),
    errorsOf(receipt.abi),
    errorsOf(court.abi),
    ...ozErrors.map((artifact) => errorsOf(artifact.abi)),
  ]);
  const erc20PermitAbi = mergeAbis(
    erc20.flatMap((artifact) => artifact.abi),
    [errorsOf(erc20Permit.abi)],
  );

  const abis = [
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

  const bytecode = [
    header("the Hardhat artifacts in artifacts/"),
    "/** The external libraries TradeEscrow links against, in deployment order. */",
    `export const escrowLibraryNames = ${json(ESCROW_LIBRARIES)} as const;`,
    "",
    "/** Creation bytecode of TradeEscrow; fill `linkReferences` with `linkBytecode`. */",
    `export const tradeEscrowBytecode = ${json(bytecodeEntry(escrow))} as const;`,
    "",
    `export const arbitrationCourtBytecode = ${json(bytecodeEntry(court))} as const;`,
    "",
    `export const sellerRatingsBytecode = ${json(bytecodeEntry(ratings))} as const;`,
    "",
    "/** For reference: the escrow deploys its WarehouseReceipt itself. */",
    `export const warehouseReceiptBytecode = ${json(bytecodeEntry(receipt))} as const;`,
    "",
    "/** Creation bytecode of each escrow library (none of them links another). */",
    `export const escrowLibraryBytecodes = ${json(
      Object.fromEntries(
        libraryArtifacts.map((artifact) => [artifact.contractName, bytecodeEntry(artifact)]),
      ),
    )} as const;`,
    "",
  ].join("\n");

  const runtime = [
    header("the Hardhat artifacts and build info in artifacts/"),
    "/**",
    " * Runtime bytecode as the compiler emitted it, to compare with the code at an address: fill",
    " * `linkReferences` with the libraries' addresses (`linkBytecode`) and mask `immutableReferences`",
    " * (byte ranges the constructor writes). A library's code also starts with its own address",
    " * (PUSH20 at byte 1), which the compiler leaves zero.",
    " */",
    `export const runtimeBytecodes = ${json({
      TradeEscrow: await runtimeEntry(root, escrow),
      ArbitrationCourt: await runtimeEntry(root, court),
      SellerRatings: await runtimeEntry(root, ratings),
      WarehouseReceipt: await runtimeEntry(root, receipt),
      ...Object.fromEntries(
        await Promise.all(
          libraryArtifacts.map(async (artifact) => [
            artifact.contractName,
            await runtimeEntry(root, artifact),
          ]),
        ),
      ),
    })} as const;`,
    "",
  ].join("\n");

  const enums = await readEnums(root);
  const enumsFile = [
    header("the compiler's AST in artifacts/build-info/"),
    ...enums.flatMap((definition) => [
      `/** Solidity \`${definition.canonicalName}\`: member name to value. */`,
      `export const ${definition.name} = {`,
      ...definition.members.map((member, index) => `  ${member}: ${index},`),
      "} as const;",
      `export type ${definition.name} = (typeof ${definition.name})[keyof typeof ${definition.name}];`,
      `/** The member names of \`${definition.canonicalName}\`, by value. */`,
      `export const ${camel(definition.name)}Names = ${json(definition.members)} as const;`,
      "",
    ]),
  ].join("\n");

  const deployments = await readDeployments(parameters.deployments ?? join(root, "deployments"));
  const deploymentsFile = [
    header("deployments/<chainId>.json"),
    'import type { Deployment } from "../deployment.js";',
    "",
    deployments.size === 0
      ? "/** The deployments by chain id. None yet: the deploy script writes deployments/<chainId>.json. */"
      : `/** The deployments by chain id (${[...deployments.keys()].join(", ")}). */`,
    `export const deployments = ${json(Object.fromEntries(deployments))} as const satisfies Readonly<Record<number, Deployment>>;`,
    "",
  ].join("\n");

  const mocksFile = [
    header("the Hardhat artifacts of contracts/mocks/ (test-only contracts)"),
    ...Object.entries(mockArtifacts).flatMap(([name, artifact]) => [
      `export const ${name}Abi = ${json(artifact.abi)} as const;`,
      "",
      `export const ${name}Bytecode = ${json(bytecodeEntry(artifact))} as const;`,
      "",
    ]),
  ].join("\n");

  const generated = join(sdk, "src", "contracts", "generated");
  const outputs: [string, string][] = [
    [join(generated, "abis.ts"), abis],
    [join(generated, "bytecode.ts"), bytecode],
    [join(generated, "runtime.ts"), runtime],
    [join(generated, "enums.ts"), enumsFile],
    [join(generated, "deployments.ts"), deploymentsFile],
    [join(sdk, "test", "generated", "mocks.ts"), mocksFile],
  ];
  const changed: string[] = [];
  for (const [path, content] of outputs) {
    if (await writeIfChanged(path, content)) changed.push(relative(sdk, path));
  }
  return changed;
}

// ------------------------------------------------------------------------------------------------
// Command line
// ------------------------------------------------------------------------------------------------

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;

if (invokedDirectly) {
  try {
    const changed = await generateContracts();
    process.stdout.write(
      changed.length === 0
        ? "Typed contracts are up to date.\n"
        : `Generated ${changed.join(", ")}.\n`,
    );
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error;
    process.stderr.write(`generate-contracts: ${error.message}\n`);
    process.exit(1);
  }
}
