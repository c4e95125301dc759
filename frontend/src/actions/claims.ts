import type { Address, Hex } from "viem";
import { arbitrationCourtAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import { escrowDomain, signSettlement } from "@trade-escrow/sdk/eip712";
import type { InspectionReport, Terms } from "@trade-escrow/sdk/eip712";
import { escrowContract, send } from "./client.js";
import type { Clients } from "./client.js";

/**
 * The rest of a claim's life, and the trade's other exits: settlement by both parties, appeal of a
 * first ruling, cancellations, and repaying a pay-after-use debt (more evidence: `escrow.ts`).
 */

/** A party's consent to settle, as signed (EIP-712 `Settlement`) and handed to the other party. */
export type SettlementConsent = {
  tradeId: bigint;
  refund: bigint;
  signer: Address;
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
};

const noSignature = { nonce: 0n, deadline: 0n, signature: "0x" as Hex };

/** Signs the connected party's consent to settle `tradeId`'s claim for `refund` (valid 7 days). */
export async function signSettlementConsent(
  c: Clients,
  tradeId: bigint,
  refund: bigint,
): Promise<SettlementConsent> {
  const domain = escrowDomain({ chainId: c.config.chain.id, verifyingContract: c.config.escrow });
  const message = {
    tradeId,
    refund,
    nonce: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
    deadline: BigInt(Math.floor(Date.now() / 1000) + 7 * 86_400),
  };
  const signature = await signSettlement(
    { client: c.walletClient, account: c.account },
    { domain, message },
  );
  return { ...message, signer: c.account, signature };
}

/** What the buyer claims: the ground, the refund asked (basis points of the price), the evidence. */
export type ClaimFiling = { ground: number; refundBps: number; evidenceCid: Hex };

/**
 * The buyer files a claim within the claim window, citing the accredited agency's inspection report
 * with the agency's signature (`0x` for a report the agency lodged on chain). No costs are claimed.
 */
export const fileClaim = (
  c: Clients,
  tradeId: bigint,
  terms: Terms,
  claim: ClaimFiling,
  report: InspectionReport,
  reportSignature: Hex,
) =>
  send(c, {
    ...escrowContract(c),
    functionName: "fileClaim",
    args: [tradeId, { ...claim, costs: 0n }, report, reportSignature],
  });

/**
 * Settles the claim: the caller consents by sending the transaction, the other party by the
 * signature it handed over. The refund executes at once, also while the court hears the claim.
 */
export function settleClaim(
  c: Clients,
  terms: Terms,
  other: SettlementConsent,
  otherIsBuyer: boolean,
): Promise<Hex> {
  const signed = { nonce: other.nonce, deadline: other.deadline, signature: other.signature };
  return send(c, {
    ...escrowContract(c),
    functionName: "settleClaim",
    args: [
      other.tradeId,
      other.refund,
      otherIsBuyer ? signed : noSignature,
      otherIsBuyer ? noSignature : signed,
    ],
  });
}

/** The claim as the escrow holds it (the dispute at the court, its ruling). */
export const readClaim = (c: Clients, tradeId: bigint) =>
  c.publicClient.readContract({
    address: c.config.escrow,
    abi: tradeEscrowAbi,
    functionName: "claim",
    args: [tradeId],
  });

/** Whether and until when the court's current ruling may be appealed, and at what cost. */
export async function appealInfo(
  c: Clients,
  terms: Terms,
  disputeId: bigint,
): Promise<{ start: bigint; end: bigint; cost: bigint; ruling: bigint }> {
  const court = { address: terms.arbitrator, abi: arbitrationCourtAbi } as const;
  const [[start, end], ruling] = await Promise.all([
    c.publicClient.readContract({ ...court, functionName: "appealPeriod", args: [disputeId] }),
    c.publicClient.readContract({ ...court, functionName: "currentRuling", args: [disputeId] }),
  ]);
  const cost =
    end === 0n
      ? 0n
      : await c.publicClient.readContract({
          ...court,
          functionName: "appealCost",
          args: [disputeId, terms.arbitratorExtraData],
        });
  return { start, end, cost, ruling };
}

/** A party appeals the court's first ruling, paying the court's appeal cost in the native coin. */
export const appealRuling = (c: Clients, tradeId: bigint, terms: Terms, cost: bigint) =>
  send(c, {
    ...escrowContract(c),
    functionName: "appealRuling",
    args: [tradeId],
    value: cost,
  });

/** The seller cancels a trade whose deposit was not paid in time. */
export const cancelForMissedDeposit = (c: Clients, tradeId: bigint) =>
  send(c, { ...escrowContract(c), functionName: "cancelForMissedDeposit", args: [tradeId] });
/** The buyer cancels a trade whose fulfilment did not start in time; refunded in full. */
export const cancelForMissedStart = (c: Clients, tradeId: bigint) =>
  send(c, { ...escrowContract(c), functionName: "cancelForMissedStart", args: [tradeId] });
/**
 * Nothing shipped: the buyer cancels once paid in full and the latest delivery passed, the seller once
 * the balance is past due unpaid (fulfilment started).
 */
export const cancelUnshipped = (c: Clients, tradeId: bigint) =>
  send(c, { ...escrowContract(c), functionName: "cancelUnshipped", args: [tradeId] });
/**
 * Shipped, no conforming delivery by the latest delivery plus the grace period: the buyer cancels (or
 * the seller, while a raised balance is unpaid).
 */
export const cancelUndelivered = (c: Clients, tradeId: bigint) =>
  send(c, { ...escrowContract(c), functionName: "cancelUndelivered", args: [tradeId] });

/** What the buyer owes the guarantor pool in `token` (pay after use). */
export const readDebt = (c: Clients, token: Address) =>
  c.publicClient.readContract({
    address: c.config.escrow,
    abi: tradeEscrowAbi,
    functionName: "debt",
    args: [c.account, token],
  });

/** The buyer repays (part of) its pay-after-use debt; an ERC-20 needs an allowance first. */
export const repayDebt = (c: Clients, token: Address, amount: bigint) =>
  send(c, { ...escrowContract(c), functionName: "repayDebt", args: [token, amount] });
