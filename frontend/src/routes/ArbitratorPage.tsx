import { useState } from "react";
import { useBlock, useConnection, useReadContract } from "wagmi";
import { arbitrationCourtAbi, courtPhaseNames } from "@trade-escrow/sdk/contracts";
import * as escrow from "../actions/escrow.js";
import type { Clients } from "../actions/client.js";
import { AsyncState } from "../components/AsyncState.js";
import { Countdown } from "../components/Countdown.js";
import { TransactionStatus } from "../components/TransactionStatus.js";
import { useApp } from "../context.js";
import { useClients } from "../hooks/useClients.js";
import { useDisputes, useTrade } from "../hooks/useIndexer.js";
import { useTransaction } from "../hooks/useTransaction.js";
import type { Dispute } from "../lib/api.js";
import { toReadableError } from "../lib/errors.js";
import { DocumentLink } from "../components/DocumentLink.js";
import { humanize } from "../lib/format.js";
import { exportVotes, importVotes, loadVotes, newSalt, saveVote, voteKey } from "../lib/salts.js";
import { Link, useTitle } from "../router.js";
import { rulingLabel } from "../lib/ruling.js";

function Evidence({ tradeId }: { tradeId: string }) {
  const trade = useTrade(tradeId);
  return (
    <AsyncState query={trade} label="the evidence" empty="">
      {(t) => {
        const docs = t.documents.filter((d) =>
          ["claim-report", "evidence", "meta-evidence", "manifest"].includes(d.role),
        );
        return docs.length === 0 ? (
          <p className="state state-empty">No evidence submitted.</p>
        ) : (
          <ul>
            {docs.map((d) => (
              <li key={`${d.role}-${d.commitment}`}>
                {humanize(d.role)}:{" "}
                {d.cid === null ? (
                  "not a CID"
                ) : (
                  <DocumentLink cid={d.cid} name={d.cid.slice(0, 16) + "…"} />
                )}
              </li>
            ))}
          </ul>
        );
      }}
    </AsyncState>
  );
}

function DisputeCard({ dispute, clients }: { dispute: Dispute; clients: Clients }) {
  const { config } = useApp();
  const tx = useTransaction();
  const id = BigInt(dispute.id);
  const view = useReadContract({
    address: config.court,
    abi: arbitrationCourtAbi,
    functionName: "dispute",
    args: [id],
    query: { refetchInterval: 4_000 },
  });
  const [refundPercent, setRefundPercent] = useState("100");
  const [reject, setReject] = useState(false);
  // The court keeps its phase until someone acts; the windows are judged by the chain's time.
  const latest = useBlock({ watch: true });
  const now =
    latest.data !== undefined ? Number(latest.data.timestamp) : Math.floor(Date.now() / 1000);
  const d = view.data;
  const tradeId = dispute.tradeId as string | null;
  const sealed =
    d === undefined
      ? undefined
      : loadVotes()[
          voteKey({
            disputeId: dispute.id,
            round: d.round,
            attempt: d.attempt,
            voter: clients.account,
          })
        ];
  const stored = d === undefined ? String(dispute.phase) : courtPhaseNames[d.phase];
  const voting = stored === "Commit" || stored === "Reveal";
  const canCommit = d !== undefined && stored === "Commit" && now <= d.commitDeadline;
  const canReveal = d !== undefined && voting && now > d.commitDeadline && now <= d.revealDeadline;
  const canClose = d !== undefined && voting && (now > d.revealDeadline || stored === "Reveal");
  // The panel is drawn from the draw block's hash: possible once that block is mined and buried.
  const canDraw =
    d !== undefined &&
    stored === "Drawing" &&
    latest.data !== undefined &&
    latest.data.number > BigInt(d.drawBlock);
  const canFinalize = d !== undefined && stored === "Appealable" && now > d.appealDeadline;
  const phase =
    d === undefined || !voting
      ? stored
      : now <= d.commitDeadline
        ? "Commit"
        : now <= d.revealDeadline
          ? "Reveal"
          : "Closing";

  const commit = () => {
    if (d === undefined) return;
    // Choice r refunds r - 1 basis points of the price: 1 rejects the claim (0 is the court's "refused").
    const choice = reject ? 1n : BigInt(Math.round(Number(refundPercent) * 100)) + 1n;
    const salt = newSalt();
    const vote = {
      disputeId: dispute.id,
      round: d.round,
      attempt: d.attempt,
      voter: clients.account,
      choice: choice.toString(),
      salt,
    };
    // Kept before sending: a vote committed without its salt could never be revealed.
    saveVote(vote);
    void tx.run("Commit the sealed vote", () =>
      escrow.commitVote(
        clients,
        id,
        escrow.voteCommitment(id, d.round, d.attempt, clients.account, choice, salt),
      ),
    );
  };

  return (
    <article className="panel dispute" data-testid={`dispute-${dispute.id}`}>
      <h3>
        Dispute #{dispute.id}
        {tradeId !== null && (
          <>
            {" "}
            on <Link href={`/trades/${tradeId}`}>trade #{tradeId}</Link>
          </>
        )}
      </h3>
      <p>
        Phase: <strong data-testid="dispute-phase">{phase}</strong>
        {d !== undefined && (
          <>
            {" "}
            · round {d.round + 1} · panel of {d.terms.panelSize}
          </>
        )}
      </p>
      {d !== undefined && (
        <dl className="deadlines">
          {phase === "Commit" && <Countdown label="Commit by" at={d.commitDeadline} />}
          {(phase === "Commit" || phase === "Reveal") && (
            <Countdown label="Reveal by" at={d.revealDeadline} />
          )}
          {phase === "Appealable" && <Countdown label="Appeal until" at={d.appealDeadline} />}
        </dl>
      )}
      {tradeId !== null && <Evidence tradeId={tradeId} />}
      {canCommit && sealed === undefined && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            commit();
          }}
        >
          <label>
            <input type="checkbox" checked={reject} onChange={(e) => setReject(e.target.checked)} />{" "}
            Reject the claim
          </label>
          {!reject && (
            <label>
              Refund to the buyer (% of the price){" "}
              <input
                inputMode="decimal"
                value={refundPercent}
                onChange={(e) => setRefundPercent(e.target.value)}
              />
            </label>
          )}
          <button type="submit" disabled={tx.busy}>
            Commit a sealed vote
          </button>
        </form>
      )}
      {sealed !== undefined && (
        <p>
          Your sealed vote:{" "}
          {sealed.choice === "0" ? "reject" : `refund ${(Number(sealed.choice) - 1) / 100}%`} (salt
          kept in this browser).
        </p>
      )}
      {canReveal && sealed !== undefined && (
        <button
          type="button"
          disabled={tx.busy}
          onClick={() =>
            void tx.run("Reveal the vote", () =>
              escrow.revealVote(clients, id, BigInt(sealed.choice), sealed.salt),
            )
          }
        >
          Reveal my vote
        </button>
      )}
      {stored === "Drawing" && !canDraw && d !== undefined && (
        <p className="muted">The panel is drawn after block {d.drawBlock.toString()}.</p>
      )}
      {canDraw && (
        <button
          type="button"
          disabled={tx.busy}
          onClick={() => void tx.run("Draw the panel", () => escrow.drawPanel(clients, id))}
        >
          Draw the panel
        </button>
      )}
      {canClose && (
        <button
          type="button"
          disabled={tx.busy}
          onClick={() => void tx.run("Close the round", () => escrow.closeRound(clients, id))}
        >
          Close the round and rule
        </button>
      )}
      {canFinalize && (
        <button
          type="button"
          disabled={tx.busy}
          onClick={() =>
            void tx.run("Finalize the ruling", () => escrow.finalizeRuling(clients, id))
          }
        >
          Finalize and deliver the ruling
        </button>
      )}
      {d !== undefined && (phase === "Appealable" || phase === "Solved") && (
        <p>
          Ruling: <strong data-testid="dispute-ruling">{rulingLabel(d.ruling)}</strong>
        </p>
      )}
      <TransactionStatus status={tx.status} />
    </article>
  );
}

