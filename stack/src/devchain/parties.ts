import { createPublicClient, createWalletClient } from "viem";
import { hardhat } from "viem/chains";
import { arbitrationCourtAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import { address, arbitratorRoles, devTransport } from "@trade-escrow/sdk/devchain";
import type { DevDeployment } from "@trade-escrow/sdk/devchain";

/**
 * What the stack's trades need on top of the sdk's `deployStack`, as the local demo's Ignition
 * module grants it: a second operator and five accredited arbitrators.
 */
export async function accreditParties(deployment: DevDeployment): Promise<void> {
  const transport = devTransport(deployment.rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });
  const admin = createWalletClient({ chain: hardhat, transport, account: address("admin") });
  const hashes = [
    await admin.writeContract({
      address: deployment.tradeEscrow,
      abi: tradeEscrowAbi,
      functionName: "grantRole",
      args: [
        await publicClient.readContract({
          address: deployment.tradeEscrow,
          abi: tradeEscrowAbi,
          functionName: "OPERATOR_ROLE",
        }),
        address("operator2"),
      ],
    }),
  ];
  for (const arbitrator of arbitratorRoles) {
    hashes.push(
      await admin.writeContract({
        address: deployment.arbitrationCourt,
        abi: arbitrationCourtAbi,
        functionName: "accreditArbitrator",
        args: [address(arbitrator)],
      }),
    );
  }
  for (const hash of hashes) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted.`);
  }
}
