import { useBlock } from "wagmi";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { useApp } from "../context.js";
import { useClients } from "../hooks/useClients.js";
import { useTransaction } from "../hooks/useTransaction.js";
import type { TradeDetail } from "../lib/api.js";
import { tokenOf } from "../lib/format.js";
import { sameAddress } from "../lib/terms.js";
import { offeredTo } from "../lib/tradeActions.js";
import { ActionButtons, hasActions } from "./ActionButtons.js";
import { AmendmentPanel } from "./AmendmentPanel.js";
import { CancelPanel } from "./CancelPanel.js";
import { ClaimPanel } from "./ClaimPanel.js";
import { MilestoneForm } from "./MilestoneForm.js";
import { OperatorActions } from "./OperatorActions.js";
import { Panel } from "./Panel.js";
import type { PanelProps } from "./panelProps.js";
import { RatingForm } from "./RatingForm.js";
import { ShipForm } from "./ShipForm.js";
import type { ActionContext } from "./tradeActionTable.js";
import { TransactionStatus } from "./TransactionStatus.js";
import { WithdrawPanel } from "./WithdrawPanel.js";

function BuyerActions({ context }: { context: ActionContext }) {
  const completed = context.trade.stateName === "Completed";
  return (
    <Panel title="Buyer">
      {!hasActions("buyer", context) && !completed ? (
        <p className="muted">Nothing for the buyer to do now.</p>
      ) : (
        <>
          <ActionButtons panel="buyer" context={context} />
          {completed && <RatingForm {...context} />}
        </>
      )}
    </Panel>
  );
}

function SellerActions({ context }: { context: ActionContext }) {
  // The escrow's rules (the sdk's availableActions): shipping once the balance is in and until the
  // latest delivery; milestones from shipment through delivery.
  const ships = offeredTo(context, "markShipped", "seller") !== undefined;
  const milestones = offeredTo(context, "recordMilestone", "seller") !== undefined;
  return (
    <Panel title="Seller">
      {!hasActions("seller", context) && !ships && !milestones ? (
        <p className="muted">Nothing for the seller to do now.</p>
      ) : (
        <>
          <ActionButtons panel="seller" context={context} />
          {ships && <ShipForm {...context} />}
          {milestones && <MilestoneForm {...context} />}
        </>
      )}
    </Panel>
  );
}

function ProposalActions({ context }: { context: ActionContext }) {
  const proposer = context.trade.timeline.find((e) => e.event === "TradeProposed")?.args.proposer;
  const isProposer = sameAddress(String(proposer ?? ""), context.clients.account);
  return (
    <Panel title="Electronic contract">
      <p>
        {isProposer
          ? "You signed these terms on chain; the other party has yet to sign."
          : "Review the terms and documents, then sign the contract on chain."}
      </p>
      <ActionButtons panel={isProposer ? "proposer" : "counterparty"} context={context} />
    </Panel>
  );
}

/** What the connected account may do on this trade, by its role, with each transaction's status. */
export function TradeActions(props: { trade: TradeDetail; terms: Terms; due: bigint }) {
  const { config } = useApp();
  const { clients, reason } = useClients();
  const tx = useTransaction();
  // The escrow judges deadlines by the chain's clock, not this computer's.
  const block = useBlock({ watch: true });
  const now = block.data?.timestamp ?? BigInt(Math.floor(Date.now() / 1000));
  const { trade } = props;
  if (clients === undefined)
    return (
      <section aria-labelledby="actions" className="actions">
        <h2 id="actions">Actions</h2>
        <p className="muted">
          {reason === "wrong-network"
            ? "Switch your wallet to the right network to act on this trade."
            : "Connect the buyer's, seller's or operator's wallet to act on this trade."}
        </p>
      </section>
    );
  const p: PanelProps = { ...props, clients, tx, now };
  const context: ActionContext = {
    ...p,
    id: BigInt(trade.id),
    token: tokenOf(config.tokens, trade.token),
  };
  const isBuyer = sameAddress(trade.buyer, clients.account);
  const isSeller = sameAddress(trade.seller, clients.account);
  const isOperator = sameAddress(trade.operator, clients.account);
  const proposed = trade.stateName === "Proposed";
  // Amendments: from signing through delivery, not while the court hears a claim.
  const amends = offeredTo(context, "amend", "anyone") !== undefined;
  // The operator records milestones too, from shipment through delivery.
  const operatorMilestones = isOperator && offeredTo(context, "recordMilestone", "operator");
  return (
    <section aria-labelledby="actions" className="actions">
      <h2 id="actions">Actions</h2>
      {!isBuyer && !isSeller && !isOperator && (
        <p className="muted">The connected account has no role in this trade.</p>
      )}
      {(isBuyer || isSeller) && proposed && <ProposalActions context={context} />}
      {isBuyer && !proposed && <BuyerActions context={context} />}
      {isSeller && !proposed && <SellerActions context={context} />}
      {isOperator && <OperatorActions {...p} />}
      {operatorMilestones && (
        <Panel title="Logistics">
          <MilestoneForm {...p} />
        </Panel>
      )}
      {(isBuyer || isSeller) && amends && <AmendmentPanel {...p} />}
      {(isBuyer || isSeller) && <ClaimPanel {...p} />}
      {isBuyer && <CancelPanel {...p} role="buyer" />}
      {isSeller && <CancelPanel {...p} role="seller" />}
      {hasActions("anyone-delivered", context) && (
        <Panel title="Release">
          <p className="muted">
            After the claim window anyone may release the money to the seller.
          </p>
          <ActionButtons panel="anyone-delivered" context={context} />
        </Panel>
      )}
      <WithdrawPanel {...p} />
      <TransactionStatus status={tx.status} />
    </section>
  );
}

export type { PanelProps };
