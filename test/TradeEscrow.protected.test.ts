import { expect } from "chai";
import { ethers } from "./fixtures/hardhat";
import {
  AttestationKind,
  FEE_BPS,
  TradeState,
  USD,
  buildAttestation,
  buildTerms,
  cid,
  depositOf,
  deliver,
  openAndShip,
  openTrade,
  signAttestation,
  useEscrow,
} from "./fixtures/escrow";

describe("TradeEscrow: the protected trade end to end", function () {
  it("pays the seller and hands the warehouse receipt to the buyer when title passes", async function () {
    const ctx = await useEscrow();
    const { escrow, usd, buyer, seller, treasury, operator, relayer, receipts } = ctx;
    const terms = await buildTerms(ctx);
    const id = await openTrade(ctx, terms);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);

    const deposit = depositOf(terms);
    await expect(escrow.connect(buyer).payDeposit(id))
      .to.emit(escrow, "DepositPaid")
      .withArgs(id, buyer.address, deposit);
    await escrow.connect(seller).startFulfilment(id);
    await expect(escrow.connect(buyer).payBalance(id))
      .to.emit(escrow, "BalancePaid")
      .withArgs(id, buyer.address, terms.price - deposit);
    await escrow.connect(seller).markShipped(id, cid("bill-of-lading"));

    const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer, {
      quantity: 10n,
    });
    const signature = await signAttestation(ctx, operator, attestation);
    const fee = (terms.price * BigInt(FEE_BPS)) / 10_000n;
    const receiptId = (id << 16n) | 1n;
    await expect(escrow.connect(relayer).attest(attestation, signature))
      .to.emit(escrow, "TitleTransferred")
      .withArgs(id, 1, buyer.address, receiptId)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee);

    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
    expect(await receipts.ownerOf(receiptId)).to.equal(buyer.address);
    expect(await escrow.withdrawable(seller.address, await usd.getAddress())).to.equal(
      terms.price - fee,
    );
    expect(await escrow.withdrawable(treasury.address, await usd.getAddress())).to.equal(fee);

    const before = await usd.balanceOf(seller.address);
    await escrow.connect(seller).withdraw(await usd.getAddress());
    expect(await usd.balanceOf(seller.address)).to.equal(before + terms.price - fee);
  });

  it("runs the same trade in the native coin", async function () {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx, {
      token: ethers.ZeroAddress,
      price: ethers.parseEther("3"),
    });
    const id = await openAndShip(ctx, terms);
    await deliver(ctx, id, terms);
    const fee = (terms.price * BigInt(FEE_BPS)) / 10_000n;
    expect(await ctx.escrow.withdrawable(ctx.seller.address, ethers.ZeroAddress)).to.equal(
      terms.price - fee,
    );
    await expect(ctx.escrow.connect(ctx.seller).withdraw(ethers.ZeroAddress)).to.changeEtherBalance(
      ethers,
      ctx.seller,
      terms.price - fee,
    );
  });

  it("keeps USD amounts exact for a price that does not divide evenly", async function () {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx, { price: USD(100_000) + 7n });
    const id = await openAndShip(ctx, terms);
    await deliver(ctx, id, terms);
    expect((await ctx.escrow.trade(id)).escrowed).to.equal(0n);
  });
});
