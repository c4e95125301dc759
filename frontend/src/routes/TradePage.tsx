import { useApp } from "../context.js";
import { Address } from "../components/Address.js";
import { Amendments } from "../components/Amendments.js";
import { AsyncState } from "../components/AsyncState.js";
import { Countdown } from "../components/Countdown.js";
import { DocumentLink } from "../components/DocumentLink.js";
import { Timeline } from "../components/Timeline.js";
import { TradeActions } from "../components/TradeActions.js";
import { useTrade } from "../hooks/useIndexer.js";
import type { TradeDetail } from "../lib/api.js";
import { formatAmount, formatTime, humanize, tokenOf } from "../lib/format.js";
import { amountDue, moneyFromTimeline, parseTerms } from "../lib/terms.js";
import { Link, useTitle } from "../router.js";

const deadlineLabels: Record<string, string> = {
  stage: "Current stage deadline",
  balance: "Balance due by",
  latestDelivery: "Latest delivery",
  termsLatestDelivery: "Latest delivery in the terms",
  deliveryGraceEnd: "Goods not delivered by then: the buyer may cancel",
  claimWindowEnd: "Claim window ends",
  claimResponse: "Seller must answer the claim by",
};

/** The steps of a protected trade, to show where this one stands. */
const protectedSteps = [
  "Proposed",
  "Signed",
  "Deposited",
  "InFulfilment",
  "Shipped",
  "Received",
  "Delivered",
  "Completed",
];
const directSteps = ["Proposed", "Signed", "InFulfilment", "Shipped", "Completed"];

function Progress({ trade }: { trade: TradeDetail }) {
  const steps = trade.modeName === "Direct" ? directSteps : protectedSteps;
  const at = steps.indexOf(trade.stateName);
  return (
    <ol className="progress" aria-label="Trade progress">
      {steps.map((step, i) => (
        <li
          key={step}
          className={i < at ? "done" : i === at ? "current" : ""}
          aria-current={i === at ? "step" : undefined}
        >
          {humanize(step)}
        </li>
      ))}
    </ol>
  );
}

