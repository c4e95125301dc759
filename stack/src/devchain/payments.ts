import { zeroAddress } from "viem";
import type { Address } from "viem";
import { AttestationKind } from "@trade-escrow/sdk/contracts";
import { address } from "@trade-escrow/sdk/devchain";
import type { Role } from "@trade-escrow/sdk/devchain";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { DAY } from "@trade-escrow/sdk/devchain";
import type { ChainBase } from "./base.js";

/** Paying, fulfilling and delivering a trade, releasing and withdrawing the money. */
export function paymentActions(base: ChainBase) {
  const { escrow, roleOf, isNative, latest, document, nextNonce, controls } = base;
  const payments = {
    deposit: (id: bigint, terms: Terms) =>
      escrow(
        roleOf(terms.buyer),
        "payDeposit",
        [id],
        isNative(terms) ? (terms.price * BigInt(terms.depositBps)) / 10_000n : undefined,
      ),
    start: (id: bigint, terms: Terms) => escrow(roleOf(terms.seller), "startFulfilment", [id]),
    postBond: (id: bigint, terms: Terms) =>
      escrow(
        roleOf(terms.seller),
        "postSellerBond",
        [id],
        isNative(terms) ? terms.sellerBond : undefined,
      ),
    /** Pays whatever of the price is due (read from the trade's view). */
    async balance(id: bigint, terms: Terms) {
      const view = await controls.view(id);
      const due = terms.price - view.refunded - view.escrowed - view.released;
      return escrow(roleOf(terms.buyer), "payBalance", [id], isNative(terms) ? due : undefined);
    },
    /** A signed protected trade taken to Shipped: deposit, start, balance, ship. */
    async payAndShip(id: bigint, terms: Terms) {
      await payments.deposit(id, terms);
      await payments.start(id, terms);
      await payments.balance(id, terms);
      return payments.ship(id, terms);
    },
    ship: async (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.seller), "markShipped", [id, await document(`bill of lading ${id}`)]),
    milestone: async (id: bigint, terms: Terms, milestone: number) =>
      escrow(roleOf(terms.seller), "recordMilestone", [
        id,
        milestone,
        await document(`milestone ${id} ${milestone}`),
      ]),
    /** The designated operator attests (as the caller: no signature). */
    async attest(
      id: bigint,
      terms: Terms,
      kind: number,
      lot: number,
      quantity: bigint,
      time?: bigint,
    ) {
      const operator = terms.operator === address("operator2") ? "operator2" : "operator";
      return escrow(operator, "attest", [
        {
          tradeId: id,
          kind,
          lot,
          quantity,
          time: time ?? (await latest()),
          documentCid: await document(`receipt ${id} ${lot} ${kind}`),
          nonce: nextNonce(),
          deadline: (await latest()) + BigInt(DAY),
        },
        "0x",
      ]);
    },
    deliver: (id: bigint, terms: Terms, quantity = terms.quantity) =>
      payments.attest(id, terms, AttestationKind.ReceiptAndTitleTransfer, 1, quantity),
    release: (id: bigint) => escrow("relayer", "release", [id]),
    /** Direct mode: the buyer pays the whole price, credited to the seller at once. */
    payDirect: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "payDirect", [id], isNative(terms) ? terms.price : undefined),
    /** Direct and pay-after-use: the buyer confirms receipt (pay after use collects the price). */
    confirmReceipt: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "confirmReceipt", [id]),
    withdraw: (role: Role, token: Address = zeroAddress) => escrow(role, "withdraw", [token]),
    /** `role`'s whole credit in `token`, paid to `to`. */
    withdrawTo: (role: Role, token: Address, to: Address) =>
      escrow(role, "withdrawTo", [token, to]),
  };
  return payments;
}
