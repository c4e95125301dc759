import {
  createPublicClient,
  createWalletClient,
  keccak256,
  parseEventLogs,
  toHex,
  zeroAddress,
} from "viem";
import type { Address, Hex, TransactionReceipt } from "viem";
import { hardhat } from "viem/chains";
import {
  AttestationKind,
  ClaimGround,
  PaymentMode,
  arbitrationCourtAbi,
  encodeCourtTerms,
  sellerRatingsAbi,
  tradeEscrowAbi,
} from "@trade-escrow/sdk/contracts";
import { cidToCommitment, computeCid } from "@trade-escrow/sdk/cid";
import { escrowDomain, signAmendment, signOpenTrade } from "@trade-escrow/sdk/eip712";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { address } from "./accounts.js";
import type { Role } from "./accounts.js";
import { FEE_BPS } from "./deploy.js";
import type { Deployed } from "./deploy.js";
import { devTransport } from "./transport.js";

export const DAY = 86_400;
export const ETHER = 10n ** 18n;

/** The court's terms for a trade: panel 3, 2-day windows, 3-day appeal, 0.01 coin a seat. */
export const courtTerms: Hex = encodeCourtTerms({
  panelSize: 3,
  commitWindow: 2 * DAY,
  revealWindow: 2 * DAY,
  appealWindow: 3 * DAY,
  feePerArbitrator: 10n ** 16n,
});

/** The on-chain commitment of a small text document (its Kubo CIDv1). */
export async function documentCid(text: string): Promise<Hex> {
  const { cid } = await computeCid(new TextEncoder().encode(text));
  return cidToCommitment(cid);
}

export type Chain = ReturnType<typeof useChain>;

export type UseChainOptions = {
  /**
   * Makes the document a step commits from a label (`bill of lading 3`) and returns its on-chain
   * commitment. Default: the CID of the label's bytes, stored nowhere (tests); the local demo stores
   * a real document in the document store.
   */
  document?: (label: string) => Promise<Hex>;
};

