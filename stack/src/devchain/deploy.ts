import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, createWalletClient, getAddress, maxUint256, zeroAddress } from "viem";
import type { Abi, Address, Hex } from "viem";
import { hardhat } from "viem/chains";
import { arbitrationCourtAbi, sellerRatingsAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import {
  arbitrationCourtBytecode,
  escrowLibraryBytecodes,
  escrowLibraryNames,
  linkBytecode,
  sellerRatingsBytecode,
  tradeEscrowBytecode,
} from "@trade-escrow/sdk/bytecode";
import { address, arbitratorRoles } from "./accounts.js";
import type { Role } from "./accounts.js";
import { ROOT } from "./node.js";
import { devTransport } from "./transport.js";

export const FEE_BPS = 100;
export const FEE_CAP_BPS = 500;

/** What is deployed on the test chain. */
export type Deployed = {
  rpcUrl: string;
  chainId: number;
  deploymentBlock: number;
  escrow: Address;
  court: Address;
  ratings: Address;
  /** A permit stablecoin (6 decimals) from the root's Hardhat artifacts (test-only mock). */
  usd: Address;
};

/** MockStablecoin's ABI and bytecode, read from the root's artifacts (the sdk keeps its copy private). */
export function mockStablecoin(): { abi: Abi; bytecode: Hex } {
  const path = join(ROOT, "artifacts/contracts/mocks/MockStablecoin.sol/MockStablecoin.json");
  const artifact = JSON.parse(readFileSync(path, "utf8")) as { abi: Abi; bytecode: Hex };
  return { abi: artifact.abi, bytecode: artifact.bytecode };
}

/**
 * Deploys the escrow (its libraries linked with the sdk's `linkBytecode`), the court, the ratings and a
 * stablecoin with viem; grants the operator, inspector, credit oracle and court roles, accredits five arbitrators,
 * and gives each buyer stablecoins and an allowance.
 */
export async function deployStack(rpcUrl: string): Promise<Deployed> {
  const transport = devTransport(rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });
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
    return { address: getAddress(receipt.contractAddress!), blockNumber: receipt.blockNumber };
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
  const coin = mockStablecoin();
  const usd = await deploy(coin.abi, coin.bytecode, ["Test USD", "TUSD", 6]);

  const role = (
    functionName: "COURT_ROLE" | "OPERATOR_ROLE" | "INSPECTOR_ROLE" | "CREDIT_ORACLE_ROLE",
  ) => publicClient.readContract({ address: escrow.address, abi: tradeEscrowAbi, functionName });
  const grants: [Hex, Address][] = [
    [await role("COURT_ROLE"), court.address],
    [await role("OPERATOR_ROLE"), address("operator")],
    [await role("OPERATOR_ROLE"), address("operator2")],
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
  for (const arbitrator of arbitratorRoles) {
    await mined(
      await admin.writeContract({
        address: court.address,
        abi: arbitrationCourtAbi,
        functionName: "accreditArbitrator",
        args: [address(arbitrator)],
      }),
    );
  }
  for (const buyer of ["buyer", "buyer2", "buyer3"] as const) {
    await mined(
      await admin.writeContract({
        address: usd.address,
        abi: coin.abi,
        functionName: "mint",
        args: [address(buyer), 10n ** 15n],
      }),
    );
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
    deploymentBlock: Number(deploymentBlock ?? 0n),
    escrow: escrow.address,
    court: court.address,
    ratings: ratings.address,
    usd: usd.address,
  };
}
