import { useState } from "react";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { Clients } from "../actions/client.js";
import * as claims from "../actions/claims.js";
import { useApp } from "../context.js";
import type { useTransaction } from "../hooks/useTransaction.js";
import type { TradeDetail } from "../lib/api.js";
import { toReadableError } from "../lib/errors.js";
import { formatAmount, tokenOf } from "../lib/format.js";
import {
  encodeSettlementConsent,
  parseSettlementConsent,
  refundSchema,
} from "../lib/settlementSchema.js";
import { sameAddress } from "../lib/terms.js";

type Props = {
  trade: TradeDetail;
  terms: Terms;
  clients: Clients;
  tx: ReturnType<typeof useTransaction>;
};

/**
 * Settling a claim by agreement (also while the court hears it): one party proposes a refund and
 * signs it (EIP-712 `Settlement`), hands the consent to the other, who checks it and submits both.
 */
export function SettlementPanel({ trade, terms, clients, tx }: Props) {
  const { config } = useApp();
  const token = tokenOf(config.tokens, trade.token);
  const escrowed = BigInt(trade.balances.escrowed);
  const isBuyer = sameAddress(trade.buyer, clients.account);
  const otherParty = isBuyer ? trade.seller : trade.buyer;
  const [refund, setRefund] = useState("");
  const [refundError, setRefundError] = useState<string | undefined>();
  const [signed, setSigned] = useState("");
  const [incoming, setIncoming] = useState("");

  const sign = async () => {
    const parsed = refundSchema(token.decimals, escrowed).safeParse(refund);
    if (!parsed.success) {
      setRefundError(parsed.error.issues[0]?.message);
      return;
    }
    setRefundError(undefined);
    try {
      const consent = await claims.signSettlementConsent(clients, BigInt(trade.id), parsed.data);
      setSigned(encodeSettlementConsent(consent));
    } catch (error) {
      setRefundError(toReadableError(error).title);
    }
  };

  const received =
    incoming.trim() === ""
      ? undefined
      : parseSettlementConsent(incoming, {
          tradeId: BigInt(trade.id),
          otherParty,
          escrowed,
          now: BigInt(Math.floor(Date.now() / 1000)),
        });

  return (
    <details className="panel" data-testid="settlement">
      <summary>
        <h3>Settle the claim by agreement</h3>
      </summary>
      <p className="muted">
        The escrow holds {formatAmount(escrowed, token)}. A settlement both of you sign refunds the
        amount agreed to the buyer at once and ends the claim, even while the court hears it.
      </p>
      <form
        className="form"
        aria-label="Propose a settlement"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void sign();
        }}
      >
        <label>
          Refund to the buyer ({token.symbol}){" "}
          <input
            inputMode="decimal"
            value={refund}
            onChange={(e) => setRefund(e.target.value)}
            aria-invalid={refundError !== undefined}
          />
        </label>
        {refundError !== undefined && (
          <p role="alert" className="error">
            {refundError}
          </p>
        )}
        <button type="submit">Sign the settlement (EIP-712)</button>
        {signed !== "" && (
          <label>
            Your signed consent: send it to the other party
            <textarea readOnly rows={8} value={signed} data-testid="signed-settlement" />
          </label>
        )}
      </form>
      <div className="form">
        <label>
          The other party's signed settlement
          <textarea
            rows={4}
            value={incoming}
            onChange={(e) => setIncoming(e.target.value)}
            data-testid="incoming-settlement"
          />
        </label>
        {received !== undefined && !received.ok && (
          <p role="alert" className="error">
            {received.error}
          </p>
        )}
        {received?.ok === true && (
          <>
            <p data-testid="settlement-terms">
              {isBuyer ? "The seller" : "The buyer"} agrees to refund{" "}
              <strong>{formatAmount(received.consent.refund, token)}</strong> to the buyer; the rest
              stays with the trade.
            </p>
            <button
              type="button"
              disabled={tx.busy}
              onClick={() =>
                void tx.run("Settle the claim", () =>
                  claims.settleClaim(clients, terms, received.consent, !isBuyer),
                )
              }
            >
              Countersign and settle for {formatAmount(received.consent.refund, token)}
            </button>
          </>
        )}
      </div>
    </details>
  );
}
