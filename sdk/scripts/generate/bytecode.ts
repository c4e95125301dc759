/**
 * `src/contracts/generated/bytecode.ts`: creation bytecode and link references of the platform's
 * contracts and the escrow's libraries, and the libraries' names.
 */
import type { GeneratedFile } from "./file.js";
import { bytecodeEntry, header, json } from "./format.js";
import { readPlatform } from "./platform.js";

export const bytecodeFile: GeneratedFile = {
  path: "src/contracts/generated/bytecode.ts",
  async render({ artifacts }) {
    const { escrow, court, ratings, receipt, libraries } = await readPlatform(artifacts);
    return [
      header("the Hardhat artifacts in artifacts/"),
      "/** The external libraries TradeEscrow links against, in deployment order. */",
      `export const escrowLibraryNames = ${json(libraries.map((library) => library.contractName))} as const;`,
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
          libraries.map((library) => [library.contractName, bytecodeEntry(library)]),
        ),
      )} as const;`,
      "",
    ].join("\n");
  },
};
