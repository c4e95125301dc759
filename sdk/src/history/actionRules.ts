import { zeroAddress } from "viem";
import {
  AttestationKind,
  CancelReason,
  ClaimStatus,
  PaymentMode,
  TradeState,
} from "../contracts/generated/enums.js";
import type { TradeAction, TradeRole } from "./actionTypes.js";
import {
  addBusinessDays,
  balanceDeadline,
  balanceDue,
  claimWindowStart,
  effectiveLatestDelivery,
} from "./deadlines.js";
import type { DeadlineFields } from "./deadlines.js";
import type { TradeRecord } from "./types.js";

/** What the action rules read of a trade: a reducer's `TradeRecord` has it all. */
export type ActionTradeFields = DeadlineFields &
  Pick<TradeRecord, "proposedBySeller" | "sellerBond">;

const S = TradeState;
const between = (state: TradeState, from: TradeState, to: TradeState) =>
  state >= from && state <= to;

/**
 * Every action the escrow offers in the trade's current state, to whom, and in which time window,
 * whether or not that window is open now (`availableActions` keeps those open now to one account).
 * One rule per escrow function, as the contract checks it (contracts/TradeEscrow.sol and
 * contracts/escrow/*Logic.sol); a function with two paths (`confirmReceipt`: the buyer at any
 * time, anyone after `collectAfter`) has an entry for each.
 *
 * The trade's record cannot know what lives outside it, which the escrow checks too: the pause (of
 * `acceptTrade`), accreditations (the operator's for `attest` and `acceptTrade`, the court's and the
 * agency's), the fee in force, the buyer's credit and the pool (pay after use), allowances and
 * balances, the court's appeal window (`appealRuling`), and the arguments (signatures, their nonces
 * and deadlines, an attestation's lot, quantity and time, a claim's report, an amendment's terms).
 *
 * @example
 * const windows = tradeActionWindows(trade);
 * const cancel = windows.find((a) => a.name === "cancelUndelivered"); // cancel?.after: from when
 */
export function tradeActionWindows(t: ActionTradeFields): TradeAction[] {
  const out: TradeAction[] = [];
  const { terms, state } = t;
  const mode = terms.mode;
  const protectedTrade = mode === PaymentMode.Protected;
  const direct = mode === PaymentMode.Direct;
  const payAfterUse = mode === PaymentMode.PayAfterUse;
  const erc20 = terms.token !== zeroAddress;
  const hasOperator = terms.operator !== zeroAddress;
  const due = balanceDue(t);
  const bondDue = terms.sellerBond > t.sellerBond ? terms.sellerBond - t.sellerBond : 0n;
  const latest = effectiveLatestDelivery(t);
  const status = t.claim?.status ?? ClaimStatus.None;
  const claimOpen =
    status === ClaimStatus.Filed ||
    status === ClaimStatus.Contested ||
    status === ClaimStatus.Ruled;
  const operator: TradeRole[] = hasOperator ? ["operator"] : [];

  // ----- the electronic contract (OpeningLogic)
  if (state === S.Proposed) {
    // Accepted on terms a new trade may open on: the latest delivery still ahead.
    out.push({
      name: "acceptTrade",
      callers: [t.proposedBySeller ? "buyer" : "seller"],
      until: terms.latestDelivery - 1n,
    });
    out.push({ name: "withdrawProposal", callers: [t.proposedBySeller ? "seller" : "buyer"] });
  }

  // ----- money in (TradeEscrow._payDeposit, _payBalance; PaymentModesLogic.payDirect)
  if (state === S.Signed) {
    const until = t.stageAt + BigInt(terms.depositWindow);
    if (protectedTrade) {
      const amount = (terms.price * BigInt(terms.depositBps)) / 10_000n;
      out.push({ name: "payDeposit", callers: ["buyer"], until, amount });
      if (erc20) out.push({ name: "payDepositWithPermit", callers: ["buyer"], until, amount });
    }
    if (direct) out.push({ name: "payDirect", callers: ["buyer"], until, amount: terms.price });
  }
  if (protectedTrade && between(state, S.Deposited, S.Halted) && due > 0n) {
    out.push({ name: "payBalance", callers: ["buyer"], amount: due });
    if (erc20) out.push({ name: "payBalanceWithPermit", callers: ["buyer"], amount: due });
  }
  if (between(state, S.Signed, S.Delivered) && bondDue > 0n)
    out.push({ name: "postSellerBond", callers: ["seller"], amount: bondDue });

  // ----- fulfilment (FulfilmentLogic)
  const startState = payAfterUse ? S.Signed : S.Deposited;
  const startDeadline = addBusinessDays(t.stageAt, terms.fulfilmentDays);
  if (!direct && state === startState && bondDue === 0n)
    out.push({ name: "startFulfilment", callers: ["seller"], until: startDeadline });
  if (state === S.InFulfilment && due === 0n)
    out.push({ name: "markShipped", callers: ["seller"], until: latest });
  if (between(state, S.Shipped, S.Delivered))
    out.push({ name: "recordMilestone", callers: ["seller", ...operator] });
  const kinds = attestationKinds(t, due);
  if (hasOperator && kinds.length > 0)
    out.push({ name: "attest", callers: ["anyone"], signers: ["operator"], kinds });
  if (!payAfterUse && state === S.Delivered && !claimOpen)
    out.push({
      name: "release",
      callers: ["anyone"],
      after: claimWindowStart(t) + BigInt(terms.claimWindow),
    });

  // ----- direct payment and pay after use (PaymentModesLogic)
  if ((direct && state === S.Shipped) || (payAfterUse && state === S.Delivered)) {
    out.push({ name: "confirmReceipt", callers: ["buyer"] });
    // Anyone may confirm on the buyer's behalf once the automatic confirmation is due.
    if (terms.collectAfter !== 0)
      out.push({
        name: "confirmReceipt",
        callers: ["anyone"],
        after: t.stageAt + BigInt(terms.collectAfter),
      });
  }
  if (direct && t.released > 0n)
    out.push({ name: "refundVoluntarily", callers: ["seller"], amount: t.released });

  // ----- claims (ClaimLogic)
  const windowStart = claimWindowStart(t);
  if (
    between(state, S.Shipped, S.Delivered) &&
    terms.claimWindow !== 0 &&
    windowStart !== 0n &&
    status === ClaimStatus.None
  )
    out.push({
      name: "fileClaim",
      callers: ["buyer"],
      until: windowStart + BigInt(terms.claimWindow),
    });
  if (t.claim !== undefined && status === ClaimStatus.Filed) {
    const response = addBusinessDays(t.claim.filedAt, terms.responseDays);
    out.push({ name: "acceptClaim", callers: ["seller"], until: response });
    out.push({ name: "contestClaim", callers: ["seller"], until: response });
    out.push({ name: "enforceDefaultJudgment", callers: ["anyone"], after: response });
  }
  if (status === ClaimStatus.Filed || status === ClaimStatus.Contested)
    out.push({ name: "settleClaim", callers: ["anyone"], signers: ["buyer", "seller"] });
  // The court decides whether an appeal is still open, and its fee.
  if (status === ClaimStatus.Contested)
    out.push({ name: "appealRuling", callers: ["buyer", "seller"] });
  if (status === ClaimStatus.Ruled) out.push({ name: "executeRuling", callers: ["anyone"] });
  if (claimOpen) out.push({ name: "submitEvidence", callers: ["buyer", "seller", ...operator] });

  // ----- amendments (AmendmentLogic): not while the court hears the claim
  const hearing = status === ClaimStatus.Contested || status === ClaimStatus.Ruled;
  if (between(state, S.Signed, S.Delivered) && !hearing)
    out.push({ name: "amend", callers: ["anyone"], signers: ["buyer", "seller"] });

  out.push(...cancellations(t, due, latest, claimOpen, startDeadline));
  return out;
}

