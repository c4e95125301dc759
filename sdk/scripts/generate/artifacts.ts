/**
 * Reading the root's Hardhat 3 artifacts: the types the generators share, the error they throw, and
 * a reader that parses each artifact and compiler output once.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";

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

/** Byte ranges of a bytecode, as solc reports them. */
export type Ranges = { start: number; length: number }[];

/** Where a bytecode holds each library's address: by source name, then library name. */
export type LinkReferences = Record<string, Record<string, Ranges>>;

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

/** A contract's artifact, by its source path (relative to `artifacts/`) and name. */
export type ArtifactId = { source: string; name: string };

/** The part of a compiler output the generators read. */
export type CompilerOutput = { output: { sources: Record<string, { ast: unknown }> } };

export class GenerateError extends Error {
  override name = "GenerateError";
}

export const compileHint = "run `npm run compile` at the repository root first";

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
async function readCompilerOutput(root: string, artifact: Artifact): Promise<CompilerOutput> {
  const path = join(root, "artifacts", "build-info", `${artifact.buildInfoId}.output.json`);
  if (!existsSync(path))
    throw new GenerateError(`Missing ${relative(root, path)}: ${compileHint}.`);
  return JSON.parse(await readFile(path, "utf8")) as CompilerOutput;
}

/**
 * Where the artifact of a compiler input source lies under `artifacts/`: the project's sources
 * without `project/`, npm packages without `npm/` and the version (`npm/@scope/pkg@1.2.3/x.sol` is
 * `@scope/pkg/x.sol`).
 */
export function artifactSource(inputSourceName: string): string {
  if (inputSourceName.startsWith("project/")) return inputSourceName.slice("project/".length);
  const npm = /^npm\/((?:@[^/]+\/)?[^/@]+)@[^/]+\/(.+)$/.exec(inputSourceName);
  if (npm !== null) return `${npm[1]}/${npm[2]}`;
  throw new GenerateError(`Cannot place the artifact of source ${inputSourceName}.`);
}

export type ArtifactReader = {
  /** The artifact of `id`, read and checked once. */
  read(id: ArtifactId): Promise<Artifact>;
  /** The compiler output `artifact` came from; outputs are tens of MiB, so each is parsed once. */
  compilerOutput(artifact: Artifact): Promise<CompilerOutput>;
};

export type CreateArtifactReaderParameters = {
  /** The repository root, holding `artifacts/`. */
  root: string;
};

export function createArtifactReader({ root }: CreateArtifactReaderParameters): ArtifactReader {
  const artifacts = new Map<string, Promise<Artifact>>();
  const outputs = new Map<string, Promise<CompilerOutput>>();
  return {
    read(id) {
      const key = `${id.source}:${id.name}`;
      let artifact = artifacts.get(key);
      if (artifact === undefined) {
        artifact = readArtifact(root, id);
        artifacts.set(key, artifact);
      }
      return artifact;
    },
    compilerOutput(artifact) {
      let output = outputs.get(artifact.buildInfoId);
      if (output === undefined) {
        output = readCompilerOutput(root, artifact);
        outputs.set(artifact.buildInfoId, output);
      }
      return output;
    },
  };
}
