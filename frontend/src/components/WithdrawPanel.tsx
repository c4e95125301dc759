import { useReadContract } from "wagmi";
import { tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import * as escrow from "../actions/escrow.js";
import { useApp } from "../context.js";
import { formatAmount, tokenOf } from "../lib/format.js";
import { Panel } from "./Panel.js";
import type { PanelProps } from "./panelProps.js";

/** The connected account's credit in the trade's token, and the pull-payment that withdraws it. */
export function WithdrawPanel({ trade, clients, tx }: PanelProps) {
  const { config } = useApp();
  const token = tokenOf(config.tokens, trade.token);
  const credit = useReadContract({
    address: config.escrow,
    abi: tradeEscrowAbi,
    functionName: "withdrawable",
    args: [clients.account, token.address],
    query: { refetchInterval: 4_000 },
  });
  if (credit.data === undefined || credit.data === 0n) return null;
  return (
    <Panel title="Your credit">
      <p>
        The escrow holds{" "}
        <strong data-testid="withdrawable">{formatAmount(credit.data, token)}</strong> for you.
      </p>
      <button
        type="button"
        disabled={tx.busy}
        onClick={() =>
          void tx
            .run("Withdraw", () => escrow.withdraw(clients, token.address))
            .then(() => credit.refetch())
        }
      >
        Withdraw {formatAmount(credit.data, token)}
      </button>
    </Panel>
  );
}
