import { useState } from "react";
import type { ReactNode } from "react";
import { useBlock, useReadContract } from "wagmi";
import { zeroAddress } from "viem";
import type { Hex } from "viem";
import {
  AttestationKind,
  Milestone,
  milestoneNames,
  tradeEscrowAbi,
} from "@trade-escrow/sdk/contracts";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { ManifestDocument } from "@trade-escrow/sdk/manifest";
import * as escrow from "../actions/escrow.js";
import type { Clients } from "../actions/client.js";
import { useApp } from "../context.js";
import { useClients } from "../hooks/useClients.js";
import { useTransaction } from "../hooks/useTransaction.js";
import type { TradeDetail } from "../lib/api.js";
import { formatAmount, humanize, parseUtcInput, toUtcInput, tokenOf } from "../lib/format.js";
import { commitmentOf } from "../lib/manifest.js";
import { depositOf, sameAddress } from "../lib/terms.js";
import { AmendmentPanel } from "./AmendmentPanel.js";
import { ClaimPanel } from "./ClaimPanel.js";
import { DocumentUploader } from "./DocumentUploader.js";
import { TransactionStatus } from "./TransactionStatus.js";

type Tx = ReturnType<typeof useTransaction>;
type PanelProps = { trade: TradeDetail; terms: Terms; due: bigint; clients: Clients; tx: Tx };

function Panel(props: { title: string; children: ReactNode }) {
  return (
    <div className="panel">
      <h3>{props.title}</h3>
      {props.children}
    </div>
  );
}

/** Pays in the trade's token: the native coin as value, an ERC-20 after an approval if needed. */
async function payWithToken(
  tx: Tx,
  clients: Clients,
  terms: Terms,
  amount: bigint,
  label: string,
  pay: () => Promise<Hex>,
): Promise<boolean> {
  if (terms.token !== zeroAddress) {
    const allowance = await escrow.allowanceOf(clients, terms.token);
    if (allowance < amount) {
      const approved = await tx.run(`Approve ${label}`, () =>
        escrow.approveToken(clients, terms.token, amount),
      );
      if (!approved) return false;
    }
  }
  return tx.run(label, pay);
}

