import { expect } from "chai";
import { ethers } from "./fixtures/hardhat";
import type { Interface } from "ethers";
import {
  AttestationKind,
  TradeState,
  buildAttestation,
  buildTerms,
  cid,
  nextNonce,
  openAndShip,
  signAttestation,
  useEscrow,
} from "./fixtures/escrow";
import type { Attestation, EscrowContext, Terms } from "./fixtures/escrow";
import { callEscrowAs, escrowErrorName, shipFromContractSeller } from "./fixtures/attackers";
import { feeOf, receiptIdOf } from "./fixtures/flows";
import type { ReentrantReceiver } from "../typechain-types";

// The batch entry points: attestBatch applies many attestations as `attest` would, all or nothing, and
// names the failing item; withdrawMany pays several tokens as `withdraw` would. The shared fixture checks
// funds conservation after every test.

/** `n` trades on default terms (plus `overrides`), each taken to Shipped. */
async function shippedTrades(
  ctx: EscrowContext,
  n: number,
  overrides: Partial<Terms> = {},
): Promise<{ id: bigint; terms: Terms }[]> {
  const trades: { id: bigint; terms: Terms }[] = [];
  for (let i = 0; i < n; i += 1) {
    const terms = await buildTerms(ctx, { manifestCid: cid(`manifest-batch-${i}`), ...overrides });
    trades.push({ id: await openAndShip(ctx, terms), terms });
  }
  return trades;
}

/** The combined receipt-and-title attestation of each trade's whole quantity. */
async function titlesOf(trades: { id: bigint; terms: Terms }[]): Promise<Attestation[]> {
  return Promise.all(
    trades.map(({ id, terms }) =>
      buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer, {
        quantity: terms.quantity,
        nonce: nextNonce(),
      }),
    ),
  );
}

function innerError(ctx: EscrowContext, name: string, args: unknown[]): string {
  return (ctx.escrow.interface as unknown as Interface).encodeErrorResult(name, args);
}

