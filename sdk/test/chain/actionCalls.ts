import { zeroAddress } from "viem";
import type { Address, Hex } from "viem";
import { AttestationKind, ClaimGround, Milestone } from "../../src/contracts/index.js";
import {
  signAmendment,
  signAttestation,
  signInspectionReport,
  signSettlement,
} from "../../src/eip712/index.js";
import type { EscrowDomain, PartySignature, Terms } from "../../src/eip712/index.js";
import { balanceDue } from "../../src/history/index.js";
import type { TradeActionName, TradeRecord } from "../../src/history/index.js";
import { localAccount } from "./accounts.js";

/**
 * The arguments of each escrow action as the availableActions chain test simulates it: ONE table, so
 * a change of the escrow's signatures (e.g. every step taking only `tradeId`) is adjusted here alone.
 */

/** What an action's arguments are built from. */
export type CallContext = {
  trade: TradeRecord;
  /** The block time the call is simulated at (an attestation's time, a signature's validity). */
  now: bigint;
  /** Whoever sends it: parties that send need not sign (the tests sign anyway, so anyone may relay). */
  caller: Address;
  domain: EscrowDomain;
  /** A fresh EIP-712 nonce. */
  nonce: () => bigint;
  /** The court's fee for a hearing under the trade's court terms. */
  hearingCost: bigint;
  /** A document commitment. */
  cid: Hex;
};

/** One simulated call: the escrow function, its arguments and the native coin it sends. */
export type ActionCall = {
  functionName: TradeActionName;
  args: readonly unknown[];
  value?: bigint;
};

/** Signatures valid at any simulated time. */
const FAR = 2n ** 40n;

/** A permit that fails: `_permit` ignores it, and the buyer's standing allowance pays. */
const noPermit = {
  value: 0n,
  deadline: 0n,
  v: 27,
  r: `0x${"00".repeat(32)}`,
  s: `0x${"00".repeat(32)}`,
};

/** The native coin `amount` costs when the trade is paid in it. */
const coin = (terms: Terms, amount: bigint) => (terms.token === zeroAddress ? amount : 0n);

const consentToAmend = async (
  c: CallContext,
  role: "buyer" | "seller",
): Promise<PartySignature> => {
  const message = {
    tradeId: c.trade.tradeId,
    version: c.trade.version + 1,
    terms: c.trade.terms,
    nonce: c.nonce(),
    deadline: FAR,
  };
  const signature = await signAmendment(localAccount(role), { domain: c.domain, message });
  return { nonce: message.nonce, deadline: message.deadline, signature };
};

const consentToSettle = async (
  c: CallContext,
  role: "buyer" | "seller",
): Promise<PartySignature> => {
  const message = { tradeId: c.trade.tradeId, refund: 0n, nonce: c.nonce(), deadline: FAR };
  const signature = await signSettlement(localAccount(role), { domain: c.domain, message });
  return { nonce: message.nonce, deadline: message.deadline, signature };
};

/** An attestation of `kind` about the next lot, conforming, time-stamped at the simulated time. */
async function attestCall(c: CallContext, kind: AttestationKind): Promise<ActionCall> {
  const { trade, terms } = { trade: c.trade, terms: c.trade.terms };
  const left = terms.quantity - trade.receivedQuantity;
  const lotsLeft = BigInt(terms.lots - trade.lotsDone);
  const attestation = {
    tradeId: trade.tradeId,
    kind,
    lot: trade.lotsDone + 1,
    quantity: lotsLeft > 0n ? left / lotsLeft : left,
    time: c.now,
    documentCid: c.cid,
    nonce: c.nonce(),
    deadline: FAR,
  };
  // The designated operator may send it unsigned; anyone else relays its signature.
  const operator = localAccount("operator");
  const signature =
    c.caller === operator.address
      ? "0x"
      : await signAttestation(operator, { domain: c.domain, message: attestation });
  return { functionName: "attest", args: [attestation, signature] };
}

type Build = (c: CallContext) => ActionCall | Promise<ActionCall>;
const plain =
  (functionName: TradeActionName, value: (c: CallContext) => bigint = () => 0n): Build =>
  (c) => ({ functionName, args: [c.trade.tradeId], value: value(c) });

/**
 * Each action's call, or `undefined` for those the chain test leaves out (see `excludedActions`).
 * `attest` is built per kind by `attestationCall`.
 */
