import {
  decodeFunctionData,
  encodeAbiParameters,
  getAddress,
  isAddressEqual,
  keccak256,
  parseAbiParameters,
} from "viem";
import type { Address, Client, Hex } from "viem";
import { getTransaction, readContract } from "viem/actions";
import { arbitrationCourtAbi, ClaimGround, ClaimOutcome, CourtPhase } from "../contracts/index.js";
import type { ClaimRecord, EscrowEvent, EscrowEventOf } from "../history/index.js";
import type { CourtEvent, CourtEventOf } from "./events.js";
import { mapConcurrent } from "./pool.js";
import type { CheckList } from "./report.js";
import { show } from "./report.js";
import { withRetry } from "./retry.js";

/** The escrow's dispute choices: ruling r refunds r - 1 basis points (ClaimLogic.CHOICES). */
export const escrowChoices = 10_001n;
const BPS = 10_000n;

/** A claim's state just before the event that resolved it, from the reducer. */
export type ClaimResolution = {
  tradeId: bigint;
  event: EscrowEventOf<"ClaimResolved">;
  price: bigint;
  escrowedBefore: bigint;
  sellerBondBefore: bigint;
  claim: ClaimRecord;
  operator: Address;
  operatorBondBefore: bigint;
};

/** The court's commitment to a vote, exactly as `ArbitrationCourt.commitmentOf` computes it. */
export function commitmentOf(parameters: {
  disputeId: bigint;
  round: number;
  attempt: number;
  voter: Address;
  choice: bigint;
  salt: Hex;
}): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("uint256, uint8, uint8, address, uint256, bytes32"), [
      parameters.disputeId,
      parameters.round,
      parameters.attempt,
      parameters.voter,
      parameters.choice,
      parameters.salt,
    ]),
  );
}