function BuyerActions({ trade, terms, due, clients, tx }: PanelProps) {
  const { config } = useApp();
  const token = tokenOf(config.tokens, trade.token);
  const id = BigInt(trade.id);
  const [scores, setScores] = useState({ service: 5, speed: 5, accuracy: 5 });
  const state = trade.stateName;
  const actions: ReactNode[] = [];
  if (state === "Signed" && trade.modeName === "Protected") {
    const deposit = depositOf(terms);
    actions.push(
      <button
        key="deposit"
        type="button"
        disabled={tx.busy}
        onClick={() =>
          void payWithToken(tx, clients, terms, deposit, "Pay the deposit", () =>
            escrow.payDeposit(clients, id, terms),
          )
        }
      >
        Pay the deposit ({formatAmount(deposit, token)})
      </button>,
    );
    if (terms.token !== zeroAddress)
      actions.push(
        <button
          key="deposit-permit"
          type="button"
          disabled={tx.busy}
          onClick={() =>
            void tx.run("Pay the deposit with a permit", () =>
              escrow.payWithPermit(clients, id, terms, deposit, "deposit"),
            )
          }
        >
          Sign a permit and pay the deposit in one transaction
        </button>,
      );
  }
  if (state === "Signed" && trade.modeName === "Direct") {
    actions.push(
      <button
        key="direct"
        type="button"
        disabled={tx.busy}
        onClick={() =>
          void payWithToken(tx, clients, terms, terms.price, "Pay the seller", () =>
            escrow.payDirect(clients, id, terms),
          )
        }
      >
        Pay the seller directly ({formatAmount(terms.price, token)}, no protection)
      </button>,
    );
  }
  if (
    trade.modeName === "Protected" &&
    ["Deposited", "InFulfilment", "Shipped", "Received", "Halted"].includes(state) &&
    due > 0n
  ) {
    actions.push(
      <button
        key="balance"
        type="button"
        disabled={tx.busy}
        onClick={() =>
          void payWithToken(tx, clients, terms, due, "Pay the balance", () =>
            escrow.payBalance(clients, id, terms, due),
          )
        }
      >
        Pay the balance ({formatAmount(due, token)})
      </button>,
    );
    if (terms.token !== zeroAddress)
      actions.push(
        <button
          key="balance-permit"
          type="button"
          disabled={tx.busy}
          onClick={() =>
            void tx.run("Pay the balance with a permit", () =>
              escrow.payWithPermit(clients, id, terms, due, "balance"),
            )
          }
        >
          Sign a permit and pay the balance in one transaction
        </button>,
      );
  }
  if (
    (trade.modeName === "Direct" && state === "Shipped") ||
    (trade.modeName === "PayAfterUse" && state === "Delivered")
  ) {
    actions.push(
      <button
        key="confirm"
        type="button"
        disabled={tx.busy}
        onClick={() =>
          void tx.run("Confirm receipt", () => escrow.confirmReceipt(clients, id, terms))
        }
      >
        Confirm receipt
      </button>,
    );
  }
  if (state === "Completed") {
    actions.push(
      <form
        key="rate"
        className="rating"
        onSubmit={(e) => {
          e.preventDefault();
          void tx.run("Rate the seller", () => escrow.rateSeller(clients, id, terms, scores));
        }}
      >
        <fieldset>
          <legend>Rate the seller (1 to 5)</legend>
          {(["service", "speed", "accuracy"] as const).map((k) => (
            <label key={k}>
              {humanize(k)}{" "}
              <input
                type="number"
                min={1}
                max={5}
                value={scores[k]}
                onChange={(e) => setScores({ ...scores, [k]: Number(e.target.value) })}
              />
            </label>
          ))}
          <button type="submit" disabled={tx.busy}>
            Rate
          </button>
        </fieldset>
      </form>,
    );
  }
  return (
    <Panel title="Buyer">
      {actions.length === 0 ? <p className="muted">Nothing for the buyer to do now.</p> : actions}
    </Panel>
  );
}

