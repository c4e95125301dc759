// Length: every admin lever, and that none of them moves escrowed money.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import {
  AttestationKind,
  CancelReason,
  FEE_BPS,
  NO_SIGNATURE,
  OPERATOR_BOND,
  TradeState,
  USD,
  buildAttestation,
  buildTerms,
  cid,
  deliver,
  depositOf,
  deployEscrow,
  expectFundsConserved,
  feeCapBps,
  nextNonce,
  openAndShip,
  openTrade,
  signAmendment,
  signAttestation,
  signOpen,
  useEscrow,
} from "./fixtures/escrow";
import type { EscrowContext, Terms } from "./fixtures/escrow";
import { escrowBalance } from "./fixtures/attackers";

const MAX_UINT96 = 2n ** 96n - 1n;
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

function feeOf(amount: bigint, feeBps = FEE_BPS): bigint {
  return (amount * BigInt(feeBps)) / 10_000n;
}

/** Opens a trade, pays deposit and balance, posts the bond and starts fulfilment. */
async function fundedTrade(ctx: EscrowContext, terms: Terms): Promise<bigint> {
  const { escrow, buyer, seller } = ctx;
  const id = await openTrade(ctx, terms);
  await escrow.connect(buyer).payDeposit(id);
  if (terms.sellerBond > 0n) await escrow.connect(seller).postSellerBond(id);
  await escrow.connect(seller).startFulfilment(id);
  await escrow.connect(buyer).payBalance(id);
  return id;
}

/** Every admin lever at once: the fee to the cap, a new treasury, pause, the operator revoked and unbondable. */
async function pullEveryAdminLever(ctx: EscrowContext): Promise<void> {
  const { escrow, admin, stranger, operator, operatorRole } = ctx;
  await escrow.connect(admin).setFee(feeCapBps);
  await escrow.connect(admin).setTreasury(stranger.address);
  await escrow.connect(admin).pause();
  await escrow.connect(admin).revokeRole(operatorRole, operator.address);
  await escrow.connect(admin).setOperatorBondRequirement(operator.address, MAX_UINT96);
}