/** The lower median of the revealed choices, as `ArbitrationCourt._median`; 0 when none. */
export function lowerMedian(choices: readonly bigint[]): bigint {
  if (choices.length === 0) return 0n;
  const sorted = [...choices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** The refund a ruling executes, as `ClaimLogic.executeRuling` and `_resolve` compute it. */
export function refundForRuling(
  resolution: Omit<ClaimResolution, "event" | "tradeId">,
  ruling: bigint,
) {
  const asked = BigInt(resolution.claim.refundBps);
  const bps = ruling === 0n ? asked / 2n : ruling - 1n < asked ? ruling - 1n : asked;
  let refund = (resolution.price * bps) / BPS;
  if (refund > resolution.escrowedBefore) refund = resolution.escrowedBefore;
  let costs =
    resolution.claim.ground === ClaimGround.MaterialDamage && bps === BPS
      ? resolution.claim.costs
      : 0n;
  if (costs > resolution.sellerBondBefore) costs = resolution.sellerBondBefore;
  // A false attestation found: the ruling's share of the operator's bond (ClaimLogic._slash).
  const slashes = resolution.claim.ground === ClaimGround.FalseAttestation && ruling > 1n;
  const slashed = slashes ? (resolution.operatorBondBefore * bps) / BPS : 0n;
  return { bps, refund, costs, slashed };
}

export type CheckArbitrationParameters = {
  client: Client;
  blockNumber: bigint;
  escrowEvents: readonly EscrowEvent[];
  courtEvents: readonly CourtEvent[];
  resolutions: readonly ClaimResolution[];
  checks: CheckList;
  concurrency: number;
  tradeId?: bigint | undefined;
};

/**
 * Recounts every dispute of the escrow's claims: each revealed vote matches the commitment its
 * arbitrator sealed (recomputed from the reveal's calldata, as the court does), each round's ruling is
 * the lower median of its revealed votes, the final ruling the escrow recorded follows from the rounds
 * (and equals the court's `dispute(id).ruling`), and the refund executed follows from the ruling.
 */
export async function checkArbitration(parameters: CheckArbitrationParameters): Promise<void> {
  const { checks, client } = parameters;
  const contested = parameters.escrowEvents.filter(
    (e): e is EscrowEventOf<"ClaimContested"> =>
      e.eventName === "ClaimContested" &&
      (parameters.tradeId === undefined || e.args.tradeId === parameters.tradeId),
  );
  for (const contest of contested) {
    const { tradeId, disputeId, arbitrator: court } = contest.args;
    const label = `dispute ${disputeId} of trade ${tradeId}`;
    const mine = parameters.courtEvents.filter(
      (e) =>
        isAddressEqual(e.address, court) && "disputeID" in e.args && e.args.disputeID === disputeId,
    );
    const commits = new Map<string, CourtEventOf<"VoteCommitted">>();
    const panels = new Map<string, readonly Address[]>();
    const reveals: CourtEventOf<"VoteRevealed">[] = [];
    const closes: CourtEventOf<"RoundClosed">[] = [];
    for (const event of mine) {
      if (event.eventName === "VoteCommitted") {
        commits.set(
          ballotKey(event.args.round, event.args.attempt, event.args.arbitrator),
          event as CourtEventOf<"VoteCommitted">,
        );
      } else if (event.eventName === "PanelDrawn") {
        panels.set(`${event.args.round}/${event.args.attempt}`, event.args.panel);
      } else if (event.eventName === "VoteRevealed")
        reveals.push(event as CourtEventOf<"VoteRevealed">);
      else if (event.eventName === "RoundClosed") closes.push(event as CourtEventOf<"RoundClosed">);
    }

    // Every reveal against its commitment.
    await mapConcurrent(reveals, parameters.concurrency, async (reveal) => {
      const { round, attempt, arbitrator, choice } = reveal.args;
      const subject = `vote of ${arbitrator} in round ${round}.${attempt} of ${label}`;
      const evidence = {
        block: show(reveal.blockNumber),
        transaction: reveal.transactionHash,
        tradeId: show(tradeId),
        disputeId: show(disputeId),
        account: getAddress(arbitrator),
      };
      const panel = panels.get(`${round}/${attempt}`) ?? [];
      if (!panel.some((member) => isAddressEqual(member, arbitrator))) {
        checks.failed(
          "arbitration",
          subject,
          "not-on-panel",
          `${arbitrator} revealed a vote in ${label} without sitting on its panel.`,
          evidence,
        );
        return;
      }
      const commit = commits.get(ballotKey(round, attempt, arbitrator));
      if (commit === undefined) {
        checks.failed(
          "arbitration",
          subject,
          "commitment-mismatch",
          `${arbitrator} revealed in ${label} without a commitment.`,
          evidence,
        );
        return;
      }
      const transaction = await withRetry(() =>
        getTransaction(client, { hash: reveal.transactionHash }),
      );
      let salt: Hex | undefined;
      if (transaction.to !== null && isAddressEqual(transaction.to, court)) {
        try {
          const call = decodeFunctionData({ abi: arbitrationCourtAbi, data: transaction.input });
          if (call.functionName === "revealVote") salt = call.args[2];
        } catch {
          salt = undefined;
        }
      }
      if (salt === undefined) {
        checks.skipped(
          "arbitration",
          subject,
          "not-decodable",
          `The reveal ${reveal.transactionHash} did not call the court directly; its salt cannot be read.`,
          evidence,
        );
        return;
      }
      const recomputed = commitmentOf({
        disputeId,
        round,
        attempt,
        voter: arbitrator,
        choice,
        salt,
      });
      const withValues = { ...evidence, expected: commit.args.commitment, found: recomputed };
      if (recomputed === commit.args.commitment)
        checks.passed(
          "arbitration",
          subject,
          `${arbitrator}'s vote ${choice} matches the commitment it sealed.`,
          withValues,
        );
      else
        checks.failed(
          "arbitration",
          subject,
          "commitment-mismatch",
          `${arbitrator}'s revealed vote ${choice} does not match its commitment.`,
          withValues,
        );
    });

    // Every round's ruling from its revealed votes.
    const rulings = new Map<string, bigint>();
    for (const close of closes) {
      const { round, attempt, ruling, reveals: count } = close.args;
      const choices = reveals
        .filter((r) => r.args.round === round && r.args.attempt === attempt)
        .map((r) => r.args.choice);
      const expected = lowerMedian(choices);
      rulings.set(`${round}/${attempt}`, ruling);
      const subject = `ruling of round ${round}.${attempt} of ${label}`;
      const evidence = {
        block: show(close.blockNumber),
        transaction: close.transactionHash,
        tradeId: show(tradeId),
        disputeId: show(disputeId),
        expected: `${show(expected)} from ${choices.length} vote(s)`,
        found: `${show(ruling)} from ${show(count)} vote(s)`,
      };
      if (ruling === expected && count === BigInt(choices.length))
        checks.passed(
          "arbitration",
          subject,
          `Round ${round}.${attempt} ruled ${ruling}, the lower median of [${choices.join(", ")}].`,
          evidence,
        );
      else
        checks.failed(
          "arbitration",
          subject,
          "ruling-mismatch",
          `Round ${round}.${attempt} ruled ${ruling} on ${count} vote(s); the revealed votes [${choices.join(", ")}] give ${expected}.`,
          evidence,
        );
    }

    // The final ruling the escrow recorded, from the rounds, and the court's view of it.
    const ruled = parameters.escrowEvents.find(
      (e): e is EscrowEventOf<"ClaimRuled"> =>
        e.eventName === "ClaimRuled" &&
        e.args.tradeId === tradeId &&
        e.args.disputeId === disputeId,
    );
    if (ruled !== undefined) {
      const expected = finalRuling(closes);
      const capped = expected > escrowChoices ? escrowChoices : expected;
      const view = await withRetry(() =>
        readContract(client, {
          address: court,
          abi: arbitrationCourtAbi,
          functionName: "dispute",
          args: [disputeId],
          blockNumber: parameters.blockNumber,
        }),
      );
      const subject = `final ruling of ${label}`;
      const evidence = {
        block: show(ruled.blockNumber),
        transaction: ruled.transactionHash,
        tradeId: show(tradeId),
        disputeId: show(disputeId),
        expected: show(capped),
        found: show(ruled.args.ruling),
      };
      if (ruled.args.ruling !== capped)
        checks.failed(
          "arbitration",
          subject,
          "ruling-mismatch",
          `The escrow recorded ruling ${ruled.args.ruling} for ${label}; its rounds give ${capped}.`,
          evidence,
        );
      else if (view.phase !== CourtPhase.Solved || BigInt(view.ruling) !== expected)
        checks.failed(
          "arbitration",
          subject,
          "ruling-mismatch",
          `The court's view of ${label} (phase ${view.phase}, ruling ${view.ruling}) disagrees with the ruling ${expected} it delivered.`,
          { ...evidence, found: show(view.ruling) },
        );
      else
        checks.passed(
          "arbitration",
          subject,
          `The escrow recorded ruling ${ruled.args.ruling} for ${label}, as its rounds give.`,
          evidence,
        );
    }

    // The refund executed on that ruling.
    const resolution = parameters.resolutions.find(
      (r) => r.tradeId === tradeId && r.event.args.outcome === ClaimOutcome.Ruling,
    );
    if (resolution !== undefined && ruled !== undefined) {
      const expected = refundForRuling(resolution, ruled.args.ruling);
      const slashed = parameters.escrowEvents.find(
        (e): e is EscrowEventOf<"OperatorSlashed"> =>
          e.eventName === "OperatorSlashed" &&
          e.transactionHash === resolution.event.transactionHash,
      );
      const found = {
        refund: resolution.event.args.refund,
        costs: resolution.event.args.costs,
        slashed: slashed?.args.amount ?? 0n,
      };
      const subject = `refund executed on ${label}`;
      const evidence = {
        block: show(resolution.event.blockNumber),
        transaction: resolution.event.transactionHash,
        tradeId: show(tradeId),
        disputeId: show(disputeId),
        expected: `refund ${expected.refund}, costs ${expected.costs}, slashed ${expected.slashed}`,
        found: `refund ${found.refund}, costs ${found.costs}, slashed ${found.slashed}`,
      };
      if (
        found.refund === expected.refund &&
        found.costs === expected.costs &&
        found.slashed === expected.slashed
      )
        checks.passed(
          "arbitration",
          subject,
          `Ruling ${ruled.args.ruling} refunded ${expected.bps} bps of the price, as executed.`,
          evidence,
        );
      else
        checks.failed(
          "arbitration",
          subject,
          "refund-mismatch",
          `Ruling ${ruled.args.ruling} should have executed ${evidence.expected}; the escrow executed ${evidence.found}.`,
          evidence,
        );
    }
  }
}

/**
 * The ruling a dispute's rounds deliver (ArbitrationCourt.closeRound, finalize, abandonDraw): the
 * appeal's ruling when its panel voted; the first ruling when nobody heard the appeal (no vote, or no
 * arbitrator to draw) or there was none; 0 when nobody voted at the first hearing or nobody could be
 * drawn for it.
 */
export function finalRuling(closes: readonly CourtEventOf<"RoundClosed">[]): bigint {
  const ruled = (round: number) =>
    closes.find((c) => c.args.round === round && c.args.reveals > 0n)?.args.ruling;
  const appeal = ruled(1);
  if (appeal !== undefined) return appeal;
  const first = ruled(0);
  if (first !== undefined) return first;
  // Nobody voted in any panel of the first hearing: the court refused to rule.
  return 0n;
}

function ballotKey(round: number, attempt: number, arbitrator: Address): string {
  return `${round}/${attempt}/${arbitrator.toLowerCase()}`;
}
