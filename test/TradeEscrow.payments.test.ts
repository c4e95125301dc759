// Length: deposit and balance in the native coin, an ERC-20 and with permits, each at its edges.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import type { Interface } from "ethers";
import {
  AttestationKind,
  buildAttestation,
  buildTerms,
  CancelReason,
  cid,
  deliver,
  depositOf,
  expectTermsInForce,
  FEE_BPS,
  nextNonce,
  NO_SIGNATURE,
  openAndShip,
  openTrade,
  OPERATOR_BOND,
  signAmendment,
  signOpen,
  TradeState,
  USD,
  useEscrow,
  valueFor,
} from "./fixtures/escrow";
import type { EscrowContext, Terms } from "./fixtures/escrow";
import {
  callEscrowAs,
  deployFundedToken,
  escrowBalance,
  escrowErrorName,
  shipFromContractSeller,
  signPermit,
  timestampOf,
} from "./fixtures/attackers";
import type {
  FalseReturningToken,
  FeeOnTransferToken,
  ReentrantReceiver,
  ReentrantToken,
  RevertingReceiver,
} from "../typechain-types";

const MAX_UINT96 = 2n ** 96n - 1n;

function feeOf(amount: bigint, feeBps = FEE_BPS): bigint {
  return (amount * BigInt(feeBps)) / 10_000n;
}

/** Opens a trade and pays its deposit. */
async function openAndDeposit(ctx: EscrowContext, terms: Terms): Promise<bigint> {
  const id = await openTrade(ctx, terms);
  await ctx.escrow.connect(ctx.buyer).payDeposit(id, valueFor(terms, depositOf(terms)));
  return id;
}

/** Runs a trade to completion with no claim window (seller and treasury credited). */
async function completeTrade(ctx: EscrowContext, terms: Terms): Promise<bigint> {
  const id = await openAndShip(ctx, terms);
  await deliver(ctx, id, terms);
  return id;
}

/** The operator attests receipt and title of the whole quantity; returns the transaction. */
async function deliverTx(ctx: EscrowContext, id: bigint, terms: Terms) {
  const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer, {
    quantity: terms.quantity,
  });
  return ctx.escrow.connect(ctx.operator).attest(attestation, "0x");
}

/** The revert data the reentrancy guard produces. */
function guardError(ctx: EscrowContext): string {
  return ctx.escrow.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []);
}

