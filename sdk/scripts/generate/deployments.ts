/**
 * `src/contracts/generated/deployments.ts`: the addresses per chain id, from
 * `deployments/<chainId>.json` (written by the deploy script), checked against the `Deployment` type.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Deployment } from "../../src/contracts/deployment.js";
import { GenerateError } from "./artifacts.js";
import type { GeneratedFile } from "./file.js";
import { header, json } from "./format.js";

/** What `deployments/<chainId>.json` holds (written by the deploy script). */
const deploymentAddressKeys = [
  "tradeEscrow",
  "arbitrationCourt",
  "sellerRatings",
  "warehouseReceipt",
] as const;
const deploymentOptionalKeys = ["bondToken"] as const;
const deploymentAddressMapKeys = ["libraries", "tokens"] as const;

const addressPattern = /^0x[0-9a-fA-F]{40}$/;

/** Checks one `deployments/<file>` and returns it with its keys in a fixed order. */
function checkDeployment(file: string, chainId: number, json: unknown): Deployment {
  const where = `deployments/${file}`;
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
  const record: Record<string, unknown> = { chainId };
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
  // Every key of `Deployment` was checked above, and only those.
  return record as Deployment;
}

/**
 * Reads and checks `directory/<chainId>.json`. Returns the deployments by chain id, the keys in a
 * fixed order; throws on anything the `Deployment` type would not describe.
 */
export async function readDeployments(directory: string): Promise<Map<number, Deployment>> {
  const deployments = new Map<number, Deployment>();
  if (!existsSync(directory)) return deployments;
  const files = (await readdir(directory)).filter((file) => file.endsWith(".json")).sort();
  for (const file of files) {
    const chainIdText = file.slice(0, -".json".length);
    if (!/^[1-9][0-9]*$/.test(chainIdText)) {
      throw new GenerateError(
        `deployments/${file}: the file name must be a chain id, like 31337.json.`,
      );
    }
    const chainId = Number(chainIdText);
    let content: unknown;
    try {
      content = JSON.parse(await readFile(join(directory, file), "utf8"));
    } catch (error) {
      throw new GenerateError(`deployments/${file} is not JSON: ${(error as Error).message}.`);
    }
    deployments.set(chainId, checkDeployment(file, chainId, content));
  }
  return deployments;
}

export const deploymentsFile: GeneratedFile = {
  path: "src/contracts/generated/deployments.ts",
  async render(context) {
    const deployments = await readDeployments(context.deployments);
    return [
      header("deployments/<chainId>.json"),
      'import type { Deployment } from "../deployment.js";',
      "",
      deployments.size === 0
        ? "/** The deployments by chain id. None yet: the deploy script writes deployments/<chainId>.json. */"
        : `/** The deployments by chain id (${[...deployments.keys()].join(", ")}). */`,
      `export const deployments = ${json(Object.fromEntries(deployments))} as const satisfies Readonly<Record<number, Deployment>>;`,
      "",
    ].join("\n");
  },
};