export const actionCalls: Record<Exclude<TradeActionName, "attest">, Build | undefined> = {
  // The acceptor names the terms it accepts.
  acceptTrade: (c) => ({ functionName: "acceptTrade", args: [c.trade.tradeId, c.trade.terms] }),
  withdrawProposal: plain("withdrawProposal"),
  payDeposit: plain("payDeposit", (c) =>
    coin(c.trade.terms, (c.trade.terms.price * BigInt(c.trade.terms.depositBps)) / 10_000n),
  ),
  payDepositWithPermit: (c) => ({
    functionName: "payDepositWithPermit",
    args: [c.trade.tradeId, noPermit],
  }),
  payDirect: plain("payDirect", (c) => coin(c.trade.terms, c.trade.terms.price)),
  payBalance: plain("payBalance", (c) => coin(c.trade.terms, balanceDue(c.trade))),
  payBalanceWithPermit: (c) => ({
    functionName: "payBalanceWithPermit",
    args: [c.trade.tradeId, noPermit],
  }),
  postSellerBond: plain("postSellerBond", (c) =>
    coin(c.trade.terms, c.trade.terms.sellerBond - c.trade.sellerBond),
  ),
  startFulfilment: plain("startFulfilment"),
  markShipped: (c) => ({
    functionName: "markShipped",
    args: [c.trade.tradeId, c.cid],
  }),
  recordMilestone: (c) => ({
    functionName: "recordMilestone",
    args: [c.trade.tradeId, Milestone.Departed, c.cid],
  }),
  release: plain("release"),
  confirmReceipt: plain("confirmReceipt"),
  refundVoluntarily: (c) => ({
    functionName: "refundVoluntarily",
    args: [c.trade.tradeId, 1n],
    value: coin(c.trade.terms, 1n),
  }),
  fileClaim: async (c) => {
    const report = {
      tradeId: c.trade.tradeId,
      agency: localAccount("agency").address,
      varianceBps: 1_000,
      material: false,
      reportCid: c.cid,
      nonce: c.nonce(),
      deadline: FAR,
    };
    const signature = await signInspectionReport(localAccount("agency"), {
      domain: c.domain,
      message: report,
    });
    const request = {
      ground: ClaimGround.SpecificationVariance,
      refundBps: 1_000,
      costs: 0n,
      evidenceCid: c.cid,
    };
    return {
      functionName: "fileClaim",
      args: [c.trade.tradeId, request, report, signature],
    };
  },
  acceptClaim: plain("acceptClaim"),
  contestClaim: (c) => ({
    functionName: "contestClaim",
    args: [c.trade.tradeId, c.cid],
    value: c.hearingCost,
  }),
  settleClaim: async (c) => ({
    functionName: "settleClaim",
    args: [
      c.trade.tradeId,
      0n,
      await consentToSettle(c, "buyer"),
      await consentToSettle(c, "seller"),
    ],
  }),
  enforceDefaultJudgment: plain("enforceDefaultJudgment"),
  appealRuling: undefined,
  executeRuling: plain("executeRuling"),
  submitEvidence: (c) => ({
    functionName: "submitEvidence",
    args: [c.trade.tradeId, c.cid],
  }),
  // The same terms again: an amendment both parties signed, whatever it changes.
  amend: async (c) => ({
    functionName: "amend",
    args: [
      c.trade.tradeId,
      c.trade.terms,
      await consentToAmend(c, "buyer"),
      await consentToAmend(c, "seller"),
    ],
  }),
  cancelForMissedDeposit: plain("cancelForMissedDeposit"),
  cancelForMissedStart: plain("cancelForMissedStart"),
  cancelUnshipped: plain("cancelUnshipped"),
  cancelUndelivered: plain("cancelUndelivered"),
};

/** The attestation kinds, each simulated as its own `attest` call. */
export const attestationKinds = [
  AttestationKind.Receipt,
  AttestationKind.TitleTransfer,
  AttestationKind.ReceiptAndTitleTransfer,
  AttestationKind.PortArrival,
] as const;

export const attestationCall = attestCall;

/** The actions the chain test does not simulate, and why. */
export const excludedActions: Partial<Record<TradeActionName, string>> = {
  appealRuling:
    "the court, not the escrow, decides whether an appeal is open (its appeal window after a first ruling) and what it costs",
};
