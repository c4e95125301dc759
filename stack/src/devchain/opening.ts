import { signAmendment, signOpenTrade } from "@trade-escrow/sdk/eip712";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { DAY } from "@trade-escrow/sdk/devchain";
import type { ChainBase } from "./base.js";

/** Opening a trade, amending it, and ending it before or without delivery. */
export function openingActions(base: ChainBase) {
  const { escrow, roleOf, tradeIdOf, wallet, domain, latest, nextNonce } = base;
  return {
    /** The buyer proposes, the seller accepts (no signatures): TradeProposed, then TradeOpened. */
    async proposeAndAccept(terms: Terms): Promise<bigint> {
      const id = tradeIdOf(
        await escrow(roleOf(terms.buyer), "proposeTrade", [terms]),
        "TradeProposed",
      );
      await escrow(roleOf(terms.seller), "acceptTrade", [id, terms]);
      return id;
    },
    /** The buyer proposes only. */
    async propose(terms: Terms): Promise<bigint> {
      return tradeIdOf(await escrow(roleOf(terms.buyer), "proposeTrade", [terms]), "TradeProposed");
    },
    /** The buyer opens in one transaction with the seller's EIP-712 consent (signed by the node). */
    async openSigned(terms: Terms): Promise<bigint> {
      const seller = roleOf(terms.seller);
      const message = { terms, nonce: nextNonce(), deadline: (await latest()) + BigInt(DAY) };
      const signature = await signOpenTrade(
        { client: wallet(seller), account: terms.seller },
        { domain, message },
      );
      const receipt = await escrow(roleOf(terms.buyer), "openTrade", [
        terms,
        { nonce: 0n, deadline: 0n, signature: "0x" },
        { nonce: message.nonce, deadline: message.deadline, signature },
      ]);
      return tradeIdOf(receipt, "TradeOpened");
    },
    withdrawProposal: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "withdrawProposal", [id]),
    /** Both parties amend: the buyer sends, the seller signs (EIP-712 through the node). */
    async amend(id: bigint, current: Terms, amended: Terms, version: number) {
      const message = {
        tradeId: id,
        version,
        terms: amended,
        nonce: nextNonce(),
        deadline: (await latest()) + BigInt(DAY),
      };
      const signature = await signAmendment(
        { client: wallet(roleOf(current.seller)), account: current.seller },
        { domain, message },
      );
      return escrow(roleOf(current.buyer), "amend", [
        id,
        amended,
        { nonce: 0n, deadline: 0n, signature: "0x" },
        { nonce: message.nonce, deadline: message.deadline, signature },
      ]);
    },
    cancelForMissedStart: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "cancelForMissedStart", [id]),
    /** Nothing shipped: the buyer cancels once paid in full, the seller once the balance is late. */
    cancelUnshipped: (id: bigint, terms: Terms, by: "buyer" | "seller") =>
      escrow(roleOf(by === "buyer" ? terms.buyer : terms.seller), "cancelUnshipped", [id]),
    /** Shipped, never delivered (latest delivery plus the grace period passed). */
    cancelUndelivered: (id: bigint, terms: Terms, by: "buyer" | "seller") =>
      escrow(roleOf(by === "buyer" ? terms.buyer : terms.seller), "cancelUndelivered", [id]),
  };
}