describe("TradeEscrow.attestBatch", function () {
  it("passes title and releases every trade of the batch, with each item's events", async function () {
    const ctx = await useEscrow();
    const { escrow, receipts, operator, buyer, seller, treasury } = ctx;
    const trades = await shippedTrades(ctx, 3);
    const attestations = await titlesOf(trades);

    const tx = escrow.connect(operator).attestBatch(
      attestations,
      trades.map(() => "0x"),
    );
    for (const [i, { id, terms }] of trades.entries()) {
      const fee = feeOf(terms.price, terms.feeBps);
      await expect(tx)
        .to.emit(escrow, "LotReceived")
        .withArgs(
          id,
          1,
          operator.address,
          receiptIdOf(id, 1),
          terms.quantity,
          (attestations[i] as Attestation).time,
          buyer.address,
          AttestationKind.ReceiptAndTitleTransfer,
          cid(`receipt-${id}`),
        );
      await expect(tx)
        .to.emit(escrow, "TitleTransferred")
        .withArgs(id, 1, buyer.address, receiptIdOf(id, 1));
      await expect(tx)
        .to.emit(escrow, "FundsReleased")
        .withArgs(id, terms.price - fee, fee);
      await expect(tx)
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(id, TradeState.Shipped, TradeState.Completed);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
      expect(await receipts.ownerOf(receiptIdOf(id, 1))).to.equal(buyer.address);
    }
    const total = trades.reduce((sum, t) => sum + t.terms.price, 0n);
    const fees = trades.reduce((sum, t) => sum + feeOf(t.terms.price, t.terms.feeBps), 0n);
    const usd = await ctx.usd.getAddress();
    expect(await escrow.withdrawable(seller.address, usd)).to.equal(total - fees);
    expect(await escrow.withdrawable(treasury.address, usd)).to.equal(fees);
    const [, , openTrades] = await escrow.operatorBond(operator.address);
    expect(openTrades).to.equal(0n);
  });

  it("takes items signed by the operator from any relayer, each nonce used once", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, relayer } = ctx;
    const trades = await shippedTrades(ctx, 2);
    const attestations = await titlesOf(trades);
    const signatures = await Promise.all(
      attestations.map((a) => signAttestation(ctx, operator, a)),
    );

    await expect(escrow.connect(relayer).attestBatch(attestations, signatures)).to.not.be.revert(
      ethers,
    );
    for (const a of attestations) {
      expect(await escrow.nonceUsed(operator.address, a.nonce)).to.equal(true);
      expect((await escrow.trade(a.tradeId)).state).to.equal(TradeState.Completed);
    }
  });

  it("reverts the whole batch with EscrowBatchItemFailed naming the failing index and its error", async function () {
    const ctx = await useEscrow();
    const { escrow, operator } = ctx;
    const trades = await shippedTrades(ctx, 3);
    const attestations = await titlesOf(trades);
    const bad = { ...(attestations[1] as Attestation), lot: 2 };
    attestations[1] = bad;

    await expect(
      escrow.connect(operator).attestBatch(
        attestations,
        trades.map(() => "0x"),
      ),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowBatchItemFailed")
      .withArgs(1n, innerError(ctx, "EscrowInvalidLot", [bad.tradeId, 1, 2]));
    for (const { id } of trades)
      expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
  });

  it("names an item whose signature was already used earlier in the batch", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, relayer } = ctx;
    const [trade] = await shippedTrades(ctx, 1);
    const [attestation] = (await titlesOf([trade as { id: bigint; terms: Terms }])) as [
      Attestation,
    ];
    const signature = await signAttestation(ctx, operator, attestation);

    await expect(
      escrow.connect(relayer).attestBatch([attestation, attestation], [signature, signature]),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowBatchItemFailed")
      .withArgs(1n, innerError(ctx, "EscrowNonceUsed", [operator.address, attestation.nonce]));
  });

  it("names an item whose operator is no longer accredited, before applying any item", async function () {
    const ctx = await useEscrow();
    const { escrow, admin, operator, operator2, operatorRole } = ctx;
    const [first] = await shippedTrades(ctx, 1);
    const [second] = await shippedTrades(ctx, 1, { operator: operator2.address });
    const trades = [first, second] as { id: bigint; terms: Terms }[];
    await escrow.connect(admin).revokeRole(operatorRole, operator2.address);

    await expect(escrow.connect(operator).attestBatch(await titlesOf(trades), ["0x", "0x"]))
      .to.be.revertedWithCustomError(escrow, "EscrowBatchItemFailed")
      .withArgs(1n, innerError(ctx, "EscrowOperatorNotAccredited", [operator2.address]));
    expect((await escrow.trade((first as { id: bigint }).id)).state).to.equal(TradeState.Shipped);
  });

  it("refuses arrays of different lengths", async function () {
    const ctx = await useEscrow();
    const { escrow, operator } = ctx;
    const trades = await shippedTrades(ctx, 2);
    const attestations = await titlesOf(trades);

    await expect(escrow.connect(operator).attestBatch(attestations, ["0x"]))
      .to.be.revertedWithCustomError(escrow, "EscrowBatchLengthMismatch")
      .withArgs(2n, 1n);
  });

  it("cannot be entered from a payout's callback", async function () {
    const ctx = await useEscrow();
    const { escrow, operator, stranger } = ctx;
    const receiver = (await ethers.deployContract(
      "ReentrantReceiver",
    )) as unknown as ReentrantReceiver;
    const receiverAddress = await receiver.getAddress();
    const escrowAddress = await escrow.getAddress();
    // A native-coin trade whose seller is the receiver, delivered so the receiver has a payout.
    const { id, terms } = await shipFromContractSeller(ctx, receiver, stranger);
    const [other] = await shippedTrades(ctx, 1);
    const otherTitle = await titlesOf([other as { id: bigint; terms: Terms }]);
    const otherSignature = await signAttestation(ctx, operator, otherTitle[0] as Attestation);
    await escrow.connect(operator).attestBatch(await titlesOf([{ id, terms }]), ["0x"]);

    // While the receiver withdraws, it tries to relay a signed batch and to withdraw again.
    const reentry = escrow.interface.encodeFunctionData("attestBatch", [
      otherTitle,
      [otherSignature],
    ]);
    await receiver.arm(escrowAddress, reentry);
    const tx = callEscrowAs(ctx, receiver, stranger, "withdrawMany", [[ethers.ZeroAddress]]);
    await expect(tx).to.emit(receiver, "ReentryAttempted");
    expect(await receiver.lastReentrySucceeded()).to.equal(false);
    expect(escrowErrorName(escrow, await receiver.lastReentryReturndata())).to.equal(
      "ReentrancyGuardReentrantCall",
    );
    expect((await escrow.trade((other as { id: bigint }).id)).state).to.equal(TradeState.Shipped);
    expect(await escrow.withdrawable(receiverAddress, ethers.ZeroAddress)).to.equal(0n);
  });
});

