import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Hex } from "viem";
import { toReadableError } from "../lib/errors.js";
import type { ReadableError } from "../lib/errors.js";

/** A transaction's life as the person sees it. */
export type TransactionStatus =
  | { type: "idle" }
  | { type: "wallet"; label: string }
  | { type: "pending"; label: string; hash: Hex }
  | { type: "confirmed"; label: string; hash: Hex; blockNumber: bigint }
  | { type: "failed"; label: string; hash?: Hex; error: ReadableError };

/**
 * Runs one wallet action (`send` asks the wallet and returns the transaction hash), then waits for
 * its receipt: pending, then confirmed or failed, with the failure made readable. Refreshes the
 * indexer reads once the transaction is mined.
 */
export function useTransaction() {
  const publicClient = usePublicClient();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<TransactionStatus>({ type: "idle" });

  const run = useCallback(
    async (label: string, send: () => Promise<Hex>): Promise<boolean> => {
      setStatus({ type: "wallet", label });
      let hash: Hex | undefined;
      try {
        hash = await send();
        setStatus({ type: "pending", label, hash });
        if (publicClient === undefined) throw new Error("No connection to the chain.");
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        if (receipt.status !== "success") {
          setStatus({
            type: "failed",
            label,
            hash,
            error: { kind: "revert", title: "The transaction was mined but reverted." },
          });
          return false;
        }
        setStatus({ type: "confirmed", label, hash, blockNumber: receipt.blockNumber });
        void queryClient.invalidateQueries();
        return true;
      } catch (error) {
        setStatus({
          type: "failed",
          label,
          ...(hash !== undefined && { hash }),
          error: toReadableError(error),
        });
        return false;
      }
    },
    [publicClient, queryClient],
  );

  const reset = useCallback(() => setStatus({ type: "idle" }), []);
  const busy = status.type === "wallet" || status.type === "pending";
  return { status, run, reset, busy };
}