describe("TradeEscrow: administration", function () {
  describe("constructor", function () {
    it("deploys with the fee, cap, treasury, bond token and admin it was given", async function () {
      const ctx = await useEscrow();
      const { admin, treasury, usd } = ctx;
      const usdAddress = await usd.getAddress();
      const other = await deployEscrow(admin.address, treasury.address, 250, 1_000, usdAddress);

      await expect(other.deploymentTransaction()).to.emit(other, "FeeSet").withArgs(250);
      await expect(other.deploymentTransaction())
        .to.emit(other, "TreasurySet")
        .withArgs(treasury.address);
      expect(await other.feeBps()).to.equal(250);
      expect(await other.feeCapBps()).to.equal(1_000);
      expect(await other.treasury()).to.equal(treasury.address);
      expect(await other.bondToken()).to.equal(usdAddress);
      expect(await other.tradeCount()).to.equal(0n);
      expect(await other.paused()).to.equal(false);
      expect(await other.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      const receipts = await ethers.getContractAt("WarehouseReceipt", await other.receipts());
      expect(await receipts.escrow()).to.equal(await other.getAddress());
    });

    it("holds operator bonds in the ERC-20 bond token it was given", async function () {
      const ctx = await useEscrow();
      const { admin, treasury, usd, operator } = ctx;
      const other = await deployEscrow(
        admin.address,
        treasury.address,
        FEE_BPS,
        feeCapBps,
        await usd.getAddress(),
      );
      const otherAddress = await other.getAddress();
      await usd.mint(operator.address, USD(1_000));
      await usd.connect(operator).approve(otherAddress, USD(1_000));

      await expect(other.connect(operator).postOperatorBond(USD(1_000), { value: 1n }))
        .to.be.revertedWithCustomError(other, "EscrowWrongValue")
        .withArgs(0n, 1n);
      const post = other.connect(operator).postOperatorBond(USD(1_000));
      await expect(post)
        .to.emit(other, "OperatorBondChanged")
        .withArgs(operator.address, USD(1_000), USD(1_000));
      await expect(post).to.changeTokenBalances(
        ethers,
        usd,
        [operator, other],
        [-USD(1_000), USD(1_000)],
      );
      await expect(other.connect(operator).withdrawOperatorBond(USD(400))).to.changeTokenBalances(
        ethers,
        usd,
        [operator, other],
        [USD(400), -USD(400)],
      );
      expect((await other.operatorBond(operator.address)).bond).to.equal(USD(600));
      await expectFundsConserved(other);
    });

    it("refuses a zero admin or a zero treasury", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, treasury } = ctx;
      await expect(
        deployEscrow(ethers.ZeroAddress, treasury.address, FEE_BPS, feeCapBps, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(escrow, "EscrowZeroAddress");
      await expect(
        deployEscrow(admin.address, ethers.ZeroAddress, FEE_BPS, feeCapBps, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(escrow, "EscrowZeroAddress");
    });

    it("refuses a fee cap above 10%", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, treasury } = ctx;
      await expect(deployEscrow(admin.address, treasury.address, 0, 1_001, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(escrow, "EscrowFeeAboveCap")
        .withArgs(1_001, 1_000);
      const atCap = await deployEscrow(
        admin.address,
        treasury.address,
        1_000,
        1_000,
        ethers.ZeroAddress,
      );
      expect(await atCap.feeCapBps()).to.equal(1_000);
      expect(await atCap.feeBps()).to.equal(1_000);
    });

    it("refuses an initial fee above the cap", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, treasury } = ctx;
      await expect(deployEscrow(admin.address, treasury.address, 301, 300, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(escrow, "EscrowFeeAboveCap")
        .withArgs(301, 300);
    });
  });

  describe("setFee", function () {
    it("sets the fee for new trades, up to the cap", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, buyer, seller, relayer } = ctx;
      await expect(escrow.connect(admin).setFee(feeCapBps))
        .to.emit(escrow, "FeeSet")
        .withArgs(feeCapBps);
      expect(await escrow.feeBps()).to.equal(feeCapBps);

      const oldFee = await buildTerms(ctx);
      await expect(escrow.connect(buyer).proposeTrade(oldFee))
        .to.be.revertedWithCustomError(escrow, "EscrowFeeMismatch")
        .withArgs(FEE_BPS, feeCapBps);
      const newFee = await buildTerms(ctx, { feeBps: feeCapBps });
      await expect(
        escrow
          .connect(relayer)
          .openTrade(
            newFee,
            await signOpen(ctx, buyer, newFee, nextNonce()),
            await signOpen(ctx, seller, newFee, nextNonce()),
          ),
      ).to.emit(escrow, "TradeOpened");
    });

    it("refuses a fee above the cap", async function () {
      const ctx = await useEscrow();
      const { escrow, admin } = ctx;
      await expect(escrow.connect(admin).setFee(feeCapBps + 1))
        .to.be.revertedWithCustomError(escrow, "EscrowFeeAboveCap")
        .withArgs(feeCapBps + 1, feeCapBps);
      expect(await escrow.feeBps()).to.equal(FEE_BPS);
    });

    it("refuses anyone but the admin", async function () {
      const ctx = await useEscrow();
      const { escrow, stranger, operator } = ctx;
      for (const caller of [stranger, operator]) {
        await expect(escrow.connect(caller).setFee(0))
          .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await escrow.feeBps()).to.equal(FEE_BPS);
    });

    it("leaves the fee of trades already opened as their terms fixed it", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, usd, treasury } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openAndShip(ctx, terms);
      await escrow.connect(admin).setFee(feeCapBps);

      const fee = feeOf(terms.price);
      const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer);
      await expect(escrow.connect(ctx.operator).attest(attestation, "0x"))
        .to.emit(escrow, "FundsReleased")
        .withArgs(id, terms.price - fee, fee);
      expect(await escrow.withdrawable(treasury.address, await usd.getAddress())).to.equal(fee);
    });
  });

  describe("setTreasury", function () {
    it("credits future fees to the new treasury and leaves credited fees with the old one", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, usd, treasury, stranger } = ctx;
      const usdAddress = await usd.getAddress();
      const first = await buildTerms(ctx);
      const id1 = await openAndShip(ctx, first);
      await deliver(ctx, id1, first);
      const fee1 = feeOf(first.price);

      await expect(escrow.connect(admin).setTreasury(stranger.address))
        .to.emit(escrow, "TreasurySet")
        .withArgs(stranger.address);
      expect(await escrow.treasury()).to.equal(stranger.address);

      const second = await buildTerms(ctx, { price: USD(40_000) });
      const id2 = await openAndShip(ctx, second);
      const fee2 = feeOf(second.price);
      const attestation = await buildAttestation(id2, AttestationKind.ReceiptAndTitleTransfer);
      await expect(escrow.connect(ctx.operator).attest(attestation, "0x"))
        .to.emit(escrow, "Credited")
        .withArgs(stranger.address, usdAddress, id2, fee2);
      expect(await escrow.withdrawable(treasury.address, usdAddress)).to.equal(fee1);
      expect(await escrow.withdrawable(stranger.address, usdAddress)).to.equal(fee2);

      await expect(escrow.connect(treasury).withdraw(usdAddress)).to.changeTokenBalance(
        ethers,
        usd,
        treasury,
        fee1,
      );
      await expect(escrow.connect(stranger).withdraw(usdAddress)).to.changeTokenBalance(
        ethers,
        usd,
        stranger,
        fee2,
      );
    });

    it("refuses the zero address", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, treasury } = ctx;
      await expect(
        escrow.connect(admin).setTreasury(ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(escrow, "EscrowZeroAddress");
      expect(await escrow.treasury()).to.equal(treasury.address);
    });

    it("refuses anyone but the admin", async function () {
      const ctx = await useEscrow();
      const { escrow, treasury, stranger } = ctx;
      for (const caller of [treasury, stranger]) {
        await expect(escrow.connect(caller).setTreasury(caller.address))
          .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await escrow.treasury()).to.equal(treasury.address);
    });
  });

  describe("setOperatorBondRequirement", function () {
    it("sets the bond an operator must hold, up to 2**96 - 1", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, operator } = ctx;
      for (const amount of [0n, ethers.parseEther("7"), MAX_UINT96]) {
        await expect(escrow.connect(admin).setOperatorBondRequirement(operator.address, amount))
          .to.emit(escrow, "OperatorBondRequirementSet")
          .withArgs(operator.address, amount);
        expect((await escrow.operatorBond(operator.address)).required).to.equal(amount);
      }
    });

    it("refuses a requirement that does not fit in 96 bits", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, operator } = ctx;
      await expect(
        escrow.connect(admin).setOperatorBondRequirement(operator.address, MAX_UINT96 + 1n),
      )
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
        .withArgs(MAX_UINT96 + 1n);
      expect((await escrow.operatorBond(operator.address)).required).to.equal(OPERATOR_BOND);
    });

    it("refuses anyone but the admin", async function () {
      const ctx = await useEscrow();
      const { escrow, operator } = ctx;
      await expect(escrow.connect(operator).setOperatorBondRequirement(operator.address, 0n))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, DEFAULT_ADMIN_ROLE);
    });

    it("keeps an under-bonded operator off new trades but not off its open ones", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, operator, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openAndShip(ctx, terms);
      const required = OPERATOR_BOND * 2n;
      await escrow.connect(admin).setOperatorBondRequirement(operator.address, required);

      await expect(escrow.connect(relayer).openTrade(terms, NO_SIGNATURE, NO_SIGNATURE))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorBondTooLow")
        .withArgs(operator.address, OPERATOR_BOND, required);
      await deliver(ctx, id, terms);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
    });
  });

  describe("pause and unpause", function () {
    it("refuses anyone but the admin", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, stranger } = ctx;
      await expect(escrow.connect(stranger).pause())
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
      await escrow.connect(admin).pause();
      await expect(escrow.connect(stranger).unpause())
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
      expect(await escrow.paused()).to.equal(true);
    });

    it("refuses to pause twice or to unpause what is not paused", async function () {
      const ctx = await useEscrow();
      const { escrow, admin } = ctx;
      await expect(escrow.connect(admin).unpause()).to.be.revertedWithCustomError(
        escrow,
        "ExpectedPause",
      );
      await escrow.connect(admin).pause();
      await expect(escrow.connect(admin).pause()).to.be.revertedWithCustomError(
        escrow,
        "EnforcedPause",
      );
    });

    it("lets trades in progress run to completion while paused", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, usd, buyer, seller } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx, { sellerBond: USD(1_000) });
      const id = await openTrade(ctx, terms);
      await escrow.connect(admin).pause();

      await escrow.connect(buyer).payDeposit(id);
      await escrow.connect(seller).postSellerBond(id);
      await escrow.connect(seller).startFulfilment(id);
      await escrow.connect(buyer).payBalance(id);
      await escrow.connect(seller).markShipped(id, cid("bill"));
      await deliver(ctx, id, terms);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
      const payout = terms.price - feeOf(terms.price) + terms.sellerBond;
      await expect(escrow.connect(seller).withdraw(usdAddress)).to.changeTokenBalance(
        ethers,
        usd,
        seller,
        payout,
      );
    });
  });

  describe("OPERATOR_ROLE", function () {
    it("is granted and revoked by the admin only", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, stranger, operator, operatorRole } = ctx;
      await expect(escrow.connect(admin).grantRole(operatorRole, stranger.address))
        .to.emit(escrow, "RoleGranted")
        .withArgs(operatorRole, stranger.address, admin.address);
      expect(await escrow.hasRole(operatorRole, stranger.address)).to.equal(true);

      await expect(escrow.connect(operator).grantRole(operatorRole, operator.address))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, DEFAULT_ADMIN_ROLE);
      await expect(escrow.connect(operator).revokeRole(operatorRole, stranger.address))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, DEFAULT_ADMIN_ROLE);

      await expect(escrow.connect(admin).revokeRole(operatorRole, stranger.address))
        .to.emit(escrow, "RoleRevoked")
        .withArgs(operatorRole, stranger.address, admin.address);
      expect(await escrow.hasRole(operatorRole, stranger.address)).to.equal(false);
    });

    it("lets a newly accredited operator be designated", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, stranger, operatorRole } = ctx;
      const terms = await buildTerms(ctx, { operator: stranger.address });
      await expect(escrow.connect(ctx.buyer).proposeTrade(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
        .withArgs(stranger.address);
      await escrow.connect(admin).grantRole(operatorRole, stranger.address);
      await expect(escrow.connect(ctx.buyer).proposeTrade(terms)).to.emit(escrow, "TradeProposed");
    });

    it("stops a revoked operator from attesting on its open trades, directly or by signature", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, operator, relayer, operatorRole } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openAndShip(ctx, terms);
      await escrow.connect(admin).revokeRole(operatorRole, operator.address);
      const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer, {
        nonce: nextNonce(),
      });
      const signature = await signAttestation(ctx, operator, attestation);

      await expect(escrow.connect(operator).attest(attestation, "0x"))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
        .withArgs(operator.address);
      await expect(escrow.connect(relayer).attest(attestation, signature))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
        .withArgs(operator.address);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);

      await escrow.connect(admin).grantRole(operatorRole, operator.address);
      await expect(escrow.connect(relayer).attest(attestation, signature)).to.emit(
        escrow,
        "TitleTransferred",
      );
      expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
    });
  });

  describe("no admin path to escrowed money", function () {
    it("leaves a funded trade untouched by every admin action; the buyer still cancels and is paid", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, usd, buyer, seller, stranger } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx, { sellerBond: USD(2_000) });
      const id = await fundedTrade(ctx, terms);
      const before = await escrow.trade(id);
      const termsBefore = await escrow.termsOf(id);
      const balanceBefore = await escrowBalance(ctx, usdAddress);
      expect(before.escrowed).to.equal(terms.price);
      expect(balanceBefore).to.equal(terms.price + terms.sellerBond);

      await pullEveryAdminLever(ctx);
      const after = await escrow.trade(id);
      expect(after.escrowed).to.equal(before.escrowed);
      expect(after.sellerBond).to.equal(before.sellerBond);
      expect(after.state).to.equal(TradeState.InFulfilment);
      expect(await escrow.termsOf(id)).to.deep.equal(termsBefore);
      expect(await escrowBalance(ctx, usdAddress)).to.equal(balanceBefore);
      for (const account of [admin, stranger]) {
        expect(await escrow.withdrawable(account.address, usdAddress)).to.equal(0n);
        await expect(escrow.connect(account).withdraw(usdAddress))
          .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
          .withArgs(account.address, usdAddress);
      }

      // Nothing ships by the latest delivery time: the buyer, fully paid up, cancels while paused.
      await time.increaseTo(terms.latestDelivery + 1n);
      await expect(escrow.connect(buyer).cancelUnshipped(id))
        .to.emit(escrow, "TradeCancelled")
        .withArgs(id, CancelReason.NotShipped, terms.price, terms.sellerBond, 0n);
      // The seller defaulted, so its performance bond compensates the buyer.
      await expect(escrow.connect(buyer).withdraw(usdAddress)).to.changeTokenBalance(
        ethers,
        usd,
        buyer,
        terms.price + terms.sellerBond,
      );
      await expect(escrow.connect(seller).withdraw(usdAddress))
        .to.be.revertedWithCustomError(escrow, "EscrowNothingToWithdraw")
        .withArgs(seller.address, usdAddress);
      expect(await escrowBalance(ctx, usdAddress)).to.equal(0n);
    });

    it("leaves a funded trade untouched by every admin action; the parties complete it with another operator", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, buyer, seller, stranger, operator2 } = ctx;
      const usdAddress = await usd.getAddress();
      const terms = await buildTerms(ctx, { sellerBond: USD(2_000) });
      const id = await fundedTrade(ctx, terms);
      const balanceBefore = await escrowBalance(ctx, usdAddress);

      await pullEveryAdminLever(ctx);
      expect((await escrow.trade(id)).escrowed).to.equal(terms.price);
      expect(await escrowBalance(ctx, usdAddress)).to.equal(balanceBefore);

      // Both parties sign a new operator in; the fee stays the one their terms fixed.
      const amended = { ...terms, operator: operator2.address };
      const sellerSig = await signAmendment(ctx, seller, id, 1, amended, nextNonce());
      await escrow.connect(buyer).amend(id, amended, NO_SIGNATURE, sellerSig);
      await escrow.connect(seller).markShipped(id, cid("bill"));
      const attestation = await buildAttestation(id, AttestationKind.ReceiptAndTitleTransfer);
      const fee = feeOf(terms.price);
      await expect(escrow.connect(operator2).attest(attestation, "0x"))
        .to.emit(escrow, "FundsReleased")
        .withArgs(id, terms.price - fee, fee);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);

      await expect(escrow.connect(seller).withdraw(usdAddress)).to.changeTokenBalance(
        ethers,
        usd,
        seller,
        terms.price - fee + terms.sellerBond,
      );
      // The fee goes where the admin now points fees: that is all the admin can direct.
      await expect(escrow.connect(stranger).withdraw(usdAddress)).to.changeTokenBalance(
        ethers,
        usd,
        stranger,
        fee,
      );
      expect(await escrowBalance(ctx, usdAddress)).to.equal(0n);
    });

    it("leaves native-coin escrow and operator bonds untouched by every admin action", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, operator } = ctx;
      const terms = await buildTerms(ctx, {
        token: ethers.ZeroAddress,
        price: ethers.parseEther("4"),
      });
      const id = await openTrade(ctx, terms);
      await escrow.connect(buyer).payDeposit(id, { value: depositOf(terms) });
      const balanceBefore = await escrowBalance(ctx, ethers.ZeroAddress);
      expect(balanceBefore).to.equal(depositOf(terms) + 2n * OPERATOR_BOND);

      await pullEveryAdminLever(ctx);
      expect(await escrowBalance(ctx, ethers.ZeroAddress)).to.equal(balanceBefore);
      expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND);
      expect((await escrow.trade(id)).escrowed).to.equal(depositOf(terms));

      await time.increaseTo((await escrow.stageDeadline(id)) + 1n);
      await escrow.connect(buyer).cancelForMissedStart(id);
      await expect(escrow.connect(buyer).withdraw(ethers.ZeroAddress)).to.changeEtherBalance(
        ethers,
        buyer,
        depositOf(terms),
      );
      // With no open trade left the operator takes its whole bond back, whatever the requirement.
      await expect(
        escrow.connect(operator).withdrawOperatorBond(OPERATOR_BOND),
      ).to.changeEtherBalance(ethers, operator, OPERATOR_BOND);
    });
  });

  describe("WarehouseReceipt", function () {
    it("belongs to the escrow that deployed it", async function () {
      const ctx = await useEscrow();
      const { escrow, receipts } = ctx;
      expect(await receipts.escrow()).to.equal(await escrow.getAddress());
      expect(await escrow.receipts()).to.equal(await receipts.getAddress());
      expect(await receipts.name()).to.equal("Trade Escrow Warehouse Receipt");
      expect(await receipts.symbol()).to.equal("TEWR");
    });

    it("refuses to mint for anyone but the escrow", async function () {
      const ctx = await useEscrow();
      const { receipts, admin, operator, buyer } = ctx;
      for (const caller of [admin, operator, buyer]) {
        await expect(receipts.connect(caller).mint(caller.address, 1n << 16n))
          .to.be.revertedWithCustomError(receipts, "ReceiptUnauthorizedMinter")
          .withArgs(caller.address);
      }
      expect(await receipts.balanceOf(buyer.address)).to.equal(0n);
    });

    it("numbers receipts tradeId << 16 | lot", async function () {
      const ctx = await useEscrow();
      const { receipts } = ctx;
      for (const [tradeId, lot] of [
        [1n, 1],
        [1n, 65_535],
        [2n, 1],
        [123_456n, 7],
        [2n ** 64n - 1n, 300],
      ] as const) {
        expect(await receipts.receiptId(tradeId, lot)).to.equal((tradeId << 16n) | BigInt(lot));
      }
    });

    it("issues the buyer the receipt with that number when title passes", async function () {
      const ctx = await useEscrow();
      const { receipts, buyer, stranger } = ctx;
      await openTrade(ctx, await buildTerms(ctx));
      const terms = await buildTerms(ctx);
      const id = await openAndShip(ctx, terms);
      await deliver(ctx, id, terms);
      const receiptId = await receipts.receiptId(id, 1);
      expect(receiptId).to.equal((2n << 16n) | 1n);
      expect(await receipts.ownerOf(receiptId)).to.equal(buyer.address);

      // The receipt is the title document: it transfers like any ERC-721.
      await receipts.connect(buyer).transferFrom(buyer.address, stranger.address, receiptId);
      expect(await receipts.ownerOf(receiptId)).to.equal(stranger.address);
    });
  });
});