describe("TradeEscrow.withdrawMany", function () {
  /** A completed trade in the native coin and one in the stablecoin: the seller has both credited. */
  async function creditedInTwoTokens(ctx: EscrowContext): Promise<Terms[]> {
    const usdTrades = await shippedTrades(ctx, 1);
    const nativeTrades = await shippedTrades(ctx, 1, {
      token: ethers.ZeroAddress,
      price: ethers.parseEther("3"),
    });
    const trades = [...usdTrades, ...nativeTrades];
    await ctx.escrow.connect(ctx.operator).attestBatch(
      await titlesOf(trades),
      trades.map(() => "0x"),
    );
    return trades.map((t) => t.terms);
  }

  it("pays everything credited in each token, one Withdrawn each", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, usd } = ctx;
    const [usdTerms, nativeTerms] = (await creditedInTwoTokens(ctx)) as [Terms, Terms];
    const usdAddress = await usd.getAddress();
    const usdPayout = usdTerms.price - feeOf(usdTerms.price, usdTerms.feeBps);
    const nativePayout = nativeTerms.price - feeOf(nativeTerms.price, nativeTerms.feeBps);

    const tx = escrow.connect(seller).withdrawMany([usdAddress, ethers.ZeroAddress]);
    await expect(tx)
      .to.emit(escrow, "Withdrawn")
      .withArgs(seller.address, usdAddress, usdPayout)
      .and.to.emit(escrow, "Withdrawn")
      .withArgs(seller.address, ethers.ZeroAddress, nativePayout);
    await expect(tx).to.changeEtherBalances(
      ethers,
      [seller, escrow],
      [nativePayout, -nativePayout],
    );
    await expect(tx).to.changeTokenBalances(ethers, usd, [seller, escrow], [usdPayout, -usdPayout]);
    expect(await escrow.withdrawable(seller.address, usdAddress)).to.equal(0n);
    expect(await escrow.withdrawable(seller.address, ethers.ZeroAddress)).to.equal(0n);
  });

  it("reverts with EscrowNothingToWithdraw on a token with nothing credited, a repeated one included", async function () {
    const ctx = await useEscrow();
    const { escrow, seller, usd } = ctx;
    await creditedInTwoTokens(ctx);
    const usdAddress = await usd.getAddress();

    await expect(escrow.connect(seller).withdrawMany([usdAddress, usdAddress]))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
      .withArgs(seller.address, usdAddress);
    const stranger = ethers.Wallet.createRandom().address;
    await expect(escrow.connect(seller).withdrawMany([usdAddress, stranger]))
      .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
      .withArgs(seller.address, stranger);
    expect(await escrow.withdrawable(seller.address, usdAddress)).to.not.equal(0n);
  });
});
