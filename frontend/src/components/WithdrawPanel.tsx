import { useState } from "react";
import { useReadContract } from "wagmi";
import { tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import * as escrow from "../actions/escrow.js";
import { useApp } from "../context.js";
import { formatAmount, tokenOf } from "../lib/format.js";
import { withdrawalRecipient } from "../lib/withdrawal.js";
import { Panel } from "./Panel.js";
import type { PanelProps } from "./panelProps.js";

/**
 * The connected account's credit in the trade's token, and the pull-payment that withdraws it: to
 * itself, or to another address (a wallet it moved to, or one the token's issuer does not block).
 */
export function WithdrawPanel({ trade, clients, tx }: PanelProps) {
  const { config } = useApp();
  const token = tokenOf(config.tokens, trade.token);
  const [recipient, setRecipient] = useState("");
  const [error, setError] = useState<string | undefined>();
  const credit = useReadContract({
    address: config.escrow,
    abi: tradeEscrowAbi,
    functionName: "withdrawable",
    args: [clients.account, token.address],
    query: { refetchInterval: 4_000 },
  });
  if (credit.data === undefined || credit.data === 0n) return null;
  const amount = formatAmount(credit.data, token);
  const submit = () => {
    const parsed = withdrawalRecipient(recipient, clients.account);
    if ("error" in parsed) {
      setError(parsed.error);
      return;
    }
    setError(undefined);
    const { to } = parsed;
    void tx
      .run(to === undefined ? "Withdraw" : `Withdraw to ${to}`, () =>
        to === undefined
          ? escrow.withdraw(clients, token.address)
          : escrow.withdrawTo(clients, token.address, to),
      )
      .then(() => credit.refetch());
  };
  return (
    <Panel title="Your credit">
      <p>
        The escrow holds <strong data-testid="withdrawable">{amount}</strong> for you.
      </p>
      <form
        className="form"
        aria-label="Withdraw"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label>
          Pay to another address (optional){" "}
          <input
            value={recipient}
            placeholder={clients.account}
            onChange={(e) => setRecipient(e.target.value)}
            aria-invalid={error !== undefined}
          />
        </label>
        {error !== undefined && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={tx.busy}>
          Withdraw {amount}
        </button>
      </form>
    </Panel>
  );
}