function TradeView({ trade }: { trade: TradeDetail }) {
  const { config } = useApp();
  const terms = parseTerms(trade.terms);
  const token = tokenOf(config.tokens, trade.token);
  const ended = ["Completed", "Cancelled", "Refunded"].includes(trade.stateName);
  // While the trade runs, what is due is the price less what the escrow holds, released and refunded
  // (the view's own arithmetic); paid and released are recounted from the events.
  const due = ended ? 0n : amountDue(terms, trade.balances);
  const money = moneyFromTimeline(trade.timeline);
  const manifest = trade.documents.find((d) => d.role === "manifest");
  return (
    <article className="trade" aria-labelledby="trade-title">
      <header className="trade-header">
        <h1 id="trade-title">Trade #{trade.id}</h1>
        <span className={`state state-${trade.stateName.toLowerCase()}`} data-testid="trade-state">
          {humanize(trade.stateName)}
        </span>
        <span className="badge">
          {trade.modeName === "Protected" ? "Protected (escrow)" : trade.modeName}
        </span>
        <span className="badge">version {trade.version}</span>
        {!trade.final && <span className="badge">not final yet</span>}
      </header>
      {["Halted", "Cancelled", "Refunded"].includes(trade.stateName) ? null : (
        <Progress trade={trade} />
      )}
      {trade.lateBalancePaidAt !== null && trade.latestDelivery !== null && (
        <p className="banner" role="status" data-testid="late-balance">
          The balance came after its due time ({formatTime(trade.lateBalancePaidAt)}): the seller
          keeps its whole ship window, so the latest delivery moved from{" "}
          {formatTime(Number(terms.latestDelivery))} to {formatTime(trade.latestDelivery)}.
        </p>
      )}
      {trade.stateName === "Halted" && (
        <p className="banner banner-warn" role="status">
          An attestation broke the terms (quantity or delivery time). Nothing moves until buyer and
          seller sign an amendment.
        </p>
      )}

      <div className="grid">
        <section aria-labelledby="parties">
          <h2 id="parties">Parties</h2>
          <dl className="kv">
            <dt>Buyer</dt>
            <dd>
              <Address value={trade.buyer} />
            </dd>
            <dt>Seller</dt>
            <dd>
              <Address value={trade.seller} />
            </dd>
            <dt>Warehouse operator</dt>
            <dd>
              <Address value={trade.operator} />
            </dd>
            <dt>Court</dt>
            <dd>
              <Address value={terms.arbitrator} />
            </dd>
          </dl>
        </section>

        <section aria-labelledby="money">
          <h2 id="money">Money</h2>
          <dl className="kv" data-testid="money">
            <dt>Price</dt>
            <dd>{formatAmount(terms.price, token)}</dd>
            <dt>Paid by the buyer</dt>
            <dd data-testid="amount-paid">{formatAmount(money.paid, token)}</dd>
            <dt>Held in escrow</dt>
            <dd>{formatAmount(trade.balances.escrowed, token)}</dd>
            <dt>Released to the seller</dt>
            <dd data-testid="amount-released">
              {formatAmount(money.released, token)}
              {money.fees > 0n && (
                <span className="muted"> (+ {formatAmount(money.fees, token)} fee)</span>
              )}
            </dd>
            <dt>Refunded to the buyer</dt>
            <dd>{formatAmount(trade.balances.refunded, token)}</dd>
            <dt>Still owed by the buyer</dt>
            <dd data-testid="amount-due">{formatAmount(due, token)}</dd>
            <dt>Seller's bond held</dt>
            <dd>
              {formatAmount(trade.balances.sellerBond, token)} of{" "}
              {formatAmount(terms.sellerBond, token)}
            </dd>
            <dt>Platform fee</dt>
            <dd>{terms.feeBps / 100}%</dd>
          </dl>
        </section>

        <section aria-labelledby="deadlines">
          <h2 id="deadlines">Deadlines</h2>
          <dl className="deadlines">
            {Object.entries(trade.deadlines)
              .filter(([, value]) => value !== null)
              // The terms' own latest delivery only when a late balance moved the one in force.
              .filter(
                ([key, value]) =>
                  key !== "termsLatestDelivery" || value !== trade.deadlines.latestDelivery,
              )
              .map(([key, value]) => (
                <Countdown
                  key={key}
                  label={deadlineLabels[key] ?? humanize(key)}
                  at={Number(value)}
                />
              ))}
          </dl>
          <p className="muted">
            Deposit {terms.depositBps / 100}% within {terms.depositWindow / 3600} h of signing ·
            fulfilment within {terms.fulfilmentDays} business days ·{" "}
            <span data-testid="ship-window">
              balance due {terms.shipWindow / 86_400} days before the latest delivery
            </span>{" "}
            ·{" "}
            <span data-testid="delivery-grace">
              {terms.deliveryGrace / 86_400} days' grace for delivery after it
            </span>{" "}
            · claims {terms.claimWindow / 86_400} days after arrival · seller answers within{" "}
            {terms.responseDays} business days.
          </p>
        </section>

        <section aria-labelledby="goods">
          <h2 id="goods">Goods and lots</h2>
          <p>
            {terms.quantity.toString()} units ± {terms.toleranceBps / 100}% in at most {terms.lots}{" "}
            lot
            {terms.lots === 1 ? "" : "s"}; {trade.lotsDone} delivered ({trade.receivedQuantity}{" "}
            units).
          </p>
          {trade.lots.length === 0 ? (
            <p className="state state-empty">No lot received yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Lot</th>
                  <th scope="col">Quantity</th>
                  <th scope="col">Received</th>
                  <th scope="col">Title</th>
                </tr>
              </thead>
              <tbody>
                {trade.lots.map((lot) => (
                  <tr key={String(lot.lot)}>
                    <td>{String(lot.lot)}</td>
                    <td>{String(lot.quantity ?? "")}</td>
                    <td>{lot.receivedAt != null ? formatTime(Number(lot.receivedAt)) : "—"}</td>
                    <td>
                      {lot.titleTransferred === true
                        ? `passed to the buyer${lot.titleAt != null ? ` ${formatTime(Number(lot.titleAt))}` : ""}`
                        : lot.halted === true
                          ? "halted: outside the terms"
                          : "held by the escrow"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <TradeActions trade={trade} terms={terms} due={due} />

      <section aria-labelledby="documents">
        <h2 id="documents">Documents</h2>
        <p className="muted">
          <Link href={`/auditor?trade=${trade.id}`}>Audit this trade in your browser</Link>: every
          document, signature and balance checked against the chain and IPFS alone.
        </p>
        {trade.documents.length === 0 ? (
          <p className="state state-empty">No document committed yet.</p>
        ) : (
          <ul className="documents">
            {trade.documents.map((d) => (
              <li key={`${d.role}-${d.commitment}-${d.block}`}>
                <span className="badge">{humanize(d.role)}</span>{" "}
                {d.cid === null ? (
                  <span className="badge badge-bad">not a CID</span>
                ) : (
                  <DocumentLink cid={d.cid} name={d.cid.slice(0, 16) + "…"} />
                )}{" "}
                <span className="muted">indexer: {d.status}</span>
                {d.entries !== undefined && d.entries.length > 0 && (
                  <ul>
                    {d.entries.map((e) => (
                      <li key={e.cid}>
                        {humanize(e.type.replace(/-/g, " "))}:{" "}
                        <DocumentLink cid={e.cid} name={e.name} mediaType={e.mediaType} />{" "}
                        <span className="muted">
                          {e.size} B · indexer: {e.status}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
        {manifest === undefined && <p className="muted">The manifest has not been read yet.</p>}
      </section>

      <section aria-labelledby="amendments">
        <h2 id="amendments">Amendments</h2>
        <Amendments versions={trade.versions} />
      </section>

      {trade.claim !== null && (
        <section aria-labelledby="claim">
          <h2 id="claim">Claim</h2>
          <dl className="kv" data-testid="claim">
            {Object.entries(trade.claim)
              .filter(([, v]) => v !== null && typeof v !== "object")
              .map(([k, v]) => (
                <div key={k} className="kv-row">
                  <dt>{humanize(k)}</dt>
                  <dd>{String(v)}</dd>
                </div>
              ))}
          </dl>
        </section>
      )}

      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <p className="muted">
          Opened {formatTime(trade.createdAt)} in block {trade.createdBlock}.
        </p>
        <Timeline entries={trade.timeline} token={token} />
      </section>
    </article>
  );
}

export function TradePage({ id }: { id: string }) {
  useTitle(`Trade #${id}`);
  const query = useTrade(id);
  return (
    <AsyncState query={query} label={`trade ${id}`} empty="">
      {(trade) => <TradeView trade={trade} />}
    </AsyncState>
  );
}
