// Length: one describe per step of a claim (file, answer, contest, settle, rule, execute), each
// with its refusals.
import { expect } from "chai";
import {
  ethers,
  impersonateAccount,
  mine,
  setBalance,
  stopImpersonatingAccount,
  time,
} from "./fixtures/hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import {
  AttestationKind,
  buildAttestation,
  cid,
  courtTerms,
  DAY,
  expectTermsInForce,
  HOUR,
  Milestone,
  nextNonce,
  NO_SIGNATURE,
  openAndShip,
  OPERATOR_BOND,
  ScheduleTerm,
  signAttestation,
  signOpen,
  TradeState,
  USD,
} from "./fixtures/escrow";
import type { Terms } from "./fixtures/escrow";
import {
  BPS,
  Weekday,
  amendSigned,
  attestDirect,
  creditOf,
  days,
  feeOf,
  nextWeekday,
  now,
  openAndStart,
  openTradesOf,
} from "./fixtures/flows";
import { timestampOf } from "./fixtures/attackers";
import {
  CLAIM_CHOICES,
  CLAIM_WINDOW,
  ClaimGround,
  ClaimOutcome,
  ClaimStatus,
  CourtPhase,
  REJECT,
  SELLER_BOND,
  addBusinessDays,
  appealCostOf,
  attestArrival,
  buildReport,
  buildRequest,
  choiceFor,
  claimTerms,
  claimedTrade,
  contest,
  courtCost,
  deliverAll,
  drawPanel,
  fileClaim,
  finalizeRuling,
  hearAndFinalize,
  hearRound,
  refuseToRule,
  reportHash,
  shipWithWindow,
  signReport,
  signSettlement,
  useClaims,
} from "./fixtures/claims";
import type { ClaimedTrade, ClaimsContext } from "./fixtures/claims";

// Claims: port arrival, the claim window, fileClaim with an inspection report, the seller's answer
// (acceptClaim, contestClaim, settleClaim), default judgment, the court's ruling through the real
// ArbitrationCourt (appeal included), executeRuling, evidence, and release after the window.
// Money rule (ClaimLogic): refund = floor(price * bps / 10,000) from escrow to the buyer; material damage
// costs from the seller's bond, capped by it; the rest of the escrow goes to the seller less the fee
// once the window has ended, so refund + seller share + fee = the price.

/** A refund of `bps` basis points of `price`, rounded down. */
function refundOf(price: bigint, bps: number | bigint): bigint {
  return (price * BigInt(bps)) / BPS;
}

/** The escrow's events named `name` in the transaction's receipt. */
async function eventsIn(ctx: ClaimsContext, tx: ContractTransactionResponse, name: string) {
  const receipt = await tx.wait();
  const address = await ctx.escrow.getAddress();
  return (receipt?.logs ?? [])
    .filter((log) => log.address === address)
    .map((log) => ctx.escrow.interface.parseLog(log))
    .filter((parsed) => parsed !== null && parsed.name === name);
}

/** Runs `fn` as the court contract itself (an impersonated account with gas money). */
async function asCourt<T>(
  ctx: ClaimsContext,
  fn: (court: HardhatEthersSigner) => Promise<T>,
): Promise<T> {
  const address = await ctx.court.getAddress();
  await impersonateAccount(address);
  await setBalance(address, ethers.parseEther("10"));
  try {
    return await fn(await ethers.getSigner(address));
  } finally {
    await stopImpersonatingAccount(address);
  }
}

/** A delivered trade whose claim is contested before the court. */
async function contestedTrade(
  ctx: ClaimsContext,
  options: Parameters<typeof claimedTrade>[1] = {},
): Promise<ClaimedTrade & { disputeId: bigint }> {
  const claimed = await claimedTrade(ctx, options);
  const disputeId = await contest(ctx, claimed.id, claimed.terms);
  return { ...claimed, disputeId };
}

/** Ships a trade on claim terms, attests arrival an hour before `fileAt`, delivers and files then. */
async function claimFiledAt(
  ctx: ClaimsContext,
  fileAt: bigint,
  overrides: Partial<Terms> = {},
): Promise<{ id: bigint; terms: Terms }> {
  const { id, terms } = await shipWithWindow(ctx, overrides);
  await attestArrival(ctx, id, terms, fileAt - BigInt(HOUR));
  await deliverAll(ctx, id, terms, fileAt - BigInt(HOUR) + 60n);
  await time.setNextBlockTimestamp(fileAt);
  await fileClaim(ctx, id, terms);
  return { id, terms };
}

describe("TradeEscrow port arrival (attest PortArrival)", function () {
  it("opens the claim window: records the arrival and emits PortArrivalAttested and MilestoneRecorded", async function () {
    const ctx = await useClaims();
    const { escrow, operator } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const before = await escrow.trade(id);

    const { tx, arrivedAt } = await attestArrival(ctx, id, terms);
    await expect(tx)
      .to.emit(escrow, "PortArrivalAttested")
      .withArgs(id, operator.address, arrivedAt)
      .and.to.emit(escrow, "MilestoneRecorded")
      .withArgs(id, Milestone.ArrivedAtPort, operator.address, cid(`port-${id}`))
      .and.not.to.emit(escrow, "TradeStateChanged");

    const t = await escrow.trade(id);
    expect(t.arrivedAt).to.equal(arrivedAt);
    expect(t.state).to.equal(TradeState.Shipped);
    expect(t.stageAt).to.equal(before.stageAt);
    expect(t.escrowed).to.equal(terms.price);
  });

  it("records the attested arrival time in the event and starts the claim window at the attesting block", async function () {
    const ctx = await useClaims();
    const { escrow, operator } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const shippedAt = (await escrow.trade(id)).stageAt;
    await time.increase(DAY);

    const tx = await attestDirect(ctx, id, terms, AttestationKind.PortArrival, { time: shippedAt });
    await expect(tx)
      .to.emit(escrow, "PortArrivalAttested")
      .withArgs(id, operator.address, shippedAt);
    expect((await escrow.trade(id)).arrivedAt).to.equal(await timestampOf(tx));
    // Shipped, the next deadline is the undelivered trade's: latest delivery plus the grace period.
    expect(await escrow.stageDeadline(id)).to.equal(
      terms.latestDelivery + BigInt(terms.deliveryGrace),
    );
  });

  it("accepts an arrival relayed with the operator's EIP-712 signature", async function () {
    const ctx = await useClaims();
    const { escrow, operator, relayer } = ctx;
    const { id } = await shipWithWindow(ctx);
    const attestation = await buildAttestation(id, AttestationKind.PortArrival, {
      nonce: nextNonce(),
    });
    const signature = await signAttestation(ctx, operator, attestation);

    const tx = await escrow.connect(relayer).attest(attestation, signature);
    await expect(tx)
      .to.emit(escrow, "PortArrivalAttested")
      .withArgs(id, operator.address, attestation.time);
    expect(await escrow.nonceUsed(operator.address, attestation.nonce)).to.equal(true);
    expect((await escrow.trade(id)).arrivedAt).to.equal(await timestampOf(tx));
  });

  it("accepts the arrival while a lot is Received and while the trade is Halted", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const received = await shipWithWindow(ctx);
    await attestDirect(ctx, received.id, received.terms, AttestationKind.Receipt);
    const halted = await shipWithWindow(ctx);
    await attestDirect(ctx, halted.id, halted.terms, AttestationKind.Receipt, { quantity: 5n });

    for (const [trade, state] of [
      [received, TradeState.Received],
      [halted, TradeState.Halted],
    ] as const) {
      expect((await escrow.trade(trade.id)).state).to.equal(state);
      const { tx, arrivedAt } = await attestArrival(ctx, trade.id, trade.terms);
      await expect(tx).to.emit(escrow, "PortArrivalAttested");
      const t = await escrow.trade(trade.id);
      expect(t.arrivedAt).to.equal(arrivedAt);
      expect(t.state).to.equal(state);
    }
  });

  it("refuses a second port arrival", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const { arrivedAt } = await attestArrival(ctx, id, terms);

    await expect(attestDirect(ctx, id, terms, AttestationKind.PortArrival))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidAttestation")
      .withArgs(id, AttestationKind.PortArrival);
    expect((await escrow.trade(id)).arrivedAt).to.equal(arrivedAt);
  });

  it("refuses an arrival time before the shipment", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const shippedAt = (await escrow.trade(id)).stageAt;
    const blockTime = (await now()) + 10n;
    await time.setNextBlockTimestamp(blockTime);

    await expect(
      attestDirect(ctx, id, terms, AttestationKind.PortArrival, { time: shippedAt - 1n }),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowAttestedTimeOutOfRange")
      .withArgs(shippedAt - 1n, shippedAt, blockTime);
    expect((await escrow.trade(id)).arrivedAt).to.equal(0n);
  });

  it("refuses an arrival time in the future", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const shippedAt = (await escrow.trade(id)).stageAt;
    const blockTime = (await now()) + 10n;
    await time.setNextBlockTimestamp(blockTime);

    await expect(
      attestDirect(ctx, id, terms, AttestationKind.PortArrival, { time: blockTime + 1n }),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowAttestedTimeOutOfRange")
      .withArgs(blockTime + 1n, shippedAt, blockTime);
  });

  it("refuses a port arrival before shipment, after delivery and after completion", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const inFulfilment = await claimTerms(ctx);
    const startedId = await openAndStart(ctx, inFulfilment);
    const delivered = await shipWithWindow(ctx);
    await deliverAll(ctx, delivered.id, delivered.terms);
    const completed = await shipWithWindow(ctx, { claimWindow: 0 });
    await deliverAll(ctx, completed.id, completed.terms);

    for (const [id, terms, state] of [
      [startedId, inFulfilment, TradeState.InFulfilment],
      [delivered.id, delivered.terms, TradeState.Delivered],
      [completed.id, completed.terms, TradeState.Completed],
    ] as const) {
      await expect(attestDirect(ctx, id, terms, AttestationKind.PortArrival))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
        .withArgs(id, state);
      expect((await escrow.trade(id)).arrivedAt).to.equal(0n);
    }
  });

  it("refuses an arrival attested by anyone but the designated operator", async function () {
    const ctx = await useClaims();
    const { escrow, operator, seller, stranger } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    for (const caller of [seller, stranger]) {
      await expect(attestDirect(ctx, id, terms, AttestationKind.PortArrival, {}, caller))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
        .withArgs(operator.address);
    }
  });

  it("refuses to record ArrivedAtPort as a plain milestone", async function () {
    const ctx = await useClaims();
    const { escrow, operator, seller } = ctx;
    const { id } = await shipWithWindow(ctx);
    for (const caller of [operator, seller]) {
      await expect(
        escrow.connect(caller).recordMilestone(id, Milestone.ArrivedAtPort, cid("arrival-note")),
      )
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidMilestone")
        .withArgs(Milestone.ArrivedAtPort);
    }
    expect((await escrow.trade(id)).arrivedAt).to.equal(0n);
  });
});

