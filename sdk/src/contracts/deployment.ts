import { UnknownDeploymentError } from "./errors.js";
import { deployments } from "./generated/deployments.js";

type Address = `0x${string}`;

/**
 * One chain's deployment, as the deploy script records it in `deployments/<chainId>.json`
 * (scripts/lib/deployPlatform.ts's `DeploymentRecord` is this type) and the generator copies into
 * `generated/deployments.ts`. The development chain's `deployStack` returns it too, with the node's
 * URL and its test stablecoin (`DevDeployment`, `@trade-escrow/sdk/devchain`).
 */
export type Deployment = {
  readonly chainId: number;
  readonly tradeEscrow: Address;
  readonly arbitrationCourt: Address;
  readonly sellerRatings: Address;
  /** The escrow's `receipts()`: it deploys its WarehouseReceipt itself. */
  readonly warehouseReceipt: Address;
  /** The block of the escrow's deployment: where an indexer starts. */
  readonly deploymentBlock: number;
  /** The token of operators' bonds (absent or the zero address: the native coin). */
  readonly bondToken?: Address;
  /** The escrow's linked libraries, by name. */
  readonly libraries?: Readonly<Record<string, Address>>;
  /** Payment tokens known on this chain, by symbol. */
  readonly tokens?: Readonly<Record<string, Address>>;
};

const byChain: Readonly<Record<number, Deployment | undefined>> = deployments;

/** The chain ids with a known deployment. */
export function deploymentChainIds(): number[] {
  return Object.keys(byChain)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * The deployment on `chainId`.
 *
 * @throws {UnknownDeploymentError} when no deployment is known for the chain.
 *
 * @example
 * const { tradeEscrow } = getDeployment(await publicClient.getChainId());
 */
export function getDeployment(chainId: number | bigint): Deployment {
  const deployment = byChain[Number(chainId)];
  if (deployment === undefined) {
    throw new UnknownDeploymentError({ chainId: Number(chainId), known: deploymentChainIds() });
  }
  return deployment;
}
