/** The court's events: disputes from creation through draws, votes, rounds and appeals; its credits. */
import { zeroAddress } from "viem";
import { keyOf } from "../../store/index.js";
import type { RowOf } from "../../store/index.js";
import type { ChainEvent } from "../decode.js";
import type { Batch } from "./batch.js";
import type { Output } from "./output.js";
import { disputeIdOf, lower, num, position } from "./values.js";

/** Projects one court event onto its dispute, the votes and the court's credits. */
export function projectCourtEvent(batch: Batch, out: Output, e: ChainEvent): void {
  const a = e.args;
  const at = num(e.blockNumber);
  const id = disputeIdOf(e)?.toString();
  const dispute = id === undefined ? undefined : batch.disputes.get(id);
  const update = (changes: Partial<RowOf<"disputes">>) => {
    if (dispute !== undefined && id !== undefined)
      batch.disputes.set(id, { ...dispute, ...changes, updated_block: at });
  };
  switch (e.eventName) {
    case "DisputeCreation":
      batch.disputes.set(id!, {
        id: id!,
        arbitrable: lower(a.arbitrable),
        trade_id: null,
        phase: "Drawing",
        round: 0,
        attempt: 0,
        draw_block: null,
        panel: [],
        ruling: null,
        reveals: null,
        appealed: false,
        final_ruling: null,
        created_block: at,
        created_at: num(e.timestamp),
        updated_block: at,
      });
      return;
    case "DrawFellBack":
      // A late draw: the PanelDrawn that follows (same transaction) carries the panel.
      return update({ draw_block: num(a.drawBlock) });
    case "DrawAbandoned":
      // Nobody could be drawn: the dispute ends undrawn; the arbitrable's Ruling records the outcome.
      return update({ phase: "Solved", panel: [], ruling: String(a.ruling), reveals: 0 });
    case "PanelDrawn":
      return update({
        phase: "Commit",
        round: num(a.round),
        attempt: num(a.attempt),
        draw_block: num(a.drawBlock),
        panel: (a.panel as readonly string[]).map(lower),
        ruling: null,
        reveals: null,
      });
    case "VoteCommitted":
    case "VoteRevealed":
      return recordVote(out, e, id!, update);
    case "RoundClosed": {
      const reveals = num(a.reveals);
      const redraw = reveals === 0 && num(a.attempt) < 2;
      return update({
        phase: redraw ? "Drawing" : num(a.round) === 0 ? "Appealable" : "Solved",
        ruling: String(a.ruling),
        reveals,
      });
    }
    case "AppealPossible":
      return update({ phase: "Appealable" });
    case "AppealDecision":
      return update({ phase: "Drawing", round: 1, attempt: 0, appealed: true, panel: [] });
    case "Credited":
    case "Withdrawn":
      return creditCourtAccount(batch, e);
    default:
      return;
  }
}

/** A sealed or revealed vote: a row in `votes`; a reveal moves the dispute to its reveal phase. */
function recordVote(
  out: Output,
  e: ChainEvent,
  disputeId: string,
  update: (changes: Partial<RowOf<"disputes">>) => void,
): void {
  const a = e.args;
  const commit = e.eventName === "VoteCommitted";
  out.append("votes", {
    ...position(e),
    log_index: e.logIndex,
    dispute_id: disputeId,
    round: num(a.round),
    attempt: num(a.attempt),
    arbitrator: lower(a.arbitrator),
    kind: commit ? "commit" : "reveal",
    commitment: commit ? String(a.commitment) : null,
    choice: commit ? null : String(a.choice),
  });
  if (!commit) update({ phase: "Reveal" });
}

/** The court's fee credits (its own ledger, not the reducer's): credited, or zero once withdrawn. */
function creditCourtAccount(batch: Batch, e: ChainEvent): void {
  const a = e.args;
  const row = { kind: "court-credit", account: lower(a.account), token: zeroAddress };
  const k = keyOf("balances", row);
  const current = BigInt(batch.courtCredits.get(k)?.amount ?? "0");
  const amount = e.eventName === "Credited" ? current + (a.amount as bigint) : 0n;
  batch.courtCredits.set(k, { ...row, amount: amount.toString() });
}
