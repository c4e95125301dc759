import { expect } from "chai";
import { ethers, time } from "./fixtures/hardhat";
import {
  DAY,
  TradeState,
  buildTerms,
  nextNonce,
  openTrade,
  signOpen,
  useEscrow,
} from "./fixtures/escrow";
import {
  ClaimGround,
  ClaimStatus,
  attestArrival,
  buildReport,
  buildRequest,
  choiceFor,
  claimedTrade,
  contest,
  deliverAll,
  fileClaim,
  hearAndFinalize,
  hearRound,
  shipWithWindow,
  useClaims,
} from "./fixtures/claims";
import { amendSigned } from "./fixtures/flows";

// Security cases the SWC registry names that the functional suites do not already cover one by one
// (SECURITY.md maps every SWC entry to its test). Each case also leaves the funds-conservation check
// of the shared fixture to run after it.

/** The order of secp256k1: `s` and `n - s` both verify, which is what OpenZeppelin's ECDSA refuses. */
const SECP256K1_N = BigInt("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");

/** The malleated twin of a 65-byte signature: s' = n - s and the other recovery id. */
function malleate(signature: string): string {
  const sig = ethers.Signature.from(signature);
  const s = SECP256K1_N - BigInt(sig.s);
  const v = sig.v === 27 ? 28 : 27;
  return ethers.concat([sig.r, ethers.toBeHex(s, 32), ethers.toBeHex(v, 1)]);
}

