import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { TradeEscrow } from "../../typechain-types";
import { ESCROW_LIBRARIES } from "./escrowLibraries";

export { ESCROW_LIBRARIES };

export type DeployEscrowParameters = {
  admin: string;
  treasury: string;
  feeBps: number;
  feeCapBps: number;
  /** The operators' bond token; the zero address for the native coin. */
  bondToken: string;
};

/** Deploys the escrow's logic libraries, then the escrow linked against them, on `ethers`'s network. */
export async function deployEscrow(
  ethers: HardhatEthers,
  parameters: DeployEscrowParameters,
): Promise<TradeEscrow> {
  const libraries: Record<string, string> = {};
  for (const name of ESCROW_LIBRARIES) {
    const library = await ethers.deployContract(name);
    libraries[name] = await library.getAddress();
  }
  const factory = await ethers.getContractFactory("TradeEscrow", { libraries });
  const { admin, treasury, feeBps, feeCapBps, bondToken } = parameters;
  const escrow = await factory.deploy(admin, treasury, feeBps, feeCapBps, bondToken);
  await escrow.waitForDeployment();
  return escrow as unknown as TradeEscrow;
}
