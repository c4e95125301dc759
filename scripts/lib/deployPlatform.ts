import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArtifactManager } from "hardhat/types/artifacts";
import type { NetworkConnection } from "hardhat/types/network";
import LocalDemoModule from "../../ignition/modules/LocalDemo";
import TradeEscrowModule from "../../ignition/modules/TradeEscrow";
import type { Deployment } from "../../sdk/src/contracts/deployment";
import { ESCROW_LIBRARIES } from "./escrowLibraries";

/**
 * What `deployments/<chainId>.json` holds: the sdk's `Deployment` (what its generator reads and
 * integrators get from `getDeployment`), with the bond token and the libraries, which a deployment
 * always records, required.
 */
export type DeploymentRecord = Deployment & Required<Pick<Deployment, "bondToken" | "libraries">>;

type Address = `0x${string}`;

/** The `TradeEscrow` module's parameters (see ignition/modules/TradeEscrow.ts). */
export type PlatformParameters = {
  treasury?: string;
  feeBps?: number;
  feeCapBps?: number;
  bondToken?: string;
};

/**
 * The first block at which `address` has code, by bisection over `eth_getCode` (needs the node to
 * answer for past blocks; an archive node on a long chain). Ignition records no block numbers.
 */
export async function firstBlockWithCode(
  connection: NetworkConnection,
  address: string,
): Promise<number> {
  const provider = connection.ethers.provider;
  let high = await provider.getBlockNumber();
  let low = 0;
  if ((await provider.getCode(address, high)) === "0x")
    throw new Error(`No code at ${address} at block ${high}.`);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if ((await provider.getCode(address, middle)) === "0x") low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The library addresses linked into the escrow's deployed code, at the offsets the artifact's
 * `deployedLinkReferences` name: what the chain runs, not what a journal says.
 */
export async function linkedLibraries(
  connection: NetworkConnection,
  artifacts: ArtifactManager,
  escrow: string,
): Promise<Record<string, Address>> {
  const { ethers } = connection;
  const artifact = await artifacts.readArtifact("TradeEscrow");
  const code = await ethers.provider.getCode(escrow);
  const libraries: Record<string, Address> = {};
  for (const references of Object.values(artifact.deployedLinkReferences)) {
    for (const [name, [first]] of Object.entries(references)) {
      if (first === undefined) continue;
      const start = 2 + first.start * 2;
      libraries[name] = ethers.getAddress(
        `0x${code.slice(start, start + first.length * 2)}`,
      ) as Address;
    }
  }
  const names = Object.keys(libraries).sort();
  if (names.join() !== [...ESCROW_LIBRARIES].sort().join())
    throw new Error(`The escrow links ${names.join(", ")}, not ${ESCROW_LIBRARIES.join(", ")}.`);
  return libraries;
}

/** The addresses every record holds, read from the deployed platform's contracts. */
async function platformRecord(
  connection: NetworkConnection,
  artifacts: ArtifactManager,
  deployed: Record<"escrow" | "court" | "ratings" | "warehouseReceipt", Addressable>,
  bondToken: Address,
): Promise<DeploymentRecord> {
  const tradeEscrow = await addressOf(deployed.escrow);
  const { chainId } = await connection.ethers.provider.getNetwork();
  return {
    chainId: Number(chainId),
    tradeEscrow,
    arbitrationCourt: await addressOf(deployed.court),
    sellerRatings: await addressOf(deployed.ratings),
    warehouseReceipt: await addressOf(deployed.warehouseReceipt),
    deploymentBlock: await firstBlockWithCode(connection, tradeEscrow),
    bondToken,
    libraries: await linkedLibraries(connection, artifacts, tradeEscrow),
  };
}

type Addressable = { getAddress(): Promise<string> };

/** The contract's address; ethers returns it checksummed, a 0x string. */
const addressOf = async (contract: Addressable) => (await contract.getAddress()) as Address;

/**
 * Deploys (or resumes deploying) the platform with Ignition on `connection`'s network and returns
 * its record. Ignition keeps its journal under ignition/deployments/chain-<id>, so a second run on a
 * live network deploys nothing again; the in-process Hardhat network starts afresh each time.
 */
export async function deployPlatform(
  connection: NetworkConnection,
  artifacts: ArtifactManager,
  parameters: PlatformParameters = {},
): Promise<DeploymentRecord> {
  const deployed = await connection.ignition.deploy(TradeEscrowModule, {
    parameters: { TradeEscrow: parameters },
    // No progress display on an in-process network (the tests'): Hardhat 3 names it "default".
    displayUi: connection.networkConfig.type !== "edr-simulated",
  });
  const bondToken = (parameters.bondToken ?? ZERO_ADDRESS) as Address;
  return platformRecord(connection, artifacts, deployed, bondToken);
}

/**
 * Deploys the local stack's platform, demo stablecoin and accredited demo parties (the `LocalDemo`
 * module) on a fresh local chain, and returns the record with the stablecoin under `tokens.DUSD`.
 */
export async function deployLocalDemo(
  connection: NetworkConnection,
  artifacts: ArtifactManager,
): Promise<DeploymentRecord> {
  const deployed = await connection.ignition.deploy(LocalDemoModule, { displayUi: false });
  const record = await platformRecord(connection, artifacts, deployed, ZERO_ADDRESS);
  return { ...record, tokens: { DUSD: await addressOf(deployed.stablecoin) } };
}

const ZERO_ADDRESS: Address = "0x0000000000000000000000000000000000000000";

/**
 * Writes `directory/<chainId>.json`, keeping the `tokens` an earlier record listed (payment tokens
 * are added by hand or by the local demo), and returns the path.
 */
export async function writeDeploymentRecord(
  directory: string,
  record: DeploymentRecord,
): Promise<string> {
  const file = path.join(directory, `${record.chainId}.json`);
  let tokens = record.tokens;
  const previous = await readJsonIfPresent<Partial<DeploymentRecord>>(file);
  if (previous?.tokens !== undefined) tokens = { ...previous.tokens, ...tokens };
  await mkdir(directory, { recursive: true });
  const output =
    tokens === undefined || Object.keys(tokens).length === 0 ? record : { ...record, tokens };
  await writeFile(file, `${JSON.stringify(output, null, 2)}\n`);
  return file;
}

/** The JSON in `file`, or undefined when there is no such file (a malformed one throws). */
export async function readJsonIfPresent<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}
