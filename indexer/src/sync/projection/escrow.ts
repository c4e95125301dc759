/**
 * The escrow's events, beyond what the reducer folds into trades, balances and operators: every
 * version of the terms, the documents committed, lots and their title, attestations, claims, and
 * the court's disputes linked to their trades (ERC-1497's Dispute and Ruling).
 */
import { zeroAddress } from "viem";
import type { Hex } from "viem";
import {
  attestationKindNames,
  claimGroundNames,
  claimOutcomeNames,
} from "@trade-escrow/sdk/contracts";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { toApiJson } from "../../internal/index.js";
import type { ChainEvent } from "../decode.js";
import type { Batch } from "./batch.js";
import type { Output } from "./output.js";
import { cidOf, lower, num, position, tradeIdOf } from "./values.js";

/** What the escrow's steps read and write. */
export type EscrowStep = { batch: Batch; out: Output; court: string };

/** Projects one escrow event; `existed`: its trade was known before the reducer applied it. */
export function projectEscrowEvent(ctx: EscrowStep, e: ChainEvent, existed: boolean): void {
  switch (e.eventName) {
    case "TradeProposed":
    case "TradeOpened":
    case "TradeAmended":
      return recordTermsVersion(ctx, e, existed);
    case "GoodsShipped":
      return ctx.out.document(e, "shipping", e.args.documentsCid);
    case "MilestoneRecorded":
      return ctx.out.document(e, "milestone", e.args.documentCid, {
        submitted_by: lower(e.args.recordedBy),
      });
    case "LotReceived":
      return receiveLot(ctx, e);
    case "TradeHalted":
      return haltLot(ctx, e);
    case "TitleTransferred":
      return transferTitle(ctx, e);
    case "PortArrivalAttested":
      return attestPortArrival(ctx, e);
    case "ClaimFiled":
      return fileClaim(ctx, e);
    case "ClaimContested":
    case "ClaimRuled":
    case "ClaimResolved":
      return advanceClaim(ctx, e);
    case "Evidence":
      return ctx.out.document(e, "evidence", e.args.evidenceCid, {
        submitted_by: lower(e.args.party),
      });
    case "MetaEvidence":
      return ctx.out.document(e, "meta-evidence", e.args.evidenceCid);
    case "Dispute":
      if (lower(e.args.arbitrator) === ctx.court)
        linkDispute(ctx, e.args.disputeID as bigint, tradeIdOf(e)!, num(e.blockNumber));
      return;
    case "Ruling":
      return recordRuling(ctx, e);
    default:
      return;
  }
}

/** Terms proposed, opened or amended: a version in `amendments`, its manifest a document. */
function recordTermsVersion({ out }: EscrowStep, e: ChainEvent, existed: boolean): void {
  const a = e.args;
  const version = e.eventName === "TradeAmended" ? num(a.version) : 0;
  if (e.eventName === "TradeOpened" && existed) return; // accepted: version 0 is stored
  const terms = a.terms as Terms; // the decoded Terms struct
  out.append("amendments", {
    trade_id: String(tradeIdOf(e)),
    version,
    terms_hash: String(a.termsHash),
    terms: toApiJson(terms),
    ...position(e),
    log_index: e.logIndex,
  });
  out.document(e, "manifest", terms.manifestCid as Hex);
}

const lotKey = (e: ChainEvent) => `${tradeIdOf(e)}|${e.args.lot}`;

/** A lot attested as received: its row, an attestation, its receipt a document. */
function receiveLot({ batch, out }: EscrowStep, e: ChainEvent): void {
  const a = e.args;
  const tradeKey = String(tradeIdOf(e));
  const kind = attestationKindNames[a.kind as number] ?? String(a.kind);
  const cid = cidOf(a.documentCid);
  batch.lots.set(lotKey(e), {
    trade_id: tradeKey,
    lot: num(a.lot),
    operator: lower(a.operator),
    receipt_id: String(a.receiptId),
    quantity: String(a.quantity),
    received_at: num(a.receivedAt),
    holder: lower(a.holder),
    kind,
    document_cid: cid ?? null,
    halted: false,
    halt_reasons: 0,
    title_transferred: false,
    title_block: null,
    title_at: null,
    title_tx: null,
    ...position(e),
    updated_block: num(e.blockNumber),
  });
  out.append("attestations", {
    ...position(e),
    log_index: e.logIndex,
    trade_id: tradeKey,
    operator: lower(a.operator),
    kind,
    lot: num(a.lot),
    quantity: String(a.quantity),
    time: num(a.receivedAt),
    document_cid: cid ?? null,
  });
  out.document(e, "lot-receipt", a.documentCid, { submitted_by: lower(a.operator) });
}

