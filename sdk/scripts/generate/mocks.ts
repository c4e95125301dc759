/** `test/generated/mocks.ts`: the test-only mocks (stablecoin with permit, ERC-1271 wallet). */
import type { ArtifactId } from "./artifacts.js";
import type { GeneratedFile } from "./file.js";
import { bytecodeEntry, header, json } from "./format.js";

const mocks = {
  mockStablecoin: { source: "contracts/mocks/MockStablecoin.sol", name: "MockStablecoin" },
  mockErc1271Wallet: { source: "contracts/mocks/MockERC1271Wallet.sol", name: "MockERC1271Wallet" },
  libraryHarness: { source: "contracts/mocks/LibraryHarness.sol", name: "LibraryHarness" },
} satisfies Record<string, ArtifactId>;

export const mocksFile: GeneratedFile = {
  path: "test/generated/mocks.ts",
  async render({ artifacts }) {
    const entries = await Promise.all(
      Object.entries(mocks).map(async ([name, id]) => [name, await artifacts.read(id)] as const),
    );
    return [
      header("the Hardhat artifacts of contracts/mocks/ (test-only contracts)"),
      ...entries.flatMap(([name, artifact]) => [
        `export const ${name}Abi = ${json(artifact.abi)} as const;`,
        "",
        `export const ${name}Bytecode = ${json(bytecodeEntry(artifact))} as const;`,
        "",
      ]),
    ].join("\n");
  },
};
