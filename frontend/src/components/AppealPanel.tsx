import { useQuery } from "@tanstack/react-query";
import { useBlock } from "wagmi";
import { formatEther } from "viem";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { Clients } from "../actions/client.js";
import * as claims from "../actions/claims.js";
import type { useTransaction } from "../hooks/useTransaction.js";
import { formatDuration, formatTime } from "../lib/format.js";
import { rulingLabel } from "../lib/ruling.js";

/**
 * A party appeals the court's first ruling while the court's appeal window is open, paying the
 * court's appeal cost; the court hears the claim again and its final ruling binds.
 */
export function AppealPanel(props: {
  tradeId: bigint;
  terms: Terms;
  clients: Clients;
  tx: ReturnType<typeof useTransaction>;
}) {
  const { tradeId, terms, clients, tx } = props;
  // The court judges its window by the chain's clock, not this computer's.
  const block = useBlock({ watch: true });
  const now =
    block.data !== undefined ? Number(block.data.timestamp) : Math.floor(Date.now() / 1000);
  const appeal = useQuery({
    queryKey: ["appeal", clients.config.escrow, tradeId.toString()],
    queryFn: async () => {
      const claim = await claims.readClaim(clients, tradeId);
      return claims.appealInfo(clients, terms, claim.disputeId);
    },
    refetchInterval: 5_000,
  });
  const info = appeal.data;
  if (info === undefined || info.end === 0n || BigInt(now) >= info.end) return null;
  return (
    <div className="panel" data-testid="appeal">
      <h3>Appeal the ruling</h3>
      <p>
        The court's first ruling is <strong>{rulingLabel(info.ruling)}</strong>. You may appeal
        until {formatTime(info.end)} ({formatDuration(Number(info.end) - now)} left); a larger panel
        hears it again.
      </p>
      <button
        type="button"
        disabled={tx.busy || BigInt(now) < info.start}
        onClick={() =>
          void tx.run("Appeal the ruling", () =>
            claims.appealRuling(clients, tradeId, terms, info.cost),
          )
        }
      >
        Appeal (pays the court's {formatEther(info.cost)} ETH appeal fee)
      </button>
    </div>
  );
}
