import { erc20Abi } from "viem";
import type {
  Abi,
  Address,
  Chain,
  ContractFunctionArgs,
  ContractFunctionName,
  Hex,
  PublicClient,
  SimulateContractParameters,
  UnionOmit,
  WalletClient,
} from "viem";
import { arbitrationCourtAbi, sellerRatingsAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import type { AppConfig } from "../config.js";

/** What every action needs: the chain to read, the wallet to sign with, and the contracts. */
export type Clients = {
  publicClient: PublicClient;
  walletClient: WalletClient;
  account: Address;
  config: AppConfig;
};

type Mutability = "nonpayable" | "payable";

/** The functions of `abi` that send a transaction. */
export type WriteFunctionName<abi extends Abi> = ContractFunctionName<abi, Mutability>;

/** The arguments of `abi`'s `functionName`, as the ABI types them. */
export type WriteArgs<
  abi extends Abi,
  functionName extends WriteFunctionName<abi>,
> = ContractFunctionArgs<abi, Mutability, functionName>;

/**
 * One contract call as `send` takes it: viem's own `simulateContract` parameters, so the function
 * name, its arguments and `value` (a payable function's only) are checked against the ABI. The
 * account and the chain come from the clients.
 */
export type WriteCall<
  abi extends Abi,
  functionName extends WriteFunctionName<abi>,
  args extends WriteArgs<abi, functionName>,
> = UnionOmit<SimulateContractParameters<abi, functionName, args, Chain>, "account" | "chain">;

/** The call as the implementation sees it: `send`'s signature has checked it where it is written. */
type CheckedCall = {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
};

/**
 * Simulates the call first (so a revert shows its custom error before the wallet asks anything),
 * then sends the simulated request through the wallet. Returns the transaction hash. A function
 * the ABI lacks, a wrong argument, or a `value` sent to a function that is not payable fails to
 * compile.
 *
 * @example
 * const hash = await send(clients, {
 *   ...escrowContract(clients),
 *   functionName: "payDeposit",
 *   args: [tradeId],
 *   value: deposit,
 * });
 */
export function send<
  const abi extends Abi,
  functionName extends WriteFunctionName<abi>,
  const args extends WriteArgs<abi, functionName>,
>(clients: Clients, call: WriteCall<abi, functionName, args>): Promise<Hex>;
export async function send(clients: Clients, call: CheckedCall): Promise<Hex> {
  const { request } = await clients.publicClient.simulateContract({
    ...call,
    account: clients.account,
    chain: clients.config.chain,
  });
  return clients.walletClient.writeContract(request);
}

/** The escrow (`TradeEscrow`), to spread into a `send`. */
export const escrowContract = (clients: Clients) =>
  ({ address: clients.config.escrow, abi: tradeEscrowAbi }) as const;

/** The arbitration court the dApp is deployed with, to spread into a `send`. */
export const courtContract = (clients: Clients) =>
  ({ address: clients.config.court, abi: arbitrationCourtAbi }) as const;

/** The seller ratings, to spread into a `send`. */
export const ratingsContract = (clients: Clients) =>
  ({ address: clients.config.ratings, abi: sellerRatingsAbi }) as const;

/** An ERC-20 payment token, to spread into a `send`. */
export const erc20Contract = (token: Address) => ({ address: token, abi: erc20Abi }) as const;
