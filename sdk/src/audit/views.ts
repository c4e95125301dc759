import type { Address, Client } from "viem";
import { getBalance, readContract } from "viem/actions";
import { erc20PermitAbi, tradeEscrowAbi } from "../contracts/index.js";
import { withRetry } from "./retry.js";

/**
 * The escrow's views, each read at one block (`blockNumber` on every call) and retried when the
 * node does not answer. A batching transport (`http(url, { batch: true })`) sends them together.
 */
export function createEscrowViews(client: Client, escrow: Address, blockNumber: bigint) {
  // The simple views, by name; the call's types are erased (`as never`) because the function name
  // is generic, and each caller below states the type the ABI gives its result.
  const read = <const functionName extends string>(
    functionName: functionName,
    args: readonly unknown[] = [],
  ) =>
    withRetry(() =>
      readContract(client, {
        address: escrow,
        abi: tradeEscrowAbi,
        functionName,
        args,
        blockNumber,
      } as never),
    );
  return {
    blockNumber,
    tradeCount: () => read("tradeCount") as Promise<bigint>,
    trade: (tradeId: bigint) =>
      withRetry(() =>
        readContract(client, {
          address: escrow,
          abi: tradeEscrowAbi,
          functionName: "trade",
          args: [tradeId],
          blockNumber,
        }),
      ),
    termsOf: (tradeId: bigint) =>
      withRetry(() =>
        readContract(client, {
          address: escrow,
          abi: tradeEscrowAbi,
          functionName: "termsOf",
          args: [tradeId],
          blockNumber,
        }),
      ),
    claim: (tradeId: bigint) =>
      withRetry(() =>
        readContract(client, {
          address: escrow,
          abi: tradeEscrowAbi,
          functionName: "claim",
          args: [tradeId],
          blockNumber,
        }),
      ),
    withdrawable: (account: Address, token: Address) =>
      read("withdrawable", [account, token]) as Promise<bigint>,
    operatorBond: (operator: Address) =>
      read("operatorBond", [operator]) as Promise<readonly [bigint, bigint, bigint]>,
    pool: (token: Address) => read("pool", [token]) as Promise<readonly [bigint, bigint]>,
    debt: (buyer: Address, token: Address) => read("debt", [buyer, token]) as Promise<bigint>,
    buyerExposure: (buyer: Address, token: Address) =>
      read("buyerExposure", [buyer, token]) as Promise<readonly [bigint, bigint]>,
    bondToken: () => read("bondToken") as Promise<Address>,
    receipts: () => read("receipts") as Promise<Address>,
    hasRole: (role: `0x${string}`, account: Address, atBlock: bigint) =>
      withRetry(() =>
        readContract(client, {
          address: escrow,
          abi: tradeEscrowAbi,
          functionName: "hasRole",
          args: [role, account],
          blockNumber: atBlock,
        }),
      ),
    /** The escrow's balance of `token` (address 0: the native coin). */
    balanceOf: (token: Address) =>
      BigInt(token) === 0n
        ? withRetry(() => getBalance(client, { address: escrow, blockNumber }))
        : withRetry(() =>
            readContract(client, {
              address: token,
              abi: erc20PermitAbi,
              functionName: "balanceOf",
              args: [escrow],
              blockNumber,
            }),
          ),
  };
}

export type EscrowViews = ReturnType<typeof createEscrowViews>;