function SaltBackup() {
  const [passphrase, setPassphrase] = useState("");
  const [text, setText] = useState("");
  const [message, setMessage] = useState<string | undefined>();
  return (
    <details className="panel">
      <summary>
        <h3>Back up or restore sealed votes</h3>
      </summary>
      <div className="form">
        <label>
          Passphrase{" "}
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        <div className="row">
          <button
            type="button"
            onClick={() =>
              void exportVotes(loadVotes(), passphrase).then(
                (out) => {
                  setText(out);
                  setMessage("Encrypted: keep this text and the passphrase.");
                },
                (e: unknown) => setMessage(toReadableError(e).title),
              )
            }
          >
            Export encrypted
          </button>
          <button
            type="button"
            onClick={() =>
              void importVotes(text, passphrase).then(
                (votes) => {
                  Object.values(votes).forEach((v) => saveVote(v));
                  setMessage(`Restored ${Object.keys(votes).length} sealed vote(s).`);
                },
                (e: unknown) => setMessage(toReadableError(e).title),
              )
            }
          >
            Import
          </button>
        </div>
        <label>
          Export <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        {message !== undefined && <p role="status">{message}</p>}
      </div>
    </details>
  );
}

export function ArbitratorPage() {
  useTitle("Arbitrator");
  const { clients, reason } = useClients();
  const { address } = useConnection();
  const disputes = useDisputes();
  return (
    <div className="workspace">
      <h1>Arbitrator</h1>
      <p className="lead">
        Disputes you sit on: read the evidence, commit a sealed vote, reveal it, and rule.
      </p>
      {clients === undefined ? (
        <p className="banner" role="status">
          {reason === "wrong-network"
            ? "Switch to the right network."
            : "Connect an arbitrator's wallet."}
        </p>
      ) : (
        <>
          <AsyncState
            query={disputes}
            label="disputes"
            empty="No dispute is assigned to you."
            isEmpty={(data) =>
              !data.items.some(
                (x) =>
                  (x.panel as string[]).includes(address!.toLowerCase()) || x.phase === "Drawing",
              )
            }
          >
            {(data) => (
              <div>
                {data.items
                  .filter(
                    (x) =>
                      (x.panel as string[]).includes(address!.toLowerCase()) ||
                      x.phase === "Drawing",
                  )
                  .map((x) => (
                    <DisputeCard key={x.id} dispute={x} clients={clients} />
                  ))}
              </div>
            )}
          </AsyncState>
          <SaltBackup />
        </>
      )}
    </div>
  );
}