function SellerActions({ trade, terms, clients, tx }: PanelProps) {
  const { config } = useApp();
  const token = tokenOf(config.tokens, trade.token);
  const id = BigInt(trade.id);
  const [shipping, setShipping] = useState<ManifestDocument[]>([]);
  const [milestone, setMilestone] = useState<number>(Milestone.Departed);
  const state = trade.stateName;
  const bondDue = terms.sellerBond - BigInt(trade.balances.sellerBond);
  const actions: ReactNode[] = [];
  if (["Signed", "Deposited"].includes(state) && bondDue > 0n) {
    actions.push(
      <button
        key="bond"
        type="button"
        disabled={tx.busy}
        onClick={() =>
          void payWithToken(tx, clients, terms, bondDue, "Post the bond", () =>
            escrow.postSellerBond(clients, id, terms, bondDue),
          )
        }
      >
        Post the performance bond ({formatAmount(bondDue, token)})
      </button>,
    );
  }
  if (state === "Deposited") {
    actions.push(
      <button
        key="start"
        type="button"
        disabled={tx.busy}
        onClick={() =>
          void tx.run("Start fulfilment", () => escrow.startFulfilment(clients, id, terms))
        }
      >
        Start fulfilment
      </button>,
    );
  }
  if (state === "InFulfilment") {
    const first = shipping[0];
    actions.push(
      <div key="ship">
        <DocumentUploader
          label="Shipping documents (bill of lading, waybill, customs declaration)"
          types={["bill-of-lading", "waybill", "customs-declaration"]}
          documents={shipping}
          onChange={setShipping}
        />
        <button
          type="button"
          disabled={tx.busy || first === undefined}
          onClick={() =>
            first !== undefined &&
            void tx.run("Mark shipped", () =>
              escrow.markShipped(clients, id, terms, commitmentOf(first.cid)),
            )
          }
        >
          Mark shipped with {first?.name ?? "a shipping document"}
        </button>
      </div>,
    );
  }
  if (["Shipped", "Received"].includes(state)) {
    actions.push(
      <form
        key="milestone"
        onSubmit={(e) => {
          e.preventDefault();
          void tx.run("Record milestone", () =>
            escrow.recordMilestone(clients, id, terms, milestone, "0x"),
          );
        }}
      >
        <label>
          Logistics milestone{" "}
          <select value={milestone} onChange={(e) => setMilestone(Number(e.target.value))}>
            {milestoneNames.slice(1).map((name, i) => (
              <option key={name} value={i + 1}>
                {humanize(name)}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" disabled={tx.busy}>
          Record milestone
        </button>
      </form>,
    );
  }
  return (
    <Panel title="Seller">
      {actions.length === 0 ? <p className="muted">Nothing for the seller to do now.</p> : actions}
    </Panel>
  );
}

function OperatorActions({ trade, terms, clients, tx }: PanelProps) {
  const id = BigInt(trade.id);
  const state = trade.stateName;
  const nextLot = trade.lotsDone + 1;
  const [kind, setKind] = useState<number>(AttestationKind.ReceiptAndTitleTransfer);
  const [quantity, setQuantity] = useState(
    (terms.quantity - BigInt(trade.receivedQuantity)).toString(),
  );
  // The attested time must lie between the shipment and the chain's now: default to the latest block.
  const latest = useBlock({ watch: true });
  const [typedReceivedAt, setReceivedAt] = useState<string | undefined>();
  const receivedAt =
    typedReceivedAt ??
    toUtcInput(
      latest.data !== undefined ? Number(latest.data.timestamp) : Math.floor(Date.now() / 1000),
    );
  const [signature, setSignature] = useState<string | undefined>();
  if (!["Shipped", "Received", "Halted"].includes(state))
    return (
      <Panel title="Warehouse operator">
        <p className="muted">Nothing to attest now.</p>
      </Panel>
    );
  const attestation = () => ({
    tradeId: id,
    kind,
    lot: nextLot,
    quantity: BigInt(quantity || "0"),
    time: BigInt(parseUtcInput(receivedAt)),
    documentCid: "0x" as Hex,
    nonce: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
    deadline: BigInt(Math.floor(Date.now() / 1000) + 7 * 86_400),
  });
  const kinds =
    state === "Received" || state === "Halted"
      ? [AttestationKind.TitleTransfer]
      : [
          AttestationKind.ReceiptAndTitleTransfer,
          AttestationKind.Receipt,
          AttestationKind.PortArrival,
        ];
  const effectiveKind = kinds.includes(kind as never) ? kind : kinds[0]!;
  return (
    <Panel title="Warehouse operator">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const message = { ...attestation(), kind: effectiveKind };
          void tx.run("Submit attestation", () => escrow.attest(clients, terms, message));
        }}
      >
        <label>
          Attestation{" "}
          <select value={effectiveKind} onChange={(e) => setKind(Number(e.target.value))}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {
                  {
                    [AttestationKind.Receipt]: "Goods received (receipt only)",
                    [AttestationKind.TitleTransfer]: "Title transferred to the buyer",
                    [AttestationKind.ReceiptAndTitleTransfer]:
                      "Goods received and title transferred",
                    [AttestationKind.PortArrival]: "Arrived at the port of destination",
                  }[k]
                }
              </option>
            ))}
          </select>
        </label>
        <p className="muted">
          Lot {nextLot} of at most {terms.lots}
        </p>
        {effectiveKind !== AttestationKind.TitleTransfer &&
          effectiveKind !== AttestationKind.PortArrival && (
            <>
              <label>
                Quantity received{" "}
                <input
                  inputMode="numeric"
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value.replace(/\D/g, ""))}
                  required
                />
              </label>
              <label>
                Received at (UTC){" "}
                <input
                  type="datetime-local"
                  step={1}
                  value={receivedAt}
                  onChange={(e) => setReceivedAt(e.target.value)}
                  required
                />
              </label>
            </>
          )}
        <div className="row">
          <button type="submit" disabled={tx.busy}>
            Sign and submit
          </button>
          <button
            type="button"
            onClick={() => {
              const message = { ...attestation(), kind: effectiveKind };
              void escrow.signOperatorAttestation(clients, message).then(
                (sig) =>
                  setSignature(
                    JSON.stringify(
                      { attestation: message, signature: sig },
                      (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
                      2,
                    ),
                  ),
                (error: unknown) => setSignature(`Signing failed: ${String(error)}`),
              );
            }}
          >
            Sign only (EIP-712) for a relayer
          </button>
        </div>
        {signature !== undefined && (
          <label>
            Signed attestation: anyone may relay it with attest(terms, attestation, signature)
            <textarea readOnly rows={8} value={signature} data-testid="attestation-signature" />
          </label>
        )}
      </form>
    </Panel>
  );
}

