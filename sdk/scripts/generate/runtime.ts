/**
 * `src/contracts/generated/runtime.ts`: runtime bytecode of the platform's contracts and the
 * escrow's libraries, with their link and immutable references, to compare with the code at an
 * address.
 */
import { GenerateError, compileHint } from "./artifacts.js";
import type { Artifact, LinkReferences, Ranges } from "./artifacts.js";
import type { GeneratedFile } from "./file.js";
import { header, json } from "./format.js";
import { readPlatform } from "./platform.js";

/**
 * The runtime bytecode of `artifact` as the compiler emitted it: library placeholders (filled by
 * linking) and the byte ranges of its immutables (written by the constructor), flattened and sorted.
 */
function runtimeEntry(artifact: Artifact): {
  bytecode: string;
  linkReferences: LinkReferences;
  immutableReferences: Ranges;
} {
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

export const runtimeFile: GeneratedFile = {
  path: "src/contracts/generated/runtime.ts",
  async render({ artifacts }) {
    const { escrow, court, ratings, receipt, libraries } = await readPlatform(artifacts);
    return [
      header("the Hardhat artifacts and build info in artifacts/"),
      "/**",
      " * Runtime bytecode as the compiler emitted it, to compare with the code at an address: fill",
      " * `linkReferences` with the libraries' addresses (`linkBytecode`) and mask `immutableReferences`",
      " * (byte ranges the constructor writes). A library's code also starts with its own address",
      " * (PUSH20 at byte 1), which the compiler leaves zero.",
      " */",
      `export const runtimeBytecodes = ${json({
        TradeEscrow: runtimeEntry(escrow),
        ArbitrationCourt: runtimeEntry(court),
        SellerRatings: runtimeEntry(ratings),
        WarehouseReceipt: runtimeEntry(receipt),
        ...Object.fromEntries(
          libraries.map((library) => [library.contractName, runtimeEntry(library)]),
        ),
      })} as const;`,
      "",
    ].join("\n");
  },
};
