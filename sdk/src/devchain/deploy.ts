import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, createWalletClient, getAddress, maxUint256, zeroAddress } from "viem";
import type { Abi, Address, Hex } from "viem";
import { hardhat } from "viem/chains";
import { arbitrationCourtAbi, sellerRatingsAbi, tradeEscrowAbi } from "../contracts/index.js";
import type { Deployment } from "../contracts/index.js";
import {
  arbitrationCourtBytecode,
  escrowLibraryBytecodes,
  escrowLibraryNames,
  linkBytecode,
  sellerRatingsBytecode,
  tradeEscrowBytecode,
} from "../contracts/bytecode.js";
import { address, fundedBuyers } from "./accounts.js";
import type { Role } from "./accounts.js";
import { ROOT } from "./node.js";
import { devTransport } from "./transport.js";

/** The escrow's constructor values on the development chain: 1% fee, capped at 5%, bonds in the native coin. */
export const FEE_BPS = 100;
export const FEE_CAP_BPS = 500;
/** Test USD (6 decimals) minted to each funded buyer and to the permit buyer. */
export const USD_MINTED = 10n ** 15n;

/**
 * A deployment on a development node: the sdk's `Deployment` (what integrators read, what
 * `npm run deploy` records) with what a development chain adds: the node's URL, the test stablecoin
 * (also under `tokens.USD`) and the libraries, always present here.
 */
export type DevDeployment = Deployment & {
  readonly rpcUrl: string;
  /** A permit stablecoin, 6 decimals: MockStablecoin by deployStack, DemoStablecoin in the local demo. */
  readonly usd: Address;
  readonly libraries: Readonly<Record<string, Address>>;
};

/**
 * MockStablecoin's ABI and bytecode, read from the root's Hardhat artifacts (a test-only mock: the
 * sdk's package carries no copy of it).
 */
export function testStablecoin(): { abi: Abi; bytecode: Hex } {
  const path = join(ROOT, "artifacts/contracts/mocks/MockStablecoin.sol/MockStablecoin.json");
  const artifact = JSON.parse(readFileSync(path, "utf8")) as { abi: Abi; bytecode: Hex };
  return { abi: artifact.abi, bytecode: artifact.bytecode };
}

/**
 * Deploys the platform on the development node at `rpcUrl` with viem and the sdk's generated
 * bytecode: the escrow's libraries, the escrow linked against them (it deploys its
 * WarehouseReceipt), the court, the ratings and a permit stablecoin ("Test USD"). Grants the court,
 * operator, inspector (the agency) and credit oracle roles; mints Test USD to the funded buyers and
 * the permit buyer, and the funded buyers approve the escrow (the permit buyer pays with permits).
 * No arbitrator is accredited and no second operator granted: what a caller adds on top.
 *
 * @example
 * const node = await startDevNode();
 * const deployment = await deployStack(node.url);
 */
export async function deployStack(rpcUrl: string): Promise<DevDeployment> {
  const transport = devTransport(rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });
  // The node holds the development keys: JSON-RPC accounts need no local signing.
  const wallet = (role: Role) =>
    createWalletClient({ chain: hardhat, transport, account: address(role) });
  const admin = wallet("admin");
  const mined = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted.`);
    return receipt;
  };
  const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[] = []) => {
    const receipt = await mined(await admin.deployContract({ abi, bytecode, args }));
    if (receipt.contractAddress == null) throw new Error("No contract address.");
    return { address: getAddress(receipt.contractAddress), blockNumber: receipt.blockNumber };
  };

  const libraries = {} as Record<(typeof escrowLibraryNames)[number], Address>;
  let deploymentBlock: bigint | undefined;
  for (const name of escrowLibraryNames) {
    const library = await deploy([], escrowLibraryBytecodes[name].bytecode);
    libraries[name] = library.address;
    deploymentBlock ??= library.blockNumber;
  }
  const escrow = await deploy(
    tradeEscrowAbi,
    linkBytecode(tradeEscrowBytecode.bytecode, tradeEscrowBytecode.linkReferences, libraries),
    [address("admin"), address("treasury"), FEE_BPS, FEE_CAP_BPS, zeroAddress],
  );
  const court = await deploy(arbitrationCourtAbi, arbitrationCourtBytecode.bytecode, [
    address("admin"),
    address("treasury"),
  ]);
  // The admin owns the ratings' fee floors; none is set, so only attested trades are ratable until one is.
  const ratings = await deploy(sellerRatingsAbi, sellerRatingsBytecode.bytecode, [
    escrow.address,
    address("admin"),
  ]);
  const coin = testStablecoin();
  const usd = await deploy(coin.abi, coin.bytecode, ["Test USD", "TUSD", 6]);
  const warehouseReceipt = await publicClient.readContract({
    address: escrow.address,
    abi: tradeEscrowAbi,
    functionName: "receipts",
  });

  const role = (
    functionName: "COURT_ROLE" | "OPERATOR_ROLE" | "INSPECTOR_ROLE" | "CREDIT_ORACLE_ROLE",
  ) => publicClient.readContract({ address: escrow.address, abi: tradeEscrowAbi, functionName });
  const grants: [Hex, Address][] = [
    [await role("COURT_ROLE"), court.address],
    [await role("OPERATOR_ROLE"), address("operator")],
    [await role("INSPECTOR_ROLE"), address("agency")],
    [await role("CREDIT_ORACLE_ROLE"), address("oracle")],
  ];
  for (const [roleId, account] of grants) {
    await mined(
      await admin.writeContract({
        address: escrow.address,
        abi: tradeEscrowAbi,
        functionName: "grantRole",
        args: [roleId, account],
      }),
    );
  }
  for (const buyer of [...fundedBuyers, "permitBuyer"] as const) {
    await mined(
      await admin.writeContract({
        address: usd.address,
        abi: coin.abi,
        functionName: "mint",
        args: [address(buyer), USD_MINTED],
      }),
    );
  }
  for (const buyer of fundedBuyers) {
    await mined(
      await wallet(buyer).writeContract({
        address: usd.address,
        abi: coin.abi,
        functionName: "approve",
        args: [escrow.address, maxUint256],
      }),
    );
  }
  return {
    rpcUrl,
    chainId: await publicClient.getChainId(),
    tradeEscrow: escrow.address,
    arbitrationCourt: court.address,
    sellerRatings: ratings.address,
    warehouseReceipt,
    deploymentBlock: Number(deploymentBlock ?? 0n),
    bondToken: zeroAddress,
    libraries,
    tokens: { USD: usd.address },
    usd: usd.address,
  };
}
