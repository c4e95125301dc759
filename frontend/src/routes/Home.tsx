import { useQuery } from "@tanstack/react-query";
import { AsyncState } from "../components/AsyncState.js";
import { TradeList } from "../components/TradeList.js";
import { useApp } from "../context.js";
import { Link, useTitle } from "../router.js";

const workspaces = [
  { href: "/buyer", title: "Buyer", text: "Order, sign, pay, follow the shipment, claim, rate." },
  {
    href: "/seller",
    title: "Seller",
    text: "Confirm, post the bond, ship, answer claims, withdraw.",
  },
  {
    href: "/operator",
    title: "Warehouse operator",
    text: "Attest receipt, title transfer and arrival.",
  },
  { href: "/arbitrator", title: "Arbitrator", text: "Disputes you sit on: commit, reveal, rule." },
];

export function Home() {
  useTitle("Trades");
  const { api } = useApp();
  const health = useQuery({ queryKey: ["indexer", "health"], queryFn: () => api.health() });
  return (
    <div>
      <h1>Trade escrow</h1>
      <p className="lead">
        Delivery versus payment: the buyer's money is released only when the designated warehouse
        operator attests that title has passed. Every step is on chain; every document is checked
        against its CID.
      </p>
      <nav aria-label="Workspaces" className="cards">
        {workspaces.map((w) => (
          <Link key={w.href} href={w.href} className="card">
            <strong>{w.title}</strong>
            <span>{w.text}</span>
          </Link>
        ))}
      </nav>
      <AsyncState query={health} label="the indexer's status" empty="">
        {(h) => (
          <p className="muted" data-testid="indexer-status">
            Indexer: chain {h.chainId ?? "?"}, block {h.indexedBlock ?? "?"}
            {h.backfillDone ? "" : " (catching up)"}.
          </p>
        )}
      </AsyncState>
      <TradeList title="Latest trades" query={{ limit: 20 }} empty="No trade yet." />
    </div>
  );
}