/** A lot outside the terms: halted, with the reasons. */
function haltLot({ batch }: EscrowStep, e: ChainEvent): void {
  const lot = batch.lots.get(lotKey(e));
  if (lot !== undefined)
    batch.lots.set(lotKey(e), {
      ...lot,
      halted: true,
      halt_reasons: num(e.args.reasons),
      updated_block: num(e.blockNumber),
    });
}

/** A lot's title passed to the buyer: the lot's title columns, an attestation by the operator. */
function transferTitle({ batch, out }: EscrowStep, e: ChainEvent): void {
  const at = num(e.blockNumber);
  const lot = batch.lots.get(lotKey(e));
  if (lot !== undefined) {
    batch.lots.set(lotKey(e), {
      ...lot,
      halted: false,
      title_transferred: true,
      title_block: at,
      title_at: num(e.timestamp),
      title_tx: e.transactionHash,
      updated_block: at,
    });
  }
  const id = tradeIdOf(e);
  const operator = id === undefined ? undefined : batch.state.trades.get(id)?.terms.operator;
  out.append("attestations", {
    ...position(e),
    log_index: e.logIndex,
    trade_id: String(id),
    operator: lower(operator ?? zeroAddress),
    kind: "TitleTransfer",
    lot: num(e.args.lot),
    quantity: null,
    time: num(e.timestamp),
    document_cid: null,
  });
}

function attestPortArrival({ out }: EscrowStep, e: ChainEvent): void {
  out.append("attestations", {
    ...position(e),
    log_index: e.logIndex,
    trade_id: String(tradeIdOf(e)),
    operator: lower(e.args.operator),
    kind: "PortArrival",
    lot: null,
    quantity: null,
    time: num(e.args.arrivedAt),
    document_cid: null,
  });
}

/** A claim filed: its row (the reducer keeps status, ground and amounts current), its report. */
function fileClaim({ batch, out }: EscrowStep, e: ChainEvent): void {
  const a = e.args;
  const at = num(e.blockNumber);
  const tradeKey = String(tradeIdOf(e));
  batch.claims.set(tradeKey, {
    trade_id: tradeKey,
    status: 1,
    status_name: "Filed",
    ground: num(a.ground),
    ground_name: claimGroundNames[a.ground as number]!,
    refund_bps: num(a.refundBps),
    costs: String(a.costs),
    filed_at: num(e.timestamp),
    agency: lower(a.agency),
    report_cid: cidOf(a.reportCid) ?? null,
    evidence_cid: cidOf(a.evidenceCid) ?? null,
    dispute_id: null,
    ruling: "0",
    outcome: null,
    refund: null,
    costs_paid: null,
    filed_block: at,
    updated_block: at,
  });
  out.document(e, "claim-report", a.reportCid, { submitted_by: lower(a.agency) });
}

/** A claim contested (its dispute linked), ruled or resolved (outcome and amounts). */
function advanceClaim(ctx: EscrowStep, e: ChainEvent): void {
  const a = e.args;
  const at = num(e.blockNumber);
  const id = tradeIdOf(e);
  const claim = id === undefined ? undefined : ctx.batch.claims.get(id.toString());
  if (id === undefined || claim === undefined) return;
  const resolved =
    e.eventName === "ClaimResolved"
      ? {
          outcome: claimOutcomeNames[a.outcome as number]!,
          refund: String(a.refund),
          costs_paid: String(a.costs),
        }
      : {};
  ctx.batch.claims.set(id.toString(), { ...claim, ...resolved, updated_block: at });
  if (e.eventName === "ClaimContested") linkDispute(ctx, a.disputeId as bigint, id, at);
}

/** The court's ruling as the escrow received it: the dispute is solved. */
function recordRuling({ batch, court }: EscrowStep, e: ChainEvent): void {
  const a = e.args;
  if (lower(a.arbitrator) !== court) return;
  const dispute = batch.disputes.get(String(a.disputeID));
  if (dispute !== undefined)
    batch.disputes.set(String(a.disputeID), {
      ...dispute,
      phase: "Solved",
      final_ruling: String(a.ruling),
      updated_block: num(e.blockNumber),
    });
}

/** A dispute's trade, once the escrow names it (the court knows only the arbitrable). */
function linkDispute({ batch }: EscrowStep, disputeId: bigint, tradeId: bigint, at: number): void {
  const dispute = batch.disputes.get(disputeId.toString());
  if (dispute !== undefined && dispute.trade_id === null)
    batch.disputes.set(disputeId.toString(), {
      ...dispute,
      trade_id: tradeId.toString(),
      updated_block: at,
    });
}
