// Length: every way to open a trade (both signatures, proposal and acceptance) and every refusal of
// the terms.
import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { TypedDataDomain } from "ethers";
import {
  buildTerms,
  CancelReason,
  cid,
  DAY,
  deployEscrow,
  depositOf,
  EIP712_TYPES,
  expectTermsInForce,
  FEE_BPS,
  feeCapBps,
  hashTerms,
  nextNonce,
  NO_SIGNATURE,
  openTrade,
  OPERATOR_BOND,
  ScheduleTerm,
  signOpen,
  TradeState,
  USD,
  useEscrow,
} from "./fixtures/escrow";
import type { EscrowContext, PartySignature, Terms } from "./fixtures/escrow";
import { callEscrowAs, deployWallet, termsTuple, timestampOf } from "./fixtures/attackers";

const MAX_UINT96 = 2n ** 96n - 1n;
const ERC1271_MAGIC = "0x1626ba7e";
const ERC1271_INVALID = "0xffffffff";
const OPEN_TRADE_TYPES = {
  Terms: [...EIP712_TYPES.Terms],
  OpenTrade: [...EIP712_TYPES.OpenTrade],
};

/** A signer the fixture does not use (index 8 and up). */
async function spareSigner(index = 8): Promise<HardhatEthersSigner> {
  const signer = (await ethers.getSigners())[index];
  if (signer === undefined) throw new Error(`No signer at index ${index}.`);
  return signer;
}

/** The EIP-712 digest a party's `OpenTrade` consent signs. */
function openDigest(domain: TypedDataDomain, terms: Terms, sig: PartySignature): string {
  return ethers.TypedDataEncoder.hash(domain, OPEN_TRADE_TYPES, {
    terms,
    nonce: sig.nonce,
    deadline: sig.deadline,
  });
}

/** Both parties' signatures over `terms`. */
async function signBoth(ctx: EscrowContext, terms: Terms) {
  return {
    buyerSig: await signOpen(ctx, ctx.buyer, terms, nextNonce()),
    sellerSig: await signOpen(ctx, ctx.seller, terms, nextNonce()),
  };
}