/** The operator's attestations the escrow takes now (AttestationLogic). */
function attestationKinds(t: ActionTradeFields, due: bigint): AttestationKind[] {
  const kinds: AttestationKind[] = [];
  if (t.state === S.Shipped) {
    kinds.push(AttestationKind.Receipt);
    // A conforming lot's title passes at once, which needs the price paid in full.
    if (due === 0n) kinds.push(AttestationKind.ReceiptAndTitleTransfer);
  }
  if (t.state === S.Received && due === 0n) kinds.push(AttestationKind.TitleTransfer);
  if (between(t.state, S.Shipped, S.Halted) && t.arrivedAt === 0n)
    kinds.push(AttestationKind.PortArrival);
  return kinds;
}

/**
 * The cancellations (CancellationLogic): each open to the party the rule names once its deadline has
 * passed; whoever is in default never cancels.
 */
function cancellations(
  t: ActionTradeFields,
  due: bigint,
  latest: bigint,
  claimOpen: boolean,
  startDeadline: bigint,
): TradeAction[] {
  const out: TradeAction[] = [];
  const { state, terms } = t;
  const direct = terms.mode === PaymentMode.Direct;
  const payAfterUse = terms.mode === PaymentMode.PayAfterUse;
  if (!payAfterUse && state === S.Signed)
    out.push({
      name: "cancelForMissedDeposit",
      callers: ["seller"],
      after: t.stageAt + BigInt(terms.depositWindow),
      reason: CancelReason.DepositMissed,
    });
  if (direct) return out;
  if (state === (payAfterUse ? S.Signed : S.Deposited))
    out.push({
      name: "cancelForMissedStart",
      callers: ["buyer"],
      after: startDeadline,
      reason: CancelReason.FulfilmentNotStarted,
    });
  if (state === S.Deposited || state === S.InFulfilment) {
    if (due === 0n)
      out.push({
        name: "cancelUnshipped",
        callers: ["buyer"],
        after: latest,
        reason: CancelReason.NotShipped,
      });
    // A seller that never started cannot cancel: the buyer's missed-start cancellation is the way out.
    else if (state === S.InFulfilment)
      out.push({
        name: "cancelUnshipped",
        callers: ["seller"],
        after: balanceDeadline(terms),
        reason: CancelReason.BalanceMissed,
      });
  }
  if ((state === S.Shipped || state === S.Received || state === S.Halted) && !claimOpen) {
    // A buyer that owes a raised price leaves it to the seller; otherwise either party may close it.
    const owes = due > 0n;
    out.push({
      name: "cancelUndelivered",
      callers: owes ? ["seller"] : ["buyer", "seller"],
      after: latest + BigInt(terms.deliveryGrace),
      reason: owes
        ? CancelReason.BalanceMissed
        : state === S.Received
          ? CancelReason.TitleNotAttested
          : CancelReason.NotDelivered,
    });
  }
  return out;
}
