/** `src/contracts/generated/enums.ts`: the interfaces' Solidity enums, from the compiler's AST. */
import { GenerateError, compileHint } from "./artifacts.js";
import type { ArtifactReader } from "./artifacts.js";
import type { GeneratedFile } from "./file.js";
import { camel, header, json } from "./format.js";

/** The interfaces whose enums are generated. */
const enumSources = [
  "contracts/interfaces/ITradeEscrowTypes.sol",
  "contracts/interfaces/IArbitrationCourt.sol",
  "contracts/interfaces/IArbitrator.sol",
];

/** Enums renamed in TypeScript, where the Solidity name alone says too little. */
const enumAliases: Record<string, string> = { "IArbitrationCourt.Phase": "CourtPhase" };

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

/** The enums of `enumSources`, in source order; throws when two would share a TypeScript name. */
async function readEnums(artifacts: ArtifactReader): Promise<EnumDefinition[]> {
  const enums: EnumDefinition[] = [];
  for (const source of enumSources) {
    const name = source.slice(source.lastIndexOf("/") + 1, -".sol".length);
    const artifact = await artifacts.read({ source, name });
    const output = await artifacts.compilerOutput(artifact);
    const ast = output.output.sources[artifact.inputSourceName]?.ast;
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

export const enumsFile: GeneratedFile = {
  path: "src/contracts/generated/enums.ts",
  async render({ artifacts }) {
    const enums = await readEnums(artifacts);
    return [
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
  },
};
