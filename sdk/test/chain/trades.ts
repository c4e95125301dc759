import { parseEventLogs } from "viem";
import type { Hex } from "viem";
import { tradeEscrowAbi } from "../../src/contracts/index.js";
import { DAY, documentCid, devTerms } from "../../src/devchain/index.js";
import { signAmendment, signOpenTrade, signSettlement } from "../../src/eip712/index.js";
import type { PartySignature, Terms } from "../../src/eip712/index.js";
import { localAccount } from "./accounts.js";
import type { useChain } from "./clients.js";

export { DAY, courtTerms, documentCid } from "../../src/devchain/index.js";
export const USD = (amount: number | bigint) => BigInt(amount) * 10n ** 6n;

type Chain = ReturnType<typeof useChain>;

/** Trades on the test chain, opened and moved along with the sdk and viem. */
export function createTrades(ctx: Chain) {
  let nonce = 1n;
  /** A fresh signature nonce (unordered: any unused number works). */
  const nextNonce = () => nonce++;

  /**
   * Default terms: 10 vehicles for 100,000 USD, 30/70, one lot, ±5%, no claim window; the balance due
   * 14 days before the latest delivery, 14 days' grace after it.
   */
  const buildTerms = async (overrides: Partial<Terms> = {}): Promise<Terms> =>
    devTerms(
      {
        now: await ctx.latestTimestamp(),
        token: ctx.chain.usd,
        price: USD(100_000),
        arbitrator: ctx.chain.arbitrationCourt,
        manifestCid: await documentCid("manifest"),
      },
      overrides,
    );

  /** A signature deadline a day from the chain's clock. */
  const deadline = async () => (await ctx.latestTimestamp()) + BigInt(DAY);

  /** `signer`'s OpenTrade consent to `terms`, as the escrow takes it. */
  const consentToOpen = async (
    signer: Parameters<typeof signOpenTrade>[0],
    terms: Terms,
  ): Promise<PartySignature> => {
    const message = { terms, nonce: nextNonce(), deadline: await deadline() };
    const signature = await signOpenTrade(signer, { domain: ctx.domain, message });
    return { nonce: message.nonce, deadline: message.deadline, signature };
  };

  /** `signer`'s consent to amend trade `tradeId` to `version` with `terms`, as the escrow takes it. */
  const consentToAmend = async (
    signer: Parameters<typeof signAmendment>[0],
    tradeId: bigint,
    version: number,
    terms: Terms,
  ): Promise<PartySignature> => {
    const message = { tradeId, version, terms, nonce: nextNonce(), deadline: await deadline() };
    const signature = await signAmendment(signer, { domain: ctx.domain, message });
    return { nonce: message.nonce, deadline: message.deadline, signature };
  };

  /** Amends a trade to `amended` with both parties' sdk signatures, relayed; returns the hash. */
  const amend = async (tradeId: bigint, current: Terms, amended: Terms): Promise<Hex> => {
    const version = (await tradeView(tradeId)).version + 1;
    const buyerSignature = await consentToAmend(localAccount("buyer"), tradeId, version, amended);
    const sellerSignature = await consentToAmend(localAccount("seller"), tradeId, version, amended);
    return ctx.escrowAs("relayer").write.amend([tradeId, amended, buyerSignature, sellerSignature]);
  };

  /** `signer`'s consent to settle trade `tradeId`'s claim for `refund`, as the escrow takes it. */
  const consentToSettle = async (
    signer: Parameters<typeof signSettlement>[0],
    tradeId: bigint,
    refund: bigint,
  ): Promise<PartySignature> => {
    const message = { tradeId, refund, nonce: nextNonce(), deadline: await deadline() };
    const signature = await signSettlement(signer, { domain: ctx.domain, message });
    return { nonce: message.nonce, deadline: message.deadline, signature };
  };

  /** The id of the trade a transaction proposed (from its TradeProposed event). */
  const proposedTradeId = async (hash: Hex): Promise<bigint> => {
    const receipt = await ctx.mined(hash);
    const [proposed] = parseEventLogs({
      abi: tradeEscrowAbi,
      eventName: "TradeProposed",
      logs: receipt.logs,
    });
    if (proposed === undefined) throw new Error("No TradeProposed event.");
    return proposed.args.tradeId;
  };

  /** The id of the trade a transaction opened (from its TradeOpened event). */
  const openedTradeId = async (hash: Hex): Promise<bigint> => {
    const receipt = await ctx.mined(hash);
    const [opened] = parseEventLogs({
      abi: tradeEscrowAbi,
      eventName: "TradeOpened",
      logs: receipt.logs,
    });
    if (opened === undefined) throw new Error("No TradeOpened event.");
    return opened.args.tradeId;
  };

  /**
   * Opens a trade with both parties' sdk signatures, relayed: the buyer signs with its local
   * account, the seller through a wallet client (the node's eth_signTypedData_v4).
   */
  const openTrade = async (terms: Terms): Promise<bigint> => {
    const buyerSignature = await consentToOpen(localAccount("buyer"), terms);
    const sellerSignature = await consentToOpen(
      { client: ctx.walletOf("seller"), account: terms.seller },
      terms,
    );
    return openedTradeId(
      await ctx.escrowAs("relayer").write.openTrade([terms, buyerSignature, sellerSignature]),
    );
  };

  /** Deposit, start, balance, shipment: the trade ends `Shipped`. The buyer has approved the escrow. */
  const payAndShip = async (tradeId: bigint): Promise<void> => {
    await ctx.mined(ctx.escrowAs("buyer").write.payDeposit([tradeId]));
    await ctx.mined(ctx.escrowAs("seller").write.startFulfilment([tradeId]));
    await ctx.mined(ctx.escrowAs("buyer").write.payBalance([tradeId]));
    await ctx.mined(
      ctx.escrowAs("seller").write.markShipped([tradeId, await documentCid(`bl-${tradeId}`)]),
    );
  };

  /** The trade's stored state (`trade(tradeId)`). */
  const tradeView = (tradeId: bigint) => ctx.escrowAs("stranger").read.trade([tradeId]);
  /** The terms in force the escrow keeps for trade `tradeId` (`termsOf`). */
  const termsInForce = (tradeId: bigint) => ctx.escrowAs("stranger").read.termsOf([tradeId]);

  return {
    nextNonce,
    buildTerms,
    deadline,
    consentToOpen,
    consentToAmend,
    consentToSettle,
    amend,
    openTrade,
    openedTradeId,
    proposedTradeId,
    payAndShip,
    tradeView,
    termsInForce,
  };
}

export type Trades = ReturnType<typeof createTrades>;
