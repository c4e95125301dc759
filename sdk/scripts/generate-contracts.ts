/**
 * Generates the sdk's typed contracts from the root Hardhat artifacts and deployments. Each file has
 * its generator under `scripts/generate/`; this script only composes them:
 *
 *   src/contracts/generated/abis.ts         abis.ts: ABIs `as const` (the escrow's merged with every
 *                                           error it can surface: its libraries', the receipts', the
 *                                           court's, OpenZeppelin's)
 *   src/contracts/generated/bytecode.ts     bytecode.ts: creation bytecode + link references, and
 *                                           the escrow's libraries as its link references name them
 *   src/contracts/generated/runtime.ts      runtime.ts: runtime bytecode, its link and immutable
 *                                           references
 *   src/contracts/generated/enums.ts        enums.ts: the interfaces' Solidity enums, from the
 *                                           compiler's AST
 *   src/contracts/generated/deployments.ts  deployments.ts: addresses per chain id, from
 *                                           ../deployments/<chainId>.json
 *   test/generated/mocks.ts                 mocks.ts: test-only mocks (stablecoin with permit,
 *                                           ERC-1271 wallet)
 *
 * None of these is committed or edited by hand. Run after `hardhat compile` (the root `npm run
 * compile` does both); the sdk's `pretest` and `pretypecheck` run it too:
 *
 *   npm run generate -w sdk
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  GenerateError,
  abisFile,
  bytecodeFile,
  compileHint,
  createArtifactReader,
  deploymentsFile,
  enumsFile,
  mocksFile,
  runtimeFile,
} from "./generate/index.js";
import type { GeneratedFile } from "./generate/index.js";

const SDK = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = resolve(SDK, "..");

/** What is generated, in the order it is written. */
export const generatedFiles: readonly GeneratedFile[] = [
  abisFile,
  bytecodeFile,
  runtimeFile,
  enumsFile,
  deploymentsFile,
  mocksFile,
];

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
  const context = {
    artifacts: createArtifactReader({ root }),
    deployments: parameters.deployments ?? join(root, "deployments"),
  };
  // Render every file before writing any, so a failure leaves the previous output whole.
  const outputs = await Promise.all(
    generatedFiles.map(async (file) => ({
      path: join(sdk, ...file.path.split("/")),
      content: await file.render(context),
    })),
  );
  const changed: string[] = [];
  for (const { path, content } of outputs) {
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