describe("TradeEscrow claim window", function () {
  it("refuses a claim before the window opens: shipped, no arrival attested", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);

    await expect(fileClaim(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowClaimWindowClosed")
      .withArgs(id, 0);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.None);
  });

  it("accepts a claim at exactly arrival + claimWindow", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const { arrivedAt } = await attestArrival(ctx, id, terms);
    await deliverAll(ctx, id, terms);
    const end = arrivedAt + BigInt(terms.claimWindow);

    await time.setNextBlockTimestamp(end);
    await expect(fileClaim(ctx, id, terms)).to.emit(escrow, "ClaimFiled");
    const c = await escrow.claim(id);
    expect(c.status).to.equal(ClaimStatus.Filed);
    expect(c.filedAt).to.equal(end);
  });

  it("refuses a claim one second after arrival + claimWindow", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const { arrivedAt } = await attestArrival(ctx, id, terms);
    await deliverAll(ctx, id, terms);
    const end = arrivedAt + BigInt(terms.claimWindow);

    await time.setNextBlockTimestamp(end + 1n);
    await expect(fileClaim(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowClaimWindowClosed")
      .withArgs(id, end);
  });

  it("a backdated port arrival cannot close the claim window: it opens at the attesting block", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const shippedAt = (await escrow.trade(id)).stageAt;
    // The operator lies that the goods arrived at shipment, two whole claim windows ago.
    await time.increase(2 * terms.claimWindow);
    const tx = await attestDirect(ctx, id, terms, AttestationKind.PortArrival, { time: shippedAt });
    const end = (await timestampOf(tx)) + BigInt(terms.claimWindow);

    await time.setNextBlockTimestamp(end);
    await expect(fileClaim(ctx, id, terms)).to.emit(escrow, "ClaimFiled");
  });

  it("closes the claim window a whole window after the attesting block, not later", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const shippedAt = (await escrow.trade(id)).stageAt;
    await time.increase(2 * DAY);
    const tx = await attestDirect(ctx, id, terms, AttestationKind.PortArrival, { time: shippedAt });
    const end = (await timestampOf(tx)) + BigInt(terms.claimWindow);

    await time.setNextBlockTimestamp(end + 1n);
    await expect(fileClaim(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowClaimWindowClosed")
      .withArgs(id, end);
  });

  it("refuses claims on a trade with no claim window, even after a port arrival", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx, { claimWindow: 0 });
    await attestArrival(ctx, id, terms);

    await expect(fileClaim(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowClaimWindowClosed")
      .withArgs(id, 0);
  });

  it("opens the window at delivery when no port arrival was attested", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const early = await shipWithWindow(ctx);
    await deliverAll(ctx, early.id, early.terms);
    const late = await shipWithWindow(ctx);
    await deliverAll(ctx, late.id, late.terms);
    const earlyEnd = (await escrow.trade(early.id)).stageAt + BigInt(CLAIM_WINDOW);
    const lateEnd = (await escrow.trade(late.id)).stageAt + BigInt(CLAIM_WINDOW);
    expect(await escrow.stageDeadline(early.id)).to.equal(earlyEnd);

    await time.setNextBlockTimestamp(earlyEnd);
    await expect(fileClaim(ctx, early.id, early.terms)).to.emit(escrow, "ClaimFiled");
    expect((await escrow.claim(early.id)).status).to.equal(ClaimStatus.Filed);

    await time.setNextBlockTimestamp(lateEnd + 1n);
    await expect(fileClaim(ctx, late.id, late.terms))
      .to.be.revertedWithCustomError(escrow, "EscrowClaimWindowClosed")
      .withArgs(late.id, lateEnd);
  });

  it("lets the buyer claim after the port arrival while the goods are still Shipped", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id } = await claimedTrade(ctx, { deliver: false });
    expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Filed);
  });

  it("refuses a claim before shipment and after completion", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const inFulfilment = await claimTerms(ctx);
    const startedId = await openAndStart(ctx, inFulfilment);
    const done = await shipWithWindow(ctx);
    await attestArrival(ctx, done.id, done.terms);
    await deliverAll(ctx, done.id, done.terms);
    await time.increase(CLAIM_WINDOW + 1);
    await escrow.release(done.id);

    await expect(fileClaim(ctx, startedId, inFulfilment))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(startedId, TradeState.InFulfilment);
    await expect(fileClaim(ctx, done.id, done.terms))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(done.id, TradeState.Completed);
  });
});

describe("TradeEscrow.release with a claim window", function () {
  it("waits for the window counted from the port arrival, not from the delivery", async function () {
    const ctx = await useClaims();
    const { escrow, seller, stranger, treasury } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const { arrivedAt } = await attestArrival(ctx, id, terms);
    await deliverAll(ctx, id, terms, arrivedAt + days(1));
    const end = arrivedAt + BigInt(terms.claimWindow);
    expect(await escrow.stageDeadline(id)).to.equal(end);

    await time.setNextBlockTimestamp(end);
    await expect(escrow.connect(stranger).release(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, end);

    const fee = feeOf(terms.price, terms.feeBps);
    await time.setNextBlockTimestamp(end + 1n);
    await expect(escrow.connect(stranger).release(id))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - fee + SELLER_BOND);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
  });

  it("refuses to release while a claim is Filed or Contested, even after the window", async function () {
    const ctx = await useClaims();
    const { escrow, stranger } = ctx;
    const filed = await claimedTrade(ctx);
    const contested = await contestedTrade(ctx);
    await time.increase(CLAIM_WINDOW + 1);

    for (const [trade, status] of [
      [filed, ClaimStatus.Filed],
      [contested, ClaimStatus.Contested],
    ] as const) {
      await expect(escrow.connect(stranger).release(trade.id))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(trade.id, status);
      expect((await escrow.trade(trade.id)).state).to.equal(TradeState.Delivered);
    }
  });

  it("releases at the last title transfer when the arrival's window has already ended", async function () {
    const ctx = await useClaims();
    const { escrow, operator, seller, treasury } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const { arrivedAt } = await attestArrival(ctx, id, terms);
    const openBefore = await openTradesOf(ctx, operator);
    const fee = feeOf(terms.price, terms.feeBps);

    await expect(deliverAll(ctx, id, terms, arrivedAt + BigInt(terms.claimWindow) + 1n))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Completed)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, SELLER_BOND);

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - fee + SELLER_BOND);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("holds the money at a title transfer at exactly the end of the arrival's window", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    const { arrivedAt } = await attestArrival(ctx, id, terms);

    await expect(deliverAll(ctx, id, terms, arrivedAt + BigInt(terms.claimWindow)))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Delivered)
      .and.not.to.emit(escrow, "FundsReleased");
    expect((await escrow.trade(id)).escrowed).to.equal(terms.price);
  });

  it("holds the money at a late title transfer while a claim is open, and releases when it is resolved", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, treasury } = ctx;
    const { id, terms, arrivedAt } = await claimedTrade(ctx, { deliver: false });
    const end = arrivedAt + BigInt(terms.claimWindow);

    await expect(deliverAll(ctx, id, terms, end + 1n))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Delivered)
      .and.not.to.emit(escrow, "FundsReleased");
    expect((await escrow.trade(id)).escrowed).to.equal(terms.price);

    const refund = refundOf(terms.price, 1_000);
    const fee = feeOf(terms.price - refund, terms.feeBps);
    await expect(escrow.connect(seller).acceptClaim(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, refund, 0)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - refund - fee, fee);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - refund - fee + SELLER_BOND);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
  });
});

