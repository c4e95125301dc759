import { execFileSync } from "node:child_process";
import path from "node:path";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import type { VerifyContractArgs } from "@nomicfoundation/hardhat-verify/verify";
import hre from "hardhat";
import { deployPlatform, readJsonIfPresent, writeDeploymentRecord } from "./lib/deployPlatform";
import type { DeploymentRecord, PlatformParameters } from "./lib/deployPlatform";

// `npm run deploy -- --network NAME`: deploys the platform with Ignition (resuming an interrupted
// deployment), records it in deployments/<chainId>.json for the sdk, regenerates the sdk, and
// verifies the sources on the explorer when ETHERSCAN_API_KEY is set (keystore or environment).
// Parameters: ignition/parameters/<network>.json, `{ "TradeEscrow": { "treasury": "0x…", … } }`.

const ROOT = path.resolve(import.meta.dirname, "..");

async function main(): Promise<void> {
  // `--network NAME` makes NAME the network `getOrCreate` connects to.
  const connection = await hre.network.getOrCreate();
  const network = connection.networkName;
  if (connection.networkConfig.type === "edr-simulated") {
    throw new Error(
      "The in-process Hardhat network forgets everything when the command ends: pass --network NAME (localhost for `npx hardhat node`, or one in hardhat.config.ts).",
    );
  }
  const [deployer] = await connection.ethers.getSigners();
  if (deployer === undefined) {
    throw new Error(
      `No account to deploy with on ${network}: set one with \`npx hardhat keystore set DEPLOYER_PRIVATE_KEY\`.`,
    );
  }
  const parametersFile = path.join(ROOT, "ignition", "parameters", `${network}.json`);
  const parameters =
    (await readJsonIfPresent<{ TradeEscrow?: PlatformParameters }>(parametersFile))?.TradeEscrow ??
    {};
  console.log(`Deploying to ${network} from ${deployer.address}.`);
  const record = await deployPlatform(connection, hre.artifacts, parameters);
  const file = await writeDeploymentRecord(path.join(ROOT, "deployments"), record);
  execFileSync("npm", ["run", "--silent", "generate", "-w", "sdk"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  console.table({
    TradeEscrow: record.tradeEscrow,
    ArbitrationCourt: record.arbitrationCourt,
    SellerRatings: record.sellerRatings,
    WarehouseReceipt: record.warehouseReceipt,
  });
  console.log(
    `Recorded in ${path.relative(ROOT, file)} (deployment block ${record.deploymentBlock}).`,
  );
  const explorerKey = await explorerKeyState();
  if (explorerKey !== "set" || network === "localhost") {
    console.log(
      `Source verification skipped (${network === "localhost" ? "a local network" : explorerKey}).`,
    );
    return;
  }
  await verifyPlatform(record, parameters, deployer.address);
}

/**
 * Whether the explorer's key is there: `ETHERSCAN_API_KEY` is a configuration variable (the keystore
 * or the environment), whose `get()` throws when it is set nowhere, or when the keystore cannot be
 * opened; the reason is told, so a mistyped keystore password does not pass for "no key".
 */
async function explorerKeyState(): Promise<"set" | string> {
  try {
    return (await hre.config.verify.etherscan.apiKey.get()) === ""
      ? "ETHERSCAN_API_KEY is empty"
      : "set";
  } catch (error) {
    return `no ETHERSCAN_API_KEY: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Verifies every contract on the explorer; one already verified is not an error. */
async function verifyPlatform(
  record: DeploymentRecord,
  parameters: PlatformParameters,
  deployer: string,
): Promise<void> {
  const admin = deployer;
  const treasury = parameters.treasury ?? deployer;
  const targets: (VerifyContractArgs & { name: string })[] = [
    ...Object.entries(record.libraries).map(([name, address]) => ({
      name,
      address,
      constructorArgs: [],
    })),
    {
      name: "TradeEscrow",
      address: record.tradeEscrow,
      constructorArgs: [
        admin,
        treasury,
        parameters.feeBps ?? 100,
        parameters.feeCapBps ?? 500,
        record.bondToken,
      ],
      libraries: record.libraries,
    },
    {
      name: "ArbitrationCourt",
      address: record.arbitrationCourt,
      constructorArgs: [admin, treasury],
    },
    {
      name: "SellerRatings",
      address: record.sellerRatings,
      constructorArgs: [record.tradeEscrow, admin],
    },
    { name: "WarehouseReceipt", address: record.warehouseReceipt, constructorArgs: [] },
  ];
  for (const { name, ...target } of targets) {
    try {
      // Etherscan (the default provider); it returns at once for a contract already verified.
      await verifyContract(target, hre);
      console.log(`Verified ${name}.`);
    } catch (error) {
      const message = (error as Error).message;
      if (/already verified/i.test(message)) console.log(`${name} was already verified.`);
      else
        throw new Error(`Verifying ${name} at ${target.address} failed: ${message}`, {
          cause: error,
        });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