describe("TradeEscrow: opening trades", function () {
  describe("openTrade", function () {
    it("opens a trade from both parties' EIP-712 signatures relayed by a third party", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, operator, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);
      const termsHash = hashTerms(terms);
      const [, , openBefore] = await escrow.operatorBond(operator.address);

      expect(
        await escrow.connect(relayer).openTrade.staticCall(terms, buyerSig, sellerSig),
      ).to.equal(1n);
      const tx = await escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig);
      await expect(tx)
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, buyer.address, seller.address, termsHash, termsTuple(terms));
      await expect(tx)
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(1n, TradeState.None, TradeState.Signed);

      const t = await escrow.trade(1n);
      expect(t.state).to.equal(TradeState.Signed);
      await expectTermsInForce(escrow, 1n, terms);
      expect(t.stageAt).to.equal(await timestampOf(tx));
      expect(t.escrowed).to.equal(0n);
      expect(t.version).to.equal(0n);
      expect(t.proposedBySeller).to.equal(false);
      expect(await escrow.tradeCount()).to.equal(1n);
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(openBefore + 1n);
      expect(await escrow.nonceUsed(buyer.address, buyerSig.nonce)).to.equal(true);
      expect(await escrow.nonceUsed(seller.address, sellerSig.nonce)).to.equal(true);
      expect(await escrow.stageDeadline(1n)).to.equal(
        (await timestampOf(tx)) + BigInt(terms.depositWindow),
      );
    });

    it("opens when the buyer sends the transaction with an empty signature and the seller signs", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce());

      await expect(escrow.connect(buyer).openTrade(terms, NO_SIGNATURE, sellerSig))
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, buyer.address, seller.address, hashTerms(terms), termsTuple(terms));
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Signed);
      // The caller's empty consent spends no nonce; the signature's does.
      expect(await escrow.nonceUsed(buyer.address, 0n)).to.equal(false);
      expect(await escrow.nonceUsed(seller.address, sellerSig.nonce)).to.equal(true);
    });

    it("opens when the seller sends the transaction with an empty signature and the buyer signs", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, operator } = ctx;
      const terms = await buildTerms(ctx);
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce());

      await expect(escrow.connect(seller).openTrade(terms, buyerSig, NO_SIGNATURE))
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, buyer.address, seller.address, hashTerms(terms), termsTuple(terms));
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Signed);
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(1n);
    });

    it("counts every open trade against its operator", async function () {
      const ctx = await useEscrow();
      const { escrow, operator, operator2 } = ctx;
      await openTrade(ctx, await buildTerms(ctx));
      await openTrade(ctx, await buildTerms(ctx, { price: USD(5) }));
      await openTrade(ctx, await buildTerms(ctx, { operator: operator2.address }));

      expect(await escrow.tradeCount()).to.equal(3n);
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(2n);
      expect((await escrow.operatorBond(operator2.address)).openTrades).to.equal(1n);
    });

    it("refuses an empty signature for a party that is not the caller", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);

      await expect(escrow.connect(relayer).openTrade(terms, NO_SIGNATURE, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(buyer.address);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, NO_SIGNATURE))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(seller.address);
      // The buyer's call stands for the buyer only, never for the seller too.
      await expect(escrow.connect(buyer).openTrade(terms, NO_SIGNATURE, NO_SIGNATURE))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(seller.address);
      expect(await escrow.tradeCount()).to.equal(0n);
    });
  });

  describe("openTrade: replayed and invalid signatures", function () {
    it("refuses a signature made for another chain id", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const otherChain: TypedDataDomain = {
        ...ctx.domain,
        chainId: BigInt(ctx.domain.chainId ?? 0) + 1n,
      };
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);
      const foreignBuyer = await signOpen(ctx, buyer, terms, nextNonce(), undefined, otherChain);
      const foreignSeller = await signOpen(ctx, seller, terms, nextNonce(), undefined, otherChain);

      await expect(escrow.connect(relayer).openTrade(terms, foreignBuyer, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(buyer.address);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, foreignSeller))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(seller.address);
      // The refusal spent nothing: the nonces of the failed attempt are still free.
      expect(await escrow.nonceUsed(buyer.address, foreignBuyer.nonce)).to.equal(false);
      expect(await escrow.nonceUsed(buyer.address, buyerSig.nonce)).to.equal(false);
    });

    it("refuses a signature made for another escrow, although that escrow accepts it", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, treasury, buyer, operator, relayer, operatorRole } = ctx;
      const other = await deployEscrow(
        admin.address,
        treasury.address,
        FEE_BPS,
        feeCapBps,
        ethers.ZeroAddress,
      );
      await other.connect(admin).grantRole(operatorRole, operator.address);
      const otherDomain: TypedDataDomain = {
        ...ctx.domain,
        verifyingContract: await other.getAddress(),
      };
      const terms = await buildTerms(ctx);
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce(), undefined, otherDomain);
      const sellerSig = await signOpen(ctx, ctx.seller, terms, nextNonce(), undefined, otherDomain);

      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(buyer.address);
      // The same signatures are genuine where they were meant to be used.
      await expect(other.connect(relayer).openTrade(terms, buyerSig, sellerSig)).to.emit(
        other,
        "TradeOpened",
      );
      expect(await escrow.tradeCount()).to.equal(0n);
    });

    it("refuses a replayed signature: the first trade spent its nonce", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);
      await escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig);

      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
        .withArgs(buyer.address, buyerSig.nonce);
      const freshBuyerSig = await signOpen(ctx, buyer, terms, nextNonce());
      await expect(escrow.connect(relayer).openTrade(terms, freshBuyerSig, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
        .withArgs(seller.address, sellerSig.nonce);
      expect(await escrow.tradeCount()).to.equal(1n);
    });

    it("refuses a signature one second after its deadline", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const deadline = BigInt(await time.latest()) + 1_000n;
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce(), deadline);
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce(), deadline + 10n);

      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowSignatureExpired")
        .withArgs(buyer.address, deadline);
    });

    it("accepts a signature in the block at its deadline", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const deadline = BigInt(await time.latest()) + 1_000n;
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce(), deadline);
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce(), deadline);

      await time.setNextBlockTimestamp(deadline);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig)).to.emit(
        escrow,
        "TradeOpened",
      );
      expect((await escrow.trade(1n)).stageAt).to.equal(deadline);
    });

    it("refuses a signature made with a key other than the party's", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, stranger, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);
      const forged = await signOpen(ctx, stranger, terms, nextNonce());

      await expect(escrow.connect(relayer).openTrade(terms, forged, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(buyer.address);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, forged))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(seller.address);
    });

    it("refuses the buyer's signature presented as the seller's consent", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce());
      const buyerSigAgain = await signOpen(ctx, buyer, terms, nextNonce());

      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, buyerSigAgain))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(seller.address);
    });

    it("refuses a signature over different terms", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const signed = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, signed);

      for (const changed of [
        { ...signed, price: signed.price + 1n },
        { ...signed, manifestCid: cid("another manifest") },
        { ...signed, operator: ctx.operator2.address },
      ]) {
        await expect(escrow.connect(relayer).openTrade(changed, buyerSig, sellerSig))
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
          .withArgs(buyer.address);
      }
      const buyerOnChanged = await signOpen(ctx, buyer, { ...signed, price: 1n }, nextNonce());
      await expect(
        escrow.connect(relayer).openTrade({ ...signed, price: 1n }, buyerOnChanged, sellerSig),
      )
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(seller.address);
      // The genuine terms still open with the same signatures.
      await expect(escrow.connect(relayer).openTrade(signed, buyerSig, sellerSig)).to.emit(
        escrow,
        "TradeOpened",
      );
    });

    it("refuses a malformed signature", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);

      for (const signature of ["0x1234", ethers.hexlify(new Uint8Array(65))]) {
        await expect(
          escrow.connect(relayer).openTrade(terms, { ...buyerSig, signature }, sellerSig),
        )
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
          .withArgs(buyer.address);
      }
    });

    it("refuses a signature whose nonce the signer invalidated", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);

      await expect(escrow.connect(seller).invalidateNonce(sellerSig.nonce))
        .to.emit(escrow, "NonceInvalidated")
        .withArgs(seller.address, sellerSig.nonce);
      expect(await escrow.nonceUsed(seller.address, sellerSig.nonce)).to.equal(true);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
        .withArgs(seller.address, sellerSig.nonce);
      // The buyer's nonce was not spent by the failed attempt.
      expect(await escrow.nonceUsed(buyer.address, buyerSig.nonce)).to.equal(false);
    });
  });

  describe("invalidateNonce", function () {
    it("marks only that nonce of only that signer as used", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const nonce = 2n ** 255n + 257n; // word 2**247 + 1, bit 1

      expect(await escrow.nonceUsed(buyer.address, nonce)).to.equal(false);
      await expect(escrow.connect(buyer).invalidateNonce(nonce))
        .to.emit(escrow, "NonceInvalidated")
        .withArgs(buyer.address, nonce);
      expect(await escrow.nonceUsed(buyer.address, nonce)).to.equal(true);
      for (const other of [nonce - 1n, nonce + 1n, nonce - 256n, nonce + 256n, 1n]) {
        expect(await escrow.nonceUsed(buyer.address, other), `nonce ${other}`).to.equal(false);
      }
      expect(await escrow.nonceUsed(seller.address, nonce)).to.equal(false);
    });

    it("refuses to invalidate a nonce twice", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      await escrow.connect(buyer).invalidateNonce(7n);
      await expect(escrow.connect(buyer).invalidateNonce(7n))
        .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
        .withArgs(buyer.address, 7n);
    });

    it("refuses to invalidate a nonce a signature already spent", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);
      await escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig);

      await expect(escrow.connect(buyer).invalidateNonce(buyerSig.nonce))
        .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
        .withArgs(buyer.address, buyerSig.nonce);
      await expect(escrow.connect(seller).invalidateNonce(sellerSig.nonce))
        .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
        .withArgs(seller.address, sellerSig.nonce);
    });
  });

  describe("openTrade: ERC-1271 contract wallets", function () {
    it("opens with a contract wallet as the buyer when the wallet's owner signed the digest", async function () {
      const ctx = await useEscrow();
      const { escrow, usd, seller, relayer } = ctx;
      const owner = await spareSigner();
      const wallet = await deployWallet("MockERC1271Wallet", owner);
      const walletAddress = await wallet.getAddress();
      const terms = await buildTerms(ctx, { buyer: walletAddress });
      const buyerSig = await signOpen(ctx, owner, terms, nextNonce());
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce());
      expect(
        await wallet.isValidSignature(openDigest(ctx.domain, terms, buyerSig), buyerSig.signature),
      ).to.equal(ERC1271_MAGIC);

      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, walletAddress, seller.address, hashTerms(terms), termsTuple(terms));
      expect(await escrow.nonceUsed(walletAddress, buyerSig.nonce)).to.equal(true);
      expect(await escrow.nonceUsed(owner.address, buyerSig.nonce)).to.equal(false);

      // The wallet is a working buyer: it pays the deposit through its own calls.
      const deposit = depositOf(terms);
      await usd.mint(walletAddress, deposit);
      await wallet
        .connect(owner)
        .execute(
          await usd.getAddress(),
          0n,
          usd.interface.encodeFunctionData("approve", [await escrow.getAddress(), deposit]),
        );
      await expect(callEscrowAs(ctx, wallet, owner, "payDeposit", [1n]))
        .to.emit(escrow, "DepositPaid")
        .withArgs(1n, walletAddress, deposit);
      expect((await escrow.trade(1n)).escrowed).to.equal(deposit);
    });

    it("refuses a contract wallet's consent that its owner did not sign", async function () {
      const ctx = await useEscrow();
      const { escrow, seller, stranger, relayer } = ctx;
      const owner = await spareSigner();
      const wallet = await deployWallet("MockERC1271Wallet", owner);
      const walletAddress = await wallet.getAddress();
      const terms = await buildTerms(ctx, { buyer: walletAddress });
      const forged = await signOpen(ctx, stranger, terms, nextNonce());
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce());
      expect(
        await wallet.isValidSignature(openDigest(ctx.domain, terms, forged), forged.signature),
      ).to.equal(ERC1271_INVALID);

      await expect(escrow.connect(relayer).openTrade(terms, forged, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(walletAddress);
    });

    it("opens with a contract wallet as the seller when it calls through its own execute", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const owner = await spareSigner();
      const wallet = await deployWallet("MockERC1271Wallet", owner);
      const walletAddress = await wallet.getAddress();
      const terms = await buildTerms(ctx, { seller: walletAddress });
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce());

      await expect(callEscrowAs(ctx, wallet, owner, "openTrade", [terms, buyerSig, NO_SIGNATURE]))
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, buyer.address, walletAddress, hashTerms(terms), termsTuple(terms));
    });

    it("lets a lying wallet consent for itself, in a trade where it is the party", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const owner = await spareSigner();
      const liar = await deployWallet("LyingERC1271Wallet", owner);
      const liarAddress = await liar.getAddress();
      const deadline = BigInt(await time.latest()) + BigInt(DAY);
      const anything: PartySignature = { nonce: nextNonce(), deadline, signature: "0x01" };

      const asBuyer = await buildTerms(ctx, { buyer: liarAddress });
      await expect(
        escrow
          .connect(relayer)
          .openTrade(asBuyer, anything, await signOpen(ctx, seller, asBuyer, nextNonce())),
      )
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, liarAddress, seller.address, hashTerms(asBuyer), termsTuple(asBuyer));

      const asSeller = await buildTerms(ctx, { seller: liarAddress });
      await expect(
        escrow
          .connect(relayer)
          .openTrade(asSeller, await signOpen(ctx, buyer, asSeller, nextNonce()), {
            ...anything,
            nonce: nextNonce(),
          }),
      )
        .to.emit(escrow, "TradeOpened")
        .withArgs(2n, buyer.address, liarAddress, hashTerms(asSeller), termsTuple(asSeller));
      // Even a liar's consent spends its nonce, so it cannot be replayed.
      await expect(
        escrow
          .connect(relayer)
          .openTrade(asBuyer, anything, await signOpen(ctx, seller, asBuyer, nextNonce())),
      )
        .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
        .withArgs(liarAddress, anything.nonce);
    });

    it("never lets a lying wallet's approval stand in for another party's signature", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const owner = await spareSigner();
      const liar = await deployWallet("LyingERC1271Wallet", owner);
      const terms = await buildTerms(ctx);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);
      // What the liar "signs" and approves: its owner's real ECDSA signature, and junk.
      const liarSigs = [
        await signOpen(ctx, owner, terms, nextNonce()),
        { ...buyerSig, signature: "0x01" },
      ];

      for (const liarSig of liarSigs) {
        expect(
          await liar.isValidSignature(openDigest(ctx.domain, terms, liarSig), liarSig.signature),
        ).to.equal(ERC1271_MAGIC);
        await expect(escrow.connect(relayer).openTrade(terms, liarSig, sellerSig))
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
          .withArgs(buyer.address);
        await expect(escrow.connect(relayer).openTrade(terms, buyerSig, liarSig))
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
          .withArgs(seller.address);
      }
      // Calling from the liar does not stand for another party either.
      await expect(callEscrowAs(ctx, liar, owner, "openTrade", [terms, NO_SIGNATURE, sellerSig]))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(buyer.address);
      expect(await escrow.tradeCount()).to.equal(0n);
    });
  });

  describe("openTrade and proposeTrade: terms validation", function () {
    type Case = {
      title: string;
      overrides: (ctx: EscrowContext, now: bigint) => Partial<Terms>;
      error: string;
      args: (terms: Terms, ctx: EscrowContext) => unknown[];
      setup?: (ctx: EscrowContext) => Promise<unknown>;
    };
    const cases: Case[] = [
      {
        title: "a buyer who is also the seller",
        overrides: (ctx) => ({ seller: ctx.buyer.address }),
        error: "EscrowInvalidParties",
        args: (t) => [t.buyer, t.seller],
      },
      {
        title: "a zero buyer",
        overrides: () => ({ buyer: ethers.ZeroAddress }),
        error: "EscrowInvalidParties",
        args: (t) => [ethers.ZeroAddress, t.seller],
      },
      {
        title: "a zero seller",
        overrides: () => ({ seller: ethers.ZeroAddress }),
        error: "EscrowInvalidParties",
        args: (t) => [t.buyer, ethers.ZeroAddress],
      },
      {
        title: "a zero price",
        overrides: () => ({ price: 0n }),
        error: "EscrowInvalidAmount",
        args: () => [0n],
      },
      {
        title: "a price above 2**96 - 1",
        overrides: () => ({ price: MAX_UINT96 + 1n }),
        error: "EscrowInvalidAmount",
        args: () => [MAX_UINT96 + 1n],
      },
      {
        title: "a seller bond above 2**96 - 1",
        overrides: () => ({ sellerBond: MAX_UINT96 + 1n }),
        error: "EscrowInvalidAmount",
        args: () => [MAX_UINT96 + 1n],
      },
      {
        title: "a zero quantity",
        overrides: () => ({ quantity: 0n }),
        error: "EscrowInvalidQuantity",
        args: (t) => [0n, t.lots],
      },
      {
        title: "zero lots",
        overrides: () => ({ lots: 0 }),
        error: "EscrowInvalidQuantity",
        args: (t) => [t.quantity, 0],
      },
      {
        title: "more lots than units",
        overrides: () => ({ quantity: 10n, lots: 11 }),
        error: "EscrowInvalidQuantity",
        args: () => [10n, 11],
      },
      {
        title: "a tolerance above 10,000 bps",
        overrides: () => ({ toleranceBps: 10_001 }),
        error: "EscrowInvalidBps",
        args: () => [10_001],
      },
      {
        title: "a zero deposit share in a protected trade",
        overrides: () => ({ depositBps: 0 }),
        error: "EscrowInvalidTermsForMode",
        args: () => [0],
      },
      {
        title: "a deposit share above 10,000 bps",
        overrides: () => ({ depositBps: 10_001 }),
        error: "EscrowInvalidBps",
        args: () => [10_001],
      },
      {
        title: "a fee other than the fee in force",
        overrides: () => ({ feeBps: FEE_BPS + 1 }),
        error: "EscrowFeeMismatch",
        args: () => [FEE_BPS + 1, FEE_BPS],
      },
      {
        title: "a zero fee while a fee is in force",
        overrides: () => ({ feeBps: 0 }),
        error: "EscrowFeeMismatch",
        args: () => [0, FEE_BPS],
      },
      {
        title: "a latest delivery time in the past",
        overrides: (_ctx, now) => ({ latestDelivery: now - 1n }),
        error: "EscrowInvalidSchedule",
        args: (t) => [t.latestDelivery, t.depositWindow, t.fulfilmentDays],
      },
      {
        title: "a latest delivery time equal to the block time",
        overrides: (_ctx, now) => ({ latestDelivery: now + 10n }),
        error: "EscrowInvalidSchedule",
        args: (t) => [t.latestDelivery, t.depositWindow, t.fulfilmentDays],
        setup: async () => time.setNextBlockTimestamp((await time.latest()) + 10),
      },
      {
        title: "a zero deposit window",
        overrides: () => ({ depositWindow: 0 }),
        error: "EscrowMissingDuration",
        args: () => [ScheduleTerm.DepositWindow],
      },
      {
        title: "a payment token that is not a contract",
        overrides: (ctx) => ({ token: ctx.stranger.address }),
        error: "EscrowInvalidToken",
        args: (_t, ctx) => [ctx.stranger.address],
      },
      {
        title: "no manifest of goods and documents",
        overrides: () => ({ manifestCid: "0x" }),
        error: "EscrowMissingManifest",
        args: () => [],
      },
      {
        title: "zero business days to start fulfilment",
        overrides: () => ({ fulfilmentDays: 0 }),
        error: "EscrowMissingDuration",
        args: () => [ScheduleTerm.FulfilmentDays],
      },
      {
        title: "no grace period after the latest delivery for goods paid for",
        overrides: () => ({ deliveryGrace: 0 }),
        error: "EscrowMissingDuration",
        args: () => [ScheduleTerm.DeliveryGrace],
      },
      {
        title: "no ship window for a balance",
        overrides: () => ({ shipWindow: 0 }),
        error: "EscrowMissingDuration",
        args: () => [ScheduleTerm.ShipWindow],
      },
      {
        title: "an operator that is not accredited",
        overrides: (ctx) => ({ operator: ctx.stranger.address }),
        error: "EscrowOperatorNotAccredited",
        args: (_t, ctx) => [ctx.stranger.address],
      },
      {
        title: "the zero address as operator",
        overrides: () => ({ operator: ethers.ZeroAddress }),
        error: "EscrowOperatorNotAccredited",
        args: () => [ethers.ZeroAddress],
      },
      {
        title: "an operator whose bond is below its requirement",
        overrides: () => ({}),
        error: "EscrowOperatorBondTooLow",
        args: (t) => [t.operator, OPERATOR_BOND, OPERATOR_BOND + 1n],
        setup: (ctx) =>
          ctx.escrow
            .connect(ctx.admin)
            .setOperatorBondRequirement(ctx.operator.address, OPERATOR_BOND + 1n),
      },
    ];

    for (const c of cases) {
      it(`refuses ${c.title} with ${c.error}`, async function () {
        const ctx = await useEscrow();
        const { escrow, buyer, seller, relayer } = ctx;
        const now = BigInt(await time.latest());
        const terms = await buildTerms(ctx, c.overrides(ctx, now));
        const { buyerSig, sellerSig } = await signBoth(ctx, terms);

        if (c.setup !== undefined) await c.setup(ctx);
        await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
          .to.be.revertedWithCustomError(escrow, c.error)
          .withArgs(...c.args(terms, ctx));
        if (c.setup !== undefined) await c.setup(ctx);
        await expect(escrow.connect(buyer).proposeTrade(terms))
          .to.be.revertedWithCustomError(escrow, c.error)
          .withArgs(...c.args(terms, ctx));
        if (c.setup !== undefined) await c.setup(ctx);
        await expect(escrow.connect(seller).proposeTrade(terms))
          .to.be.revertedWithCustomError(escrow, c.error)
          .withArgs(...c.args(terms, ctx));
        expect(await escrow.tradeCount()).to.equal(0n);
      });
    }

    it("accepts every term at its limit", async function () {
      const ctx = await useEscrow();
      const { escrow, relayer } = ctx;
      const now = BigInt(await time.latest());
      const terms = await buildTerms(ctx, {
        price: MAX_UINT96,
        sellerBond: MAX_UINT96,
        quantity: 7n,
        lots: 7,
        toleranceBps: 10_000,
        depositBps: 10_000,
        latestDelivery: now + 11n,
        depositWindow: 1,
        fulfilmentDays: 1,
      });
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);

      await time.setNextBlockTimestamp(now + 10n);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, terms.buyer, terms.seller, hashTerms(terms), termsTuple(terms));
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Signed);
    });

    it("accepts an operator that holds exactly its required bond, and one with no requirement", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, operator, operatorRole, stranger } = ctx;
      const [bond, required, openTrades] = await escrow.operatorBond(operator.address);
      expect([bond, required, openTrades]).to.deep.equal([OPERATOR_BOND, OPERATOR_BOND, 0n]);
      await openTrade(ctx, await buildTerms(ctx));
      await escrow.connect(admin).grantRole(operatorRole, stranger.address);
      await openTrade(ctx, await buildTerms(ctx, { operator: stranger.address }));
      expect((await escrow.operatorBond(stranger.address)).openTrades).to.equal(1n);
    });

    it("accepts a fee of zero when the admin set the fee to zero", async function () {
      const ctx = await useEscrow();
      await ctx.escrow.connect(ctx.admin).setFee(0);
      await openTrade(ctx, await buildTerms(ctx, { feeBps: 0 }));
      expect((await ctx.escrow.trade(1n)).state).to.equal(TradeState.Signed);
    });
  });

  describe("pause", function () {
    it("stops openTrade, proposeTrade and acceptTrade until the admin unpauses", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      const { buyerSig, sellerSig } = await signBoth(ctx, terms);

      await expect(escrow.connect(admin).pause()).to.emit(escrow, "Paused").withArgs(admin.address);
      await expect(
        escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig),
      ).to.be.revertedWithCustomError(escrow, "EnforcedPause");
      await expect(escrow.connect(buyer).proposeTrade(terms)).to.be.revertedWithCustomError(
        escrow,
        "EnforcedPause",
      );
      await expect(escrow.connect(seller).acceptTrade(1n, terms)).to.be.revertedWithCustomError(
        escrow,
        "EnforcedPause",
      );
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Proposed);

      await expect(escrow.connect(admin).unpause())
        .to.emit(escrow, "Unpaused")
        .withArgs(admin.address);
      await expect(escrow.connect(seller).acceptTrade(1n, terms))
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(1n, TradeState.Proposed, TradeState.Signed);
      await expect(escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig))
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(2n, TradeState.None, TradeState.Signed);
      await expect(escrow.connect(buyer).proposeTrade(terms))
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(3n, TradeState.None, TradeState.Proposed);
    });

    it("still lets a proposer withdraw a proposal while paused", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, buyer } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await escrow.connect(admin).pause();

      await expect(escrow.connect(buyer).withdrawProposal(1n))
        .to.emit(escrow, "TradeCancelled")
        .withArgs(1n, CancelReason.ProposalWithdrawn, 0n, 0n, 0n);
    });
  });

  describe("proposeTrade", function () {
    it("records the buyer's proposal without opening the trade", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, operator } = ctx;
      const terms = await buildTerms(ctx);
      const termsHash = hashTerms(terms);

      expect(await escrow.connect(buyer).proposeTrade.staticCall(terms)).to.equal(1n);
      const tx = await escrow.connect(buyer).proposeTrade(terms);
      await expect(tx)
        .to.emit(escrow, "TradeProposed")
        .withArgs(1n, buyer.address, termsHash, termsTuple(terms));
      await expect(tx)
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(1n, TradeState.None, TradeState.Proposed);
      await expect(tx).not.to.emit(escrow, "TradeOpened");

      const t = await escrow.trade(1n);
      expect(t.state).to.equal(TradeState.Proposed);
      await expectTermsInForce(escrow, 1n, terms);
      expect(t.proposedBySeller).to.equal(false);
      expect(t.stageAt).to.equal(await timestampOf(tx));
      expect(await escrow.tradeCount()).to.equal(1n);
      // A proposal does not tie up the operator until it is accepted.
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(0n);
    });

    it("records the seller's proposal with the direction flag set", async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const terms = await buildTerms(ctx);

      await expect(escrow.connect(seller).proposeTrade(terms))
        .to.emit(escrow, "TradeProposed")
        .withArgs(1n, seller.address, hashTerms(terms), termsTuple(terms));
      const t = await escrow.trade(1n);
      expect(t.state).to.equal(TradeState.Proposed);
      expect(t.proposedBySeller).to.equal(true);
    });

    it("refuses a proposal from someone who is not a party", async function () {
      const ctx = await useEscrow();
      const { escrow, stranger, operator } = ctx;
      const terms = await buildTerms(ctx);

      await expect(escrow.connect(stranger).proposeTrade(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowNotAParty")
        .withArgs(stranger.address, terms.buyer, terms.seller);
      await expect(escrow.connect(operator).proposeTrade(terms))
        .to.be.revertedWithCustomError(escrow, "EscrowNotAParty")
        .withArgs(operator.address, terms.buyer, terms.seller);
      expect(await escrow.tradeCount()).to.equal(0n);
    });
  });

  describe("acceptTrade", function () {
    it("opens the trade when the seller accepts the buyer's proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, operator } = ctx;
      const terms = await buildTerms(ctx);
      const termsHash = hashTerms(terms);
      await escrow.connect(buyer).proposeTrade(terms);
      await time.increase(2 * DAY);

      const tx = await escrow.connect(seller).acceptTrade(1n, terms);
      await expect(tx)
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, buyer.address, seller.address, termsHash, termsTuple(terms));
      await expect(tx)
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(1n, TradeState.Proposed, TradeState.Signed);

      const t = await escrow.trade(1n);
      expect(t.state).to.equal(TradeState.Signed);
      await expectTermsInForce(escrow, 1n, terms);
      expect(t.proposedBySeller).to.equal(false);
      // The deposit window runs from the acceptance, not from the proposal.
      const acceptedAt = await timestampOf(tx);
      expect(t.stageAt).to.equal(acceptedAt);
      expect(await escrow.stageDeadline(1n)).to.equal(acceptedAt + BigInt(terms.depositWindow));
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(1n);
      expect(await escrow.tradeCount()).to.equal(1n);
    });

    it("opens the trade when the buyer accepts the seller's proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, operator } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(seller).proposeTrade(terms);

      await expect(escrow.connect(buyer).acceptTrade(1n, terms))
        .to.emit(escrow, "TradeOpened")
        .withArgs(1n, buyer.address, seller.address, hashTerms(terms), termsTuple(terms));
      const t = await escrow.trade(1n);
      expect(t.state).to.equal(TradeState.Signed);
      expect(t.proposedBySeller).to.equal(true);
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(1n);
    });

    it("refuses acceptance by the proposer or by a stranger", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, stranger } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await escrow.connect(seller).proposeTrade(terms);

      for (const [id, caller] of [
        [1n, buyer],
        [1n, stranger],
        [2n, seller],
        [2n, stranger],
      ] as const) {
        await expect(escrow.connect(caller).acceptTrade(id, terms))
          .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
          .withArgs(id, caller.address);
      }
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Proposed);
      expect((await escrow.trade(2n)).state).to.equal(TradeState.Proposed);
    });

    it("refuses terms other than the proposed ones", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      const other = { ...terms, price: terms.price - 1n };

      await expect(escrow.connect(seller).acceptTrade(1n, other))
        .to.be.revertedWithCustomError(escrow, "EscrowTermsMismatch")
        .withArgs(1n, hashTerms(terms), hashTerms(other));
    });

    it("refuses an unknown trade id", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);

      for (const id of [0n, 2n, 2n ** 64n]) {
        await expect(escrow.connect(seller).acceptTrade(id, terms))
          .to.be.revertedWithCustomError(escrow, "EscrowUnknownTrade")
          .withArgs(id);
      }
    });

    it("refuses when the operator lost its accreditation since the proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, buyer, seller, operator, operatorRole } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await escrow.connect(admin).revokeRole(operatorRole, operator.address);

      await expect(escrow.connect(seller).acceptTrade(1n, terms))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorNotAccredited")
        .withArgs(operator.address);
      await escrow.connect(admin).grantRole(operatorRole, operator.address);
      await expect(escrow.connect(seller).acceptTrade(1n, terms)).to.emit(escrow, "TradeOpened");
    });

    it("refuses when the operator's bond fell below its requirement since the proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, operator } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      // With no open trade the operator may take its bond back, and so is no longer designatable.
      await escrow.connect(operator).withdrawOperatorBond(1n);

      await expect(escrow.connect(seller).acceptTrade(1n, terms))
        .to.be.revertedWithCustomError(escrow, "EscrowOperatorBondTooLow")
        .withArgs(operator.address, OPERATOR_BOND - 1n, OPERATOR_BOND);
    });

    it("refuses when the fee changed since the proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, admin, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await escrow.connect(admin).setFee(FEE_BPS * 2);

      await expect(escrow.connect(seller).acceptTrade(1n, terms))
        .to.be.revertedWithCustomError(escrow, "EscrowFeeMismatch")
        .withArgs(FEE_BPS, FEE_BPS * 2);
    });

    it("refuses when the latest delivery time passed since the proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await time.increaseTo(terms.latestDelivery);

      await expect(escrow.connect(seller).acceptTrade(1n, terms))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSchedule")
        .withArgs(terms.latestDelivery, terms.depositWindow, terms.fulfilmentDays);
    });

    it("refuses a trade that is not a pending proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await escrow.connect(seller).acceptTrade(1n, terms);
      await expect(escrow.connect(seller).acceptTrade(1n, terms))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(1n, TradeState.Signed);

      const opened = await openTrade(ctx, terms);
      await expect(escrow.connect(seller).acceptTrade(opened, terms))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(opened, TradeState.Signed);

      await escrow.connect(buyer).proposeTrade(terms);
      await escrow.connect(buyer).withdrawProposal(3n);
      await expect(escrow.connect(seller).acceptTrade(3n, terms))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(3n, TradeState.Cancelled);
      expect((await escrow.operatorBond(ctx.operator.address)).openTrades).to.equal(2n);
    });
  });

  describe("withdrawProposal", function () {
    it("cancels the buyer's proposal when the buyer withdraws it", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, operator } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);

      const tx = await escrow.connect(buyer).withdrawProposal(1n);
      await expect(tx)
        .to.emit(escrow, "TradeCancelled")
        .withArgs(1n, CancelReason.ProposalWithdrawn, 0n, 0n, 0n);
      await expect(tx)
        .to.emit(escrow, "TradeStateChanged")
        .withArgs(1n, TradeState.Proposed, TradeState.Cancelled);
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Cancelled);
      expect((await escrow.operatorBond(operator.address)).openTrades).to.equal(0n);
    });

    it("cancels the seller's proposal when the seller withdraws it", async function () {
      const ctx = await useEscrow();
      const { escrow, seller } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(seller).proposeTrade(terms);

      await expect(escrow.connect(seller).withdrawProposal(1n))
        .to.emit(escrow, "TradeCancelled")
        .withArgs(1n, CancelReason.ProposalWithdrawn, 0n, 0n, 0n);
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Cancelled);
    });

    it("refuses withdrawal by the counterparty or a stranger", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, stranger } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      await escrow.connect(seller).proposeTrade(terms);

      for (const [id, caller] of [
        [1n, seller],
        [1n, stranger],
        [2n, buyer],
        [2n, stranger],
      ] as const) {
        await expect(escrow.connect(caller).withdrawProposal(id))
          .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
          .withArgs(id, caller.address);
      }
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Proposed);
      expect((await escrow.trade(2n)).state).to.equal(TradeState.Proposed);
    });

    it("refuses to withdraw a trade that is not a pending proposal", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      const opened = await openTrade(ctx, terms);
      await expect(escrow.connect(buyer).withdrawProposal(opened))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(opened, TradeState.Signed);

      await escrow.connect(seller).proposeTrade(terms);
      await escrow.connect(buyer).acceptTrade(2n, terms);
      await expect(escrow.connect(seller).withdrawProposal(2n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(2n, TradeState.Signed);

      await escrow.connect(seller).proposeTrade(terms);
      await escrow.connect(seller).withdrawProposal(3n);
      await expect(escrow.connect(seller).withdrawProposal(3n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(3n, TradeState.Cancelled);
    });

    it("refuses an unknown trade id", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);

      await expect(escrow.connect(buyer).withdrawProposal(2n))
        .to.be.revertedWithCustomError(escrow, "EscrowUnknownTrade")
        .withArgs(2n);
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Proposed);
    });
  });

  // The escrow's TradeTerms.hash, through the test harness (the escrow keeps the terms themselves and no
  // longer offers a hash of them): what TradeOpened, TradeProposed and TradeAmended carry.
  describe("TradeTerms.hash", function () {
    it("is the EIP-712 struct hash of Terms that wallets compute, as TradeOpened carries it", async function () {
      const ctx = await useEscrow();
      const terms = await buildTerms(ctx);
      const harness = await ethers.deployContract("LibraryHarness");
      const offChain = ethers.TypedDataEncoder.hashStruct(
        "Terms",
        { Terms: [...EIP712_TYPES.Terms] },
        terms,
      );
      expect(await harness.hashTerms(terms)).to.equal(offChain);
      const id = await openTrade(ctx, terms);
      const [opened] = await ctx.escrow.queryFilter(ctx.escrow.filters.TradeOpened(id));
      expect(opened?.args.termsHash).to.equal(offChain);
    });

    it("changes with every single term", async function () {
      const ctx = await useEscrow();
      const harness = await ethers.deployContract("LibraryHarness");
      const base = await buildTerms(ctx);
      const baseHash = await harness.hashTerms(base);
      const variants: Partial<Terms>[] = [
        { buyer: ctx.stranger.address },
        { seller: ctx.stranger.address },
        { operator: ctx.operator2.address },
        { token: ethers.ZeroAddress },
        { price: base.price + 1n },
        { quantity: base.quantity + 1n },
        { toleranceBps: base.toleranceBps + 1 },
        { depositBps: base.depositBps + 1 },
        { lots: base.lots + 1 },
        { latestDelivery: base.latestDelivery + 1n },
        { depositWindow: base.depositWindow + 1 },
        { fulfilmentDays: base.fulfilmentDays + 1 },
        { claimWindow: base.claimWindow + 1 },
        { feeBps: base.feeBps + 1 },
        { sellerBond: base.sellerBond + 1n },
        { manifestCid: cid("another manifest") },
        { manifestCid: "0x" },
      ];
      const seen = new Set<string>([baseHash]);
      for (const variant of variants) {
        const terms = { ...base, ...variant };
        const hash = await harness.hashTerms(terms);
        expect(hash, JSON.stringify(Object.keys(variant))).to.equal(
          ethers.TypedDataEncoder.hashStruct("Terms", { Terms: [...EIP712_TYPES.Terms] }, terms),
        );
        seen.add(hash);
      }
      expect(seen.size).to.equal(variants.length + 1);
    });
  });
});