function ProposalActions({ trade, terms, clients, tx }: PanelProps) {
  const id = BigInt(trade.id);
  const proposer = trade.timeline.find((e) => e.event === "TradeProposed")?.args.proposer;
  const isProposer = sameAddress(String(proposer ?? ""), clients.account);
  return (
    <Panel title="Electronic contract">
      {isProposer ? (
        <>
          <p>You signed these terms on chain; the other party has yet to sign.</p>
          <button
            type="button"
            disabled={tx.busy}
            onClick={() =>
              void tx.run("Withdraw the proposal", () =>
                escrow.withdrawProposal(clients, id, terms),
              )
            }
          >
            Withdraw the proposal
          </button>
        </>
      ) : (
        <>
          <p>Review the terms and documents, then sign the contract on chain.</p>
          <button
            type="button"
            disabled={tx.busy}
            onClick={() =>
              void tx.run("Sign the contract", () => escrow.acceptTrade(clients, id, terms))
            }
          >
            Sign the contract
          </button>
        </>
      )}
    </Panel>
  );
}

function WithdrawPanel({ trade, clients, tx }: PanelProps) {
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

/** What the connected account may do on this trade, by its role, with each transaction's status. */
export function TradeActions(props: { trade: TradeDetail; terms: Terms; due: bigint }) {
  const { clients, reason } = useClients();
  const tx = useTransaction();
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
  const p: PanelProps = { ...props, clients, tx };
  const isBuyer = sameAddress(trade.buyer, clients.account);
  const isSeller = sameAddress(trade.seller, clients.account);
  const isOperator = sameAddress(trade.operator, clients.account);
  const finished = ["Completed", "Cancelled", "Refunded"].includes(trade.stateName);
  return (
    <section aria-labelledby="actions" className="actions">
      <h2 id="actions">Actions</h2>
      {!isBuyer && !isSeller && !isOperator && (
        <p className="muted">The connected account has no role in this trade.</p>
      )}
      {(isBuyer || isSeller) && trade.stateName === "Proposed" && <ProposalActions {...p} />}
      {isBuyer && trade.stateName !== "Proposed" && <BuyerActions {...p} />}
      {isSeller && trade.stateName !== "Proposed" && <SellerActions {...p} />}
      {isOperator && <OperatorActions {...p} />}
      {(isBuyer || isSeller) && !finished && trade.stateName !== "Proposed" && (
        <AmendmentPanel {...p} />
      )}
      {(isBuyer || isSeller) && <ClaimPanel {...p} />}
      {trade.stateName === "Delivered" && trade.modeName === "Protected" && (
        <Panel title="Release">
          <p className="muted">
            After the claim window anyone may release the money to the seller.
          </p>
          <button
            type="button"
            disabled={tx.busy}
            onClick={() =>
              void tx.run("Release", () => escrow.release(clients, BigInt(trade.id), props.terms))
            }
          >
            Release to the seller
          </button>
        </Panel>
      )}
      <WithdrawPanel {...p} />
      <TransactionStatus status={tx.status} />
    </section>
  );
}

export type { PanelProps };
