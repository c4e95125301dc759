import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { generateContracts } from "../scripts/generate-contracts.js";
import {
  GenerateError,
  abiItemKey,
  artifactSource,
  linkedLibraries,
  mergeAbis,
  readDeployments,
  readEscrowLibraries,
} from "../scripts/generate/index.js";
import type {
  AbiItem,
  Artifact,
  ArtifactReader,
  LinkReferences,
} from "../scripts/generate/index.js";

const directories: string[] = [];
async function temporary(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "sdk-generate-"));
  directories.push(directory);
  return directory;
}
afterEach(async () => {
  for (const directory of directories.splice(0))
    await rm(directory, { recursive: true, force: true });
});

const a = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const record = {
  chainId: 31337,
  tradeEscrow: a(1),
  arbitrationCourt: a(2),
  sellerRatings: a(3),
  warehouseReceipt: a(4),
  deploymentBlock: 7,
  libraries: { OpeningLogic: a(6), AmendmentLogic: a(5) },
};

describe("mergeAbis", () => {
  const error = (name: string, ...types: string[]): AbiItem => ({
    type: "error",
    name,
    inputs: types.map((type) => ({ name: "", type })),
  });

  it("adds the errors and events the base lacks, once each, in signature order", () => {
    const base = [{ type: "function", name: "f", inputs: [] }, error("B", "uint256")];
    const merged = mergeAbis(base, [
      [error("B", "uint256"), error("C"), { type: "function", name: "g", inputs: [] }],
      [error("A", "address"), error("C")],
    ]);
    expect(merged.map(abiItemKey)).toEqual([
      "function f()",
      "error B(uint256)",
      "error A(address)",
      "error C()",
    ]);
  });

  it("tells overloads and tuples apart", () => {
    const tuple: AbiItem = {
      type: "error",
      name: "T",
      inputs: [{ name: "x", type: "tuple[]", components: [{ name: "a", type: "uint8" }] }],
    };
    expect(abiItemKey(tuple)).toBe("error T((uint8)[])");
    expect(mergeAbis([error("T", "uint8")], [[tuple]])).toHaveLength(2);
  });
});

describe("linkedLibraries", () => {
  it("names the libraries a bytecode links, by name, with their artifacts' paths", () => {
    const at = [{ start: 1, length: 20 }];
    expect(
      linkedLibraries({
        "project/contracts/libraries/B.sol": { B: at, A: at },
        "npm/@scope/pkg@1.2.3/utils/C.sol": { C: at },
      }),
    ).toEqual([
      { source: "contracts/libraries/B.sol", name: "A" },
      { source: "contracts/libraries/B.sol", name: "B" },
      { source: "@scope/pkg/utils/C.sol", name: "C" },
    ]);
  });

  it("refuses a source it cannot place", () => {
    expect(() => artifactSource("elsewhere/X.sol")).toThrow(GenerateError);
  });
});

describe("readEscrowLibraries", () => {
  const at = [{ start: 1, length: 20 }];
  const artifact = (name: string, links: LinkReferences = {}, deployed = links): Artifact =>
    ({
      contractName: name,
      linkReferences: links,
      deployedLinkReferences: deployed,
    }) as Artifact;
  const reader = (libraries: Record<string, Artifact>): ArtifactReader => ({
    read: ({ name }) => Promise.resolve(libraries[name] ?? artifact(name)),
    compilerOutput: () => Promise.reject(new Error("not read")),
  });
  const links = { "project/contracts/libraries/L.sol": { B: at, A: at } };

  it("reads the libraries the escrow's link references name, by name", async () => {
    const libraries = await readEscrowLibraries(reader({}), artifact("TradeEscrow", links));
    expect(libraries.map((library) => library.contractName)).toEqual(["A", "B"]);
  });

  it("refuses runtime code that links other libraries than the creation code", async () => {
    const escrow = artifact("TradeEscrow", links, { "project/L.sol": { A: at } });
    await expect(readEscrowLibraries(reader({}), escrow)).rejects.toThrow(
      "TradeEscrow's creation code links A, B, but its runtime code A.",
    );
  });

  it("refuses a library that links another", async () => {
    const b = artifact("B", { "project/C.sol": { C: at } });
    await expect(
      readEscrowLibraries(reader({ B: b }), artifact("TradeEscrow", links)),
    ).rejects.toThrow("B links C; the escrow's libraries must link none.");
  });
});

describe("readDeployments", () => {
  it("reads deployments/<chainId>.json, keys in a fixed order", async () => {
    const directory = await temporary();
    await writeFile(join(directory, "31337.json"), JSON.stringify(record));
    const deployments = await readDeployments(directory);
    expect([...deployments.keys()]).toEqual([31337]);
    expect(Object.keys(deployments.get(31337)?.libraries as object)).toEqual([
      "AmendmentLogic",
      "OpeningLogic",
    ]);
  });

  it("is empty without the folder", async () => {
    expect((await readDeployments(join(await temporary(), "missing"))).size).toBe(0);
  });

  it.each([
    ["a file name that is not a chain id", "local.json", record, /file name must be a chain id/],
    ["a chain id that differs from the file name", "1.json", record, /chainId 31337 differs/],
    [
      "a malformed address",
      "31337.json",
      { ...record, tradeEscrow: "0x12" },
      /tradeEscrow must be a 20-byte/,
    ],
    [
      "a missing address",
      "31337.json",
      { ...record, sellerRatings: undefined },
      /sellerRatings must be/,
    ],
    ["an unknown key", "31337.json", { ...record, extra: 1 }, /unknown key "extra"/],
    [
      "a bad block number",
      "31337.json",
      { ...record, deploymentBlock: -1 },
      /deploymentBlock must be/,
    ],
  ])("refuses %s", async (_case, file, content, message) => {
    const directory = await temporary();
    await writeFile(join(directory, file), JSON.stringify(content));
    await expect(readDeployments(directory)).rejects.toThrow(message);
  });
});

describe("generateContracts", () => {
  it("says to compile first when the artifacts are missing", async () => {
    const root = await temporary();
    const run = generateContracts({ root, sdk: await temporary() });
    await expect(run).rejects.toBeInstanceOf(GenerateError);
    await expect(run).rejects.toThrow("run `npm run compile` at the repository root first");
  });

  it("writes the deployments, typed, and rewrites nothing when nothing changed", async () => {
    const sdk = await temporary();
    const deployments = join(await temporary(), "deployments");
    await mkdir(deployments);
    await writeFile(join(deployments, "31337.json"), JSON.stringify(record));
    const changed = await generateContracts({ sdk, deployments });
    expect(changed.sort()).toEqual(
      [
        "src/contracts/generated/abis.ts",
        "src/contracts/generated/bytecode.ts",
        "src/contracts/generated/deployments.ts",
        "src/contracts/generated/enums.ts",
        "src/contracts/generated/runtime.ts",
        "test/generated/mocks.ts",
      ].map((path) => join(...path.split("/"))),
    );
    const file = join(sdk, "src", "contracts", "generated", "deployments.ts");
    const source = await readFile(file, "utf8");
    expect(source).toContain("as const satisfies Readonly<Record<number, Deployment>>");
    const generated = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      deployments: Record<number, unknown>;
    };
    expect(generated.deployments).toEqual({ 31337: record });
    expect(await generateContracts({ sdk, deployments })).toEqual([]);
  });
});
