import { useApp } from "../context.js";
import { useTrades } from "../hooks/useIndexer.js";
import type { TradeQuery } from "../lib/api.js";
import { formatAmount, formatTime, humanize, tokenOf } from "../lib/format.js";
import { Link } from "../router.js";
import { Address } from "./Address.js";
import { AsyncState } from "./AsyncState.js";

/** Trades from the indexer as a table (a list of cards on a phone), with its empty, loading and error states. */
export function TradeList(props: {
  title: string;
  query: TradeQuery;
  empty: string;
  enabled?: boolean;
}) {
  const { config } = useApp();
  const query = useTrades(props.query, props.enabled ?? true);
  const headingId = `list-${props.title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      <AsyncState
        query={query}
        label="trades"
        empty={props.empty}
        isEmpty={(d) => d.items.length === 0}
      >
        {(data) => (
          <table className="trades">
            <thead>
              <tr>
                <th scope="col">Trade</th>
                <th scope="col">State</th>
                <th scope="col">Price</th>
                <th scope="col">Buyer</th>
                <th scope="col">Seller</th>
                <th scope="col">Next deadline</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <tr key={t.id}>
                  <td data-label="Trade">
                    <Link href={`/trades/${t.id}`}>#{t.id}</Link>{" "}
                    <span className="muted">{t.modeName}</span>
                  </td>
                  <td data-label="State">
                    <span className={`state state-${t.stateName.toLowerCase()}`}>
                      {humanize(t.stateName)}
                    </span>
                  </td>
                  <td data-label="Price">
                    {formatAmount(t.price, tokenOf(config.tokens, t.token))}
                  </td>
                  <td data-label="Buyer">
                    <Address value={t.buyer} />
                  </td>
                  <td data-label="Seller">
                    <Address value={t.seller} />
                  </td>
                  <td data-label="Next deadline">
                    {t.stageDeadline !== null ? formatTime(t.stageDeadline) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncState>
    </section>
  );
}
