import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { parseUnits, zeroAddress } from "viem";
import type { Clients } from "../actions/client.js";
import * as claims from "../actions/claims.js";
import * as escrow from "../actions/escrow.js";
import type { PaymentToken } from "../config.js";
import { useApp } from "../context.js";
import { useTransaction } from "../hooks/useTransaction.js";
import { formatAmount, formatUnitsPlain } from "../lib/format.js";
import { AsyncState } from "./AsyncState.js";
import { TransactionStatus } from "./TransactionStatus.js";

function RepayForm(props: { clients: Clients; token: PaymentToken; owed: bigint; onDone(): void }) {
  const { clients, token, owed } = props;
  const tx = useTransaction();
  const [amount, setAmount] = useState(formatUnitsPlain(owed, token.decimals));
  const [error, setError] = useState<string | undefined>();
  const submit = async () => {
    let value: bigint;
    try {
      value = parseUnits(amount.trim(), token.decimals);
    } catch {
      value = -1n;
    }
    if (value <= 0n || value > owed) {
      setError(`Repay between 0 and ${formatAmount(owed, token)}.`);
      return;
    }
    setError(undefined);
    const allowance = await escrow.allowanceOf(clients, token.address);
    if (allowance < value) {
      const ok = await tx.run("Approve the repayment", () =>
        escrow.approveToken(clients, token.address, value),
      );
      if (!ok) return;
    }
    if (await tx.run("Repay the debt", () => claims.repayDebt(clients, token.address, value)))
      props.onDone();
  };
  return (
    <form
      className="form"
      aria-label={`Repay ${token.symbol}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p>
        You owe the guarantor pool <strong>{formatAmount(owed, token)}</strong>.
      </p>
      <label>
        Amount to repay ({token.symbol}){" "}
        <input
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={error !== undefined}
        />
      </label>
      {error !== undefined && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={tx.busy}>
        Repay
      </button>
      <TransactionStatus status={tx.status} />
    </form>
  );
}

/**
 * Pay after use: what the guarantor pool paid the seller when collection failed is the buyer's
 * debt, by token, read from the chain; the buyer repays it (ERC-20, after an approval).
 */
export function DebtPanel({ clients }: { clients: Clients }) {
  const { config } = useApp();
  const tokens = config.tokens.filter((t) => t.address !== zeroAddress);
  const debts = useQuery({
    queryKey: ["debts", config.escrow, clients.account],
    queryFn: () => Promise.all(tokens.map((t) => claims.readDebt(clients, t.address))),
    enabled: tokens.length > 0,
  });
  if (tokens.length === 0) return null;
  return (
    <section aria-labelledby="debts">
      <h2 id="debts">Pay-after-use debt</h2>
      <AsyncState
        query={debts}
        label="your debts"
        isEmpty={(data) => data.every((owed) => owed === 0n)}
        empty="You owe nothing to the guarantor pool."
      >
        {(data) =>
          data.map((owed, i) =>
            owed === 0n ? null : (
              <RepayForm
                key={tokens[i]!.address}
                clients={clients}
                token={tokens[i]!}
                owed={owed}
                onDone={() => void debts.refetch()}
              />
            ),
          )
        }
      </AsyncState>
    </section>
  );
}
