import { useBlock } from "wagmi";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { Clients } from "../actions/client.js";
import * as claims from "../actions/claims.js";
import type { useTransaction } from "../hooks/useTransaction.js";
import type { TradeDetail } from "../lib/api.js";
import { cancellationsFor } from "../lib/cancellation.js";
import type { Cancellation } from "../lib/cancellation.js";
import { formatTime } from "../lib/format.js";
import { actionWindowsOf } from "../lib/tradeActions.js";

const send: Record<Cancellation["kind"], typeof claims.cancelUnshipped> = {
  "missed-deposit": claims.cancelForMissedDeposit,
  "missed-start": claims.cancelForMissedStart,
  unshipped: claims.cancelUnshipped,
  "balance-missed": claims.cancelUnshipped,
  undelivered: claims.cancelUndelivered,
};

/** The cancellations open to the connected party, each enabled once its deadline has passed. */
export function CancelPanel(props: {
  trade: TradeDetail;
  terms: Terms;
  due: bigint;
  role: "buyer" | "seller";
  clients: Clients;
  tx: ReturnType<typeof useTransaction>;
}) {
  const { trade, terms, clients, tx } = props;
  // The escrow judges deadlines by the chain's clock, not this computer's.
  const block = useBlock({ watch: true });
  const now =
    block.data !== undefined ? Number(block.data.timestamp) : Math.floor(Date.now() / 1000);
  // The escrow's rules (the sdk's tradeActionWindows): who may cancel, and from when.
  const open = cancellationsFor(actionWindowsOf(trade, terms), props.role);
  if (open.length === 0) return null;
  return (
    <div className="panel" data-testid="cancel">
      <h3>Cancel the trade</h3>
      {open.map((c) => (
        <div key={c.kind} className="form">
          <p className="muted">
            {c.effect} {now < c.from ? `Possible from ${formatTime(c.from)}.` : "Possible now."}
          </p>
          <button
            type="button"
            disabled={tx.busy || now < c.from}
            onClick={() => void tx.run(c.label, () => send[c.kind](clients, BigInt(trade.id)))}
          >
            {c.label}
          </button>
        </div>
      ))}
    </div>
  );
}