describe("TradeEscrow: payments, bonds and withdrawals", function () {
  describe("payDeposit", function () {
    it("takes exactly price * depositBps / 10,000, rounded down, into escrow", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const terms = await buildTerms(ctx, { price: USD(100_000) + 7n, depositBps: 3333 });
      const id = await openTrade(ctx, terms);
      const deposit = (terms.price * 3333n) / 10_000n;
      expect(deposit).to.equal(33_330_000_002n); // 33,330.0000023331 USD, rounded down

      const tx = await escrow.connect(buyer).payDeposit(id);
      await expect(tx).to.emit(escrow, "DepositPaid").withArgs(id, buyer.address, deposit);
      await expect(tx)
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(id, TradeState.Signed, TradeState.Deposited);
      await expect(tx).to.changeTokenBalances(ethers, usd, [buyer, escrow], [-deposit, deposit]);
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Deposited);
      expect(t.escrowed).to.equal(deposit);
      expect(t.stageAt).to.equal(await timestampOf(tx));
    });

    it("takes the whole price when the deposit share is 10,000 bps", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const terms = await buildTerms(ctx, { depositBps: 10_000 });
      const id = await openTrade(ctx, terms);

      await expect(escrow.connect(buyer).payDeposit(id)).to.changeTokenBalances(
        ethers,
        usd,
        [buyer, escrow],
        [-terms.price, terms.price],
      );
      expect((await escrow.trade(id)).escrowed).to.equal(terms.price);
    });

    it("accepts the deposit in the block at the end of the deposit window", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const deadline = (await escrow.trade(id)).stageAt + BigInt(terms.depositWindow);
      expect(await escrow.stageDeadline(id)).to.equal(deadline);

      await time.setNextBlockTimestamp(deadline);
      await expect(escrow.connect(buyer).payDeposit(id))
        .to.emit(escrow, "DepositPaid")
        .withArgs(id, buyer.address, depositOf(terms));
      expect((await escrow.trade(id)).stageAt).to.equal(deadline);
    });

    it("refuses the deposit one second after the deposit window", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const deadline = (await escrow.trade(id)).stageAt + BigInt(terms.depositWindow);

      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(escrow.connect(buyer).payDeposit(id))
        .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
        .withArgs(id, deadline);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
      expect(await usd.balanceOf(await escrow.getAddress())).to.equal(0n);
    });

    it("refuses a deposit from anyone but the buyer", async function () {
      const ctx = await useEscrow();
      const { escrow, seller, stranger, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);

      for (const caller of [seller, stranger, relayer]) {
        await expect(escrow.connect(caller).payDeposit(id))
          .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
          .withArgs(id, caller.address);
      }
      expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
    });

    it("refuses a deposit in any state but Signed", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await expect(escrow.connect(buyer).payDeposit(1n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(1n, TradeState.Proposed);
      await escrow.connect(buyer).withdrawProposal(1n);
      await expect(escrow.connect(buyer).payDeposit(1n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(1n, TradeState.Cancelled);

      const id = await openAndDeposit(ctx, terms);
      await expect(escrow.connect(buyer).payDeposit(id))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(id, TradeState.Deposited);
      expect((await escrow.trade(id)).escrowed).to.equal(depositOf(terms));
    });

    it("refuses an unknown trade and terms other than the trade's", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);

      await expect(escrow.connect(buyer).payDeposit(id + 1n))
        .to.be.revertedWithCustomError(escrow, "EscrowUnknownTrade")
        .withArgs(id + 1n);
      await expectTermsInForce(escrow, id, terms);
      // The committed deposit, whatever the buyer would rather pay.
      await expect(escrow.connect(buyer).payDeposit(id))
        .to.emit(escrow, "DepositPaid")
        .withArgs(id, buyer.address, depositOf(terms));
    });
  });

  describe("payDeposit and payBalance: native coin", function () {
    it("takes the deposit when exactly that much native coin is sent", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx, {
        token: ethers.ZeroAddress,
        price: ethers.parseEther("3"),
      });
      const id = await openTrade(ctx, terms);
      const deposit = depositOf(terms);

      const tx = escrow.connect(buyer).payDeposit(id, { value: deposit });
      await expect(tx).to.changeEtherBalances(ethers, [buyer, escrow], [-deposit, deposit]);
      await expect(tx).to.emit(escrow, "DepositPaid").withArgs(id, buyer.address, deposit);
      expect((await escrow.trade(id)).escrowed).to.equal(deposit);
    });

    it("refuses too little and too much native coin for the deposit", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx, {
        token: ethers.ZeroAddress,
        price: ethers.parseEther("3"),
      });
      const id = await openTrade(ctx, terms);
      const deposit = depositOf(terms);

      for (const sent of [0n, deposit - 1n, deposit + 1n, terms.price]) {
        await expect(escrow.connect(buyer).payDeposit(id, { value: sent }))
          .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
          .withArgs(deposit, sent);
      }
      expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
      expect(await escrowBalance(ctx, ethers.ZeroAddress)).to.equal(2n * OPERATOR_BOND);
    });

    it("takes exactly the balance in native coin and refuses any other amount", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx, {
        token: ethers.ZeroAddress,
        price: ethers.parseEther("3") + 1n,
      });
      const id = await openAndDeposit(ctx, terms);
      const due = terms.price - depositOf(terms);

      for (const sent of [0n, due - 1n, due + 1n]) {
        await expect(escrow.connect(buyer).payBalance(id, { value: sent }))
          .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
          .withArgs(due, sent);
      }
      const tx = escrow.connect(buyer).payBalance(id, { value: due });
      await expect(tx).to.changeEtherBalances(ethers, [buyer, escrow], [-due, due]);
      await expect(tx).to.emit(escrow, "BalancePaid").withArgs(id, buyer.address, due);
      expect((await escrow.trade(id)).escrowed).to.equal(terms.price);
    });

    it("refuses native coin sent with a payment in an ERC-20 token", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);

      await expect(escrow.connect(buyer).payDeposit(id, { value: 1n }))
        .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
        .withArgs(0n, 1n);
      await escrow.connect(buyer).payDeposit(id);
      await expect(escrow.connect(buyer).payBalance(id, { value: 5n }))
        .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
        .withArgs(0n, 5n);
      expect(await escrowBalance(ctx, ethers.ZeroAddress)).to.equal(2n * OPERATOR_BOND);
    });
  });

  describe("payDeposit and postSellerBond: misbehaving tokens", function () {
    it("refuses a fee-on-transfer token that delivers less than the amount due", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const fot = await deployFundedToken<FeeOnTransferToken>(ctx, "FeeOnTransferToken");
      const fotAddress = await fot.getAddress();
      const terms = await buildTerms(ctx, { token: fotAddress, sellerBond: USD(1_000) });
      const id = await openTrade(ctx, terms);
      const deposit = depositOf(terms);
      const buyerBefore = await fot.balanceOf(buyer.address);

      await expect(escrow.connect(buyer).payDeposit(id))
        .to.be.revertedWithCustomError(escrow, "EscrowTokenShortfall")
        .withArgs(fotAddress, deposit, deposit - deposit / 100n);
      await expect(escrow.connect(seller).postSellerBond(id))
        .to.be.revertedWithCustomError(escrow, "EscrowTokenShortfall")
        .withArgs(fotAddress, terms.sellerBond, terms.sellerBond - terms.sellerBond / 100n);

      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Signed);
      expect(t.escrowed).to.equal(0n);
      expect(t.sellerBond).to.equal(0n);
      expect(await fot.balanceOf(buyer.address)).to.equal(buyerBefore);
      expect(await fot.balanceOf(await escrow.getAddress())).to.equal(0n);
    });

    it("refuses a token whose transferFrom returns false, and nothing changes", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const bad = await deployFundedToken<FalseReturningToken>(ctx, "FalseReturningToken");
      const badAddress = await bad.getAddress();
      const terms = await buildTerms(ctx, { token: badAddress });
      const id = await openTrade(ctx, terms);
      const buyerBefore = await bad.balanceOf(buyer.address);
      await bad.setFailing(true);

      await expect(escrow.connect(buyer).payDeposit(id))
        .to.be.revertedWithCustomError(escrow, "SafeERC20FailedOperation")
        .withArgs(badAddress);
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Signed);
      expect(t.escrowed).to.equal(0n);
      expect(await bad.balanceOf(buyer.address)).to.equal(buyerBefore);
      expect(await bad.balanceOf(await escrow.getAddress())).to.equal(0n);

      // The same trade goes on once the token behaves.
      await bad.setFailing(false);
      await expect(escrow.connect(buyer).payDeposit(id))
        .to.emit(escrow, "DepositPaid")
        .withArgs(id, buyer.address, depositOf(terms));
    });
  });

  describe("payBalance", function () {
    it("collects exactly what remains of the price after the deposit", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const terms = await buildTerms(ctx, { price: USD(100_000) + 7n, depositBps: 3333 });
      const id = await openAndDeposit(ctx, terms);
      const due = terms.price - depositOf(terms);

      const tx = await escrow.connect(buyer).payBalance(id);
      await expect(tx).to.emit(escrow, "BalancePaid").withArgs(id, buyer.address, due);
      await expect(tx).to.changeTokenBalances(ethers, usd, [buyer, escrow], [-due, due]);
      await expect(tx).not.to.emit(escrow, "TradeStateChanged");
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Deposited);
      expect(t.escrowed).to.equal(terms.price);
    });

    it("collects the balance after fulfilment started", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openAndDeposit(ctx, terms);
      await escrow.connect(seller).startFulfilment(id);

      await expect(escrow.connect(buyer).payBalance(id))
        .to.emit(escrow, "BalancePaid")
        .withArgs(id, buyer.address, terms.price - depositOf(terms));
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.InFulfilment);
      expect(t.escrowed).to.equal(terms.price);
    });

    it("refuses a second payment because nothing is due", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openAndDeposit(ctx, terms);
      await escrow.connect(buyer).payBalance(id);
      const escrowBefore = await usd.balanceOf(await escrow.getAddress());

      await expect(escrow.connect(buyer).payBalance(id))
        .to.be.revertedWithCustomError(escrow, "EscrowNothingDue")
        .withArgs(id);
      expect(await usd.balanceOf(await escrow.getAddress())).to.equal(escrowBefore);
    });

    it("refuses a balance when the deposit was the whole price", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx, { depositBps: 10_000 });
      const id = await openAndDeposit(ctx, terms);

      await expect(escrow.connect(buyer).payBalance(id))
        .to.be.revertedWithCustomError(escrow, "EscrowNothingDue")
        .withArgs(id);
    });

    it("refuses the balance before the deposit and after the trade ended", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await expect(escrow.connect(buyer).payBalance(1n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(1n, TradeState.Proposed);

      const signed = await openTrade(ctx, terms);
      await expect(escrow.connect(buyer).payBalance(signed))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(signed, TradeState.Signed);

      const completed = await completeTrade(ctx, terms);
      await expect(escrow.connect(buyer).payBalance(completed))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(completed, TradeState.Completed);

      const cancelled = await openAndDeposit(ctx, terms);
      await time.increaseTo((await escrow.stageDeadline(cancelled)) + 1n);
      await escrow.connect(buyer).cancelForMissedStart(cancelled);
      await expect(escrow.connect(buyer).payBalance(cancelled))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(cancelled, TradeState.Cancelled);
    });

    it("refuses the balance from anyone but the buyer", async function () {
      const ctx = await useEscrow();
      const { escrow, seller, stranger } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openAndDeposit(ctx, terms);

      for (const caller of [seller, stranger]) {
        await expect(escrow.connect(caller).payBalance(id))
          .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
          .withArgs(id, caller.address);
      }
      expect((await escrow.trade(id)).escrowed).to.equal(depositOf(terms));
    });
  });

  describe("payDepositWithPermit and payBalanceWithPermit", function () {
    it("pays the deposit from a permit in one transaction, with no allowance before", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const escrowAddress = await escrow.getAddress();
      await usd.connect(buyer).approve(escrowAddress, 0n);
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const deposit = depositOf(terms);
      const permit = await signPermit(ctx, usd, buyer, deposit, BigInt(await time.latest()) + 600n);

      const tx = escrow.connect(buyer).payDepositWithPermit(id, permit);
      await expect(tx).to.emit(escrow, "DepositPaid").withArgs(id, buyer.address, deposit);
      await expect(tx).to.changeTokenBalances(ethers, usd, [buyer, escrow], [-deposit, deposit]);
      expect(await usd.allowance(buyer.address, escrowAddress)).to.equal(0n);
      expect(await usd.nonces(buyer.address)).to.equal(1n);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Deposited);
    });

    it("pays the balance from a permit in one transaction", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const escrowAddress = await escrow.getAddress();
      const terms = await buildTerms(ctx);
      const id = await openAndDeposit(ctx, terms);
      await usd.connect(buyer).approve(escrowAddress, 0n);
      const due = terms.price - depositOf(terms);
      const permit = await signPermit(ctx, usd, buyer, due, BigInt(await time.latest()) + 600n);

      const tx = escrow.connect(buyer).payBalanceWithPermit(id, permit);
      await expect(tx).to.emit(escrow, "BalancePaid").withArgs(id, buyer.address, due);
      await expect(tx).to.changeTokenBalances(ethers, usd, [buyer, escrow], [-due, due]);
      expect((await escrow.trade(id)).escrowed).to.equal(terms.price);
    });

    it("is not blocked when someone submits the same permit to the token first", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer, stranger } = ctx;
      const escrowAddress = await escrow.getAddress();
      await usd.connect(buyer).approve(escrowAddress, 0n);
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const deposit = depositOf(terms);
      const permit = await signPermit(ctx, usd, buyer, deposit, BigInt(await time.latest()) + 600n);

      await usd
        .connect(stranger)
        .permit(
          buyer.address,
          escrowAddress,
          permit.value,
          permit.deadline,
          permit.v,
          permit.r,
          permit.s,
        );
      expect(await usd.allowance(buyer.address, escrowAddress)).to.equal(deposit);

      await expect(escrow.connect(buyer).payDepositWithPermit(id, permit))
        .to.emit(escrow, "DepositPaid")
        .withArgs(id, buyer.address, deposit);
      expect((await escrow.trade(id)).escrowed).to.equal(deposit);
    });

    it("ignores a failing permit when the allowance is already enough", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const junk = { value: 1n, deadline: 0n, v: 27, r: ethers.ZeroHash, s: ethers.ZeroHash };

      await expect(escrow.connect(buyer).payDepositWithPermit(id, junk))
        .to.emit(escrow, "DepositPaid")
        .withArgs(id, buyer.address, depositOf(terms));
    });

    it("fails on the transfer when the permit failed and the allowance is short", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const escrowAddress = await escrow.getAddress();
      await usd.connect(buyer).approve(escrowAddress, 0n);
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const deposit = depositOf(terms);
      // Signed for one unit less than the deposit: the permit succeeds, the allowance is short.
      const short = await signPermit(
        ctx,
        usd,
        buyer,
        deposit - 1n,
        BigInt(await time.latest()) + 600n,
      );
      const expired = await signPermit(ctx, usd, buyer, deposit, BigInt(await time.latest()) - 1n);

      await expect(escrow.connect(buyer).payDepositWithPermit(id, expired))
        .to.be.revertedWithCustomError(usd, "ERC20InsufficientAllowance")
        .withArgs(escrowAddress, 0n, deposit);
      await expect(escrow.connect(buyer).payDepositWithPermit(id, short))
        .to.be.revertedWithCustomError(usd, "ERC20InsufficientAllowance")
        .withArgs(escrowAddress, deposit - 1n, deposit);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
    });

    it("refuses a permit for a trade paid in the native coin", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx, {
        token: ethers.ZeroAddress,
        price: ethers.parseEther("1"),
      });
      const id = await openTrade(ctx, terms);
      const junk = { value: 1n, deadline: 0n, v: 27, r: ethers.ZeroHash, s: ethers.ZeroHash };

      await expect(
        escrow.connect(buyer).payDepositWithPermit(id, junk),
      ).to.be.revertedWithCustomError(escrow, "EscrowPermitForNativeCoin");
      await escrow.connect(buyer).payDeposit(id, { value: depositOf(terms) });
      await expect(
        escrow.connect(buyer).payBalanceWithPermit(id, junk),
      ).to.be.revertedWithCustomError(escrow, "EscrowPermitForNativeCoin");
    });

    it("applies the payment rules after the permit", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const deadline = BigInt(await time.latest()) + 600n;
      const sellerPermit = await signPermit(ctx, usd, seller, terms.price, deadline);
      const buyerPermit = await signPermit(ctx, usd, buyer, terms.price, deadline);

      await expect(escrow.connect(seller).payDepositWithPermit(id, sellerPermit))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, seller.address);
      await expect(escrow.connect(buyer).payBalanceWithPermit(id, buyerPermit))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(id, TradeState.Signed);
    });
  });

  describe("postSellerBond", function () {
    it("holds the bond the terms require, posted before the deposit", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, seller } = ctx;
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      const id = await openTrade(ctx, terms);

      const tx = escrow.connect(seller).postSellerBond(id);
      await expect(tx)
        .to.emit(escrow, "SellerBondPosted")
        .withArgs(id, seller.address, terms.sellerBond);
      await expect(tx).to.changeTokenBalances(
        ethers,
        usd,
        [seller, escrow],
        [-terms.sellerBond, terms.sellerBond],
      );
      const t = await escrow.trade(id);
      expect(t.sellerBond).to.equal(terms.sellerBond);
      expect(t.state).to.equal(TradeState.Signed);
    });

    it("blocks the start of fulfilment until the bond is in", async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      const id = await openAndDeposit(ctx, terms);

      await expect(escrow.connect(seller).startFulfilment(id))
        .to.be.revertedWithCustomError(escrow, "EscrowSellerBondDue")
        .withArgs(id, terms.sellerBond);
      await expect(escrow.connect(seller).postSellerBond(id))
        .to.emit(escrow, "SellerBondPosted")
        .withArgs(id, seller.address, terms.sellerBond);
      await expect(escrow.connect(seller).startFulfilment(id)).to.emit(escrow, "FulfilmentStarted");
    });

    it("refuses a second post because nothing is due", async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      const id = await openTrade(ctx, terms);
      await escrow.connect(seller).postSellerBond(id);

      await expect(escrow.connect(seller).postSellerBond(id))
        .to.be.revertedWithCustomError(escrow, "EscrowNothingDue")
        .withArgs(id);
      expect((await escrow.trade(id)).sellerBond).to.equal(terms.sellerBond);
    });

    it("refuses a bond when the terms require none", async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);

      await expect(escrow.connect(seller).postSellerBond(id))
        .to.be.revertedWithCustomError(escrow, "EscrowNothingDue")
        .withArgs(id);
    });

    it("refuses a bond from anyone but the seller", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, stranger } = ctx;
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      const id = await openTrade(ctx, terms);

      for (const caller of [buyer, stranger]) {
        await expect(escrow.connect(caller).postSellerBond(id))
          .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
          .withArgs(id, caller.address);
      }
      expect((await escrow.trade(id)).sellerBond).to.equal(0n);
    });

    it("refuses a bond for a proposal or an ended trade", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      await escrow.connect(buyer).proposeTrade(terms);
      await expect(escrow.connect(seller).postSellerBond(1n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(1n, TradeState.Proposed);

      const completed = await completeTrade(ctx, terms);
      await expect(escrow.connect(seller).postSellerBond(completed))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(completed, TradeState.Completed);

      const cancelled = await openTrade(ctx, terms);
      await time.increaseTo((await escrow.stageDeadline(cancelled)) + 1n);
      await escrow.connect(seller).cancelForMissedDeposit(cancelled);
      await expect(escrow.connect(seller).postSellerBond(cancelled))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(cancelled, TradeState.Cancelled);
    });

    it("takes a native-coin bond only as the exact value", async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const bond = ethers.parseEther("0.5");
      const terms = await buildTerms(ctx, {
        token: ethers.ZeroAddress,
        price: ethers.parseEther("3"),
        sellerBond: bond,
      });
      const id = await openTrade(ctx, terms);

      for (const sent of [0n, bond - 1n, bond + 1n]) {
        await expect(escrow.connect(seller).postSellerBond(id, { value: sent }))
          .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
          .withArgs(bond, sent);
      }
      await expect(
        escrow.connect(seller).postSellerBond(id, { value: bond }),
      ).to.changeEtherBalances(ethers, [seller, escrow], [-bond, bond]);
      expect((await escrow.trade(id)).sellerBond).to.equal(bond);
    });

    it("credits the bond back to the seller when the trade completes", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, seller } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      const id = await openAndShip(ctx, terms);
      const fee = feeOf(terms.price);

      await expect(deliverTx(ctx, id, terms))
        .to.emit(escrow, "Credited")
        .withArgs(seller.address, usdAddress, id, terms.sellerBond);
      expect((await escrow.trade(id)).sellerBond).to.equal(0n);
      expect(await escrow.withdrawable(seller.address, usdAddress)).to.equal(
        terms.price - fee + terms.sellerBond,
      );
    });

    it("credits the bond back to the seller when the deposit is missed", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, seller } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      const id = await openTrade(ctx, terms);
      await escrow.connect(seller).postSellerBond(id);
      await time.increaseTo((await escrow.stageDeadline(id)) + 1n);

      await expect(escrow.connect(seller).cancelForMissedDeposit(id))
        .to.emit(escrow, "TradeCancelled")
        .withArgs(id, CancelReason.DepositMissed, 0n, 0n, terms.sellerBond);
      expect(await escrow.withdrawable(seller.address, usdAddress)).to.equal(terms.sellerBond);
    });

    it("hands the bond to the buyer when the seller never starts fulfilment", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer, seller } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx, { sellerBond: USD(5_000) });
      const id = await openAndDeposit(ctx, terms);
      await escrow.connect(seller).postSellerBond(id);
      await time.increaseTo((await escrow.stageDeadline(id)) + 1n);
      const deposit = depositOf(terms);

      await expect(escrow.connect(buyer).cancelForMissedStart(id))
        .to.emit(escrow, "TradeCancelled")
        .withArgs(id, CancelReason.FulfilmentNotStarted, deposit, terms.sellerBond, 0n);
      expect(await escrow.withdrawable(buyer.address, usdAddress)).to.equal(
        deposit + terms.sellerBond,
      );
      expect(await escrow.withdrawable(seller.address, usdAddress)).to.equal(0n);
    });
  });

  describe("withdraw", function () {
    it("pays out a completed trade's credits exactly once", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, seller, treasury } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx);
      await completeTrade(ctx, terms);
      const fee = feeOf(terms.price);

      for (const [account, amount] of [
        [seller, terms.price - fee],
        [treasury, fee],
      ] as const) {
        expect(await escrow.withdrawable(account.address, usdAddress)).to.equal(amount);
        const tx = escrow.connect(account).withdraw(usdAddress);
        await expect(tx).to.emit(escrow, "Withdrawn").withArgs(account.address, usdAddress, amount);
        await expect(tx).to.changeTokenBalances(ethers, usd, [account, escrow], [amount, -amount]);
        expect(await escrow.withdrawable(account.address, usdAddress)).to.equal(0n);
        await expect(escrow.connect(account).withdraw(usdAddress))
          .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
          .withArgs(account.address, usdAddress);
      }
      expect(await usd.balanceOf(await escrow.getAddress())).to.equal(0n);
    });

    it("refunds the buyer after a cancellation, exactly once", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx);
      const id = await openAndDeposit(ctx, terms);
      const deposit = depositOf(terms);
      await time.increaseTo((await escrow.stageDeadline(id)) + 1n);
      await escrow.connect(buyer).cancelForMissedStart(id);

      await expect(escrow.connect(buyer).withdraw(usdAddress)).to.changeTokenBalances(
        ethers,
        usd,
        [buyer, escrow],
        [deposit, -deposit],
      );
      await expect(escrow.connect(buyer).withdraw(usdAddress))
        .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
        .withArgs(buyer.address, usdAddress);
    });

    it("refuses an account with nothing credited in that token", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, seller, stranger, admin } = ctx;
      const usdAddress = await usd.getAddress();
      await completeTrade(ctx, await buildTerms(ctx));

      for (const [account, token] of [
        [stranger, usdAddress],
        [admin, usdAddress],
        [seller, ethers.ZeroAddress],
      ] as const) {
        await expect(escrow.connect(account).withdraw(token))
          .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
          .withArgs(account.address, token);
      }
    });

    it("keeps each token's credits apart", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, seller } = ctx;
      const usdAddress = await usd.getAddress();
      const usdTerms = await buildTerms(ctx);
      const ethTerms = await buildTerms(ctx, {
        token: ethers.ZeroAddress,
        price: ethers.parseEther("2"),
      });
      await completeTrade(ctx, usdTerms);
      await completeTrade(ctx, ethTerms);
      const ethPayout = ethTerms.price - feeOf(ethTerms.price);

      const tx = escrow.connect(seller).withdraw(ethers.ZeroAddress);
      await expect(tx).to.changeEtherBalances(ethers, [seller, escrow], [ethPayout, -ethPayout]);
      await expect(tx).to.changeTokenBalance(ethers, usd, seller, 0n);
      expect(await escrow.withdrawable(seller.address, usdAddress)).to.equal(
        usdTerms.price - feeOf(usdTerms.price),
      );
    });

    it("lets a party that refuses native coin block only its own withdrawal", async function () {
      const ctx = await useEscrow();
      const { escrow, seller, stranger, treasury } = ctx;
      const refuser = (await ethers.deployContract(
        "RevertingReceiver",
      )) as unknown as RevertingReceiver;
      const refuserAddress = await refuser.getAddress();
      const escrowAddress = await escrow.getAddress();
      const terms = await buildTerms(ctx, {
        buyer: refuserAddress,
        token: ethers.ZeroAddress,
        price: ethers.parseEther("3"),
      });
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce());
      await callEscrowAs(ctx, refuser, stranger, "openTrade", [terms, NO_SIGNATURE, sellerSig]);
      const id = await escrow.tradeCount();
      const deposit = depositOf(terms);
      await callEscrowAs(ctx, refuser, stranger, "payDeposit", [id], deposit);
      await escrow.connect(seller).startFulfilment(id);
      await callEscrowAs(ctx, refuser, stranger, "payBalance", [id], terms.price - deposit);
      // Both sign a lower price after full payment: the excess is credited to the buyer.
      const amended = { ...terms, price: ethers.parseEther("2.5") };
      const amendSig = await signAmendment(ctx, seller, id, 1, amended, nextNonce());
      await callEscrowAs(ctx, refuser, stranger, "amend", [id, amended, NO_SIGNATURE, amendSig]);
      const refund = terms.price - amended.price;
      expect(await escrow.withdrawable(refuserAddress, ethers.ZeroAddress)).to.equal(refund);

      await expect(callEscrowAs(ctx, refuser, stranger, "withdraw", [ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(refuser, "RevertingReceiverRejected")
        .withArgs(escrowAddress, refund);

      // Nobody else is held up: the trade completes and the seller and treasury are paid.
      await escrow.connect(seller).markShipped(id, cid("bill"));
      await deliver(ctx, id, amended);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
      const fee = feeOf(amended.price);
      await expect(escrow.connect(seller).withdraw(ethers.ZeroAddress)).to.changeEtherBalance(
        ethers,
        seller,
        amended.price - fee,
      );
      await expect(escrow.connect(treasury).withdraw(ethers.ZeroAddress)).to.changeEtherBalance(
        ethers,
        treasury,
        fee,
      );
      expect(await escrow.withdrawable(refuserAddress, ethers.ZeroAddress)).to.equal(refund);

      // The refund waits for the buyer, which can take it once it accepts coin.
      await refuser.setAcceptPayments(true);
      await expect(
        callEscrowAs(ctx, refuser, stranger, "withdraw", [ethers.ZeroAddress]),
      ).to.changeEtherBalances(ethers, [refuser, escrow], [refund, -refund]);
    });

    it("completes a trade whose seller refuses native coin; only the seller's withdrawal fails", async function () {
      const ctx = await useEscrow();
      const { escrow, stranger, treasury } = ctx;
      const refuser = (await ethers.deployContract(
        "RevertingReceiver",
      )) as unknown as RevertingReceiver;
      const refuserAddress = await refuser.getAddress();
      const { id, terms } = await shipFromContractSeller(ctx, refuser, stranger);

      const fee = feeOf(terms.price);
      await expect(deliverTx(ctx, id, terms))
        .to.emit(escrow, "FundsReleased")
        .withArgs(id, terms.price - fee, fee);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
      await expect(callEscrowAs(ctx, refuser, stranger, "withdraw", [ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(refuser, "RevertingReceiverRejected")
        .withArgs(await escrow.getAddress(), terms.price - fee);
      await expect(escrow.connect(treasury).withdraw(ethers.ZeroAddress)).to.changeEtherBalance(
        ethers,
        treasury,
        fee,
      );
      expect(await escrow.withdrawable(refuserAddress, ethers.ZeroAddress)).to.equal(
        terms.price - fee,
      );
    });
  });

  describe("reentrancy", function () {
    async function reentrantTrade(ctx: EscrowContext) {
      const token = await deployFundedToken<ReentrantToken>(ctx, "ReentrantToken");
      const tokenAddress = await token.getAddress();
      const terms = await buildTerms(ctx, { token: tokenAddress });
      return { token, tokenAddress, terms };
    }

    it("refuses a withdraw re-entered from the token during the deposit's transferFrom", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const { token, tokenAddress, terms } = await reentrantTrade(ctx);
      const id = await openTrade(ctx, terms);
      const deposit = depositOf(terms);
      await token.arm(
        await escrow.getAddress(),
        escrow.interface.encodeFunctionData("withdraw", [tokenAddress]),
      );

      const tx = escrow.connect(buyer).payDeposit(id);
      await expect(tx).to.emit(escrow, "DepositPaid").withArgs(id, buyer.address, deposit);
      await expect(tx)
        .to.emit(token, "ReentryAttempted")
        .withArgs(await escrow.getAddress(), false, guardError(ctx));
      await expect(tx).to.changeTokenBalances(ethers, token, [buyer, escrow], [-deposit, deposit]);
      expect(await token.lastReentrySucceeded()).to.equal(false);
      expect(escrowErrorName(escrow, await token.lastReentryReturndata())).to.equal(
        "ReentrancyGuardReentrantCall",
      );
      expect((await escrow.trade(id)).escrowed).to.equal(deposit);
    });

    it("refuses a payBalance re-entered during the deposit's transferFrom", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const { token, terms } = await reentrantTrade(ctx);
      const id = await openTrade(ctx, terms);
      await token.arm(
        await escrow.getAddress(),
        escrow.interface.encodeFunctionData("payBalance", [id]),
      );

      await expect(escrow.connect(buyer).payDeposit(id))
        .to.emit(token, "ReentryAttempted")
        .withArgs(await escrow.getAddress(), false, guardError(ctx));
      const t = await escrow.trade(id);
      expect(t.state).to.equal(TradeState.Deposited);
      expect(t.escrowed).to.equal(depositOf(terms));
    });

    it("refuses a payDeposit re-entered during the balance's transferFrom", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const { token, terms } = await reentrantTrade(ctx);
      const id = await openAndDeposit(ctx, terms);
      await token.arm(
        await escrow.getAddress(),
        escrow.interface.encodeFunctionData("payDeposit", [id]),
      );

      await expect(escrow.connect(buyer).payBalance(id))
        .to.emit(escrow, "BalancePaid")
        .withArgs(id, buyer.address, terms.price - depositOf(terms));
      expect(await token.lastReentrySucceeded()).to.equal(false);
      expect(await token.lastReentryReturndata()).to.equal(guardError(ctx));
      expect((await escrow.trade(id)).escrowed).to.equal(terms.price);
    });

    it("refuses a withdraw re-entered during a withdrawal's transfer", async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const { token, tokenAddress, terms } = await reentrantTrade(ctx);
      await completeTrade(ctx, terms);
      const payout = terms.price - feeOf(terms.price);
      await token.arm(
        await escrow.getAddress(),
        escrow.interface.encodeFunctionData("withdraw", [tokenAddress]),
      );

      const tx = escrow.connect(seller).withdraw(tokenAddress);
      await expect(tx).to.changeTokenBalances(ethers, token, [seller, escrow], [payout, -payout]);
      await expect(tx)
        .to.emit(token, "ReentryAttempted")
        .withArgs(await escrow.getAddress(), false, guardError(ctx));
    });

    it("refuses every guarded entry point re-entered during a deposit's transferFrom", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const { token, tokenAddress, terms } = await reentrantTrade(ctx);
      const escrowAddress = await escrow.getAddress();
      const permit = { value: 1n, deadline: 0n, v: 27, r: ethers.ZeroHash, s: ethers.ZeroHash };
      const attestation = await buildAttestation(1n, AttestationKind.Receipt);
      const calls: [string, unknown[]][] = [
        ["payDeposit", [1n]],
        ["payBalance", [1n]],
        ["payDepositWithPermit", [1n, permit]],
        ["payBalanceWithPermit", [1n, permit]],
        ["postSellerBond", [1n]],
        ["attest", [attestation, "0x"]],
        ["release", [1n]],
        ["amend", [1n, terms, NO_SIGNATURE, NO_SIGNATURE]],
        ["cancelForMissedDeposit", [1n]],
        ["cancelForMissedStart", [1n]],
        ["cancelUnshipped", [1n]],
        ["withdraw", [tokenAddress]],
        ["postOperatorBond", [1n]],
        ["withdrawOperatorBond", [1n]],
      ];

      for (const [method, args] of calls) {
        const id = await openTrade(ctx, terms);
        const data = (escrow.interface as unknown as Interface).encodeFunctionData(method, args);
        await token.arm(escrowAddress, data);
        await expect(escrow.connect(buyer).payDeposit(id), method)
          .to.emit(token, "ReentryAttempted")
          .withArgs(escrowAddress, false, guardError(ctx));
        expect((await escrow.trade(id)).escrowed, method).to.equal(depositOf(terms));
      }
    });

    it("pays a re-entering native-coin seller exactly once", async function () {
      const ctx = await useEscrow();
      const { escrow, stranger } = ctx;
      const receiver = (await ethers.deployContract(
        "ReentrantReceiver",
      )) as unknown as ReentrantReceiver;
      const receiverAddress = await receiver.getAddress();
      const escrowAddress = await escrow.getAddress();
      const { id, terms } = await shipFromContractSeller(ctx, receiver, stranger);
      await deliver(ctx, id, terms);
      const payout = terms.price - feeOf(terms.price);
      const withdrawCall = escrow.interface.encodeFunctionData("withdraw", [ethers.ZeroAddress]);
      await receiver.arm(escrowAddress, withdrawCall);

      const tx = callEscrowAs(ctx, receiver, stranger, "withdraw", [ethers.ZeroAddress]);
      await expect(tx).to.changeEtherBalances(ethers, [receiver, escrow], [payout, -payout]);
      await expect(tx)
        .to.emit(escrow, "Withdrawn")
        .withArgs(receiverAddress, ethers.ZeroAddress, payout);
      await expect(tx)
        .to.emit(receiver, "ReentryAttempted")
        .withArgs(escrowAddress, false, guardError(ctx));
      expect(await receiver.lastReentrySucceeded()).to.equal(false);
      expect(escrowErrorName(escrow, await receiver.lastReentryReturndata())).to.equal(
        "ReentrancyGuardReentrantCall",
      );
      const withdrawn = await escrow.queryFilter(escrow.filters.Withdrawn(receiverAddress));
      expect(withdrawn).to.have.length(1);
      expect(await escrow.withdrawable(receiverAddress, ethers.ZeroAddress)).to.equal(0n);
    });
  });

  describe("postOperatorBond", function () {
    it("adds native coin to the operator's bond", async function () {
      const ctx = await useEscrow();
      const { escrow, operator } = ctx;
      const amount = ethers.parseEther("0.25");

      const tx = escrow.connect(operator).postOperatorBond(amount, { value: amount });
      await expect(tx)
        .to.emit(escrow, "OperatorBondChanged")
        .withArgs(operator.address, amount, OPERATOR_BOND + amount);
      await expect(tx).to.changeEtherBalances(ethers, [operator, escrow], [-amount, amount]);
      const [bond, required, openTrades] = await escrow.operatorBond(operator.address);
      expect([bond, required, openTrades]).to.deep.equal([
        OPERATOR_BOND + amount,
        OPERATOR_BOND,
        0n,
      ]);
    });

    it("lets an account bond itself before it is accredited", async function () {
      const ctx = await useEscrow();
      const { escrow, stranger } = ctx;
      await expect(escrow.connect(stranger).postOperatorBond(5n, { value: 5n }))
        .to.emit(escrow, "OperatorBondChanged")
        .withArgs(stranger.address, 5n, 5n);
      expect((await escrow.operatorBond(stranger.address)).bond).to.equal(5n);
    });

    it("refuses a zero amount", async function () {
      const ctx = await useEscrow();
      const { escrow, operator } = ctx;
      await expect(escrow.connect(operator).postOperatorBond(0n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
        .withArgs(0n);
    });

    it("refuses a value other than the amount", async function () {
      const ctx = await useEscrow();
      const { escrow, operator } = ctx;
      for (const sent of [0n, 9n, 11n]) {
        await expect(escrow.connect(operator).postOperatorBond(10n, { value: sent }))
          .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
          .withArgs(10n, sent);
      }
      expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND);
    });

    it("refuses a bond that would not fit in 96 bits", async function () {
      const ctx = await useEscrow();
      const { escrow, operator } = ctx;
      const tooMuch = MAX_UINT96 - OPERATOR_BOND + 1n;
      await expect(escrow.connect(operator).postOperatorBond(tooMuch))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
        .withArgs(tooMuch);
    });
  });

  describe("withdrawOperatorBond", function () {
    it("refuses to go below the requirement while the operator has an open trade", async function () {
      const ctx = await useEscrow();
      const { escrow, operator } = ctx;
      await openTrade(ctx, await buildTerms(ctx));

      await expect(escrow.connect(operator).withdrawOperatorBond(1n))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorBondLocked")
        .withArgs(operator.address, 1n);
      await openTrade(ctx, await buildTerms(ctx));
      await expect(escrow.connect(operator).withdrawOperatorBond(OPERATOR_BOND))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorBondLocked")
        .withArgs(operator.address, 2n);
      expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND);
    });

    it("lets the operator take back the part above its requirement at any time", async function () {
      const ctx = await useEscrow();
      const { escrow, operator } = ctx;
      await openTrade(ctx, await buildTerms(ctx));
      const extra = ethers.parseEther("0.5");
      await escrow.connect(operator).postOperatorBond(extra, { value: extra });

      const tx = escrow.connect(operator).withdrawOperatorBond(extra);
      await expect(tx)
        .to.emit(escrow, "OperatorBondChanged")
        .withArgs(operator.address, -extra, OPERATOR_BOND);
      await expect(tx).to.changeEtherBalances(ethers, [operator, escrow], [extra, -extra]);
      await expect(escrow.connect(operator).withdrawOperatorBond(1n))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorBondLocked")
        .withArgs(operator.address, 1n);
    });

    it("lets the operator take back the whole bond once its trades have closed", async function () {
      const ctx = await useEscrow();
      const { escrow, operator, buyer } = ctx;
      const terms = await buildTerms(ctx);
      await completeTrade(ctx, terms);
      const cancelled = await openAndDeposit(ctx, terms);
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(1n);
      await time.increaseTo((await escrow.stageDeadline(cancelled)) + 1n);
      await escrow.connect(buyer).cancelForMissedStart(cancelled);
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(0n);

      const tx = escrow.connect(operator).withdrawOperatorBond(OPERATOR_BOND);
      await expect(tx)
        .to.emit(escrow, "OperatorBondChanged")
        .withArgs(operator.address, -OPERATOR_BOND, 0n);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [operator, escrow],
        [OPERATOR_BOND, -OPERATOR_BOND],
      );
      expect((await escrow.operatorBond(operator.address)).bond).to.equal(0n);
    });

    it("refuses a zero amount or more than the bond", async function () {
      const ctx = await useEscrow();
      const { escrow, operator, stranger } = ctx;
      for (const amount of [0n, OPERATOR_BOND + 1n]) {
        await expect(escrow.connect(operator).withdrawOperatorBond(amount))
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
          .withArgs(amount);
      }
      await expect(escrow.connect(stranger).withdrawOperatorBond(1n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
        .withArgs(1n);
    });

    it("keeps an operator whose bond fell below its requirement off new trades", async function () {
      const ctx = await useEscrow();
      const { escrow, operator, relayer } = ctx;
      await escrow.connect(operator).withdrawOperatorBond(OPERATOR_BOND / 2n);
      const terms = await buildTerms(ctx);

      await expect(escrow.connect(relayer).openTrade(terms, NO_SIGNATURE, NO_SIGNATURE))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorBondTooLow")
        .withArgs(operator.address, OPERATOR_BOND / 2n, OPERATOR_BOND);
    });
  });
});