/** Clients and a trade driver on the test chain (JSON-RPC accounts: the node signs). */
export function useChain(deployed: Deployed, options: UseChainOptions = {}) {
  const document = options.document ?? documentCid;
  const transport = devTransport(deployed.rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });
  const wallet = (role: Role) =>
    createWalletClient({ chain: hardhat, transport, account: address(role) });
  const domain = escrowDomain({ chainId: deployed.chainId, verifyingContract: deployed.escrow });
  // Signature nonces are single-use per signer on the shared chain: start each driver somewhere new.
  let nonce = BigInt(Date.now()) * 1_000n + BigInt(Math.floor(Math.random() * 1_000));

  const mined = async (hash: Promise<Hex> | Hex): Promise<TransactionReceipt> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success")
      throw new Error(`Transaction ${receipt.transactionHash} reverted.`);
    return receipt;
  };
  const escrow = (role: Role, functionName: string, args: readonly unknown[], value?: bigint) =>
    mined(
      wallet(role).writeContract({
        address: deployed.escrow,
        abi: tradeEscrowAbi,
        functionName,
        args,
        ...(value !== undefined && { value }),
      } as never),
    );
  const court = (role: Role, functionName: string, args: readonly unknown[]) =>
    mined(
      wallet(role).writeContract({
        address: deployed.court,
        abi: arbitrationCourtAbi,
        functionName,
        args,
      } as never),
    );
  const latest = async () => (await publicClient.getBlock()).timestamp;
  const rpc = (method: string, params: unknown[] = []) =>
    publicClient.request({ method, params } as never) as Promise<unknown>;

  const buildTerms = async (overrides: Partial<Terms> = {}): Promise<Terms> => ({
    buyer: address("buyer"),
    seller: address("seller"),
    operator: address("operator"),
    token: zeroAddress,
    mode: PaymentMode.Protected,
    price: 10n * ETHER,
    quantity: 10n,
    toleranceBps: 500,
    depositBps: 3_000,
    lots: 1,
    latestDelivery: (await latest()) + 60n * BigInt(DAY),
    shipWindow: 14 * DAY,
    deliveryGrace: 14 * DAY,
    depositWindow: 72 * 3_600,
    fulfilmentDays: 3,
    claimWindow: 0,
    responseDays: 7,
    collectAfter: 0,
    feeBps: FEE_BPS,
    sellerBond: 0n,
    arbitrator: deployed.court,
    arbitratorExtraData: courtTerms,
    manifestCid: await document(`manifest ${nonce++}`),
    ...overrides,
  });

  const roleOf = (a: Address): Role => {
    for (const role of ["buyer", "seller", "buyer2", "seller2", "buyer3", "seller3"] as const)
      if (address(role).toLowerCase() === a.toLowerCase()) return role;
    throw new Error(`No role for ${a}.`);
  };

  const tradeIdOf = (receipt: TransactionReceipt, eventName: "TradeProposed" | "TradeOpened") => {
    const [event] = parseEventLogs({ abi: tradeEscrowAbi, eventName, logs: receipt.logs });
    if (event === undefined) throw new Error(`No ${eventName} event.`);
    return event.args.tradeId;
  };

  const isNative = (terms: Terms) => terms.token === zeroAddress;

  const actions = {
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
      const message = { terms, nonce: nonce++, deadline: (await latest()) + BigInt(DAY) };
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
      const view = await actions.view(id);
      const due = terms.price - view.refunded - view.escrowed - view.released;
      return escrow(roleOf(terms.buyer), "payBalance", [id], isNative(terms) ? due : undefined);
    },
    /** A signed protected trade taken to Shipped: deposit, start, balance, ship. */
    async payAndShip(id: bigint, terms: Terms) {
      await actions.deposit(id, terms);
      await actions.start(id, terms);
      await actions.balance(id, terms);
      return actions.ship(id, terms);
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
          nonce: nonce++,
          deadline: (await latest()) + BigInt(DAY),
        },
        "0x",
      ]);
    },
    deliver: (id: bigint, terms: Terms, quantity = terms.quantity) =>
      actions.attest(id, terms, AttestationKind.ReceiptAndTitleTransfer, 1, quantity),
    release: (id: bigint) => escrow("relayer", "release", [id]),
    /** Direct mode: the buyer pays the whole price, credited to the seller at once. */
    payDirect: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "payDirect", [id], isNative(terms) ? terms.price : undefined),
    /** Direct and pay-after-use: the buyer confirms receipt (pay after use collects the price). */
    confirmReceipt: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "confirmReceipt", [id]),
    /** The accredited credit oracle records `score` for `buyer`, valid for a year. */
    async recordCreditScore(buyer: Address, score: number) {
      const now = await latest();
      return escrow("oracle", "recordCreditScore", [
        { buyer, score, issuedAt: now - 60n, expiresAt: now + 365n * BigInt(DAY), nonce: nonce++ },
        "0x",
      ]);
    },
    /** The platform (the admin) adds `amount` of `token` to the pay-after-use guarantor pool. */
    fundPool: (token: Address, amount: bigint) =>
      escrow("admin", "fundPool", [token, amount], token === zeroAddress ? amount : undefined),
    /**
     * The admin caps what the pool of `token` guarantees for one buyer's open pay-after-use trades
     * (0, the default, closes pay after use in `token` to new trades).
     */
    setBuyerExposureCap: (token: Address, cap: bigint) =>
      escrow("admin", "setBuyerExposureCap", [token, cap]),
    withdraw: (role: Role, token: Address = zeroAddress) => escrow(role, "withdraw", [token]),
    /** `role`'s whole credit in `token`, paid to `to`. */
    withdrawTo: (role: Role, token: Address, to: Address) =>
      escrow(role, "withdrawTo", [token, to]),
    rate: (id: bigint, terms: Terms, scores: [number, number, number]) =>
      mined(
        wallet(roleOf(terms.buyer)).writeContract({
          address: deployed.ratings,
          abi: sellerRatingsAbi,
          functionName: "rate",
          args: [id, ...scores],
        }),
      ),
    /** The admin (the ratings' owner) sets the fee a trade in `token` without attested title must pay to be ratable. */
    setMinRatingFee: (token: Address, minFee: bigint) =>
      mined(
        wallet("admin").writeContract({
          address: deployed.ratings,
          abi: sellerRatingsAbi,
          functionName: "setMinFee",
          args: [token, minFee],
        }),
      ),
    cancelForMissedStart: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "cancelForMissedStart", [id]),
    /** Nothing shipped: the buyer cancels once paid in full, the seller once the balance is late. */
    cancelUnshipped: (id: bigint, terms: Terms, by: "buyer" | "seller") =>
      escrow(roleOf(by === "buyer" ? terms.buyer : terms.seller), "cancelUnshipped", [id]),
    /** Shipped, never delivered (latest delivery plus the grace period passed). */
    cancelUndelivered: (id: bigint, terms: Terms, by: "buyer" | "seller") =>
      escrow(roleOf(by === "buyer" ? terms.buyer : terms.seller), "cancelUndelivered", [id]),
    withdrawProposal: (id: bigint, terms: Terms) =>
      escrow(roleOf(terms.buyer), "withdrawProposal", [id]),
    /** Both parties amend: the buyer sends, the seller signs (EIP-712 through the node). */
    async amend(id: bigint, current: Terms, amended: Terms, version: number) {
      const message = {
        tradeId: id,
        version,
        terms: amended,
        nonce: nonce++,
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
    /** The agency lodges a report on chain; the buyer files a claim citing it. */
    async fileClaim(id: bigint, terms: Terms, refundBps: number) {
      const report = {
        tradeId: id,
        agency: address("agency"),
        varianceBps: refundBps,
        material: false,
        reportCid: await document(`inspection ${id}`),
        nonce: nonce++,
        deadline: (await latest()) + 30n * BigInt(DAY),
      };
      await escrow("agency", "submitInspectionReport", [report]);
      return escrow(roleOf(terms.buyer), "fileClaim", [
        id,
        {
          ground: ClaimGround.SpecificationVariance,
          refundBps,
          costs: 0n,
          evidenceCid: await document(`evidence ${id}`),
        },
        report,
        "0x",
      ]);
    },
    async contest(id: bigint, terms: Terms) {
      const cost = await publicClient.readContract({
        address: deployed.court,
        abi: arbitrationCourtAbi,
        functionName: "arbitrationCost",
        args: [terms.arbitratorExtraData],
      });
      return escrow(
        roleOf(terms.seller),
        "contestClaim",
        [id, await document(`counter ${id}`)],
        cost,
      );
    },
    /** Draws the panel; every member commits and reveals `choice`; the round closes. */
    async hear(disputeId: bigint, choice: bigint) {
      await actions.mine(1);
      await court("relayer", "drawPanel", [disputeId]);
      const panel = await publicClient.readContract({
        address: deployed.court,
        abi: arbitrationCourtAbi,
        functionName: "panel",
        args: [disputeId],
      });
      const dispute = await actions.dispute(disputeId);
      const members = panel.map((member) => {
        for (const role of [
          "arbitrator1",
          "arbitrator2",
          "arbitrator3",
          "arbitrator4",
          "arbitrator5",
        ] as const)
          if (address(role).toLowerCase() === member.toLowerCase()) return role;
        throw new Error(`${member} is not an arbitrator.`);
      });
      const salt = (role: Role) => keccak256(toHex(`salt ${role} ${disputeId}`));
      for (const role of members) {
        const commitment = await publicClient.readContract({
          address: deployed.court,
          abi: arbitrationCourtAbi,
          functionName: "commitmentOf",
          args: [disputeId, dispute.round, dispute.attempt, address(role), choice, salt(role)],
        });
        await court(role, "commitVote", [disputeId, commitment]);
      }
      await actions.increaseTime(Number(BigInt(dispute.commitDeadline) - (await latest())) + 1);
      for (const role of members) await court(role, "revealVote", [disputeId, choice, salt(role)]);
      await court("relayer", "closeRound", [disputeId]);
    },
    async finalizeRuling(disputeId: bigint) {
      const dispute = await actions.dispute(disputeId);
      await actions.increaseTime(Number(BigInt(dispute.appealDeadline) - (await latest())) + 1);
      return court("relayer", "finalize", [disputeId]);
    },
    executeRuling: (id: bigint) => escrow("relayer", "executeRuling", [id]),
    // Views and node controls.
    view: (id: bigint) =>
      publicClient.readContract({
        address: deployed.escrow,
        abi: tradeEscrowAbi,
        functionName: "trade",
        args: [id],
      }),
    claim: (id: bigint) =>
      publicClient.readContract({
        address: deployed.escrow,
        abi: tradeEscrowAbi,
        functionName: "claim",
        args: [id],
      }),
    dispute: (id: bigint) =>
      publicClient.readContract({
        address: deployed.court,
        abi: arbitrationCourtAbi,
        functionName: "dispute",
        args: [id],
      }),
    async mine(blocks = 1) {
      await rpc("hardhat_mine", [toHex(blocks)]);
    },
    async increaseTime(seconds: number) {
      await rpc("evm_increaseTime", [Math.max(seconds, 0)]);
      await rpc("evm_mine");
    },
    snapshot: () => rpc("evm_snapshot") as Promise<Hex>,
    revert: (id: Hex) => rpc("evm_revert", [id]),
    head: () => publicClient.getBlockNumber({ cacheTime: 0 }),
  };

  return { deployed, publicClient, wallet, domain, buildTerms, actions, latest, rpc };
}
