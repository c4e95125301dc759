import { useConnection } from "wagmi";
import { DebtPanel } from "../components/DebtPanel.js";
import { OrderForm } from "../components/OrderForm.js";
import { TradeList } from "../components/TradeList.js";
import { useClients } from "../hooks/useClients.js";
import { useTitle } from "../router.js";

function NeedsWallet({ role }: { role: string }) {
  const { reason } = useClients();
  return (
    <p className="banner" role="status">
      {reason === "wrong-network"
        ? "Switch your wallet to the right network to see your trades."
        : `Connect the ${role}'s wallet to see your trades.`}
    </p>
  );
}

export function BuyerPage() {
  useTitle("Buyer");
  const { address } = useConnection();
  const { clients } = useClients();
  return (
    <div className="workspace">
      <h1>Buyer</h1>
      <p className="lead">
        Place orders, sign contracts, pay deposit and balance, follow shipments, claim, rate.
      </p>
      {clients === undefined ? (
        <NeedsWallet role="buyer" />
      ) : (
        <>
          <TradeList
            title="Your orders that need you"
            query={{
              party: address!,
              role: "buyer",
              state: "Proposed,Signed,Deposited,InFulfilment,Halted,Delivered",
            }}
            empty="Nothing waits for you."
          />
          <TradeList
            title="All your orders"
            query={{ party: address!, role: "buyer" }}
            empty="No orders yet: place one below."
          />
          <DebtPanel clients={clients} />
          <section aria-labelledby="new-order">
            <h2 id="new-order">New order</h2>
            <OrderForm proposer="buyer" />
          </section>
        </>
      )}
    </div>
  );
}

export function SellerPage() {
  useTitle("Seller");
  const { address } = useConnection();
  const { clients } = useClients();
  return (
    <div className="workspace">
      <h1>Seller</h1>
      <p className="lead">
        Confirm orders, post the bond, start fulfilment, ship, answer claims, withdraw.
      </p>
      {clients === undefined ? (
        <NeedsWallet role="seller" />
      ) : (
        <>
          <TradeList
            title="Orders to confirm"
            query={{ party: address!, role: "seller", state: "Proposed" }}
            empty="No order waits for your signature."
          />
          <TradeList
            title="Trades to fulfil"
            query={{
              party: address!,
              role: "seller",
              state: "Signed,Deposited,InFulfilment,Shipped,Received,Halted",
            }}
            empty="Nothing to fulfil."
          />
          <TradeList
            title="All your sales"
            query={{ party: address!, role: "seller" }}
            empty="No sales yet."
          />
          <section aria-labelledby="new-direct">
            <h2 id="new-direct">Draft a direct-payment order</h2>
            <p className="muted">
              For buyers who already trust you: they confirm and pay you directly, with no escrow.
            </p>
            <OrderForm proposer="seller" />
          </section>
        </>
      )}
    </div>
  );
}

export function OperatorPage() {
  useTitle("Warehouse operator");
  const { address } = useConnection();
  const { clients } = useClients();
  return (
    <div className="workspace">
      <h1>Warehouse operator</h1>
      <p className="lead">
        Attest goods received, title transferred and port arrival: sign (EIP-712) and submit, or
        copy the signature for a relayer.
      </p>
      {clients === undefined ? (
        <NeedsWallet role="operator" />
      ) : (
        <>
          <TradeList
            title="Awaiting receipt or arrival"
            query={{ party: address!, role: "operator", state: "Shipped" }}
            empty="No shipment is on its way to you."
          />
          <TradeList
            title="Awaiting title transfer"
            query={{ party: address!, role: "operator", state: "Received" }}
            empty="No received lot waits for its title transfer."
          />
          <TradeList
            title="All trades you are designated for"
            query={{ party: address!, role: "operator" }}
            empty="You are not designated for any trade."
          />
        </>
      )}
    </div>
  );
}
