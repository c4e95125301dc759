import { describe, expect, it, vi } from "vitest";
import { hardhat } from "viem/chains";
import type { Address, Hex } from "viem";
import { tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import { escrowContract, send } from "./client.js";
import type { Clients } from "./client.js";

const account: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const escrow: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const token: Address = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";

/** Clients whose simulation answers `simulate` and whose wallet records what it is asked to send. */
function clientsWith(simulate: (call: object) => Promise<{ request: object }>) {
  const calls: string[] = [];
  const simulateContract = vi.fn((call: object) => {
    calls.push("simulate");
    return simulate(call);
  });
  const writeContract = vi.fn((_request: object) => {
    calls.push("write");
    return Promise.resolve("0x01" as Hex);
  });
  const clients = {
    publicClient: { simulateContract },
    walletClient: { writeContract },
    account,
    config: { chain: hardhat, escrow },
  } as unknown as Clients;
  return { clients, calls, simulateContract, writeContract };
}

describe("send", () => {
  it("simulates the call as the connected account, then sends the simulated request", async () => {
    const { clients, calls, simulateContract, writeContract } = clientsWith((call) =>
      Promise.resolve({ request: { ...call, gas: 21_000n } }),
    );
    const hash = await send(clients, {
      ...escrowContract(clients),
      functionName: "withdraw",
      args: [token],
    });
    expect(hash).toBe("0x01");
    expect(calls).toEqual(["simulate", "write"]);
    expect(simulateContract).toHaveBeenCalledWith({
      address: escrow,
      abi: tradeEscrowAbi,
      functionName: "withdraw",
      args: [token],
      account,
      chain: hardhat,
    });
    expect(writeContract).toHaveBeenCalledWith(
      expect.objectContaining({ functionName: "withdraw", args: [token], gas: 21_000n }),
    );
  });

  it("never prompts the wallet when the simulation reverts", async () => {
    const { clients, writeContract } = clientsWith(() =>
      Promise.reject(new Error("EscrowNothingToWithdraw")),
    );
    await expect(
      send(clients, { ...escrowContract(clients), functionName: "withdraw", args: [token] }),
    ).rejects.toThrow("EscrowNothingToWithdraw");
    expect(writeContract).not.toHaveBeenCalled();
  });
});

/**
 * Never run: `tsc` checks that each call the ABI refuses fails to compile (an unused
 * `@ts-expect-error` is itself an error).
 */
export function refusedByTheAbi(c: Clients, amount: bigint) {
  const e = escrowContract(c);
  // @ts-expect-error: the escrow has no function `withdrawAll`.
  void send(c, { ...e, functionName: "withdrawAll", args: [token] });
  // @ts-expect-error: `withdrawTo` takes the token and the recipient.
  void send(c, { ...e, functionName: "withdrawTo", args: [token] });
  // @ts-expect-error: `withdraw` takes a token's address, not an amount.
  void send(c, { ...e, functionName: "withdraw", args: [amount] });
  // @ts-expect-error: `withdraw` is not payable.
  void send(c, { ...e, functionName: "withdraw", args: [token], value: amount });
  // @ts-expect-error: a view is not a transaction.
  void send(c, { ...e, functionName: "feeBps", args: [] });
  void send(c, { ...e, functionName: "withdrawTo", args: [token, account] });
}
