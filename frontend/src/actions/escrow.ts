import {
  encodeAbiParameters,
  keccak256,
  maxUint256,
  parseAbiParameters,
  parseEventLogs,
  zeroAddress,
} from "viem";
import type { Address, Hex } from "viem";
import { arbitrationCourtAbi, erc20PermitAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import {
  buildAttestation,
  escrowDomain,
  getPermitDomain,
  signAttestation,
  signPermit,
} from "@trade-escrow/sdk/eip712";
import type { Attestation, Terms } from "@trade-escrow/sdk/eip712";
import { depositOf } from "../lib/terms.js";
import { courtContract, erc20Contract, escrowContract, ratingsContract, send } from "./client.js";
import type { Clients } from "./client.js";

/**
 * The escrow's writes as the dApp sends them. Each takes the clients and the trade's current terms
 * (the escrow checks them against the stored hash) and returns the transaction hash.
 */

const isNative = (terms: Pick<Terms, "token">) => terms.token === zeroAddress;
const noSignature = { nonce: 0n, deadline: 0n, signature: "0x" as Hex };

/** A party signs the terms on chain; the counterparty accepts with `acceptTrade`. */
export const proposeTrade = (c: Clients, terms: Terms) =>
  send(c, { ...escrowContract(c), functionName: "proposeTrade", args: [terms] });

/** The trade id a `proposeTrade` or `openTrade` transaction created. */
export async function tradeIdFromReceipt(c: Clients, hash: Hex): Promise<bigint> {
  const receipt = await c.publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({
    abi: tradeEscrowAbi,
    eventName: ["TradeProposed", "TradeOpened"],
    logs: receipt.logs,
  });
  if (event === undefined) throw new Error(`Transaction ${hash} opened no trade.`);
  return event.args.tradeId;
}

export const acceptTrade = (c: Clients, id: bigint, terms: Terms) =>
  send(c, { ...escrowContract(c), functionName: "acceptTrade", args: [id, terms] });
export const withdrawProposal = (c: Clients, id: bigint) =>
  send(c, { ...escrowContract(c), functionName: "withdrawProposal", args: [id] });

/** Lets the escrow spend `amount` of an ERC-20 (the pay calls pull it). */
export const approveToken = (c: Clients, token: Address, amount: bigint = maxUint256) =>
  send(c, { ...erc20Contract(token), functionName: "approve", args: [c.config.escrow, amount] });

export async function allowanceOf(c: Clients, token: Address): Promise<bigint> {
  if (token === zeroAddress) return maxUint256;
  return c.publicClient.readContract({
    ...erc20Contract(token),
    functionName: "allowance",
    args: [c.account, c.config.escrow],
  });
}

export const payDeposit = (c: Clients, id: bigint, terms: Terms) =>
  send(c, {
    ...escrowContract(c),
    functionName: "payDeposit",
    args: [id],
    value: isNative(terms) ? depositOf(terms) : undefined,
  });
export const payBalance = (c: Clients, id: bigint, terms: Terms, due: bigint) =>
  send(c, {
    ...escrowContract(c),
    functionName: "payBalance",
    args: [id],
    value: isNative(terms) ? due : undefined,
  });
export const payDirect = (c: Clients, id: bigint, terms: Terms) =>
  send(c, {
    ...escrowContract(c),
    functionName: "payDirect",
    args: [id],
    value: isNative(terms) ? terms.price : undefined,
  });
/**
 * Pays the deposit or the balance of an ERC-20 trade in one transaction: the buyer signs an EIP-2612
 * permit for exactly `amount` (the escrow is the spender, valid one hour), the escrow submits it and
 * pulls the payment. No separate approval.
 */
export async function payWithPermit(
  c: Clients,
  id: bigint,
  terms: Terms,
  amount: bigint,
  which: "deposit" | "balance",
): Promise<Hex> {
  const [domain, nonce, latest] = await Promise.all([
    getPermitDomain(c.publicClient, terms.token),
    c.publicClient.readContract({
      address: terms.token,
      abi: erc20PermitAbi,
      functionName: "nonces",
      args: [c.account],
    }),
    c.publicClient.getBlock(),
  ]);
  const { permit } = await signPermit(
    { client: c.walletClient, account: c.account },
    {
      domain,
      message: {
        owner: c.account,
        spender: c.config.escrow,
        value: amount,
        nonce,
        deadline: latest.timestamp + 3_600n,
      },
    },
  );
  return send(c, {
    ...escrowContract(c),
    functionName: which === "deposit" ? "payDepositWithPermit" : "payBalanceWithPermit",
    args: [id, permit],
  });
}

export const postSellerBond = (c: Clients, id: bigint, terms: Terms, due: bigint) =>
  send(c, {
    ...escrowContract(c),
    functionName: "postSellerBond",
    args: [id],
    value: isNative(terms) ? due : undefined,
  });
export const startFulfilment = (c: Clients, id: bigint) =>
  send(c, { ...escrowContract(c), functionName: "startFulfilment", args: [id] });
export const markShipped = (c: Clients, id: bigint, terms: Terms, documentsCid: Hex) =>
  send(c, { ...escrowContract(c), functionName: "markShipped", args: [id, documentsCid] });
export const recordMilestone = (
  c: Clients,
  id: bigint,
  terms: Terms,
  milestone: number,
  documentCid: Hex,
) =>
  send(c, {
    ...escrowContract(c),
    functionName: "recordMilestone",
    args: [id, milestone, documentCid],
  });
export const confirmReceipt = (c: Clients, id: bigint) =>
  send(c, { ...escrowContract(c), functionName: "confirmReceipt", args: [id] });
export const release = (c: Clients, id: bigint) =>
  send(c, { ...escrowContract(c), functionName: "release", args: [id] });
export const refundVoluntarily = (c: Clients, id: bigint, terms: Terms, amount: bigint) =>
  send(c, {
    ...escrowContract(c),
    functionName: "refundVoluntarily",
    args: [id, amount],
    value: isNative(terms) ? amount : undefined,
  });
export const withdraw = (c: Clients, token: Address) =>
  send(c, { ...escrowContract(c), functionName: "withdraw", args: [token] });
/** The caller's whole credit in `token`, paid to `to` (another wallet, or one a token does not block). */
export const withdrawTo = (c: Clients, token: Address, to: Address) =>
  send(c, { ...escrowContract(c), functionName: "withdrawTo", args: [token, to] });

/** The seller answers a claim. */
export const acceptClaim = (c: Clients, id: bigint) =>
  send(c, { ...escrowContract(c), functionName: "acceptClaim", args: [id] });
export const contestClaim = (
  c: Clients,
  id: bigint,
  terms: Terms,
  counterEvidence: Hex,
  cost: bigint,
) =>
  send(c, {
    ...escrowContract(c),
    functionName: "contestClaim",
    args: [id, counterEvidence],
    value: cost,
  });
export const submitEvidence = (c: Clients, id: bigint, terms: Terms, evidence: Hex) =>
  send(c, { ...escrowContract(c), functionName: "submitEvidence", args: [id, evidence] });
export const executeRuling = (c: Clients, id: bigint) =>
  send(c, { ...escrowContract(c), functionName: "executeRuling", args: [id] });
export const enforceDefaultJudgment = (c: Clients, id: bigint) =>
  send(c, { ...escrowContract(c), functionName: "enforceDefaultJudgment", args: [id] });

/** The court's fee for contesting, in the native coin. */
export async function arbitrationCost(c: Clients, terms: Terms): Promise<bigint> {
  return c.publicClient.readContract({
    address: terms.arbitrator,
    abi: arbitrationCourtAbi,
    functionName: "arbitrationCost",
    args: [terms.arbitratorExtraData],
  });
}

/** Amends with both signatures: the caller's as caller, the other party's EIP-712 signature. */
export const amend = (
  c: Clients,
  id: bigint,
  current: Terms,
  amended: Terms,
  buyerSignature: { nonce: bigint; deadline: bigint; signature: Hex } = noSignature,
  sellerSignature: { nonce: bigint; deadline: bigint; signature: Hex } = noSignature,
) =>
  send(c, {
    ...escrowContract(c),
    functionName: "amend",
    args: [id, amended, buyerSignature, sellerSignature],
  });

/** The operator submits its own attestation (as caller, no signature). */
export const attest = (c: Clients, terms: Terms, attestation: Attestation, signature: Hex = "0x") =>
  send(c, { ...escrowContract(c), functionName: "attest", args: [attestation, signature] });

/** The operator signs an attestation (EIP-712) for anyone to relay. */
export async function signOperatorAttestation(c: Clients, attestation: Attestation): Promise<Hex> {
  const domain = escrowDomain({ chainId: c.config.chain.id, verifyingContract: c.config.escrow });
  return signAttestation(
    { client: c.walletClient, account: c.account },
    { domain, message: attestation },
  );
}

export { buildAttestation };

/** Rates the seller of a completed trade (1 to 5 each). */
export const rateSeller = (
  c: Clients,
  id: bigint,
  terms: Terms,
  scores: { service: number; speed: number; accuracy: number },
) =>
  send(c, {
    ...ratingsContract(c),
    functionName: "rate",
    args: [id, scores.service, scores.speed, scores.accuracy],
  });

/** A vote's commitment as the court computes it (`commitmentOf`). */
export const voteCommitment = (
  disputeId: bigint,
  round: number,
  attempt: number,
  voter: Address,
  choice: bigint,
  salt: Hex,
) =>
  keccak256(
    encodeAbiParameters(parseAbiParameters("uint256, uint8, uint8, address, uint256, bytes32"), [
      disputeId,
      round,
      attempt,
      voter,
      choice,
      salt,
    ]),
  );

export const commitVote = (c: Clients, disputeId: bigint, commitment: Hex) =>
  send(c, { ...courtContract(c), functionName: "commitVote", args: [disputeId, commitment] });
export const revealVote = (c: Clients, disputeId: bigint, choice: bigint, salt: Hex) =>
  send(c, { ...courtContract(c), functionName: "revealVote", args: [disputeId, choice, salt] });
export const closeRound = (c: Clients, disputeId: bigint) =>
  send(c, { ...courtContract(c), functionName: "closeRound", args: [disputeId] });
/** Anyone draws the dispute's panel once the draw block is mined. */
export const drawPanel = (c: Clients, disputeId: bigint) =>
  send(c, { ...courtContract(c), functionName: "drawPanel", args: [disputeId] });
/** Anyone makes a first ruling final once its appeal window ended unappealed, and delivers it. */
export const finalizeRuling = (c: Clients, disputeId: bigint) =>
  send(c, { ...courtContract(c), functionName: "finalize", args: [disputeId] });