describe("TradeEscrow: security cases from the SWC registry", function () {
  describe("signature malleability (SWC-117)", function () {
    it("refuses the high-s twin of a valid signature and leaves its nonce unspent", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const buyerSig = await signOpen(ctx, buyer, terms, nextNonce());
      const sellerSig = await signOpen(ctx, seller, terms, nextNonce());
      const twin = { ...buyerSig, signature: malleate(buyerSig.signature) };
      expect(twin.signature).to.not.equal(buyerSig.signature);

      await expect(escrow.connect(relayer).openTrade(terms, twin, sellerSig))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(buyer.address);
      expect(await escrow.nonceUsed(buyer.address, buyerSig.nonce)).to.equal(false);
      expect(await escrow.tradeCount()).to.equal(0n);

      // The original still opens the trade, once.
      await escrow.connect(relayer).openTrade(terms, buyerSig, sellerSig);
      expect(await escrow.tradeCount()).to.equal(1n);
      await expect(
        escrow.connect(relayer).openTrade(terms, twin, sellerSig),
      ).to.be.revertedWithCustomError(escrow, "EscrowNonceUsed");
    });
  });

  describe("unexpected native coin (SWC-132)", function () {
    it("refuses native coin sent without a call, so the balance only moves with the accounts", async function () {
      const ctx = await useEscrow();
      const { escrow, stranger } = ctx;
      const address = await escrow.getAddress();
      const before = await ethers.provider.getBalance(address);
      await expect(stranger.sendTransaction({ to: address, value: 1n })).to.be.revert(ethers);
      await expect(
        stranger.sendTransaction({ to: address, value: 1n, data: "0x12345678" }),
      ).to.be.revert(ethers);
      expect(await ethers.provider.getBalance(address)).to.equal(before);
    });

    it("refuses native coin sent with a payment in an ERC-20 trade", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      await expect(escrow.connect(buyer).payDeposit(id, { value: 1n }))
        .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
        .withArgs(0n, 1n);
      expect((await escrow.trade(id)).state).to.equal(TradeState.Signed);
    });
  });

  describe("insufficient gas griefing (SWC-126)", function () {
    it("refuses to finalize a ruling with too little gas left for the escrow, then delivers it", async function () {
      const ctx = await useClaims();
      const { escrow, court } = ctx;
      const { id, terms } = await claimedTrade(ctx);
      const disputeId = await contest(ctx, id, terms);
      await hearRound(ctx, disputeId, [choiceFor(500), choiceFor(500), choiceFor(500)]);
      const d = await court.dispute(disputeId);
      await time.increaseTo(d.appealDeadline + 1n);

      // Enough gas for the court's own bookkeeping, not for the escrow's `rule` after it: a relayer
      // cannot mark the dispute solved while starving the call that executes the ruling.
      await expect(court.finalize(disputeId, { gasLimit: 150_000 })).to.be.revertedWithCustomError(
        court,
        "CourtInsufficientGas",
      );
      expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Contested);

      await court.finalize(disputeId);
      const claim = await escrow.claim(id);
      expect(claim.status).to.equal(ClaimStatus.Ruled);
      expect(claim.ruling).to.equal(choiceFor(500));
    });
  });

  describe("regression: slashing an operator for a false attestation", function () {
    it("slashes only an operator that attested on the trade, not one the parties designated afterwards", async function () {
      const ctx = await useClaims();
      const { escrow, buyer, operator, operator2, stranger } = ctx;
      // The designated operator attests arrival and delivery; then buyer and seller amend the trade to
      // name another accredited operator, which never attested anything on it.
      const { id, terms } = await shipWithWindow(ctx);
      await attestArrival(ctx, id, terms);
      await deliverAll(ctx, id, terms);
      const amended = { ...terms, operator: operator2.address };
      await amendSigned(ctx, id, amended);
      const request = buildRequest({ ground: ClaimGround.FalseAttestation, refundBps: 1_000 });
      await fileClaim(ctx, id, amended, request, await buildReport(ctx, id));
      const disputeId = await contest(ctx, id, amended);
      await hearAndFinalize(ctx, disputeId, [choiceFor(1_000), choiceFor(1_000), choiceFor(1_000)]);
      const bondBefore = (await escrow.operatorBond(operator2.address)).bond;
      expect(bondBefore).to.be.greaterThan(0n);

      await expect(escrow.connect(stranger).executeRuling(id))
        .to.emit(escrow, "ClaimResolved")
        .and.not.to.emit(escrow, "OperatorSlashed");
      expect((await escrow.operatorBond(operator2.address)).bond).to.equal(bondBefore);
      expect((await escrow.operatorBond(operator.address)).bond).to.be.greaterThan(0n);
      expect(await escrow.withdrawable(buyer.address, ethers.ZeroAddress)).to.equal(0n);
    });

    it("still slashes the designated operator when it attested on the trade", async function () {
      const ctx = await useClaims();
      const { escrow, buyer, operator, stranger } = ctx;
      const { id, terms } = await shipWithWindow(ctx);
      await attestArrival(ctx, id, terms);
      await deliverAll(ctx, id, terms);
      const request = buildRequest({ ground: ClaimGround.FalseAttestation, refundBps: 1_000 });
      await fileClaim(ctx, id, terms, request, await buildReport(ctx, id));
      const disputeId = await contest(ctx, id, terms);
      await hearAndFinalize(ctx, disputeId, [choiceFor(1_000), choiceFor(1_000), choiceFor(1_000)]);
      const bond = (await escrow.operatorBond(operator.address)).bond;
      // A 10% ruling takes 10% of the bond (issue 16, path 9).
      const slashed = bond / 10n;

      await expect(escrow.connect(stranger).executeRuling(id))
        .to.emit(escrow, "OperatorSlashed")
        .withArgs(operator.address, id, buyer.address, slashed);
      expect(await escrow.withdrawable(buyer.address, ethers.ZeroAddress)).to.equal(slashed);
    });
  });

  describe("time (SWC-116)", function () {
    it("keeps a deposit window of hours, far wider than any timestamp skew, exact to the second", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      const id = await openTrade(ctx, terms);
      const signedAt = (await escrow.trade(id)).stageAt;
      await time.setNextBlockTimestamp(signedAt + BigInt(terms.depositWindow) + 1n);
      await expect(escrow.connect(buyer).payDeposit(id)).to.be.revertedWithCustomError(
        escrow,
        "EscrowDeadlinePassed",
      );
      await expect(escrow.connect(seller).cancelForMissedDeposit(id)).to.emit(
        escrow,
        "TradeCancelled",
      );
      expect(terms.depositWindow).to.be.at.least(DAY);
    });
  });

  describe("terms hashed from their calldata words", function () {
    /** `data` with the top byte of word `word` of the ABI-encoded tuple at head slot `slot` set. */
    function dirty(data: string, slot: number, word: number): string {
      const bytes = ethers.getBytes(data);
      const offset = Number(ethers.toBigInt(bytes.slice(4 + 32 * slot, 4 + 32 * (slot + 1))));
      bytes[4 + offset + 32 * word] = 0x01;
      return ethers.hexlify(bytes);
    }

    it("opens no trade from terms whose members have dirty high bits", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller, relayer } = ctx;
      const terms = await buildTerms(ctx);
      const data = escrow.interface.encodeFunctionData("openTrade", [
        terms,
        await signOpen(ctx, buyer, terms, nextNonce()),
        await signOpen(ctx, seller, terms, nextNonce()),
      ]);
      const to = await escrow.getAddress();
      // buyer (word 0), an unread-on-opening member (arbitrator, word 18): refused either way.
      for (const word of [0, 18]) {
        await expect(relayer.sendTransaction({ to, data: dirty(data, 0, word) })).to.be.revert(
          ethers,
        );
      }
      expect(await escrow.tradeCount()).to.equal(0n);
    });

    it("accepts no proposal with dirty high bits in a member of the terms named", async function () {
      const ctx = await useEscrow();
      const { escrow, buyer, seller } = ctx;
      const terms = await buildTerms(ctx);
      await escrow.connect(buyer).proposeTrade(terms);
      const data = escrow.interface.encodeFunctionData("acceptTrade", [1n, terms]);
      const to = await escrow.getAddress();
      // seller (word 1), an unread-on-acceptance member (arbitrator, word 18): refused either way.
      for (const word of [1, 18]) {
        await expect(seller.sendTransaction({ to, data: dirty(data, 1, word) })).to.be.revert(
          ethers,
        );
      }
      expect((await escrow.trade(1n)).state).to.equal(TradeState.Proposed);
    });
  });
});
