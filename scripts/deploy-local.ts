import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import hre from "hardhat";
import { deployLocalDemo, writeDeploymentRecord } from "./lib/deployPlatform";

// The local stack's deployment (`npm start` runs it): `hardhat run scripts/deploy-local.ts
// --network localhost` (LOCAL_RPC_URL to name another node). The node is always fresh, so
// Ignition's journal of an earlier local chain is dropped first. Prints the record as JSON on the
// last line of stdout.

const ROOT = path.resolve(import.meta.dirname, "..");

async function main(): Promise<void> {
  // `--network localhost` makes localhost the network `getOrCreate` connects to.
  const connection = await hre.network.getOrCreate();
  const { chainId } = await connection.ethers.provider.getNetwork();
  if (connection.networkName !== "localhost" || chainId !== 31_337n)
    throw new Error("deploy-local is for a local Hardhat node: pass --network localhost.");
  await rm(path.join(ROOT, "ignition", "deployments", "chain-31337"), {
    recursive: true,
    force: true,
  });
  const record = await deployLocalDemo(connection, hre.artifacts);
  await writeDeploymentRecord(path.join(ROOT, "deployments"), record);
  execFileSync("npm", ["run", "--silent", "generate", "-w", "sdk"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  console.log(JSON.stringify(record));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