describe("TradeEscrow.fileClaim", function () {
  it("files a claim backed by a signed inspection report: ClaimFiled, two Evidence events, the claim view", async function () {
    const ctx = await useClaims();
    const { escrow, court, agency, buyer } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    await deliverAll(ctx, id, terms);
    const request = buildRequest({ ground: ClaimGround.OdometerDiscrepancy, refundBps: 1_500 });
    const report = await buildReport(ctx, id, { varianceBps: 1_500 });
    const signature = await signReport(ctx, agency, report);
    const courtAddress = await court.getAddress();

    const tx = await escrow.connect(buyer).fileClaim(id, request, report, signature);
    await expect(tx)
      .to.emit(escrow, "ClaimFiled")
      .withArgs(
        id,
        ClaimGround.OdometerDiscrepancy,
        1_500,
        0,
        agency.address,
        report.reportCid,
        request.evidenceCid,
      )
      .and.to.emit(escrow, "Evidence")
      .withArgs(courtAddress, id, agency.address, report.reportCid)
      .and.to.emit(escrow, "Evidence")
      .withArgs(courtAddress, id, buyer.address, request.evidenceCid)
      .and.not.to.emit(escrow, "TradeStateChanged");
    expect(await eventsIn(ctx, tx, "Evidence")).to.have.length(2);

    const c = await escrow.claim(id);
    expect(c.status).to.equal(ClaimStatus.Filed);
    expect(c.ground).to.equal(ClaimGround.OdometerDiscrepancy);
    expect(c.refundBps).to.equal(1_500);
    expect(c.filedAt).to.equal(await now());
    expect(c.costs).to.equal(0n);
    expect(c.disputeId).to.equal(0n);
    expect(c.ruling).to.equal(0n);
    expect(await escrow.nonceUsed(agency.address, report.nonce)).to.equal(true);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.escrowed).to.equal(terms.price);
  });

  it("records a material damage claim as the whole price with its costs", async function () {
    const ctx = await useClaims();
    const { escrow, agency } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const request = buildRequest({
      ground: ClaimGround.MaterialDamage,
      refundBps: 0,
      costs: USD(2_500),
    });
    const report = await buildReport(ctx, id, { varianceBps: 0, material: true });

    await expect(fileClaim(ctx, id, terms, request, report))
      .to.emit(escrow, "ClaimFiled")
      .withArgs(
        id,
        ClaimGround.MaterialDamage,
        10_000,
        USD(2_500),
        agency.address,
        report.reportCid,
        request.evidenceCid,
      );
    const c = await escrow.claim(id);
    expect(c.ground).to.equal(ClaimGround.MaterialDamage);
    expect(c.refundBps).to.equal(10_000);
    expect(c.costs).to.equal(USD(2_500));
  });

  it("accepts a refund equal to the variance the agency found", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id } = await claimedTrade(ctx, {
      request: { ground: ClaimGround.UndisclosedRepairs, refundBps: 777 },
      report: { varianceBps: 777 },
    });
    const c = await escrow.claim(id);
    expect(c.ground).to.equal(ClaimGround.UndisclosedRepairs);
    expect(c.refundBps).to.equal(777);
  });

  it("refuses anyone but the buyer", async function () {
    const ctx = await useClaims();
    const { escrow, agency, seller, operator, stranger } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id);
    const signature = await signReport(ctx, agency, report);

    for (const caller of [seller, operator, stranger, agency]) {
      await expect(escrow.connect(caller).fileClaim(id, buildRequest(), report, signature))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  describe("refuses a malformed claim with EscrowInvalidClaim", function () {
    const cases: {
      title: string;
      request: Parameters<typeof buildRequest>[0];
      report: Partial<Awaited<ReturnType<typeof buildReport>>>;
    }[] = [
      {
        title: "a refund above the variance the agency found",
        request: { refundBps: 1_001 },
        report: { varianceBps: 1_000 },
      },
      { title: "a refund of zero", request: { refundBps: 0 }, report: { varianceBps: 1_000 } },
      {
        title: "costs on a claim that is not material damage",
        request: { ground: ClaimGround.SpecificationVariance, costs: 1n },
        report: { varianceBps: 1_000, material: true },
      },
      {
        title: "material damage the agency did not find",
        request: { ground: ClaimGround.MaterialDamage, costs: USD(1_000) },
        report: { varianceBps: 10_000, material: false },
      },
      {
        title: "material damage costs that do not fit 96 bits",
        request: { ground: ClaimGround.MaterialDamage, costs: 2n ** 96n },
        report: { material: true },
      },
      {
        title: "a report with a variance above 100%",
        request: { refundBps: 1_000 },
        report: { varianceBps: 10_001 },
      },
      {
        title: "a material claim on a report with a variance above 100%",
        request: { ground: ClaimGround.MaterialDamage },
        report: { varianceBps: 10_001, material: true },
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.title}`, async function () {
        const ctx = await useClaims();
        const { escrow } = ctx;
        const { id, terms } = await shipWithWindow(ctx);
        await attestArrival(ctx, id, terms);
        const request = buildRequest(c.request);
        const report = await buildReport(ctx, id, c.report);

        await expect(fileClaim(ctx, id, terms, request, report))
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaim")
          .withArgs(id, request.ground, request.refundBps, request.costs);
        expect((await escrow.claim(id)).status).to.equal(ClaimStatus.None);
      });
    }
  });

  it("refuses a report about another trade", async function () {
    const ctx = await useClaims();
    const { escrow, agency } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id + 1n);

    await expect(fileClaim(ctx, id, terms, buildRequest(), report))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidInspection")
      .withArgs(id, agency.address);
  });

  it("refuses a report by an agency the platform did not accredit, even signed by it", async function () {
    const ctx = await useClaims();
    const { escrow, unaccredited } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id, { agency: unaccredited.address });

    await expect(fileClaim(ctx, id, terms, buildRequest(), report, unaccredited))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidInspection")
      .withArgs(id, unaccredited.address);
  });

  it("refuses an unsigned report the agency did not lodge on chain", async function () {
    const ctx = await useClaims();
    const { escrow, agency, buyer } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id);

    await expect(escrow.connect(buyer).fileClaim(id, buildRequest(), report, "0x"))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidInspection")
      .withArgs(id, agency.address);
  });

  it("accepts an unsigned report the agency lodged with submitInspectionReport", async function () {
    const ctx = await useClaims();
    const { escrow, agency, buyer } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id);

    await expect(escrow.connect(agency).submitInspectionReport(report))
      .to.emit(escrow, "InspectionReportSubmitted")
      .withArgs(id, agency.address, reportHash(report));
    await expect(escrow.connect(buyer).fileClaim(id, buildRequest(), report, "0x"))
      .to.emit(escrow, "ClaimFiled")
      .withArgs(
        id,
        ClaimGround.SpecificationVariance,
        1_000,
        0,
        agency.address,
        report.reportCid,
        cid("buyer-evidence"),
      );
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Filed);
    // A lodged report uses no signature nonce.
    expect(await escrow.nonceUsed(agency.address, report.nonce)).to.equal(false);
  });

  it("refuses an unsigned report whose contents differ from the one the agency lodged", async function () {
    const ctx = await useClaims();
    const { escrow, agency, buyer } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id, { varianceBps: 500 });
    await escrow.connect(agency).submitInspectionReport(report);
    const inflated = { ...report, varianceBps: 2_000 };

    await expect(
      escrow.connect(buyer).fileClaim(id, buildRequest({ refundBps: 2_000 }), inflated, "0x"),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidInspection")
      .withArgs(id, agency.address);
  });

  it("refuses a report signed by someone other than the agency it names", async function () {
    const ctx = await useClaims();
    const { escrow, agency, buyer } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id);

    await expect(fileClaim(ctx, id, terms, buildRequest(), report, buyer))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(agency.address);
  });

  it("refuses an expired report signature", async function () {
    const ctx = await useClaims();
    const { escrow, agency } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const deadline = (await now()) + 100n;
    const report = await buildReport(ctx, id, { deadline });
    await time.setNextBlockTimestamp(deadline + 1n);

    await expect(fileClaim(ctx, id, terms, buildRequest(), report))
      .to.be.revertedWithCustomError(escrow, "EscrowSignatureExpired")
      .withArgs(agency.address, deadline);
  });

  it("refuses an agency signature whose nonce was already used on another trade", async function () {
    const ctx = await useClaims();
    const { escrow, agency } = ctx;
    const first = await shipWithWindow(ctx);
    await attestArrival(ctx, first.id, first.terms);
    const second = await shipWithWindow(ctx);
    await attestArrival(ctx, second.id, second.terms);
    const nonce = nextNonce();
    await fileClaim(
      ctx,
      first.id,
      first.terms,
      buildRequest(),
      await buildReport(ctx, first.id, { nonce }),
    );
    expect(await escrow.nonceUsed(agency.address, nonce)).to.equal(true);

    const replay = await buildReport(ctx, second.id, { nonce });
    await expect(fileClaim(ctx, second.id, second.terms, buildRequest(), replay))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(agency.address, nonce);
    expect((await escrow.claim(second.id)).status).to.equal(ClaimStatus.None);
  });

  it("refuses a second claim on the same trade, also after the first was resolved", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const { id, terms } = await claimedTrade(ctx);

    await expect(fileClaim(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Filed);
    await escrow.connect(seller).acceptClaim(id);
    await expect(fileClaim(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Resolved);
  });

  it("judges the claim window the trade committed: no caller can lengthen it", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    await expectTermsInForce(escrow, id, terms);
    const arrivedAt = (await escrow.trade(id)).arrivedAt;
    await time.increaseTo(arrivedAt + BigInt(terms.claimWindow) + 1n);

    await expect(fileClaim(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowClaimWindowClosed")
      .withArgs(id, arrivedAt + BigInt(terms.claimWindow));
  });
});

describe("TradeEscrow.submitInspectionReport", function () {
  it("refuses an account without the inspector role", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, unaccredited, inspectorRole } = ctx;
    const { id } = await shipWithWindow(ctx);
    for (const caller of [unaccredited, buyer]) {
      const report = await buildReport(ctx, id, { agency: caller.address });
      await expect(escrow.connect(caller).submitInspectionReport(report))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(caller.address, inspectorRole);
    }
  });

  it("refuses an agency lodging a report that names another agency", async function () {
    const ctx = await useClaims();
    const { escrow, agency, agency2, buyer } = ctx;
    const { id, terms } = await shipWithWindow(ctx);
    await attestArrival(ctx, id, terms);
    const report = await buildReport(ctx, id, { agency: agency.address });

    await expect(escrow.connect(agency2).submitInspectionReport(report))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidInspection")
      .withArgs(id, agency2.address);
    await expect(escrow.connect(buyer).fileClaim(id, buildRequest(), report, "0x"))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidInspection")
      .withArgs(id, agency.address);
  });
});

describe("TradeEscrow.acceptClaim", function () {
  it("refunds floor(price * bps / 10,000) to the buyer and releases the rest less the fee when the window ends", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, treasury, stranger } = ctx;
    const price = USD(100_000) + 7n; // 100,000.000007 USD: no bps split of it is exact
    const bps = 1_234;
    const { id, terms, arrivedAt } = await claimedTrade(ctx, {
      overrides: { price },
      request: { refundBps: bps },
    });
    const refund = refundOf(price, bps);
    expect(refund * BPS).to.not.equal(price * BigInt(bps)); // the refund is rounded down

    await expect(escrow.connect(seller).acceptClaim(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, refund, 0)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, refund)
      .and.not.to.emit(escrow, "FundsReleased")
      .and.not.to.emit(escrow, "TradeStateChanged");
    let t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.escrowed).to.equal(price - refund);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Resolved);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);

    await time.setNextBlockTimestamp(arrivedAt + BigInt(terms.claimWindow) + 1n);
    const rest = price - refund;
    const fee = feeOf(rest, terms.feeBps);
    await expect(escrow.connect(stranger).release(id))
      .to.emit(escrow, "FundsReleased")
      .withArgs(id, rest - fee, fee);
    t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);

    const buyerCredit = await creditOf(ctx, buyer, terms);
    const sellerPayout = (await creditOf(ctx, seller, terms)) - SELLER_BOND;
    const treasuryCredit = await creditOf(ctx, treasury, terms);
    expect(buyerCredit).to.equal(refund);
    expect(sellerPayout).to.equal(rest - fee);
    expect(treasuryCredit).to.equal(fee);
    expect(buyerCredit + sellerPayout + treasuryCredit).to.equal(price);

    await expect(escrow.connect(buyer).withdraw(terms.token)).to.changeTokenBalances(
      ethers,
      ctx.usd,
      [buyer, escrow],
      [refund, -refund],
    );
  });

  it("releases the rest at once when accepted after the window has ended", async function () {
    const ctx = await useClaims();
    const { escrow, operator, seller, treasury } = ctx;
    const { id, terms, arrivedAt } = await claimedTrade(ctx);
    await time.setNextBlockTimestamp(arrivedAt + BigInt(terms.claimWindow) + 1n);
    const openBefore = await openTradesOf(ctx, operator);
    const refund = refundOf(terms.price, 1_000);
    const fee = feeOf(terms.price - refund, terms.feeBps);

    await expect(escrow.connect(seller).acceptClaim(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, refund, 0)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - refund - fee, fee);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Completed);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - refund - fee + SELLER_BOND);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("accepts at the seller's business-day deadline, across a weekend", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const filedAt = nextWeekday(await now(), Weekday.Friday);
    const { id, terms } = await claimFiledAt(ctx, filedAt);
    const deadline = addBusinessDays(filedAt, terms.responseDays);
    expect(deadline - filedAt).to.equal(days(11)); // Friday + 7 business days: the Tuesday after next

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(seller).acceptClaim(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, refundOf(terms.price, 1_000), 0);
  });

  it("refuses to accept one second after the business-day deadline", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const filedAt = nextWeekday(await now(), Weekday.Friday);
    const { id, terms } = await claimFiledAt(ctx, filedAt);
    const deadline = addBusinessDays(filedAt, terms.responseDays);

    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(seller).acceptClaim(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
      .withArgs(id, deadline);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Filed);
  });

  it("refuses anyone but the seller", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, operator, stranger } = ctx;
    const { id } = await claimedTrade(ctx);
    for (const caller of [buyer, operator, stranger]) {
      await expect(escrow.connect(caller).acceptClaim(id))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("refuses a trade with no claim, and a claim that is Contested or Resolved", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const none = await shipWithWindow(ctx);
    const contested = await contestedTrade(ctx);
    const resolved = await claimedTrade(ctx);
    await escrow.connect(seller).acceptClaim(resolved.id);

    for (const [trade, status] of [
      [none, ClaimStatus.None],
      [contested, ClaimStatus.Contested],
      [resolved, ClaimStatus.Resolved],
    ] as const) {
      await expect(escrow.connect(seller).acceptClaim(trade.id))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(trade.id, status);
    }
  });

  it("material damage: refunds the whole price plus the costs from the bond, returns the rest of the bond, ends Refunded", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, operator, treasury } = ctx;
    const costs = USD(3_000);
    const { id, terms } = await claimedTrade(ctx, {
      request: { ground: ClaimGround.MaterialDamage, costs },
    });
    const openBefore = await openTradesOf(ctx, operator);

    await expect(escrow.connect(seller).acceptClaim(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, terms.price, costs)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, terms.price + costs)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, SELLER_BOND - costs)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Refunded)
      .and.not.to.emit(escrow, "FundsReleased");

    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Refunded);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + costs);
    expect(await creditOf(ctx, seller, terms)).to.equal(SELLER_BOND - costs);
    expect(await creditOf(ctx, treasury, terms)).to.equal(0n);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    await expect(escrow.release(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Refunded);
  });

  it("caps material damage costs at the seller's bond", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await claimedTrade(ctx, {
      request: { ground: ClaimGround.MaterialDamage, costs: SELLER_BOND + USD(3_000) },
    });

    const tx = await escrow.connect(seller).acceptClaim(id);
    await expect(tx)
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, terms.price, SELLER_BOND)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, terms.price + SELLER_BOND);
    expect(await eventsIn(ctx, tx, "Credited")).to.have.length(1);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + SELLER_BOND);
    expect(await creditOf(ctx, seller, terms)).to.equal(0n);
    expect((await escrow.trade(id)).sellerBond).to.equal(0n);
  });

  it("material damage with no seller bond refunds the price alone", async function () {
    const ctx = await useClaims();
    const { escrow, buyer } = ctx;
    const { id, terms } = await claimedTrade(ctx, {
      overrides: { sellerBond: 0n },
      request: { ground: ClaimGround.MaterialDamage, costs: USD(3_000) },
    });

    await expect(escrow.connect(ctx.seller).acceptClaim(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, terms.price, 0);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Refunded);
  });

  it("material damage accepted before delivery ends the Shipped trade Refunded", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, operator } = ctx;
    const { id, terms } = await claimedTrade(ctx, {
      deliver: false,
      request: { ground: ClaimGround.MaterialDamage, costs: USD(1_000) },
    });
    const openBefore = await openTradesOf(ctx, operator);

    await expect(escrow.connect(ctx.seller).acceptClaim(id))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Refunded);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + USD(1_000));
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    await expect(deliverAll(ctx, id, terms))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidState")
      .withArgs(id, TradeState.Refunded);
  });

  it("after a partial refund accepted while the goods are Shipped, the goods can still be delivered and the rest released", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, treasury } = ctx;
    const { id, terms, arrivedAt } = await claimedTrade(ctx, { deliver: false });
    const refund = refundOf(terms.price, 1_000);
    await escrow.connect(seller).acceptClaim(id);
    expect((await escrow.trade(id)).escrowed).to.equal(terms.price - refund);

    // The refund is not part of the price still due: title passes, and as the arrival's window has
    // ended the rest is released at once.
    const rest = terms.price - refund;
    const fee = feeOf(rest, terms.feeBps);
    await expect(deliverAll(ctx, id, terms, arrivedAt + BigInt(terms.claimWindow) + 1n))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Completed)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, rest - fee, fee);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
    expect(await creditOf(ctx, seller, terms)).to.equal(rest - fee + SELLER_BOND);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
  });
});

describe("TradeEscrow.enforceDefaultJudgment", function () {
  it("lets anyone grant the claim as filed once the business-day deadline has passed over a weekend", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, stranger, treasury } = ctx;
    const filedAt = nextWeekday(await now(), Weekday.Thursday);
    const { id, terms } = await claimFiledAt(ctx, filedAt);
    const deadline = addBusinessDays(filedAt, terms.responseDays);
    expect(deadline - filedAt).to.equal(days(11)); // Thursday + 7 business days: the Monday after next

    await time.setNextBlockTimestamp(deadline);
    await expect(escrow.connect(stranger).enforceDefaultJudgment(id))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlineNotReached")
      .withArgs(id, deadline);

    const refund = refundOf(terms.price, 1_000);
    const fee = feeOf(terms.price - refund, terms.feeBps);
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(stranger).enforceDefaultJudgment(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.DefaultJudgment, refund, 0)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, refund)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Resolved);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - refund - fee + SELLER_BOND);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
  });

  it("grants a material claim as filed: the whole price and the costs", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, stranger } = ctx;
    const costs = USD(1_234);
    const { id, terms, filedAt } = await claimedTrade(ctx, {
      request: { ground: ClaimGround.MaterialDamage, costs },
    });
    await time.setNextBlockTimestamp(addBusinessDays(filedAt, terms.responseDays) + 1n);

    await expect(escrow.connect(stranger).enforceDefaultJudgment(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.DefaultJudgment, terms.price, costs)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Refunded);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + costs);
    expect(await creditOf(ctx, seller, terms)).to.equal(SELLER_BOND - costs);
  });

  it("refuses a trade with no claim, and a claim the seller contested", async function () {
    const ctx = await useClaims();
    const { escrow, stranger } = ctx;
    const none = await shipWithWindow(ctx);
    const contested = await contestedTrade(ctx);
    await time.increase(30 * DAY);

    for (const [trade, status] of [
      [none, ClaimStatus.None],
      [contested, ClaimStatus.Contested],
    ] as const) {
      await expect(escrow.connect(stranger).enforceDefaultJudgment(trade.id))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(trade.id, status);
    }
  });
});

describe("TradeEscrow.settleClaim", function () {
  it("settles a Filed claim for the agreed amount, signed by both parties and relayed by anyone", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, relayer } = ctx;
    const { id, terms } = await claimedTrade(ctx);
    const refund = USD(4_321) + 1n;
    const buyerSig = await signSettlement(ctx, buyer, id, refund);
    const sellerSig = await signSettlement(ctx, seller, id, refund);

    await expect(escrow.connect(relayer).settleClaim(id, refund, buyerSig, sellerSig))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Settled, refund, 0)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, terms.token, id, refund)
      .and.not.to.emit(escrow, "TradeStateChanged");
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Resolved);
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.escrowed).to.equal(terms.price - refund);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
    expect(await escrow.nonceUsed(buyer.address, buyerSig.nonce)).to.equal(true);
    expect(await escrow.nonceUsed(seller.address, sellerSig.nonce)).to.equal(true);
  });

  it("accepts either party as the caller in place of its signature", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const a = await claimedTrade(ctx);
    const b = await claimedTrade(ctx);

    await expect(
      escrow
        .connect(buyer)
        .settleClaim(
          a.id,
          USD(1_000),
          NO_SIGNATURE,
          await signSettlement(ctx, seller, a.id, USD(1_000)),
        ),
    )
      .to.emit(escrow, "ClaimResolved")
      .withArgs(a.id, ClaimOutcome.Settled, USD(1_000), 0);
    await expect(
      escrow
        .connect(seller)
        .settleClaim(
          b.id,
          USD(2_000),
          await signSettlement(ctx, buyer, b.id, USD(2_000)),
          NO_SIGNATURE,
        ),
    )
      .to.emit(escrow, "ClaimResolved")
      .withArgs(b.id, ClaimOutcome.Settled, USD(2_000), 0);
    expect(await creditOf(ctx, buyer, a.terms)).to.equal(USD(3_000));
  });

  it("settles for nothing: no credit, the trade goes on", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await claimedTrade(ctx);
    const tx = await escrow
      .connect(buyer)
      .settleClaim(id, 0n, NO_SIGNATURE, await signSettlement(ctx, seller, id, 0n));
    await expect(tx).to.emit(escrow, "ClaimResolved").withArgs(id, ClaimOutcome.Settled, 0, 0);
    expect(await eventsIn(ctx, tx, "Credited")).to.have.length(0);
    expect((await escrow.trade(id)).escrowed).to.equal(terms.price);
  });

  it("settles the whole escrow: the trade ends Refunded and the bond goes back to the seller", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, operator } = ctx;
    const { id, terms } = await claimedTrade(ctx);
    const openBefore = await openTradesOf(ctx, operator);

    await expect(
      escrow
        .connect(seller)
        .settleClaim(
          id,
          terms.price,
          await signSettlement(ctx, buyer, id, terms.price),
          NO_SIGNATURE,
        ),
    )
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Settled, terms.price, 0)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Refunded)
      .and.to.emit(escrow, "Credited")
      .withArgs(seller.address, terms.token, id, SELLER_BOND);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price);
    expect(await creditOf(ctx, seller, terms)).to.equal(SELLER_BOND);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
  });

  it("settles a contested claim; the court's later ruling is recorded as an event and otherwise ignored", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer, seller, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, { request: { refundBps: 3_000 } });
    const refund = USD(1_500);

    await expect(
      escrow
        .connect(buyer)
        .settleClaim(id, refund, NO_SIGNATURE, await signSettlement(ctx, seller, id, refund)),
    )
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Settled, refund, 0);

    await hearRound(ctx, disputeId, [choiceFor(3_000), choiceFor(3_000), choiceFor(3_000)]);
    await expect(finalizeRuling(ctx, disputeId))
      .to.emit(escrow, "Ruling")
      .withArgs(await court.getAddress(), disputeId, choiceFor(3_000))
      .and.not.to.emit(escrow, "ClaimRuled")
      .and.not.to.emit(escrow, "ClaimResolved");
    expect((await court.dispute(disputeId)).phase).to.equal(CourtPhase.Solved);
    const c = await escrow.claim(id);
    expect(c.status).to.equal(ClaimStatus.Resolved);
    expect(c.ruling).to.equal(0n);
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Resolved);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
  });

  it("refuses a refund above the money in escrow", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const { id, terms } = await claimedTrade(ctx);
    const refund = terms.price + 1n;
    await expect(
      escrow
        .connect(buyer)
        .settleClaim(id, refund, NO_SIGNATURE, await signSettlement(ctx, seller, id, refund)),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowRefundTooLarge")
      .withArgs(id, refund, terms.price);
  });

  it("refuses a signature that is not the party's, or was given for another amount", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, stranger } = ctx;
    const { id } = await claimedTrade(ctx);
    const refund = USD(1_000);

    await expect(
      escrow
        .connect(buyer)
        .settleClaim(id, refund, NO_SIGNATURE, await signSettlement(ctx, stranger, id, refund)),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(seller.address);
    await expect(
      escrow
        .connect(seller)
        .settleClaim(id, refund, await signSettlement(ctx, buyer, id, refund - 1n), NO_SIGNATURE),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);
    await expect(
      escrow
        .connect(seller)
        .settleClaim(id, refund, await signSettlement(ctx, buyer, id + 1n, refund), NO_SIGNATURE),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Filed);
  });

  it("refuses a caller who is neither party without both signatures", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, stranger } = ctx;
    const { id } = await claimedTrade(ctx);
    await expect(
      escrow
        .connect(stranger)
        .settleClaim(id, 1n, NO_SIGNATURE, await signSettlement(ctx, seller, id, 1n)),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidSignature")
      .withArgs(buyer.address);
  });

  it("refuses an expired or a replayed settlement signature", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const { id } = await claimedTrade(ctx);
    const deadline = (await now()) + 100n;
    const expired = await signSettlement(ctx, seller, id, 1n, nextNonce(), deadline);
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(buyer).settleClaim(id, 1n, NO_SIGNATURE, expired))
      .to.be.revertedWithCustomError(escrow, "EscrowSignatureExpired")
      .withArgs(seller.address, deadline);

    const nonce = nextNonce();
    await escrow.connect(seller).invalidateNonce(nonce);
    const replayed = await signSettlement(ctx, seller, id, 1n, nonce);
    await expect(escrow.connect(buyer).settleClaim(id, 1n, NO_SIGNATURE, replayed))
      .to.be.revertedWithCustomError(escrow, "EscrowNonceUsed")
      .withArgs(seller.address, nonce);
  });

  it("refuses a trade with no claim, and a claim that is Ruled or Resolved", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const none = await shipWithWindow(ctx);
    const resolved = await claimedTrade(ctx);
    await escrow.connect(seller).acceptClaim(resolved.id);
    const ruled = await contestedTrade(ctx);
    await hearAndFinalize(ctx, ruled.disputeId, [REJECT, REJECT, REJECT]);

    for (const [trade, status] of [
      [none, ClaimStatus.None],
      [ruled, ClaimStatus.Ruled],
      [resolved, ClaimStatus.Resolved],
    ] as const) {
      await expect(
        escrow
          .connect(buyer)
          .settleClaim(trade.id, 1n, NO_SIGNATURE, await signSettlement(ctx, seller, trade.id, 1n)),
      )
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(trade.id, status);
    }
  });
});

describe("TradeEscrow.contestClaim", function () {
  it("takes the claim to the court: a dispute with 10,001 choices, the evidence events, the claim Contested", async function () {
    const ctx = await useClaims();
    const { escrow, court, seller } = ctx;
    const { id, terms } = await claimedTrade(ctx);
    const cost = await courtCost(ctx, terms);
    expect(cost).to.equal(3n * ethers.parseEther("0.01"));
    const courtAddress = await court.getAddress();
    const counter = cid("seller-counter-evidence");

    const tx = escrow.connect(seller).contestClaim(id, counter, { value: cost });
    await expect(tx)
      .to.emit(escrow, "ClaimContested")
      .withArgs(id, courtAddress, 1n)
      .and.to.emit(escrow, "Dispute")
      // The dispute is about version 0 of the terms, whose meta-evidence the opening published.
      .withArgs(courtAddress, 1n, id << 16n, id)
      .and.to.emit(escrow, "Evidence")
      .withArgs(courtAddress, id, seller.address, counter)
      .and.to.emit(court, "DisputeCreation")
      .withArgs(1n, await escrow.getAddress());
    await expect(tx).to.changeEtherBalances(ethers, [seller, court, escrow], [-cost, cost, 0n]);
    await expect(tx).not.to.emit(escrow, "MetaEvidence");
    const published = await escrow.queryFilter(escrow.filters.MetaEvidence(id << 16n));
    expect(published.map((e) => e.args.evidenceCid)).to.deep.equal([terms.manifestCid]);

    const c = await escrow.claim(id);
    expect(c.status).to.equal(ClaimStatus.Contested);
    expect(c.disputeId).to.equal(1n);
    const d = await court.dispute(1n);
    expect(d.arbitrable).to.equal(await escrow.getAddress());
    expect(d.choices).to.equal(CLAIM_CHOICES);
    expect(d.phase).to.equal(CourtPhase.Drawing);
    expect(d.feePool).to.equal(cost);
    expect(d.terms.panelSize).to.equal(3n);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Delivered);
  });

  it("never draws the buyer, the seller or the operator, even when they are accredited arbitrators", async function () {
    const ctx = await useClaims();
    const { court, admin, buyer, seller, operator, arbitrators } = ctx;
    for (const party of [buyer, seller, operator]) {
      await court.connect(admin).accreditArbitrator(party.address);
    }
    expect(await court.arbitrators()).to.have.length(10);
    const { id, disputeId } = await contestedTrade(ctx);
    const parties = [buyer.address, seller.address, operator.address];

    const { panel } = await hearRound(ctx, disputeId, [REJECT, REJECT, REJECT]);
    expect(panel).to.have.length(3);
    for (const member of panel) expect(parties).to.not.include(member.address);

    await ctx.escrow.connect(buyer).appealRuling(id, { value: await appealCostOf(ctx, disputeId) });
    const appealPanel = await drawPanel(ctx, disputeId);
    expect(appealPanel.map((m) => m.address).sort()).to.deep.equal(
      arbitrators.map((a) => a.address).sort(),
    );
  });

  it("never opens a trade whose padded court terms would keep the seller from contesting or put the parties on the panel", async function () {
    const ctx = await useClaims();
    const { escrow, court, admin, buyer, seller, operator, stranger, relayer, treasury } = ctx;
    // Only the parties are accredited, so a panel can only be drawn if the court fails to exclude them.
    for (const party of [buyer, seller, operator]) {
      await court.connect(admin).accreditArbitrator(party.address);
    }
    for (const arbitrator of ctx.arbitrators) {
      await court.connect(admin).revokeArbitrator(arbitrator.address);
    }
    // Court terms followed by an exclusion list of bystanders, ahead of the parties the escrow appends.
    const padded = ethers.concat([
      courtTerms(),
      ethers.AbiCoder.defaultAbiCoder().encode(
        ["address[3]"],
        [[stranger.address, relayer.address, treasury.address]],
      ),
    ]);
    const terms = await claimTerms(ctx, { arbitratorExtraData: padded });
    const refusedAtOpening = await escrow
      .connect(buyer)
      .proposeTrade.staticCall(terms)
      .then(
        () => false,
        () => true,
      );
    // Refusing such terms when the trade opens is one correct answer; otherwise the seller must still
    // be able to contest, and the court must still exclude the parties.
    if (refusedAtOpening) return;

    const { id } = await claimedTrade(ctx, { overrides: { arbitratorExtraData: padded } });
    const disputeId = await contest(ctx, id, terms);
    await mine(1);
    await expect(court.drawPanel(disputeId))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(0);
  });

  it("refuses a fee other than the court's arbitration cost", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const { id, terms } = await claimedTrade(ctx);
    const cost = await courtCost(ctx, terms);
    for (const sent of [0n, cost - 1n, cost + 1n]) {
      await expect(escrow.connect(seller).contestClaim(id, cid("counter"), { value: sent }))
        .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
        .withArgs(cost, sent);
    }
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Filed);
  });

  it("refuses anyone but the seller", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, operator, stranger } = ctx;
    const { id, terms } = await claimedTrade(ctx);
    const cost = await courtCost(ctx, terms);
    for (const caller of [buyer, operator, stranger]) {
      await expect(escrow.connect(caller).contestClaim(id, cid("counter"), { value: cost }))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("accepts a contest at the business-day deadline of a claim filed on a Saturday", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const filedAt = nextWeekday(await now(), Weekday.Saturday);
    const { id, terms } = await claimFiledAt(ctx, filedAt);
    const deadline = addBusinessDays(filedAt, terms.responseDays);
    // Saturday + 7 business days: Monday 00:00 to the Wednesday after next, 00:00.
    expect(deadline).to.equal(filedAt - (filedAt % BigInt(DAY)) + days(11));

    await time.setNextBlockTimestamp(deadline);
    await expect(
      escrow
        .connect(seller)
        .contestClaim(id, cid("counter"), { value: await courtCost(ctx, terms) }),
    ).to.emit(escrow, "ClaimContested");
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Contested);
  });

  it("refuses a contest one second after the business-day deadline", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const filedAt = nextWeekday(await now(), Weekday.Saturday);
    const { id, terms } = await claimFiledAt(ctx, filedAt);
    const deadline = addBusinessDays(filedAt, terms.responseDays);
    const cost = await courtCost(ctx, terms);

    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(escrow.connect(seller).contestClaim(id, cid("counter"), { value: cost }))
      .to.be.revertedWithCustomError(escrow, "EscrowDeadlinePassed")
      .withArgs(id, deadline);
  });

  it("refuses a trade with no claim and a claim already contested", async function () {
    const ctx = await useClaims();
    const { escrow, seller } = ctx;
    const none = await shipWithWindow(ctx);
    const contested = await contestedTrade(ctx);
    const cost = await courtCost(ctx, none.terms);
    for (const [trade, status] of [
      [none, ClaimStatus.None],
      [contested, ClaimStatus.Contested],
    ] as const) {
      await expect(escrow.connect(seller).contestClaim(trade.id, cid("c"), { value: cost }))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(trade.id, status);
    }
  });
});

describe("TradeEscrow rulings through the ArbitrationCourt", function () {
  it("executes the panel's median: votes of 1,000, 2,000 and 3,000 bps refund 2,000 bps", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer, seller, treasury, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { refundBps: 2_500 },
    });
    const votes = [choiceFor(1_000), choiceFor(3_000), choiceFor(2_000)];

    await hearRound(ctx, disputeId, votes);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Contested);
    await expect(finalizeRuling(ctx, disputeId))
      .to.emit(escrow, "Ruling")
      .withArgs(await court.getAddress(), disputeId, choiceFor(2_000))
      .and.to.emit(escrow, "ClaimRuled")
      .withArgs(id, disputeId, choiceFor(2_000));
    const c = await escrow.claim(id);
    expect(c.status).to.equal(ClaimStatus.Ruled);
    expect(c.ruling).to.equal(choiceFor(2_000));

    const refund = refundOf(terms.price, 2_000);
    const fee = feeOf(terms.price - refund, terms.feeBps);
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refund, 0)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - refund - fee, fee)
      .and.not.to.emit(escrow, "OperatorSlashed");
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Resolved);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - refund - fee + SELLER_BOND);
    expect(await creditOf(ctx, treasury, terms)).to.equal(fee);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Completed);
  });

  it("caps the refund at what the buyer asked when the panel awards more", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { refundBps: 1_500 },
    });
    await hearAndFinalize(ctx, disputeId, [choiceFor(1_000), choiceFor(2_000), choiceFor(3_000)]);
    expect((await escrow.claim(id)).ruling).to.equal(choiceFor(2_000));

    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refundOf(terms.price, 1_500), 0);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refundOf(terms.price, 1_500));
  });

  it("rejects the claim on choice 1: no refund, the seller is paid in full", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx);
    await hearAndFinalize(ctx, disputeId, [REJECT, choiceFor(500), REJECT]);
    expect((await escrow.claim(id)).ruling).to.equal(REJECT);

    const fee = feeOf(terms.price, terms.feeBps);
    const tx = await escrow.connect(stranger).executeRuling(id);
    await expect(tx)
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, 0, 0)
      .and.to.emit(escrow, "FundsReleased")
      .withArgs(id, terms.price - fee, fee);
    const credited = await eventsIn(ctx, tx, "Credited");
    expect(credited.map((e) => e?.args.account)).to.not.include(buyer.address);
    expect(await creditOf(ctx, buyer, terms)).to.equal(0n);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - fee + SELLER_BOND);
  });

  it("refunds half the amount asked, rounded down, when the court refuses to rule (nobody reveals in three panels)", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { refundBps: 1_001 },
    });

    await expect(refuseToRule(ctx, disputeId))
      .to.emit(escrow, "Ruling")
      .withArgs(await court.getAddress(), disputeId, 0)
      .and.to.emit(escrow, "ClaimRuled")
      .withArgs(id, disputeId, 0);
    const c = await escrow.claim(id);
    expect(c.status).to.equal(ClaimStatus.Ruled);
    expect(c.ruling).to.equal(0n);
    expect((await court.dispute(disputeId)).attempt).to.equal(2n);

    const refund = refundOf(terms.price, 500); // 1,001 / 2 = 500 bps
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refund, 0);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
  });

  it("material damage ruled at 10,000 bps refunds the whole price and the costs from the bond", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, operator, stranger } = ctx;
    const costs = USD(2_000);
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { ground: ClaimGround.MaterialDamage, costs },
    });
    const whole = choiceFor(10_000);
    await hearAndFinalize(ctx, disputeId, [whole, whole, REJECT]);
    const openBefore = await openTradesOf(ctx, operator);

    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, terms.price, costs)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Refunded)
      .and.not.to.emit(escrow, "FundsReleased");
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + costs);
    expect(await creditOf(ctx, seller, terms)).to.equal(SELLER_BOND - costs);
    expect(await openTradesOf(ctx, operator)).to.equal(openBefore - 1n);
    const t = await escrow.trade(id);
    expect(t.escrowed).to.equal(0n);
    expect(t.sellerBond).to.equal(0n);
  });

  it("material damage ruled below the whole price reimburses no costs", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { ground: ClaimGround.MaterialDamage, costs: USD(2_000) },
    });
    await hearAndFinalize(ctx, disputeId, [choiceFor(5_000), choiceFor(5_000), choiceFor(9_999)]);

    const refund = refundOf(terms.price, 5_000);
    const fee = feeOf(terms.price - refund, terms.feeBps);
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refund, 0);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);
    expect(await creditOf(ctx, seller, terms)).to.equal(terms.price - refund - fee + SELLER_BOND);
  });

  it("a 10% false-attestation ruling slashes 10% of the operator's bond to the buyer, in the bond token, and the rest stays bonded", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, operator, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { ground: ClaimGround.FalseAttestation, refundBps: 1_000 },
    });
    await hearAndFinalize(ctx, disputeId, [choiceFor(1_000), choiceFor(1_000), REJECT]);
    const bondToken = await escrow.bondToken();
    expect(bondToken).to.equal(ethers.ZeroAddress);
    expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND);

    const refund = refundOf(terms.price, 1_000);
    const slashed = OPERATOR_BOND / 10n;
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refund, 0)
      .and.to.emit(escrow, "OperatorSlashed")
      .withArgs(operator.address, id, buyer.address, slashed)
      .and.to.emit(escrow, "Credited")
      .withArgs(buyer.address, ethers.ZeroAddress, id, slashed);
    expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND - slashed);
    expect(await escrow.withdrawable(buyer.address, ethers.ZeroAddress)).to.equal(slashed);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);

    await expect(escrow.connect(buyer).withdraw(ethers.ZeroAddress)).to.changeEtherBalances(
      ethers,
      [buyer, escrow],
      [slashed, -slashed],
    );
  });

  it("a whole-price false-attestation ruling slashes the whole bond; a 1 bp one slashes 1 bp of it", async function () {
    for (const [bps, expected] of [
      [10_000, OPERATOR_BOND],
      [1, OPERATOR_BOND / 10_000n],
    ] as const) {
      const ctx = await useClaims();
      const { escrow, buyer, operator, stranger } = ctx;
      const { id, disputeId } = await contestedTrade(ctx, {
        request: { ground: ClaimGround.FalseAttestation, refundBps: bps },
      });
      await hearAndFinalize(ctx, disputeId, [choiceFor(bps), choiceFor(bps), REJECT]);

      await expect(escrow.connect(stranger).executeRuling(id))
        .to.emit(escrow, "OperatorSlashed")
        .withArgs(operator.address, id, buyer.address, expected);
      expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND - expected);
    }
  });

  it("a false-attestation claim the court rejects leaves the operator's bond alone", async function () {
    const ctx = await useClaims();
    const { escrow, operator, stranger } = ctx;
    const { id, disputeId } = await contestedTrade(ctx, {
      request: { ground: ClaimGround.FalseAttestation, refundBps: 1_000 },
    });
    await hearAndFinalize(ctx, disputeId, [REJECT, REJECT, choiceFor(1_000)]);

    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, 0, 0)
      .and.not.to.emit(escrow, "OperatorSlashed");
    expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND);
  });

  it("a court that refuses to rule on a false attestation does not slash the operator", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, operator, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { ground: ClaimGround.FalseAttestation, refundBps: 1_000 },
    });
    await refuseToRule(ctx, disputeId);

    // A refusal proves nothing either way: half the refund asked, but no finding against the operator.
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refundOf(terms.price, 500), 0)
      .and.not.to.emit(escrow, "OperatorSlashed");
    expect((await escrow.operatorBond(operator.address)).bond).to.equal(OPERATOR_BOND);
    expect(await escrow.withdrawable(buyer.address, ethers.ZeroAddress)).to.equal(0n);
  });

  it("finds nothing to slash when the operator's bond is already gone", async function () {
    const ctx = await useClaims();
    const { escrow, admin, buyer, operator, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { ground: ClaimGround.FalseAttestation, refundBps: 1_000 },
    });
    await escrow.connect(admin).setOperatorBondRequirement(operator.address, 0n);
    await escrow.connect(operator).withdrawOperatorBond(OPERATOR_BOND);
    await hearAndFinalize(ctx, disputeId, [choiceFor(1_000), choiceFor(1_000), choiceFor(1_000)]);

    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refundOf(terms.price, 1_000), 0)
      .and.not.to.emit(escrow, "OperatorSlashed");
    expect(await escrow.withdrawable(buyer.address, ethers.ZeroAddress)).to.equal(0n);
  });

  it("refuses to execute before the court has ruled, and twice", async function () {
    const ctx = await useClaims();
    const { escrow, stranger } = ctx;
    const none = await shipWithWindow(ctx);
    const filed = await claimedTrade(ctx);
    const { id, terms, disputeId } = await contestedTrade(ctx);

    for (const [tradeId, , status] of [
      [none.id, none.terms, ClaimStatus.None],
      [filed.id, filed.terms, ClaimStatus.Filed],
      [id, terms, ClaimStatus.Contested],
    ] as const) {
      await expect(escrow.connect(stranger).executeRuling(tradeId))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(tradeId, status);
    }
    await hearRound(ctx, disputeId, [REJECT, REJECT, REJECT]);
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Contested);
    await finalizeRuling(ctx, disputeId);
    await escrow.connect(stranger).executeRuling(id);
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Resolved);
  });

  it("refuses a ruling from an account that is not the dispute's court, or for an unknown dispute", async function () {
    const ctx = await useClaims();
    const { escrow, stranger } = ctx;
    const { id, disputeId } = await contestedTrade(ctx);

    await expect(escrow.connect(stranger).rule(disputeId, REJECT))
      .to.be.revertedWithCustomError(escrow, "EscrowUnknownDispute")
      .withArgs(stranger.address, disputeId);
    const courtAddress = await ctx.court.getAddress();
    await asCourt(ctx, async (court) => {
      await expect(escrow.connect(court).rule(disputeId + 1n, REJECT))
        .to.be.revertedWithCustomError(escrow, "EscrowUnknownDispute")
        .withArgs(courtAddress, disputeId + 1n);
    });
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Contested);
  });

  it("reads a ruling above the choices as the highest, and keeps the rest in escrow when executed inside the window", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, stranger } = ctx;
    const { id, terms, disputeId, arrivedAt } = await contestedTrade(ctx, {
      request: { refundBps: 2_000 },
    });

    await asCourt(ctx, async (court) => {
      await expect(escrow.connect(court).rule(disputeId, 50_000n))
        .to.emit(escrow, "ClaimRuled")
        // The event carries the ruling as the escrow reads it: capped at the highest choice.
        .withArgs(id, disputeId, 10_001n);
    });
    expect((await escrow.claim(id)).ruling).to.equal(CLAIM_CHOICES);

    const refund = refundOf(terms.price, 2_000);
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refund, 0)
      .and.not.to.emit(escrow, "FundsReleased");
    const t = await escrow.trade(id);
    expect(t.state).to.equal(TradeState.Delivered);
    expect(t.escrowed).to.equal(terms.price - refund);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refund);

    await time.setNextBlockTimestamp(arrivedAt + BigInt(terms.claimWindow) + 1n);
    await expect(escrow.connect(stranger).release(id))
      .to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Delivered, TradeState.Completed);
  });
});

describe("TradeEscrow.appealRuling", function () {
  it("lets the buyer appeal the first ruling at the court's appeal cost; the panel of seven rules finally", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { refundBps: 2_500 },
    });
    await hearRound(ctx, disputeId, [REJECT, REJECT, choiceFor(2_500)]);
    expect((await court.dispute(disputeId)).phase).to.equal(CourtPhase.Appealable);
    const cost = await appealCostOf(ctx, disputeId);
    expect(cost).to.equal(7n * ethers.parseEther("0.01"));

    const appeal = escrow.connect(buyer).appealRuling(id, { value: cost });
    await expect(appeal)
      .to.emit(court, "AppealDecision")
      .withArgs(disputeId, await escrow.getAddress());
    await expect(appeal).to.changeEtherBalances(ethers, [buyer, court, escrow], [-cost, cost, 0n]);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Contested);
    const d = await court.dispute(disputeId);
    expect(d.round).to.equal(1n);
    expect(d.phase).to.equal(CourtPhase.Drawing);

    const votes = [1_000, 2_000, 2_000, 3_000, 5_000, 0, 0].map(choiceFor); // median 2,000 bps
    const { panel, close } = await hearRound(ctx, disputeId, votes);
    expect(panel).to.have.length(7);
    expect(new Set(panel.map((m) => m.address)).size).to.equal(7);
    await expect(close)
      .to.emit(escrow, "ClaimRuled")
      .withArgs(id, disputeId, choiceFor(2_000))
      .and.to.emit(escrow, "Ruling")
      .withArgs(await court.getAddress(), disputeId, choiceFor(2_000));
    expect((await court.dispute(disputeId)).phase).to.equal(CourtPhase.Solved);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Ruled);

    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refundOf(terms.price, 2_000), 0);
    expect(await creditOf(ctx, buyer, terms)).to.equal(refundOf(terms.price, 2_000));
  });

  it("leaves the first ruling standing when no appeal panel reveals a vote", async function () {
    const ctx = await useClaims();
    const { escrow, court, seller, stranger } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx, {
      request: { refundBps: 2_000 },
    });
    await hearRound(ctx, disputeId, [choiceFor(1_500), choiceFor(1_500), REJECT]);
    await escrow.connect(seller).appealRuling(id, { value: await appealCostOf(ctx, disputeId) });

    await expect(refuseToRule(ctx, disputeId))
      .to.emit(escrow, "ClaimRuled")
      .withArgs(id, disputeId, choiceFor(1_500));
    expect((await court.dispute(disputeId)).phase).to.equal(CourtPhase.Solved);
    await expect(escrow.connect(stranger).executeRuling(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Ruling, refundOf(terms.price, 1_500), 0);
  });

  it("lets the seller appeal too", async function () {
    const ctx = await useClaims();
    const { escrow, court, seller } = ctx;
    const { id, disputeId } = await contestedTrade(ctx);
    await hearRound(ctx, disputeId, [choiceFor(1_000), choiceFor(1_000), choiceFor(1_000)]);

    await expect(
      escrow.connect(seller).appealRuling(id, { value: await appealCostOf(ctx, disputeId) }),
    )
      .to.emit(court, "AppealDecision")
      .withArgs(disputeId, await escrow.getAddress());
    expect((await court.dispute(disputeId)).round).to.equal(1n);
  });

  it("passes on the court's CourtWrongFee when the appeal cost is wrong", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx);
    await hearRound(ctx, disputeId, [REJECT, REJECT, REJECT]);
    const cost = await appealCostOf(ctx, disputeId);

    for (const sent of [0n, cost - 1n, await courtCost(ctx, terms)]) {
      await expect(escrow.connect(buyer).appealRuling(id, { value: sent }))
        .to.be.revertedWithCustomError(court, "CourtWrongFee")
        .withArgs(cost, sent);
    }
    expect((await court.dispute(disputeId)).phase).to.equal(CourtPhase.Appealable);
  });

  it("refuses an appeal by anyone but the buyer or the seller", async function () {
    const ctx = await useClaims();
    const { escrow, operator, stranger } = ctx;
    const { id, disputeId } = await contestedTrade(ctx);
    await hearRound(ctx, disputeId, [REJECT, REJECT, REJECT]);
    const cost = await appealCostOf(ctx, disputeId);

    for (const caller of [operator, stranger]) {
      await expect(escrow.connect(caller).appealRuling(id, { value: cost }))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("refuses an appeal when no hearing is under way: a Filed claim, or after the final ruling", async function () {
    const ctx = await useClaims();
    const { escrow, buyer } = ctx;
    const filed = await claimedTrade(ctx);
    const ruled = await contestedTrade(ctx);
    await hearAndFinalize(ctx, ruled.disputeId, [REJECT, REJECT, REJECT]);

    for (const [trade, status] of [
      [filed, ClaimStatus.Filed],
      [ruled, ClaimStatus.Ruled],
    ] as const) {
      await expect(
        escrow.connect(buyer).appealRuling(trade.id, { value: ethers.parseEther("0.07") }),
      )
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(trade.id, status);
    }
  });

  it("passes on the court's refusal of an appeal before the first ruling and after its window", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer } = ctx;
    const { id, disputeId } = await contestedTrade(ctx);
    const appealFee = 7n * ethers.parseEther("0.01");

    await expect(escrow.connect(buyer).appealRuling(id, { value: appealFee }))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(disputeId, CourtPhase.Drawing);

    await hearRound(ctx, disputeId, [REJECT, REJECT, REJECT]);
    const { appealDeadline } = await court.dispute(disputeId);
    await time.setNextBlockTimestamp(appealDeadline + 1n);
    await expect(escrow.connect(buyer).appealRuling(id, { value: appealFee }))
      .to.be.revertedWithCustomError(court, "CourtTooLate")
      .withArgs(disputeId, appealDeadline);
    expect((await court.dispute(disputeId)).round).to.equal(0n);
  });

  it("accepts an appeal at the end of its window, and passes on the court's refusal of a second one", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer, seller } = ctx;
    const { id, disputeId } = await contestedTrade(ctx);
    await hearRound(ctx, disputeId, [REJECT, REJECT, REJECT]);
    const { appealDeadline } = await court.dispute(disputeId);
    const appealFee = await appealCostOf(ctx, disputeId);

    await time.setNextBlockTimestamp(appealDeadline);
    await expect(escrow.connect(buyer).appealRuling(id, { value: appealFee })).to.emit(
      court,
      "AppealDecision",
    );
    await expect(escrow.connect(seller).appealRuling(id, { value: appealFee }))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(disputeId, CourtPhase.Drawing);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Contested);
  });
});

describe("TradeEscrow.submitEvidence", function () {
  it("lets the buyer, the seller and the operator add evidence while the claim is Filed, Contested or Ruled", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer, seller, operator } = ctx;
    const courtAddress = await court.getAddress();
    const { id, terms } = await claimedTrade(ctx);

    for (const party of [buyer, seller, operator]) {
      const evidence = cid(`evidence-filed-${party.address}`);
      await expect(escrow.connect(party).submitEvidence(id, evidence))
        .to.emit(escrow, "Evidence")
        .withArgs(courtAddress, id, party.address, evidence);
    }
    const disputeId = await contest(ctx, id, terms);
    await expect(escrow.connect(buyer).submitEvidence(id, cid("contested")))
      .to.emit(escrow, "Evidence")
      .withArgs(courtAddress, id, buyer.address, cid("contested"));
    await hearAndFinalize(ctx, disputeId, [REJECT, REJECT, REJECT]);
    expect((await escrow.claim(id)).status).to.equal(ClaimStatus.Ruled);
    await expect(escrow.connect(operator).submitEvidence(id, cid("ruled")))
      .to.emit(escrow, "Evidence")
      .withArgs(courtAddress, id, operator.address, cid("ruled"));
  });

  it("refuses anyone who is not a party or the operator", async function () {
    const ctx = await useClaims();
    const { escrow, agency, stranger } = ctx;
    const { id } = await claimedTrade(ctx);
    for (const caller of [stranger, agency]) {
      await expect(escrow.connect(caller).submitEvidence(id, cid("x")))
        .to.be.revertedWithCustomError(escrow, "EscrowUnauthorized")
        .withArgs(id, caller.address);
    }
  });

  it("refuses evidence when no claim is open: none filed, or resolved", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const none = await shipWithWindow(ctx);
    const resolved = await claimedTrade(ctx);
    await escrow.connect(seller).acceptClaim(resolved.id);

    for (const [trade, status] of [
      [none, ClaimStatus.None],
      [resolved, ClaimStatus.Resolved],
    ] as const) {
      await expect(escrow.connect(buyer).submitEvidence(trade.id, cid("late")))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
        .withArgs(trade.id, status);
    }
  });
});

describe("TradeEscrow.amend during a claim", function () {
  it("refuses an amendment while the court hears the claim and after it ruled", async function () {
    const ctx = await useClaims();
    const { escrow } = ctx;
    const { id, terms, disputeId } = await contestedTrade(ctx);
    const amended = { ...terms, responseDays: 9 };

    await expect(amendSigned(ctx, id, amended))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Contested);
    await hearAndFinalize(ctx, disputeId, [REJECT, REJECT, REJECT]);
    await expect(amendSigned(ctx, id, amended))
      .to.be.revertedWithCustomError(escrow, "EscrowInvalidClaimStatus")
      .withArgs(id, ClaimStatus.Ruled);
    expect((await escrow.trade(id)).version).to.equal(0n);
  });

  it("allows an amendment while the claim is Filed; a refund above the escrow is capped at what it holds", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, seller } = ctx;
    const costs = USD(1_000);
    const { id, terms } = await claimedTrade(ctx, {
      deliver: false,
      request: { ground: ClaimGround.MaterialDamage, costs },
    });
    const raised = { ...terms, price: terms.price + USD(10_000) };
    await expect(amendSigned(ctx, id, raised)).to.emit(escrow, "TradeAmended");
    expect((await escrow.trade(id)).escrowed).to.equal(terms.price);

    await expect(escrow.connect(seller).acceptClaim(id))
      .to.emit(escrow, "ClaimResolved")
      .withArgs(id, ClaimOutcome.Accepted, terms.price, costs)
      .and.to.emit(escrow, "TradeStateChanged")
      .withArgs(id, TradeState.Shipped, TradeState.Refunded);
    expect(await creditOf(ctx, buyer, terms)).to.equal(terms.price + costs);
    expect(await creditOf(ctx, seller, terms)).to.equal(SELLER_BOND - costs);
  });
});

describe("TradeEscrow opening a trade with a claim window", function () {
  it("refuses a claim window naming a court without COURT_ROLE", async function () {
    const ctx = await useClaims();
    const { escrow, admin, treasury, buyer, seller, relayer } = ctx;
    const rogue = await ethers.deployContract("ArbitrationCourt", [
      admin.address,
      treasury.address,
    ]);
    const terms = await claimTerms(ctx, { arbitrator: await rogue.getAddress() });

    await expect(escrow.connect(buyer).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowArbitratorNotAccredited")
      .withArgs(await rogue.getAddress());
    await expect(
      escrow
        .connect(relayer)
        .openTrade(
          terms,
          await signOpen(ctx, buyer, terms, nextNonce()),
          await signOpen(ctx, seller, terms, nextNonce()),
        ),
    )
      .to.be.revertedWithCustomError(escrow, "EscrowArbitratorNotAccredited")
      .withArgs(await rogue.getAddress());
  });

  it("refuses a claim window with no business days for the seller to answer", async function () {
    const ctx = await useClaims();
    const { escrow, buyer } = ctx;
    const terms = await claimTerms(ctx, { responseDays: 0 });
    await expect(escrow.connect(buyer).proposeTrade(terms))
      .to.be.revertedWithCustomError(escrow, "EscrowMissingDuration")
      .withArgs(ScheduleTerm.ResponseDays);
  });

  it("refuses court terms the court would not accept", async function () {
    const ctx = await useClaims();
    const { escrow, court, buyer } = ctx;
    const bad = ethers.AbiCoder.defaultAbiCoder().encode(
      ["tuple(uint8,uint32,uint32,uint32,uint96)"],
      [[2, DAY, DAY, DAY, ethers.parseEther("0.01")]],
    );
    const terms = await claimTerms(ctx, { arbitratorExtraData: bad });
    await expect(escrow.connect(buyer).proposeTrade(terms))
      .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
      .withArgs(2, DAY, DAY);
  });

  it("opens a trade without a claim window whatever court it names, and with zero response days", async function () {
    const ctx = await useClaims();
    const { escrow, buyer, stranger } = ctx;
    const terms = await claimTerms(ctx, {
      claimWindow: 0,
      responseDays: 0,
      arbitrator: stranger.address,
    });
    await expect(escrow.connect(buyer).proposeTrade(terms)).to.emit(escrow, "TradeProposed");
    const id = await openAndShip(ctx, terms);
    expect((await escrow.trade(id)).state).to.equal(TradeState.Shipped);
  });
});
