// Length: one describe per phase of a dispute (terms, draw, commit, reveal, close, appeal, fees),
// each with its refusals.
/*
 * ArbitrationCourt: accreditation, disputes, the panel draw, sealed votes, the median ruling, fees,
 * the one appeal, and delivery to the arbitrable.
 *
 * Properties (fast-check, seed printed on failure):
 * - the draw: a panel is `min(size, largest odd number of eligible arbitrators)` distinct accredited
 *   arbitrators, never one of the accounts the arbitrable excluded, and it is exactly the partial
 *   Fisher-Yates shuffle seeded by the hash of the draw block (mined after the dispute was created), so
 *   no party can steer it;
 * - withholding the draw: whatever a party waits or times (within the 256 readable blocks, at the
 *   edge, or far past it), the panel it gets is one of two fixed before it could act: the draw
 *   block's panel, or the fallback panel whose seed was fixed when the dispute was created
 *   (fixed fast-check seed, many disputes and strategies per run);
 * - the ruling: for panels of 1, 3 and 5 with any subset of revealed votes, the ruling is the lower
 *   median of the revealed choices, and the Credited fees add up exactly to the pool: an equal share to
 *   each revealer, the rounding remainder to the revealer first on the panel, nothing to the others;
 *   a round with no reveal is drawn again with the pool intact.
 *
 * Delivery: the court settles its own accounts and solves the dispute before it calls `rule`, inside
 * try/catch; a refusing (or re-entering, or codeless) arbitrable gets RulingDeliveryFailed and anyone may
 * retry with deliverRuling.
 */
import { expect } from "chai";
import { ethers, mine, networkHelpers, time } from "./fixtures/hardhat";
import fc from "fast-check";
import type { ContractTransactionResponse } from "ethers";
import type { ArbitrationCourt } from "../typechain-types";
import {
  ACCREDITED,
  DAY,
  DEFAULT_ADMIN_ROLE,
  DisputeStatus,
  ESCROW_CHOICES,
  FEE,
  HOUR,
  MAX_UINT256,
  Phase,
  TERMS,
  afterRevealWindow,
  appealCostOf,
  appealDispute,
  commit,
  costOf,
  drawPanel,
  encodeTermWords,
  encodeTerms,
  fallbackSeedOf,
  hear,
  lowerMedian,
  openDispute,
  reveal,
  saltOf,
  signerOf,
  simulateDraw,
  simulateSeededDraw,
  toRevealWindow,
  useCourt,
  vote,
} from "./fixtures/court";
import type { CourtContext, CourtTerms, Vote } from "./fixtures/court";

async function blockTimeOf(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

async function blockNumberOf(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await tx.wait();
  return BigInt(receipt!.blockNumber);
}

async function blockHashOf(blockNumber: bigint): Promise<string> {
  const block = await ethers.provider.getBlock(blockNumber);
  return block!.hash!;
}

/** Every Credited event of `tx`, as account => amount (lower-case addresses). */
async function creditsOf(
  court: ArbitrationCourt,
  tx: ContractTransactionResponse,
): Promise<Map<string, bigint>> {
  const receipt = await tx.wait();
  const credits = new Map<string, bigint>();
  for (const log of receipt!.logs) {
    const parsed = court.interface.parseLog(log);
    if (parsed?.name !== "Credited") continue;
    const account = (parsed.args[0] as string).toLowerCase();
    credits.set(account, (credits.get(account) ?? 0n) + (parsed.args[2] as bigint));
  }
  return credits;
}

/** Opens a dispute and takes it to its first ruling with three votes 7, 2, 5 (ruling 5). */
async function ruledDispute(ctx: CourtContext, terms: Partial<CourtTerms> = {}) {
  const id = await openDispute(ctx, { terms });
  const panel = await hear(ctx, id, [7, 2, 5]);
  return { id, panel };
}

const courtAddress = (ctx: CourtContext) => ctx.court.getAddress();

/** The revert data of MockArbitrable refusing `ruling` of `id`, as RulingDeliveryFailed carries it. */
function refusal(ctx: CourtContext, id: bigint, ruling: number | bigint): string {
  return ctx.arbitrable.interface.encodeErrorResult("MockArbitrableRefused", [id, ruling]);
}

/** The revert data of the court's reentrancy guard. */
function reentrantCall(ctx: CourtContext): string {
  return ctx.court.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []);
}

const YEAR = 365 * DAY;

/** Fixed, so every run checks the same cases (FUZZ_SEED=<n> replays another). */
const PROPERTY_SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
describe("ArbitrationCourt: deployment", function () {
  it("grants the admin role and sets the treasury, announcing it", async function () {
    const { court, admin, treasury } = await useCourt();
    expect(await court.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
    await expect(court.deploymentTransaction())
      .to.emit(court, "TreasurySet")
      .withArgs(treasury.address);
    expect(await court.MAX_ATTEMPTS()).to.equal(3);
    expect(await court.MAX_CHOICES()).to.equal(10_001);
  });

  it("refuses a zero admin or a zero treasury", async function () {
    const { admin, treasury } = await useCourt();
    const factory = await ethers.getContractFactory("ArbitrationCourt");
    await expect(
      factory.deploy(ethers.ZeroAddress, treasury.address),
    ).to.be.revertedWithCustomError(factory, "CourtZeroAddress");
    await expect(factory.deploy(admin.address, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      factory,
      "CourtZeroAddress",
    );
  });
});

describe("ArbitrationCourt: accreditArbitrator", function () {
  it("accredits an arbitrator, lists it and announces it", async function () {
    const { court, admin, spares, arbitrators } = await useCourt();
    const newcomer = spares[0]!;
    await expect(court.connect(admin).accreditArbitrator(newcomer.address))
      .to.emit(court, "ArbitratorAccredited")
      .withArgs(newcomer.address);
    expect(await court.arbitrators()).to.deep.equal([
      ...arbitrators.map((a) => a.address),
      newcomer.address,
    ]);
  });

  it("refuses an arbitrator who is already accredited", async function () {
    const { court, admin, arbitrators } = await useCourt();
    await expect(court.connect(admin).accreditArbitrator(arbitrators[0]!.address))
      .to.be.revertedWithCustomError(court, "CourtAccreditation")
      .withArgs(arbitrators[0]!.address, true);
  });

  it("refuses the zero address", async function () {
    const { court, admin } = await useCourt();
    await expect(
      court.connect(admin).accreditArbitrator(ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(court, "CourtZeroAddress");
  });

  it("refuses anyone but the admin", async function () {
    const { court, stranger, spares } = await useCourt();
    await expect(court.connect(stranger).accreditArbitrator(spares[0]!.address))
      .to.be.revertedWithCustomError(court, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
  });
});

describe("ArbitrationCourt: revokeArbitrator", function () {
  it("revokes an arbitrator, announces it and moves the last one into its place", async function () {
    const { court, admin, arbitrators } = await useCourt();
    const gone = arbitrators[1]!;
    await expect(court.connect(admin).revokeArbitrator(gone.address))
      .to.emit(court, "ArbitratorRevoked")
      .withArgs(gone.address);
    const expected = arbitrators.map((a) => a.address);
    expected[1] = expected.pop()!;
    expect(await court.arbitrators()).to.deep.equal(expected);
  });

  it("keeps the index of the arbitrator it moved, so that one can be revoked too", async function () {
    const { court, admin, arbitrators } = await useCourt();
    const last = arbitrators[ACCREDITED - 1]!;
    await court.connect(admin).revokeArbitrator(arbitrators[0]!.address);
    await expect(court.connect(admin).revokeArbitrator(last.address))
      .to.emit(court, "ArbitratorRevoked")
      .withArgs(last.address);
    const list = await court.arbitrators();
    expect(list).to.have.length(ACCREDITED - 2);
    expect(list).to.not.include(last.address);
    expect(list).to.not.include(arbitrators[0]!.address);
  });

  it("revokes the last arbitrator of the list and accepts it again later", async function () {
    const { court, admin, arbitrators } = await useCourt();
    const last = arbitrators[ACCREDITED - 1]!;
    await court.connect(admin).revokeArbitrator(last.address);
    expect(await court.arbitrators()).to.deep.equal(
      arbitrators.slice(0, ACCREDITED - 1).map((a) => a.address),
    );
    await expect(court.connect(admin).accreditArbitrator(last.address))
      .to.emit(court, "ArbitratorAccredited")
      .withArgs(last.address);
  });

  it("refuses an account that is not accredited", async function () {
    const { court, admin, spares, arbitrators } = await useCourt();
    await expect(court.connect(admin).revokeArbitrator(spares[0]!.address))
      .to.be.revertedWithCustomError(court, "CourtAccreditation")
      .withArgs(spares[0]!.address, false);
    await court.connect(admin).revokeArbitrator(arbitrators[0]!.address);
    await expect(court.connect(admin).revokeArbitrator(arbitrators[0]!.address))
      .to.be.revertedWithCustomError(court, "CourtAccreditation")
      .withArgs(arbitrators[0]!.address, false);
  });

  it("refuses anyone but the admin", async function () {
    const { court, stranger, arbitrators } = await useCourt();
    await expect(court.connect(stranger).revokeArbitrator(arbitrators[0]!.address))
      .to.be.revertedWithCustomError(court, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
  });

  it("never draws a revoked arbitrator again", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators } = ctx;
    const revoked = [arbitrators[0]!, arbitrators[4]!, arbitrators[8]!];
    for (const r of revoked) await court.connect(admin).revokeArbitrator(r.address);
    // Six remain; panels of five leave one out each time, so twelve draws exercise the shuffle.
    for (let i = 0; i < 12; i++) {
      if (i > 0) await mine(i);
      const id = await openDispute(ctx, { terms: { panelSize: 5 } });
      const panel = await drawPanel(ctx, id);
      expect(panel).to.have.length(5);
      for (const r of revoked) expect(panel.map((p) => p.address)).to.not.include(r.address);
    }
  });

  it("leaves a panel a revoked arbitrator already sits on, who may still vote and be paid", async function () {
    const ctx = await useCourt();
    const { court, admin } = ctx;
    const id = await openDispute(ctx);
    const panel = await drawPanel(ctx, id);
    const member = panel[0]!;
    await court.connect(admin).revokeArbitrator(member.address);
    expect(await court.panel(id)).to.include(member.address);
    await vote(ctx, id, panel, [4, 4, 4]);
    await expect(court.closeRound(id)).to.emit(court, "Credited").withArgs(member.address, id, FEE);
  });
});

describe("ArbitrationCourt: setTreasury", function () {
  it("sets the treasury and announces it", async function () {
    const { court, admin, spares } = await useCourt();
    await expect(court.connect(admin).setTreasury(spares[0]!.address))
      .to.emit(court, "TreasurySet")
      .withArgs(spares[0]!.address);
  });

  it("refuses the zero address", async function () {
    const { court, admin } = await useCourt();
    await expect(
      court.connect(admin).setTreasury(ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(court, "CourtZeroAddress");
  });

  it("refuses anyone but the admin", async function () {
    const { court, stranger } = await useCourt();
    await expect(court.connect(stranger).setTreasury(stranger.address))
      .to.be.revertedWithCustomError(court, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, DEFAULT_ADMIN_ROLE);
  });
});

describe("ArbitrationCourt: createDispute and arbitrationCost", function () {
  it("creates a dispute for the caller, announces it and schedules the draw for the next block", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, claimant } = ctx;
    const extraData = encodeTerms();
    const tx = arbitrable
      .connect(claimant)
      .createDispute(await courtAddress(ctx), ESCROW_CHOICES, extraData, { value: costOf() });
    await expect(tx)
      .to.emit(court, "DisputeCreation")
      .withArgs(1n, await arbitrable.getAddress());
    await expect(tx).to.changeEtherBalances(ethers, [claimant, court], [-costOf(), costOf()]);
    const created = await blockNumberOf(await tx);
    const d = await court.dispute(1n);
    expect(d.arbitrable).to.equal(await arbitrable.getAddress());
    expect(d.choices).to.equal(ESCROW_CHOICES);
    expect(d.phase).to.equal(Phase.Drawing);
    expect(d.round).to.equal(0);
    expect(d.attempt).to.equal(0);
    expect(d.drawBlock).to.equal(created + 1n);
    expect(d.commitDeadline).to.equal(0);
    expect(d.revealDeadline).to.equal(0);
    expect(d.appealDeadline).to.equal(0);
    expect(d.ruledAt).to.equal(0);
    expect(d.delivered).to.equal(false);
    expect(d.ruling).to.equal(0);
    expect(d.feePool).to.equal(3n * FEE);
    expect(d.terms.panelSize).to.equal(TERMS.panelSize);
    expect(d.terms.commitWindow).to.equal(TERMS.commitWindow);
    expect(d.terms.revealWindow).to.equal(TERMS.revealWindow);
    expect(d.terms.appealWindow).to.equal(TERMS.appealWindow);
    expect(d.terms.feePerArbitrator).to.equal(FEE);
    expect(await court.panel(1n)).to.deep.equal([]);
  });

  it("numbers disputes from one upwards", async function () {
    const ctx = await useCourt();
    expect(await openDispute(ctx)).to.equal(1n);
    expect(await openDispute(ctx)).to.equal(2n);
    expect(await openDispute(ctx, { excluded: [ctx.claimant.address] })).to.equal(3n);
  });

  it("costs panelSize times the fee per arbitrator, as arbitrationCost says", async function () {
    const { court } = await useCourt();
    expect(await court.arbitrationCost(encodeTerms())).to.equal(3n * FEE);
    expect(
      await court.arbitrationCost(encodeTerms({ panelSize: 15, feePerArbitrator: 7n })),
    ).to.equal(105n);
    expect(await court.arbitrationCost(encodeTerms({ feePerArbitrator: 0n }))).to.equal(0n);
    const max96 = 2n ** 96n - 1n;
    expect(
      await court.arbitrationCost(encodeTerms({ panelSize: 15, feePerArbitrator: max96 })),
    ).to.equal(15n * max96);
    expect(await court.arbitrationCost(encodeTerms({}, [ethers.ZeroAddress]))).to.equal(3n * FEE);
  });

  it("refuses a fee other than the cost", async function () {
    const { court, claimant } = await useCourt();
    const cost = costOf();
    for (const sent of [0n, cost - 1n, cost + 1n]) {
      await expect(court.connect(claimant).createDispute(2, encodeTerms(), { value: sent }))
        .to.be.revertedWithCustomError(court, "CourtWrongFee")
        .withArgs(cost, sent);
    }
  });

  it("accepts 2 to 10,001 choices and refuses fewer or more", async function () {
    const { court, claimant } = await useCourt();
    for (const choices of [0, 1, 10_002]) {
      await expect(
        court.connect(claimant).createDispute(choices, encodeTerms(), { value: costOf() }),
      )
        .to.be.revertedWithCustomError(court, "CourtInvalidChoices")
        .withArgs(choices);
    }
    await expect(
      court.connect(claimant).createDispute(MAX_UINT256, encodeTerms(), { value: costOf() }),
    )
      .to.be.revertedWithCustomError(court, "CourtInvalidChoices")
      .withArgs(MAX_UINT256);
    for (const choices of [2, 10_001]) {
      await expect(
        court.connect(claimant).createDispute(choices, encodeTerms(), { value: costOf() }),
      ).to.emit(court, "DisputeCreation");
    }
  });

  it("refuses an even, empty or oversized panel, naming the panel and the windows", async function () {
    const { court, claimant } = await useCourt();
    const invalid = [
      { panelSize: 0 },
      { panelSize: 2 },
      { panelSize: 4 },
      { panelSize: 14 },
      { panelSize: 16 },
      { panelSize: 17 },
      { panelSize: 255 },
    ];
    for (const terms of invalid) {
      const t = { ...TERMS, ...terms };
      const extraData = encodeTerms(terms);
      await expect(court.connect(claimant).createDispute(2, extraData, { value: costOf(terms) }))
        .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
        .withArgs(t.panelSize, t.commitWindow, t.revealWindow);
      await expect(court.arbitrationCost(extraData))
        .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
        .withArgs(t.panelSize, t.commitWindow, t.revealWindow);
    }
  });

  it("refuses a window of zero or longer than 365 days, an appeal window of zero included", async function () {
    const { court, claimant } = await useCourt();
    const invalid = [
      { commitWindow: 0 },
      { commitWindow: YEAR + 1 },
      { revealWindow: 0 },
      { revealWindow: YEAR + 1 },
      { appealWindow: 0 },
      { appealWindow: YEAR + 1 },
      { commitWindow: 0, revealWindow: 0, appealWindow: 0 },
    ];
    for (const terms of invalid) {
      const t = { ...TERMS, ...terms };
      for (const extraData of [encodeTerms(terms), encodeTerms(terms, [claimant.address])]) {
        await expect(court.connect(claimant).createDispute(2, extraData, { value: costOf(terms) }))
          .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
          .withArgs(t.panelSize, t.commitWindow, t.revealWindow);
        await expect(court.arbitrationCost(extraData))
          .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
          .withArgs(t.panelSize, t.commitWindow, t.revealWindow);
      }
    }
  });

  it("range-checks every word in full, naming its values truncated to uint8 and uint32", async function () {
    const { court, claimant } = await useCourt();
    const max96 = 2n ** 96n - 1n;
    // [words, panelSize, commitWindow, revealWindow] as the error reports them.
    const cases: [Parameters<typeof encodeTermWords>[0], number, bigint, bigint][] = [
      // 256 and 257 would pass as panels of 0 and 1 if the court read only the low byte.
      [{ panelSize: 256 }, 0, BigInt(DAY), BigInt(DAY)],
      [{ panelSize: 257 }, 1, BigInt(DAY), BigInt(DAY)],
      [{ panelSize: MAX_UINT256 }, 255, BigInt(DAY), BigInt(DAY)],
      // 2**32 + 1 day would pass as one day if the court read only the low 32 bits.
      [{ commitWindow: 2n ** 32n + BigInt(DAY) }, 3, BigInt(DAY), BigInt(DAY)],
      [{ commitWindow: 2n ** 32n }, 3, 0n, BigInt(DAY)],
      [{ revealWindow: MAX_UINT256 }, 3, BigInt(DAY), 2n ** 32n - 1n],
      [{ appealWindow: 2n ** 32n + 1n }, 3, BigInt(DAY), BigInt(DAY)],
      [{ appealWindow: 2n ** 40n }, 3, BigInt(DAY), BigInt(DAY)],
      // A fee above 2**96 - 1 is named by nothing but the terms that are in range.
      [{ feePerArbitrator: max96 + 1n }, 3, BigInt(DAY), BigInt(DAY)],
      [{ feePerArbitrator: MAX_UINT256 }, 3, BigInt(DAY), BigInt(DAY)],
      [{ panelSize: 5, revealWindow: YEAR + 1 }, 5, BigInt(DAY), BigInt(YEAR + 1)],
    ];
    for (const [words, panelSize, commitWindow, revealWindow] of cases) {
      for (const extraData of [
        encodeTermWords(words),
        encodeTermWords(words, [claimant.address]),
      ]) {
        // The terms are checked before the fee, so no fee is sent.
        await expect(court.connect(claimant).createDispute(2, extraData))
          .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
          .withArgs(panelSize, commitWindow, revealWindow);
        await expect(court.arbitrationCost(extraData))
          .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
          .withArgs(panelSize, commitWindow, revealWindow);
      }
    }
    // The same words in range are the same as the typed encoding.
    expect(encodeTermWords({ feePerArbitrator: max96 })).to.equal(
      encodeTerms({ feePerArbitrator: max96 }),
    );
    expect(await court.arbitrationCost(encodeTermWords({ feePerArbitrator: max96 }))).to.equal(
      3n * max96,
    );
  });

  it("accepts panels of 1 and 15, windows of one second to 365 days, and keeps the terms", async function () {
    const { court, claimant } = await useCourt();
    const valid: Partial<CourtTerms>[] = [
      { panelSize: 1 },
      { panelSize: 15 },
      { commitWindow: 1, revealWindow: 1, appealWindow: 1 },
      { commitWindow: YEAR, revealWindow: YEAR, appealWindow: YEAR },
      { feePerArbitrator: 0n },
    ];
    for (const [i, terms] of valid.entries()) {
      const id = BigInt(i + 1);
      await expect(
        court.connect(claimant).createDispute(2, encodeTerms(terms), { value: costOf(terms) }),
      )
        .to.emit(court, "DisputeCreation")
        .withArgs(id, claimant.address);
      const t = { ...TERMS, ...terms };
      const stored = (await court.dispute(id)).terms;
      expect([
        stored.panelSize,
        stored.commitWindow,
        stored.revealWindow,
        stored.appealWindow,
        stored.feePerArbitrator,
      ]).to.deep.equal([
        BigInt(t.panelSize),
        BigInt(t.commitWindow),
        BigInt(t.revealWindow),
        BigInt(t.appealWindow),
        t.feePerArbitrator,
      ]);
    }
  });

  it("accepts extraData of exactly 160 or 256 bytes and refuses any other length", async function () {
    const { court, claimant, respondent } = await useCourt();
    const terms = encodeTerms();
    const withExcluded = encodeTerms({}, [claimant.address, respondent.address]);
    expect(ethers.dataLength(terms)).to.equal(160);
    expect(ethers.dataLength(withExcluded)).to.equal(256);
    const word = ethers.zeroPadValue(claimant.address, 32);
    const invalid = [
      "0x",
      ethers.dataSlice(terms, 0, 32),
      ethers.dataSlice(terms, 0, 159),
      ethers.concat([terms, "0x00"]),
      // The terms and one excluded account, not abi.encode(address[3]).
      ethers.concat([terms, word]),
      ethers.concat([terms, word, word]),
      ethers.dataSlice(withExcluded, 0, 255),
      ethers.concat([withExcluded, "0x00"]),
      ethers.concat([withExcluded, word]),
      ethers.concat([withExcluded, word, word]),
      // The length is checked first: out-of-range words at a wrong length name no value.
      ethers.concat([encodeTerms({ panelSize: 2 }), word]),
    ];
    for (const extraData of invalid) {
      await expect(court.connect(claimant).createDispute(2, extraData, { value: costOf() }))
        .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
        .withArgs(0, 0, 0);
      await expect(court.arbitrationCost(extraData))
        .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
        .withArgs(0, 0, 0);
    }
    for (const extraData of [terms, withExcluded]) {
      expect(await court.arbitrationCost(extraData)).to.equal(costOf());
      await expect(
        court.connect(claimant).createDispute(2, extraData, { value: costOf() }),
      ).to.emit(court, "DisputeCreation");
    }
  });

  it("never draws the accounts excluded in the 256-byte form", async function () {
    const ctx = await useCourt();
    const { court, arbitrators } = ctx;
    // Nine accredited; each dispute excludes three of them.
    const first = arbitrators.slice(0, 3).map((a) => a.address);
    const second = arbitrators.slice(3, 6).map((a) => a.address);
    const a = await openDispute(ctx, { excluded: first });
    const b = await openDispute(ctx, { excluded: second });
    const panelA = (await drawPanel(ctx, a)).map((p) => p.address);
    const panelB = (await drawPanel(ctx, b)).map((p) => p.address);
    for (const e of first) expect(panelA).to.not.include(e);
    for (const e of second) expect(panelB).to.not.include(e);
    expect(await court.arbitrators()).to.have.length(ACCREDITED);
  });

  it("refuses excluded accounts that are not addresses", async function () {
    // abi.decode of address[3] rejects a word with bits above the 160 of an address.
    const { court, claimant } = await useCourt();
    const dirty = ethers.concat([
      encodeTerms(),
      ethers.toBeHex(2n ** 160n + 1n, 32),
      ethers.ZeroHash,
      ethers.ZeroHash,
    ]);
    expect(ethers.dataLength(dirty)).to.equal(256);
    await expect(
      court.connect(claimant).createDispute(2, dirty, { value: costOf() }),
    ).to.be.revertedWithoutReason(ethers);
  });

  it("checks the choices before the terms and the terms before the fee", async function () {
    const { court, claimant } = await useCourt();
    await expect(court.connect(claimant).createDispute(1, "0x", { value: 1n }))
      .to.be.revertedWithCustomError(court, "CourtInvalidChoices")
      .withArgs(1);
    await expect(court.connect(claimant).createDispute(2, "0x", { value: 1n }))
      .to.be.revertedWithCustomError(court, "CourtInvalidTerms")
      .withArgs(0, 0, 0);
  });
});

describe("ArbitrationCourt: drawPanel", function () {
  it("refuses to draw before the draw block is mined", async function () {
    const ctx = await useCourt();
    const id = await openDispute(ctx);
    const { drawBlock } = await ctx.court.dispute(id);
    // This transaction is mined in the draw block itself, whose hash it cannot know.
    await expect(ctx.court.drawPanel(id))
      .to.be.revertedWithCustomError(ctx.court, "CourtTooEarly")
      .withArgs(id, drawBlock + 1n);
  });

  it("draws distinct accredited arbitrators, announces them and opens the commit window", async function () {
    const ctx = await useCourt();
    const { court, arbitrators, stranger } = ctx;
    const id = await openDispute(ctx, { terms: { panelSize: 5 } });
    const { drawBlock } = await court.dispute(id);
    await mine(1);
    const tx = await court.connect(stranger).drawPanel(id);
    const at = await blockTimeOf(tx);
    const panel = await court.panel(id);
    await expect(tx).to.emit(court, "PanelDrawn").withArgs(id, 0, 0, drawBlock, panel);
    expect(panel).to.have.length(5);
    expect(new Set(panel).size).to.equal(5);
    const accredited = arbitrators.map((a) => a.address);
    for (const member of panel) expect(accredited).to.include(member);
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Commit);
    expect(d.commitDeadline).to.equal(at + BigInt(TERMS.commitWindow));
    expect(d.revealDeadline).to.equal(at + BigInt(TERMS.commitWindow + TERMS.revealWindow));
  });

  it("draws from the hash of the block after creation, so no party can steer the panel", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, claimant, respondent, stranger } = ctx;
    const tx = await arbitrable
      .connect(claimant)
      .createDispute(await court.getAddress(), 7, encodeTerms({ panelSize: 5 }), {
        value: costOf({ panelSize: 5 }),
      });
    const created = await blockNumberOf(tx);
    const { drawBlock } = await court.dispute(1n);
    // The hash the panel comes from belongs to a block that did not exist when the dispute was created.
    expect(drawBlock).to.equal(created + 1n);
    // Nor does it matter who draws or how long after: the hash of the draw block alone decides.
    await mine(120);
    await court.connect(respondent).drawPanel(1n);
    const expected = simulateDraw(
      await blockHashOf(drawBlock),
      1n,
      0,
      0,
      await court.arbitrators(),
      [],
      5,
    );
    expect(await court.panel(1n)).to.deep.equal(expected);
    // Another block hash would have drawn another panel.
    const other = simulateDraw(ethers.ZeroHash, 1n, 0, 0, await court.arbitrators(), [], 5);
    expect(other).to.not.deep.equal(expected);
    await expect(court.connect(stranger).drawPanel(1n))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(1n, Phase.Commit);
  });

  it("property: panels are distinct, eligible, never excluded, and exactly the seeded shuffle", async function () {
    const seed = PROPERTY_SEED;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(1, 3, 5, 7),
        fc.subarray([...Array(ACCREDITED + 2).keys()], { maxLength: 3 }),
        async (before, after, panelSize, excludedIdx) => {
          const ctx = await useCourt();
          const { court, arbitrators, claimant } = ctx;
          // Candidates for exclusion: the accredited arbitrators and two accounts that are not.
          const candidates = [
            ...arbitrators.map((a) => a.address),
            claimant.address,
            ethers.ZeroAddress,
          ];
          const excluded = excludedIdx.map((i) => candidates[i]!);
          if (before > 0) await mine(before);
          const id = await openDispute(ctx, { terms: { panelSize }, excluded });
          await mine(1 + after);
          await court.drawPanel(id);
          const { drawBlock } = await court.dispute(id);
          const panel = await court.panel(id);
          const eligible = arbitrators.filter((a) => !excluded.includes(a.address)).length;
          const size = Math.min(panelSize, eligible % 2 === 1 ? eligible : eligible - 1);
          expect(panel).to.have.length(size);
          expect(new Set(panel).size).to.equal(size);
          for (const member of panel) {
            expect(excluded).to.not.include(member);
            expect(arbitrators.map((a) => a.address)).to.include(member);
          }
          expect(panel).to.deep.equal(
            simulateDraw(
              await blockHashOf(drawBlock),
              id,
              0,
              0,
              await court.arbitrators(),
              excluded,
              panelSize,
            ),
          );
        },
      ),
      { numRuns: 25, seed, verbose: true },
    );
  });

  it("gives every eligible arbitrator a seat in some panel over many draws", async function () {
    const ctx = await useCourt();
    const { court, arbitrators } = ctx;
    const excluded = [arbitrators[2]!.address, arbitrators[5]!.address];
    const seen = new Set<string>();
    for (let i = 0; i < 15; i++) {
      const id = await openDispute(ctx, { terms: { panelSize: 5 }, excluded });
      await drawPanel(ctx, id);
      for (const member of await court.panel(id)) seen.add(member);
    }
    const eligible = arbitrators.map((a) => a.address).filter((a) => !excluded.includes(a));
    expect([...seen].sort()).to.deep.equal([...eligible].sort());
  });

  it("still draws from a draw block exactly 256 blocks old", async function () {
    const ctx = await useCourt();
    const id = await openDispute(ctx);
    const { drawBlock } = await ctx.court.dispute(id);
    // The draw transaction is mined in block drawBlock + 256, the oldest whose hash is readable.
    await mine(Number(drawBlock + 255n - BigInt(await ethers.provider.getBlockNumber())));
    await expect(ctx.court.drawPanel(id)).to.emit(ctx.court, "PanelDrawn");
  });

  it("falls back to the seed fixed at creation when the draw block is older than 256 blocks", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, stranger } = ctx;
    const id = await openDispute(ctx);
    // The fallback seed exists as soon as the dispute does: the arbitrable's first dispute here.
    const seed = fallbackSeedOf(
      (await ethers.provider.getNetwork()).chainId,
      await court.getAddress(),
      await arbitrable.getAddress(),
      1n,
      0,
      0,
    );
    expect(await court.fallbackSeed(id, 0, 0)).to.equal(seed);
    const { drawBlock } = await court.dispute(id);
    await mine(300);
    const tx = court.connect(stranger).drawPanel(id);
    const expected = simulateSeededDraw(seed, await court.arbitrators(), [], 3);
    await expect(tx).to.emit(court, "DrawFellBack").withArgs(id, 0, 0, drawBlock, seed);
    await expect(tx).to.emit(court, "PanelDrawn").withArgs(id, 0, 0, drawBlock, expected);
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Commit);
    expect(d.drawBlock).to.equal(drawBlock);
    expect(await court.panel(id)).to.deep.equal(expected);
  });

  it("announces no fallback for a draw within the 256 readable blocks", async function () {
    const ctx = await useCourt();
    const id = await openDispute(ctx);
    const { drawBlock } = await ctx.court.dispute(id);
    await mine(Number(drawBlock + 255n - BigInt(await ethers.provider.getBlockNumber())));
    const tx = ctx.court.drawPanel(id);
    await expect(tx).to.emit(ctx.court, "PanelDrawn");
    await expect(tx).to.not.emit(ctx.court, "DrawFellBack");
  });

  it("a party that withholds the draw past the block-hash window cannot re-roll the panel", async function () {
    const ctx = await useCourt();
    const { court, claimant, respondent, stranger, arbitrators } = ctx;
    const id = await openDispute(ctx, { terms: { panelSize: 3 } });
    const fallback = simulateSeededDraw(
      await court.fallbackSeed(id, 0, 0),
      await court.arbitrators(),
      [],
      3,
    );
    const { drawBlock } = await court.dispute(id);
    await mine(1);
    const onTime = simulateDraw(
      await blockHashOf(drawBlock),
      id,
      0,
      0,
      await court.arbitrators(),
      [],
      3,
    );
    const start = await networkHelpers.takeSnapshot();
    // The review's attack: wait past the window again and again, hoping for a friendlier panel. Each
    // attempt (a different wait, a different caller, a draw that was itself delayed) gets the same one.
    const callers = [claimant, respondent, stranger, arbitrators[0]!];
    const waits = [257, 258, 300, 511, 512, 513, 1_000, 4_096, 10_000, 50_000, 100_000, 257 * 15];
    for (const [i, wait] of waits.entries()) {
      await start.restore();
      await mine(wait);
      await court.connect(callers[i % callers.length]!).drawPanel(id);
      expect(await court.panel(id), `a draw ${wait} blocks late`).to.deep.equal(fallback);
    }
    // Drawing in time at any moment of the window gives the draw block's panel, the only other one.
    for (const wait of [0, 1, 100, 254]) {
      await start.restore();
      if (wait > 0) await mine(wait);
      await court.connect(callers[wait % callers.length]!).drawPanel(id);
      expect(await court.panel(id), `a draw ${wait} blocks into the window`).to.deep.equal(onTime);
    }
  });

  it("draws a late redraw and a late appeal from their own seeds, fixed when the dispute was created", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const id = await openDispute(ctx);
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const seedOf = async (round: number, attempt: number) =>
      fallbackSeedOf(
        chainId,
        await court.getAddress(),
        await arbitrable.getAddress(),
        1n,
        round,
        attempt,
      );
    const seeds = [await seedOf(0, 0), await seedOf(0, 1), await seedOf(1, 0)];
    expect(new Set(seeds).size).to.equal(3);
    // A first panel that never reveals, then a redraw nobody draws in time.
    await hear(ctx, id, [null, null, null]);
    await mine(300);
    let tx = court.drawPanel(id);
    await expect(tx)
      .to.emit(court, "DrawFellBack")
      .withArgs(id, 0, 1, (await court.dispute(id)).drawBlock, seeds[1]);
    const redraw = await court.panel(id);
    expect(redraw).to.deep.equal(simulateSeededDraw(seeds[1]!, await court.arbitrators(), [], 3));
    await vote(
      ctx,
      id,
      redraw.map((a) => signerOf(ctx, a)),
      [7, 2, 5],
    );
    await court.closeRound(id);
    await appealDispute(ctx, id);
    await mine(300);
    tx = court.drawPanel(id);
    await expect(tx)
      .to.emit(court, "DrawFellBack")
      .withArgs(id, 1, 0, (await court.dispute(id)).drawBlock, seeds[2]);
    expect(await court.panel(id)).to.deep.equal(
      simulateSeededDraw(seeds[2]!, await court.arbitrators(), [], 7),
    );
  });

  it("fixes the fallback seed by the arbitrable's own count, so opening other disputes cannot move it", async function () {
    const ctx = await useCourt();
    const { court, stranger } = ctx;
    const start = await networkHelpers.takeSnapshot();
    const plain = await openDispute(ctx);
    const seed = await court.fallbackSeed(plain, 0, 0);
    await start.restore();
    // Someone opens free disputes of their own first: the dispute id moves, the fallback seed does not.
    const free = encodeTerms({ feePerArbitrator: 0n });
    for (let i = 0; i < 3; i++) await court.connect(stranger).createDispute(2, free);
    const pushed = await openDispute(ctx);
    expect(pushed).to.equal(plain + 3n);
    expect(await court.fallbackSeed(pushed, 0, 0)).to.equal(seed);
    // The arbitrable's next dispute has the next seed.
    const next = await openDispute(ctx);
    expect(await court.fallbackSeed(next, 0, 0)).to.not.equal(seed);
  });

  it("property: whatever a party withholds or times, the panel is one of two fixed before it could see either", async function () {
    // Fixed seed: the runs are the same every time (printed on failure by fast-check).
    const seed = 0x7c0de;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 3, 5),
        fc.subarray([...Array(ACCREDITED).keys()], { maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.oneof(
            // Draw within the window, at some block of it.
            fc.record({
              kind: fc.constant("on time" as const),
              wait: fc.integer({ min: 0, max: 254 }),
            }),
            // Withhold past the window, for a short or a very long time.
            fc.record({
              kind: fc.constant("late" as const),
              wait: fc.integer({ min: 257, max: 200_000 }),
            }),
            // Withhold to just past the edge, where a re-roll used to start.
            fc.record({
              kind: fc.constant("edge" as const),
              wait: fc.integer({ min: 255, max: 260 }),
            }),
          ),
          { minLength: 2, maxLength: 6 },
        ),
        async (panelSize, excludedIdx, disputes, strategies) => {
          const ctx = await useCourt();
          const { court, arbitrators, stranger } = ctx;
          const excluded = excludedIdx.map((i) => arbitrators[i]!.address);
          const accredited = await court.arbitrators();
          // The fallback panels are fixed at creation, before any draw block exists.
          const opened: { id: bigint; fallback: string[] }[] = [];
          for (let k = 0; k < disputes; k++) {
            const id = await openDispute(ctx, { terms: { panelSize }, excluded });
            const fallbackSeed = await court.fallbackSeed(id, 0, 0);
            opened.push({
              id,
              fallback: simulateSeededDraw(fallbackSeed, accredited, excluded, panelSize),
            });
          }
          await mine(1);
          // The draw-block panels are fixed once their blocks are mined, before any strategy acts.
          const fixed = [];
          for (const { id, fallback } of opened) {
            const { drawBlock } = await court.dispute(id);
            const onTime = simulateDraw(
              await blockHashOf(drawBlock),
              id,
              0,
              0,
              accredited,
              excluded,
              panelSize,
            );
            fixed.push({ id, drawBlock, onTime, fallback });
          }
          const start = await networkHelpers.takeSnapshot();
          for (const strategy of strategies) {
            await start.restore();
            if (strategy.wait > 0) await mine(strategy.wait);
            for (const { id, drawBlock, onTime, fallback } of fixed) {
              await court.connect(stranger).drawPanel(id);
              const drawnAt = BigInt(await ethers.provider.getBlockNumber());
              const panel = await court.panel(id);
              expect([onTime, fallback]).to.deep.include(panel);
              expect(panel).to.deep.equal(drawnAt - drawBlock <= 256n ? onTime : fallback);
            }
          }
        },
      ),
      { numRuns: 15, seed, verbose: true },
    );
  });

  it("draws the largest odd number of arbitrators when fewer are eligible than the panel needs", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators } = ctx;
    // Four accredited: a panel of five becomes three.
    for (const a of arbitrators.slice(4)) await court.connect(admin).revokeArbitrator(a.address);
    let id = await openDispute(ctx, { terms: { panelSize: 5 } });
    expect(await drawPanel(ctx, id)).to.have.length(3);
    // Three of them excluded: one is left, and sits alone.
    id = await openDispute(ctx, {
      terms: { panelSize: 5 },
      excluded: arbitrators.slice(0, 3).map((a) => a.address),
    });
    expect((await drawPanel(ctx, id)).map((a) => a.address)).to.deep.equal([
      arbitrators[3]!.address,
    ]);
    // Two accredited: a panel of three becomes one.
    await court.connect(admin).revokeArbitrator(arbitrators[0]!.address);
    await court.connect(admin).revokeArbitrator(arbitrators[1]!.address);
    id = await openDispute(ctx, { terms: { panelSize: 3 } });
    expect(await drawPanel(ctx, id)).to.have.length(1);
  });

  it("refuses to draw when no arbitrator is eligible, and draws once one is accredited", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators, spares } = ctx;
    for (const a of arbitrators.slice(3)) await court.connect(admin).revokeArbitrator(a.address);
    const id = await openDispute(ctx, { excluded: arbitrators.slice(0, 3).map((a) => a.address) });
    await mine(1);
    await expect(court.drawPanel(id))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(0);
    await court.connect(admin).accreditArbitrator(spares[0]!.address);
    const { drawBlock } = await court.dispute(id);
    await expect(court.drawPanel(id))
      .to.emit(court, "PanelDrawn")
      .withArgs(id, 0, 0, drawBlock, [spares[0]!.address]);
  });

  it("refuses to draw with no arbitrator accredited at all", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators } = ctx;
    for (const a of arbitrators) await court.connect(admin).revokeArbitrator(a.address);
    const id = await openDispute(ctx);
    await mine(1);
    await expect(court.drawPanel(id))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(0);
  });

  it("refuses an unknown dispute and a dispute that is not waiting for its draw", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    await expect(court.drawPanel(42n))
      .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
      .withArgs(42n);
    const { id } = await ruledDispute(ctx);
    await expect(court.drawPanel(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Appealable);
  });
});

describe("ArbitrationCourt: abandonDraw", function () {
  /** Revokes every accredited arbitrator. */
  async function revokeAll(ctx: CourtContext): Promise<void> {
    for (const a of ctx.arbitrators) await ctx.court.connect(ctx.admin).revokeArbitrator(a.address);
  }

  /** The first moment abandonDraw accepts: DRAW_TIMEOUT after the draw was scheduled, plus one second. */
  async function abandonableAt(ctx: CourtContext, id: bigint): Promise<bigint> {
    const { drawScheduledAt } = await ctx.court.dispute(id);
    return drawScheduledAt + (await ctx.court.DRAW_TIMEOUT()) + 1n;
  }

  it("a dispute no arbitrator can hear ends after the timeout with ruling 0, the fee to the treasury", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, treasury, stranger } = ctx;
    await revokeAll(ctx);
    const tx0 = await ctx.arbitrable.createDispute(
      await courtAddress(ctx),
      ESCROW_CHOICES,
      encodeTerms(),
      {
        value: costOf(),
      },
    );
    const id = 1n;
    expect((await court.dispute(id)).drawScheduledAt).to.equal(await blockTimeOf(tx0));
    expect(await court.DRAW_TIMEOUT()).to.equal(BigInt(30 * DAY));
    await mine(1);
    await expect(court.drawPanel(id))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(0);
    // Before the timeout: a custom error naming the first moment it may end.
    const at = await abandonableAt(ctx, id);
    await time.setNextBlockTimestamp(at - 1n);
    await expect(court.connect(stranger).abandonDraw(id))
      .to.be.revertedWithCustomError(court, "CourtTooEarly")
      .withArgs(id, at);
    // From then on anyone ends it.
    await time.setNextBlockTimestamp(at);
    const tx = court.connect(stranger).abandonDraw(id);
    await expect(tx).to.emit(court, "DrawAbandoned").withArgs(id, 0, 0, 0);
    await expect(tx).to.emit(court, "Credited").withArgs(treasury.address, id, costOf());
    await expect(tx)
      .to.emit(arbitrable, "Ruling")
      .withArgs(await courtAddress(ctx), id, 0);
    await expect(tx).to.not.emit(court, "RulingDeliveryFailed");
    await expect(tx).to.not.emit(court, "PanelDrawn");
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.delivered).to.equal(true);
    expect(d.ruling).to.equal(0n);
    expect(d.feePool).to.equal(0n);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Solved);
    expect(await arbitrable.rulingOf(id)).to.equal(0n);
    expect(await court.withdrawable(treasury.address)).to.equal(costOf());
    await expect(court.abandonDraw(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
  });

  it("a dispute whose only accredited arbitrators are its parties ends after the timeout", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators, arbitrable } = ctx;
    for (const a of arbitrators.slice(3)) await court.connect(admin).revokeArbitrator(a.address);
    const id = await openDispute(ctx, { excluded: arbitrators.slice(0, 3).map((a) => a.address) });
    await time.setNextBlockTimestamp(await abandonableAt(ctx, id));
    await expect(court.abandonDraw(id)).to.emit(court, "DrawAbandoned").withArgs(id, 0, 0, 0);
    expect(await arbitrable.rulingOf(id)).to.equal(0n);
  });

  it("refuses to abandon while an arbitrator is eligible, even long after the timeout", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators, spares } = ctx;
    const id = await openDispute(ctx, { excluded: [arbitrators[0]!.address] });
    await time.increaseTo(await abandonableAt(ctx, id));
    await expect(court.abandonDraw(id))
      .to.be.revertedWithCustomError(court, "CourtArbitratorsEligible")
      .withArgs(id, ACCREDITED - 1);
    // One eligible arbitrator left is enough to hear it: draw instead.
    for (const a of arbitrators.slice(2)) await court.connect(admin).revokeArbitrator(a.address);
    await court.connect(admin).accreditArbitrator(spares[0]!.address);
    await expect(court.abandonDraw(id))
      .to.be.revertedWithCustomError(court, "CourtArbitratorsEligible")
      .withArgs(id, 2);
    await expect(court.drawPanel(id)).to.emit(court, "PanelDrawn");
  });

  it("an appeal no arbitrator can hear ends after the timeout with the first ruling, the appeal fee to the treasury", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, treasury } = ctx;
    const { id } = await ruledDispute(ctx);
    await appealDispute(ctx, id);
    await revokeAll(ctx);
    const at = await abandonableAt(ctx, id);
    await time.setNextBlockTimestamp(at - 1n);
    await expect(court.abandonDraw(id))
      .to.be.revertedWithCustomError(court, "CourtTooEarly")
      .withArgs(id, at);
    await time.setNextBlockTimestamp(at);
    const tx = court.abandonDraw(id);
    await expect(tx).to.emit(court, "DrawAbandoned").withArgs(id, 1, 0, 5);
    await expect(tx).to.emit(court, "Credited").withArgs(treasury.address, id, appealCostOf());
    await expect(tx)
      .to.emit(arbitrable, "Ruling")
      .withArgs(await courtAddress(ctx), id, 5);
    expect((await court.dispute(id)).phase).to.equal(Phase.Solved);
  });

  it("times out from the latest scheduled draw, so a redraw restarts the clock", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    const first = await abandonableAt(ctx, id);
    await hear(ctx, id, [null, null, null]);
    const second = await abandonableAt(ctx, id);
    expect(second).to.be.greaterThan(first);
    await revokeAll(ctx);
    await time.setNextBlockTimestamp(second - 1n);
    await expect(court.abandonDraw(id))
      .to.be.revertedWithCustomError(court, "CourtTooEarly")
      .withArgs(id, second);
    await time.setNextBlockTimestamp(second);
    await expect(court.abandonDraw(id)).to.emit(court, "DrawAbandoned").withArgs(id, 0, 1, 0);
  });

  it("records a refused delivery of the abandonment, for a retry", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, treasury } = ctx;
    await revokeAll(ctx);
    const id = await openDispute(ctx);
    await arbitrable.setRefuseRulings(true);
    await time.increaseTo(await abandonableAt(ctx, id));
    const tx = court.abandonDraw(id);
    await expect(tx)
      .to.emit(court, "RulingDeliveryFailed")
      .withArgs(id, refusal(ctx, id, 0));
    await expect(tx).to.emit(court, "Credited").withArgs(treasury.address, id, costOf());
    await arbitrable.setRefuseRulings(false);
    await expect(court.deliverRuling(id))
      .to.emit(arbitrable, "Ruling")
      .withArgs(await courtAddress(ctx), id, 0);
  });

  it("refuses an unknown dispute and a dispute that is not waiting for its draw", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    await expect(court.abandonDraw(42n))
      .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
      .withArgs(42n);
    const id = await openDispute(ctx);
    await drawPanel(ctx, id);
    await expect(court.abandonDraw(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Commit);
    const ruled = await ruledDispute(ctx);
    await expect(court.abandonDraw(ruled.id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(ruled.id, Phase.Appealable);
  });
});

describe("ArbitrationCourt: commitVote", function () {
  it("seals a panel member's vote and announces the commitment", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    const [a] = await drawPanel(ctx, id);
    const commitment = await court.commitmentOf(id, 0, 0, a!.address, 42, saltOf(a!.address));
    await expect(court.connect(a!).commitVote(id, commitment))
      .to.emit(court, "VoteCommitted")
      .withArgs(id, 0, 0, a!.address, commitment);
    expect(await court.ballot(id, a!.address)).to.deep.equal([commitment, false, 0n]);
  });

  it("refuses an accredited arbitrator who is not on the panel, and a stranger", async function () {
    const ctx = await useCourt();
    const { court, arbitrators, stranger } = ctx;
    const id = await openDispute(ctx);
    const panel = (await drawPanel(ctx, id)).map((p) => p.address);
    const outsider = arbitrators.find((a) => !panel.includes(a.address))!;
    for (const caller of [outsider, stranger]) {
      await expect(court.connect(caller).commitVote(id, ethers.id("vote")))
        .to.be.revertedWithCustomError(court, "CourtNotOnPanel")
        .withArgs(id, caller.address);
    }
  });

  it("refuses a second commitment from the same member", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    const [a] = await drawPanel(ctx, id);
    await commit(ctx, id, a!, 1);
    await expect(commit(ctx, id, a!, 2))
      .to.be.revertedWithCustomError(court, "CourtAlreadyCommitted")
      .withArgs(id, a!.address);
  });

  it("refuses an empty commitment, which seals no vote, and accepts a real one after it", async function () {
    const ctx = await useCourt();
    const { court, stranger } = ctx;
    const id = await openDispute(ctx);
    const [a, b] = await drawPanel(ctx, id);
    await expect(court.connect(a!).commitVote(id, ethers.ZeroHash))
      .to.be.revertedWithCustomError(court, "CourtEmptyCommitment")
      .withArgs(id);
    expect(await court.ballot(id, a!.address)).to.deep.equal([ethers.ZeroHash, false, 0n]);
    await expect(commit(ctx, id, a!, 1)).to.emit(court, "VoteCommitted");
    // Membership is checked first; a member who committed still gets the empty-commitment error.
    await expect(court.connect(stranger).commitVote(id, ethers.ZeroHash))
      .to.be.revertedWithCustomError(court, "CourtNotOnPanel")
      .withArgs(id, stranger.address);
    await expect(court.connect(a!).commitVote(id, ethers.ZeroHash))
      .to.be.revertedWithCustomError(court, "CourtEmptyCommitment")
      .withArgs(id);
    await expect(commit(ctx, id, b!, 2)).to.emit(court, "VoteCommitted");
  });

  it("accepts a commitment at the commit deadline and refuses one after it", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    const [a, b] = await drawPanel(ctx, id);
    const { commitDeadline } = await court.dispute(id);
    await time.setNextBlockTimestamp(commitDeadline);
    await expect(commit(ctx, id, a!, 1)).to.emit(court, "VoteCommitted");
    await time.setNextBlockTimestamp(commitDeadline + 1n);
    await expect(commit(ctx, id, b!, 1))
      .to.be.revertedWithCustomError(court, "CourtTooLate")
      .withArgs(id, commitDeadline);
  });

  it("refuses commitments before the draw, once a reveal has begun, and for an unknown dispute", async function () {
    const ctx = await useCourt();
    const { court, arbitrators } = ctx;
    const id = await openDispute(ctx);
    await expect(court.connect(arbitrators[0]!).commitVote(id, ethers.id("x")))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Drawing);
    const [a, b] = await drawPanel(ctx, id);
    await commit(ctx, id, a!, 1);
    await toRevealWindow(ctx, id);
    await reveal(ctx, id, a!, 1);
    await expect(commit(ctx, id, b!, 1))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Reveal);
    await expect(court.connect(a!).commitVote(7n, ethers.id("x")))
      .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
      .withArgs(7n);
  });
});

describe("ArbitrationCourt: revealVote", function () {
  async function committed(choices = ESCROW_CHOICES) {
    const ctx = await useCourt();
    const id = await openDispute(ctx, { choices });
    const panel = await drawPanel(ctx, id);
    return { ctx, id, panel, court: ctx.court };
  }

  it("reveals a committed vote, announces it and moves the dispute to the reveal phase", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a] = panel;
    await commit(ctx, id, a!, 5001);
    await toRevealWindow(ctx, id);
    await expect(reveal(ctx, id, a!, 5001))
      .to.emit(court, "VoteRevealed")
      .withArgs(id, 0, 0, a!.address, 5001);
    const [commitment, revealed, choice] = await court.ballot(id, a!.address);
    expect(commitment).to.equal(
      await court.commitmentOf(id, 0, 0, a!.address, 5001, saltOf(a!.address)),
    );
    expect(revealed).to.equal(true);
    expect(choice).to.equal(5001n);
    expect((await court.dispute(id)).phase).to.equal(Phase.Reveal);
  });

  it("refuses a reveal during the commit window", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a] = panel;
    await commit(ctx, id, a!, 1);
    const { commitDeadline } = await court.dispute(id);
    await time.setNextBlockTimestamp(commitDeadline);
    await expect(reveal(ctx, id, a!, 1))
      .to.be.revertedWithCustomError(court, "CourtTooEarly")
      .withArgs(id, commitDeadline + 1n);
  });

  it("refuses a reveal whose salt or choice does not match the commitment", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a] = panel;
    await commit(ctx, id, a!, 10);
    await toRevealWindow(ctx, id);
    await expect(reveal(ctx, id, a!, 10, ethers.id("another salt")))
      .to.be.revertedWithCustomError(court, "CourtCommitmentMismatch")
      .withArgs(id, a!.address);
    await expect(reveal(ctx, id, a!, 11))
      .to.be.revertedWithCustomError(court, "CourtCommitmentMismatch")
      .withArgs(id, a!.address);
    await expect(reveal(ctx, id, a!, 10)).to.emit(court, "VoteRevealed");
  });

  it("refuses a copied commitment, because the commitment binds the voter", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a, b] = panel;
    const salt = saltOf(a!.address);
    const sealed = await court.commitmentOf(id, 0, 0, a!.address, 77, salt);
    await court.connect(a!).commitVote(id, sealed);
    // B copies A's commitment from A's VoteCommitted event, then A's reveal from the mempool.
    await court.connect(b!).commitVote(id, sealed);
    await toRevealWindow(ctx, id);
    await reveal(ctx, id, a!, 77, salt);
    await expect(reveal(ctx, id, b!, 77, salt))
      .to.be.revertedWithCustomError(court, "CourtCommitmentMismatch")
      .withArgs(id, b!.address);
  });

  it("refuses a second reveal", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a] = panel;
    await commit(ctx, id, a!, 3);
    await toRevealWindow(ctx, id);
    await reveal(ctx, id, a!, 3);
    await expect(reveal(ctx, id, a!, 3))
      .to.be.revertedWithCustomError(court, "CourtAlreadyRevealed")
      .withArgs(id, a!.address);
  });

  it("refuses a reveal from a member who never committed, and from someone off the panel", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a, b] = panel;
    await commit(ctx, id, a!, 3);
    await toRevealWindow(ctx, id);
    await expect(reveal(ctx, id, b!, 3))
      .to.be.revertedWithCustomError(court, "CourtNotCommitted")
      .withArgs(id, b!.address);
    await expect(reveal(ctx, id, ctx.stranger, 3))
      .to.be.revertedWithCustomError(court, "CourtNotOnPanel")
      .withArgs(id, ctx.stranger.address);
  });

  it("refuses choice 0 and a choice above the number of choices, even when committed", async function () {
    const { ctx, id, panel, court } = await committed(3);
    const [a, b, c] = panel;
    await commit(ctx, id, a!, 0);
    await commit(ctx, id, b!, 4);
    await commit(ctx, id, c!, 3);
    await toRevealWindow(ctx, id);
    await expect(reveal(ctx, id, a!, 0))
      .to.be.revertedWithCustomError(court, "CourtInvalidVote")
      .withArgs(0, 3);
    await expect(reveal(ctx, id, b!, 4))
      .to.be.revertedWithCustomError(court, "CourtInvalidVote")
      .withArgs(4, 3);
    await expect(reveal(ctx, id, c!, 3))
      .to.emit(court, "VoteRevealed")
      .withArgs(id, 0, 0, c!.address, 3);
  });

  it("accepts a reveal at the reveal deadline and refuses one after it", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a, b] = panel;
    await commit(ctx, id, a!, 3);
    await commit(ctx, id, b!, 3);
    const { revealDeadline } = await court.dispute(id);
    await time.setNextBlockTimestamp(revealDeadline);
    await expect(reveal(ctx, id, a!, 3)).to.emit(court, "VoteRevealed");
    await time.setNextBlockTimestamp(revealDeadline + 1n);
    await expect(reveal(ctx, id, b!, 3))
      .to.be.revertedWithCustomError(court, "CourtTooLate")
      .withArgs(id, revealDeadline);
  });

  it("refuses a reveal after the reveal deadline while nobody revealed yet", async function () {
    const { ctx, id, panel, court } = await committed();
    const [a] = panel;
    await commit(ctx, id, a!, 3);
    const { revealDeadline } = await court.dispute(id);
    await time.setNextBlockTimestamp(revealDeadline + 1n);
    await expect(reveal(ctx, id, a!, 3))
      .to.be.revertedWithCustomError(court, "CourtTooLate")
      .withArgs(id, revealDeadline);
  });

  it("refuses a reveal before the draw and after the ruling", async function () {
    const ctx = await useCourt();
    const { court, arbitrators } = ctx;
    const pending = await openDispute(ctx);
    await expect(court.connect(arbitrators[0]!).revealVote(pending, 1, ethers.ZeroHash))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(pending, Phase.Drawing);
    const { id, panel } = await ruledDispute(ctx);
    await expect(reveal(ctx, id, panel[0]!, 7))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Appealable);
  });
});

describe("ArbitrationCourt: closeRound", function () {
  it("rules the median of three votes, pays each revealer a third and opens the appeal window", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, stranger } = ctx;
    const id = await openDispute(ctx);
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [7, 2, 5]);
    const tx = await court.connect(stranger).closeRound(id);
    const at = await blockTimeOf(tx);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 0, 0, 5, 3);
    await expect(tx)
      .to.emit(court, "AppealPossible")
      .withArgs(id, await arbitrable.getAddress());
    for (const member of panel) {
      await expect(tx).to.emit(court, "Credited").withArgs(member.address, id, FEE);
      expect(await court.withdrawable(member.address)).to.equal(FEE);
    }
    await expect(tx).to.not.emit(arbitrable, "Ruling");
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Appealable);
    expect(d.ruling).to.equal(5n);
    expect(d.feePool).to.equal(0n);
    expect(d.appealDeadline).to.equal(at + BigInt(TERMS.appealWindow));
    expect(d.ruledAt).to.equal(at);
    expect(d.delivered).to.equal(false);
    expect(await court.appealPeriod(id)).to.deep.equal([at, at + BigInt(TERMS.appealWindow)]);
    expect(await court.currentRuling(id)).to.equal(5n);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Appealable);
    expect(await arbitrable.ruled(id)).to.equal(false);
  });

  it("closes as soon as every member revealed, before the reveal deadline", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [1, 1, 2]);
    const { revealDeadline } = await court.dispute(id);
    expect(BigInt(await time.latest())).to.be.lessThan(revealDeadline);
    await expect(court.closeRound(id)).to.emit(court, "RoundClosed").withArgs(id, 0, 0, 1, 3);
  });

  it("refuses to close before the reveal deadline while a member has not revealed", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    const [a, b, c] = await drawPanel(ctx, id);
    const { revealDeadline } = await court.dispute(id);
    // In the commit phase.
    await commit(ctx, id, a!, 1);
    await expect(court.closeRound(id))
      .to.be.revertedWithCustomError(court, "CourtTooEarly")
      .withArgs(id, revealDeadline + 1n);
    // In the reveal phase, two of three revealed, at the deadline itself.
    await commit(ctx, id, b!, 2);
    await commit(ctx, id, c!, 3);
    await toRevealWindow(ctx, id);
    await reveal(ctx, id, a!, 1);
    await reveal(ctx, id, b!, 2);
    await time.setNextBlockTimestamp(revealDeadline);
    await expect(court.closeRound(id))
      .to.be.revertedWithCustomError(court, "CourtTooEarly")
      .withArgs(id, revealDeadline + 1n);
    // The refused call mined nothing: mine the deadline's block, then close just after it.
    await mine(1);
    await expect(court.closeRound(id)).to.emit(court, "RoundClosed").withArgs(id, 0, 0, 1, 2);
  });

  it("takes the lower middle vote when two of five revealed, and splits the fee in two", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const terms = { panelSize: 5 };
    const id = await openDispute(ctx, { terms });
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [9, null, 4, { commitOnly: 1 }, null]);
    const tx = await court.closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 0, 0, 4, 2);
    const pool = costOf(terms);
    const share = pool / 2n;
    expect(pool % 2n).to.equal(1n);
    await expect(tx)
      .to.emit(court, "Credited")
      .withArgs(panel[0]!.address, id, share + 1n);
    await expect(tx).to.emit(court, "Credited").withArgs(panel[2]!.address, id, share);
    const credits = await creditsOf(court, tx);
    expect([...credits.keys()].sort()).to.deep.equal(
      [panel[0]!.address, panel[2]!.address].map((a) => a.toLowerCase()).sort(),
    );
    // Absent members and the one who committed without revealing forfeit their fee.
    for (const i of [1, 3, 4]) expect(await court.withdrawable(panel[i]!.address)).to.equal(0n);
    expect([...credits.values()].reduce((a, b) => a + b, 0n)).to.equal(pool);
  });

  it("takes the lower middle vote of four reveals", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const terms = { panelSize: 5 };
    const id = await openDispute(ctx, { terms });
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [1, 8, null, 3, 6]);
    const tx = await court.closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 0, 0, 3, 4);
    const pool = costOf(terms);
    const share = pool / 4n;
    const remainder = pool % 4n;
    expect(remainder).to.not.equal(0n);
    await expect(tx)
      .to.emit(court, "Credited")
      .withArgs(panel[0]!.address, id, share + remainder);
    for (const i of [1, 3, 4]) {
      await expect(tx).to.emit(court, "Credited").withArgs(panel[i]!.address, id, share);
    }
    expect(await court.withdrawable(panel[2]!.address)).to.equal(0n);
  });

  it("gives the rounding remainder to the revealer first on the panel, whoever revealed first", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    const [a, b, c] = await drawPanel(ctx, id);
    await commit(ctx, id, a!, 2);
    await commit(ctx, id, b!, 3);
    await toRevealWindow(ctx, id);
    await reveal(ctx, id, b!, 3);
    await reveal(ctx, id, a!, 2);
    await afterRevealWindow(ctx, id);
    const pool = costOf();
    const tx = await court.closeRound(id);
    await expect(tx)
      .to.emit(court, "Credited")
      .withArgs(a!.address, id, pool / 2n + 1n);
    await expect(tx)
      .to.emit(court, "Credited")
      .withArgs(b!.address, id, pool / 2n);
    expect(await court.withdrawable(c!.address)).to.equal(0n);
  });

  it("rules a panel of one by its single vote and pays it the whole fee", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx, { terms: { panelSize: 1 } });
    await hear(ctx, id, [9_999]);
    const panel = await court.panel(id);
    expect(await court.currentRuling(id)).to.equal(9_999n);
    expect(await court.withdrawable(panel[0]!)).to.equal(FEE);
  });

  it("draws a new panel with the same fee when nobody revealed", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const id = await openDispute(ctx);
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [{ commitOnly: 2 }, null, { commitOnly: 3 }]);
    const tx = await court.closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 0, 0, 0, 0);
    await expect(tx).to.not.emit(court, "Credited");
    await expect(tx).to.not.emit(court, "AppealPossible");
    await expect(tx).to.not.emit(arbitrable, "Ruling");
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Drawing);
    expect(d.round).to.equal(0);
    expect(d.attempt).to.equal(1);
    expect(d.drawBlock).to.equal((await blockNumberOf(tx)) + 1n);
    expect(d.feePool).to.equal(costOf());
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Waiting);
    expect(await court.panel(id)).to.deep.equal([]);
    await mine(1);
    await expect(court.drawPanel(id))
      .to.emit(court, "PanelDrawn")
      .withArgs(
        id,
        0,
        1,
        d.drawBlock,
        simulateDraw(await blockHashOf(d.drawBlock), id, 0, 1, await court.arbitrators(), [], 3),
      );
    // The new attempt starts with empty ballots.
    for (const member of await court.panel(id)) {
      expect(await court.ballot(id, member)).to.deep.equal([ethers.ZeroHash, false, 0n]);
    }
  });

  it("binds a commitment to its attempt, so a vote sealed for an earlier panel cannot be revealed", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    // Panels of three out of three accredited: every attempt draws the same members.
    for (const a of ctx.arbitrators.slice(3))
      await court.connect(ctx.admin).revokeArbitrator(a.address);
    const id = await openDispute(ctx);
    await hear(ctx, id, [null, null, null]);
    const [a] = await drawPanel(ctx, id);
    const stale = await court.commitmentOf(id, 0, 0, a!.address, 4, saltOf(a!.address));
    await court.connect(a!).commitVote(id, stale);
    await toRevealWindow(ctx, id);
    await expect(reveal(ctx, id, a!, 4))
      .to.be.revertedWithCustomError(court, "CourtCommitmentMismatch")
      .withArgs(id, a!.address);
  });

  it("refuses to rule after three empty panels: ruling 0 to the arbitrable, the pool to the treasury", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, admin, spares } = ctx;
    const treasury = spares[0]!;
    await court.connect(admin).setTreasury(treasury.address);
    const id = await openDispute(ctx);
    // A whole panel absent, a panel that committed and vanished, a panel absent again.
    await hear(ctx, id, [null, null, null]);
    await hear(ctx, id, [{ commitOnly: 1 }, { commitOnly: 2 }, { commitOnly: 3 }]);
    expect((await court.dispute(id)).attempt).to.equal(2);
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [null, null, null]);
    const pool = costOf();
    const tx = court.closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 0, 2, 0, 0);
    await expect(tx).to.emit(court, "Credited").withArgs(treasury.address, id, pool);
    await expect(tx)
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 0);
    await expect(tx).to.not.emit(court, "AppealPossible");
    await expect(tx).to.not.emit(court, "RulingDeliveryFailed");
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.feePool).to.equal(0n);
    expect(d.delivered).to.equal(true);
    expect(d.ruledAt).to.equal(0n);
    expect(d.appealDeadline).to.equal(0n);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Solved);
    expect(await court.currentRuling(id)).to.equal(0n);
    expect(await arbitrable.ruled(id)).to.equal(true);
    expect(await arbitrable.rulingOf(id)).to.equal(0n);
    expect(await court.withdrawable(ctx.treasury.address)).to.equal(0n);
    await expect(court.connect(treasury).withdraw()).to.changeEtherBalances(
      ethers,
      [treasury, court],
      [pool, -pool],
    );
  });

  it("refuses to close before the draw, while appealable, once solved, and an unknown dispute", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const pending = await openDispute(ctx);
    await expect(court.closeRound(pending))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(pending, Phase.Drawing);
    const { id } = await ruledDispute(ctx);
    await expect(court.closeRound(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Appealable);
    await time.increase(TERMS.appealWindow + 1);
    await court.finalize(id);
    await expect(court.closeRound(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
    await expect(court.closeRound(99n))
      .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
      .withArgs(99n);
  });

  it("property: the ruling is the lower median of the revealed votes and the credits add up to the pool", async function () {
    const seed = PROPERTY_SEED;
    const voteArb = (choices: number) =>
      fc.oneof(
        fc.integer({ min: 1, max: choices }),
        fc.record({ commitOnly: fc.integer({ min: 1, max: choices }) }),
        fc.constant(null),
      );
    await fc.assert(
      fc.asyncProperty(
        fc
          .record({
            panelSize: fc.constantFrom(1, 3, 5),
            choices: fc.oneof(fc.integer({ min: 2, max: 12 }), fc.constant(ESCROW_CHOICES)),
            fee: fc.bigInt({ min: 0n, max: 10n ** 20n }),
          })
          .chain((p) =>
            fc.record({
              panelSize: fc.constant(p.panelSize),
              choices: fc.constant(p.choices),
              fee: fc.constant(p.fee),
              votes: fc.array(voteArb(p.choices), {
                minLength: p.panelSize,
                maxLength: p.panelSize,
              }) as fc.Arbitrary<Vote[]>,
            }),
          ),
        async ({ panelSize, choices, fee, votes }) => {
          const ctx = await useCourt();
          const { court } = ctx;
          const terms = { panelSize, feePerArbitrator: fee };
          const id = await openDispute(ctx, { terms, choices });
          const panel = await drawPanel(ctx, id);
          await vote(ctx, id, panel, votes);
          const tx = await court.closeRound(id);
          const pool = BigInt(panelSize) * fee;
          const revealed = votes.flatMap((v, i) => (typeof v === "number" ? [{ v, i }] : []));
          if (revealed.length === 0) {
            await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 0, 0, 0, 0);
            const d = await court.dispute(id);
            expect(d.phase).to.equal(Phase.Drawing);
            expect(d.attempt).to.equal(1);
            expect(d.feePool).to.equal(pool);
            return;
          }
          const ruling = lowerMedian(revealed.map((r) => r.v));
          await expect(tx)
            .to.emit(court, "RoundClosed")
            .withArgs(id, 0, 0, ruling, revealed.length);
          expect(await court.currentRuling(id)).to.equal(BigInt(ruling));
          const credits = await creditsOf(court, tx);
          expect([...credits.values()].reduce((a, b) => a + b, 0n)).to.equal(pool);
          const share = pool / BigInt(revealed.length);
          const remainder = pool % BigInt(revealed.length);
          for (const [i, member] of panel.entries()) {
            const r = revealed.findIndex((x) => x.i === i);
            const expected = r === -1 ? 0n : r === 0 ? share + remainder : share;
            expect(await court.withdrawable(member.address)).to.equal(expected);
            expect(credits.get(member.address.toLowerCase()) ?? 0n).to.equal(expected);
          }
        },
      ),
      { numRuns: 40, seed, verbose: true },
    );
  });
});

describe("ArbitrationCourt: appeal", function () {
  it("lets the arbitrable appeal for (2n+1) fees and hears the appeal with a panel of 2n+1", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, claimant } = ctx;
    const { id } = await ruledDispute(ctx);
    const { ruledAt } = await court.dispute(id);
    const cost = appealCostOf();
    expect(await court.appealCost(id, "0x")).to.equal(cost);
    const tx = arbitrable.connect(claimant).appeal(await court.getAddress(), id, "0x", {
      value: cost,
    });
    await expect(tx)
      .to.emit(court, "AppealDecision")
      .withArgs(id, await arbitrable.getAddress());
    await expect(tx).to.changeEtherBalances(ethers, [claimant, court], [-cost, cost]);
    const appealed = await blockNumberOf(await tx);
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Drawing);
    expect(d.round).to.equal(1);
    expect(d.attempt).to.equal(0);
    expect(d.feePool).to.equal(cost);
    expect(d.appealDeadline).to.equal(0);
    expect(d.ruledAt).to.equal(ruledAt);
    expect(d.delivered).to.equal(false);
    expect(d.drawBlock).to.equal(appealed + 1n);
    // The first ruling stands as the current ruling while the appeal is heard.
    expect(await court.currentRuling(id)).to.equal(5n);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Waiting);
    expect(await court.appealCost(id, "0x")).to.equal(MAX_UINT256);
    expect(await court.appealPeriod(id)).to.deep.equal([0n, 0n]);

    await mine(1);
    const draw = await court.drawPanel(id);
    const panel = await court.panel(id);
    expect(panel).to.have.length(7);
    expect(new Set(panel).size).to.equal(7);
    await expect(draw)
      .to.emit(court, "PanelDrawn")
      .withArgs(
        id,
        1,
        0,
        d.drawBlock,
        simulateDraw(await blockHashOf(d.drawBlock), id, 1, 0, await court.arbitrators(), [], 7),
      );
  });

  it("makes the appeal's ruling final and delivers it, paying the appeal panel", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const { id } = await ruledDispute(ctx);
    await arbitrable.appeal(await court.getAddress(), id, "0x", { value: appealCostOf() });
    const panel = await drawPanel(ctx, id);
    const votes = [100, 700, 300, 600, 200, 500, 400];
    // Commit and reveal as the appeal's round 1.
    for (const [i, member] of panel.entries()) {
      const commitment = await court.commitmentOf(
        id,
        1,
        0,
        member.address,
        votes[i]!,
        saltOf(member.address),
      );
      await expect(court.connect(member).commitVote(id, commitment))
        .to.emit(court, "VoteCommitted")
        .withArgs(id, 1, 0, member.address, commitment);
    }
    await toRevealWindow(ctx, id);
    for (const [i, member] of panel.entries()) {
      await expect(reveal(ctx, id, member, votes[i]!))
        .to.emit(court, "VoteRevealed")
        .withArgs(id, 1, 0, member.address, votes[i]!);
    }
    const before = new Map<string, bigint>();
    for (const m of panel) before.set(m.address, await court.withdrawable(m.address));
    const tx = await court.closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 1, 0, 400, 7);
    await expect(tx)
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 400);
    await expect(tx).to.not.emit(court, "AppealPossible");
    await expect(tx).to.not.emit(court, "RulingDeliveryFailed");
    for (const m of panel) {
      await expect(tx).to.emit(court, "Credited").withArgs(m.address, id, FEE);
      expect(await court.withdrawable(m.address)).to.equal(before.get(m.address)! + FEE);
    }
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.ruling).to.equal(400n);
    expect(d.feePool).to.equal(0n);
    expect(d.delivered).to.equal(true);
    // The current ruling is now the appeal's, given when its round closed.
    expect(d.ruledAt).to.equal(await blockTimeOf(tx));
    expect(await court.appealPeriod(id)).to.deep.equal([0n, 0n]);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Solved);
    expect(await court.currentRuling(id)).to.equal(400n);
    expect(await arbitrable.rulingOf(id)).to.equal(400n);
    expect(await arbitrable.ruleCount()).to.equal(1n);
    // No second appeal, and nothing left to finalize.
    await expect(arbitrable.appeal(await court.getAddress(), id, "0x", { value: appealCostOf() }))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
    await expect(court.finalize(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
  });

  it("refuses an appeal from anyone but the arbitrable", async function () {
    const ctx = await useCourt();
    const { court, claimant } = ctx;
    const { id } = await ruledDispute(ctx);
    await expect(court.connect(claimant).appeal(id, "0x", { value: appealCostOf() }))
      .to.be.revertedWithCustomError(court, "CourtNotArbitrable")
      .withArgs(id, claimant.address);
  });

  it("refuses an appeal before the first ruling", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const id = await openDispute(ctx);
    const courtAddr = await court.getAddress();
    await expect(arbitrable.appeal(courtAddr, id, "0x", { value: appealCostOf() }))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Drawing);
    await drawPanel(ctx, id);
    await expect(arbitrable.appeal(courtAddr, id, "0x", { value: appealCostOf() }))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Commit);
    expect(await court.appealCost(id, "0x")).to.equal(MAX_UINT256);
  });

  it("accepts an appeal at the appeal deadline and refuses one after it", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const courtAddr = await court.getAddress();
    const first = await ruledDispute(ctx);
    const second = await ruledDispute(ctx);
    const { appealDeadline: late } = await court.dispute(first.id);
    await time.setNextBlockTimestamp(late + 1n);
    await expect(arbitrable.appeal(courtAddr, first.id, "0x", { value: appealCostOf() }))
      .to.be.revertedWithCustomError(court, "CourtTooLate")
      .withArgs(first.id, late);
    const { appealDeadline: onTime } = await court.dispute(second.id);
    await time.setNextBlockTimestamp(onTime);
    await expect(arbitrable.appeal(courtAddr, second.id, "0x", { value: appealCostOf() })).to.emit(
      court,
      "AppealDecision",
    );
  });

  it("refuses an appeal fee other than the appeal cost", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const { id } = await ruledDispute(ctx);
    const cost = appealCostOf();
    for (const sent of [0n, costOf(), cost - 1n, cost + 1n]) {
      await expect(arbitrable.appeal(await court.getAddress(), id, "0x", { value: sent }))
        .to.be.revertedWithCustomError(court, "CourtWrongFee")
        .withArgs(cost, sent);
    }
  });

  it("refuses an appeal of an unknown dispute", async function () {
    const ctx = await useCourt();
    await expect(ctx.arbitrable.appeal(await ctx.court.getAddress(), 5n, "0x"))
      .to.be.revertedWithCustomError(ctx.court, "CourtUnknownDispute")
      .withArgs(5n);
  });

  it("refuses an appeal while fewer than 2n+1 arbitrators are eligible, and accepts one once enough are", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, admin, arbitrators, spares } = ctx;
    // Nine accredited, three of them excluded: six eligible, one short of an appeal panel of seven.
    const excluded = arbitrators.slice(0, 3).map((a) => a.address);
    const id = await openDispute(ctx, { excluded });
    await hear(ctx, id, [1, 2, 3]);
    await expect(appealDispute(ctx, id))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(6);
    // The fee is checked before the arbitrators are counted.
    await expect(arbitrable.appeal(await court.getAddress(), id, "0x", { value: 1n }))
      .to.be.revertedWithCustomError(court, "CourtWrongFee")
      .withArgs(appealCostOf(), 1n);
    // The refusal changed nothing: the first ruling is still appealable.
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Appealable);
    expect(d.round).to.equal(0);
    expect(d.ruling).to.equal(2n);
    expect(await court.appealCost(id, "0x")).to.equal(appealCostOf());
    // A revoked arbitrator leaves five; a seventh eligible one makes the appeal possible.
    await court.connect(admin).revokeArbitrator(arbitrators[8]!.address);
    await expect(appealDispute(ctx, id))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(5);
    await court.connect(admin).accreditArbitrator(spares[0]!.address);
    await court.connect(admin).accreditArbitrator(spares[1]!.address);
    await expect(appealDispute(ctx, id)).to.emit(court, "AppealDecision");
    const panel = (await drawPanel(ctx, id)).map((p) => p.address);
    expect(panel).to.have.length(7);
    for (const e of [...excluded, arbitrators[8]!.address]) expect(panel).to.not.include(e);
  });

  it("counts only accredited, unexcluded arbitrators, and accepts exactly 2n+1 of them", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators, claimant, respondent } = ctx;
    // Seven accredited; the excluded accounts are not arbitrators, so all seven are eligible.
    for (const a of arbitrators.slice(7)) await court.connect(admin).revokeArbitrator(a.address);
    const id = await openDispute(ctx, {
      excluded: [claimant.address, respondent.address, ethers.ZeroAddress],
    });
    await hear(ctx, id, [4, 4, 4]);
    await expect(appealDispute(ctx, id)).to.emit(court, "AppealDecision");
    const panel = (await drawPanel(ctx, id)).map((p) => p.address);
    expect([...panel].sort()).to.deep.equal(
      arbitrators
        .slice(0, 7)
        .map((a) => a.address)
        .sort(),
    );
  });

  it("refuses to appeal a panel of five until eleven arbitrators are eligible", async function () {
    const ctx = await useCourt();
    const { court, admin, spares } = ctx;
    const terms = { panelSize: 5 };
    const id = await openDispute(ctx, { terms });
    await hear(ctx, id, [1, 2, 3, 4, 5]);
    await expect(appealDispute(ctx, id, terms))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(ACCREDITED);
    await court.connect(admin).accreditArbitrator(spares[0]!.address);
    await expect(appealDispute(ctx, id, terms))
      .to.be.revertedWithCustomError(court, "CourtNotEnoughArbitrators")
      .withArgs(ACCREDITED + 1);
    await court.connect(admin).accreditArbitrator(spares[1]!.address);
    await expect(appealDispute(ctx, id, terms)).to.emit(court, "AppealDecision");
    expect(await drawPanel(ctx, id)).to.have.length(11);
  });

  it("shrinks the appeal panel to the largest odd number when arbitrators are revoked after the appeal", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators } = ctx;
    // Nine accredited, two excluded: seven eligible when the appeal is asked for.
    const excluded = arbitrators.slice(0, 2).map((a) => a.address);
    const id = await openDispute(ctx, { excluded });
    await hear(ctx, id, [1, 2, 3]);
    await appealDispute(ctx, id);
    // One revoked before the draw: six eligible, so the panel of seven becomes five.
    const revoked = arbitrators[2]!.address;
    await court.connect(admin).revokeArbitrator(revoked);
    const panel = (await drawPanel(ctx, id)).map((p) => p.address);
    expect(panel).to.have.length(5);
    for (const e of [...excluded, revoked]) expect(panel).to.not.include(e);
    // The appellant paid for seven seats; the five who reveal share all of it.
    const signers = panel.map((a) => signerOf(ctx, a));
    await vote(ctx, id, signers, [3, 3, 3, 3, 3]);
    const tx = await court.closeRound(id);
    const credits = await creditsOf(court, tx);
    expect([...credits.values()].reduce((a, b) => a + b, 0n)).to.equal(appealCostOf());
    expect((await court.dispute(id)).ruling).to.equal(3n);
  });

  it("lets the first ruling stand when three appeal panels stay empty, the appeal fee to the treasury", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, treasury, stranger } = ctx;
    const { id, panel: first } = await ruledDispute(ctx);
    const { ruledAt } = await court.dispute(id);
    await appealDispute(ctx, id);
    await hear(ctx, id, Array<Vote>(7).fill(null));
    let d = await court.dispute(id);
    expect([d.phase, d.round, d.attempt, d.feePool]).to.deep.equal([
      BigInt(Phase.Drawing),
      1n,
      1n,
      appealCostOf(),
    ]);
    await hear(ctx, id, Array<Vote>(7).fill({ commitOnly: 9 }));
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, Array<Vote>(7).fill(null));
    const tx = await court.connect(stranger).closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 1, 2, 0, 0);
    await expect(tx).to.emit(court, "Credited").withArgs(treasury.address, id, appealCostOf());
    await expect(tx)
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 5);
    await expect(tx).to.not.emit(court, "RulingDeliveryFailed");
    await expect(tx).to.not.emit(court, "AppealPossible");
    d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.ruling).to.equal(5n);
    expect(d.ruledAt).to.equal(ruledAt);
    expect(d.delivered).to.equal(true);
    expect(d.feePool).to.equal(0n);
    expect(d.appealDeadline).to.equal(0n);
    expect(await court.currentRuling(id)).to.equal(5n);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Solved);
    expect(await arbitrable.rulingOf(id)).to.equal(5n);
    expect(await arbitrable.ruleCount()).to.equal(1n);
    // Every wei the court holds is owed: the first panel's fees and the treasury's.
    expect(await court.withdrawable(treasury.address)).to.equal(appealCostOf());
    for (const m of first) expect(await court.withdrawable(m.address)).to.equal(FEE);
    expect(await ethers.provider.getBalance(await court.getAddress())).to.equal(
      costOf() + appealCostOf(),
    );
  });
});

describe("ArbitrationCourt: finalize", function () {
  it("refuses to finalize until the appeal window has ended", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const { id } = await ruledDispute(ctx);
    const { appealDeadline } = await court.dispute(id);
    await time.setNextBlockTimestamp(appealDeadline);
    await expect(court.finalize(id))
      .to.be.revertedWithCustomError(court, "CourtTooEarly")
      .withArgs(id, appealDeadline + 1n);
  });

  it("delivers the first ruling once the appeal window ended unappealed", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, stranger } = ctx;
    const { id } = await ruledDispute(ctx);
    const { appealDeadline, ruledAt } = await court.dispute(id);
    await time.setNextBlockTimestamp(appealDeadline + 1n);
    const tx = court.connect(stranger).finalize(id);
    await expect(tx)
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 5);
    await expect(tx).to.not.emit(court, "Credited");
    await expect(tx).to.not.emit(court, "RulingDeliveryFailed");
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.ruling).to.equal(5n);
    expect(d.appealDeadline).to.equal(0);
    expect(d.delivered).to.equal(true);
    expect(d.ruledAt).to.equal(ruledAt);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Solved);
    expect(await court.currentRuling(id)).to.equal(5n);
    expect(await court.appealPeriod(id)).to.deep.equal([0n, 0n]);
    expect(await court.appealCost(id, "0x")).to.equal(MAX_UINT256);
    expect(await arbitrable.rulingOf(id)).to.equal(5n);
    expect(await arbitrable.lastRuling()).to.equal(5n);
    expect(await arbitrable.lastDisputeID()).to.equal(id);
    expect(await arbitrable.ruleCount()).to.equal(1n);
    await expect(court.finalize(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
    await expect(court.deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtAlreadyDelivered")
      .withArgs(id);
  });

  it("refuses to finalize a dispute that has no first ruling, or an unknown one", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    await expect(court.finalize(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Drawing);
    await drawPanel(ctx, id);
    await expect(court.finalize(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Commit);
    await expect(court.finalize(0n))
      .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
      .withArgs(0n);
  });

  it("cannot finalize an appealed ruling", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const { id } = await ruledDispute(ctx);
    await arbitrable.appeal(await court.getAddress(), id, "0x", { value: appealCostOf() });
    await time.increase(TERMS.appealWindow + 1);
    await expect(court.finalize(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Drawing);
  });
});

describe("ArbitrationCourt: withdraw", function () {
  it("pays an arbitrator its fees once", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const { panel } = await ruledDispute(ctx);
    const member = panel[0]!;
    const tx = court.connect(member).withdraw();
    await expect(tx).to.emit(court, "Withdrawn").withArgs(member.address, FEE);
    await expect(tx).to.changeEtherBalances(ethers, [member, court], [FEE, -FEE]);
    expect(await court.withdrawable(member.address)).to.equal(0n);
    await expect(court.connect(member).withdraw())
      .to.be.revertedWithCustomError(court, "CourtNothingToWithdraw")
      .withArgs(member.address);
  });

  it("adds up fees from several disputes", async function () {
    const ctx = await useCourt();
    const { court, admin, arbitrators } = ctx;
    for (const a of arbitrators.slice(3)) await court.connect(admin).revokeArbitrator(a.address);
    await ruledDispute(ctx);
    await ruledDispute(ctx);
    const member = arbitrators[0]!;
    expect(await court.withdrawable(member.address)).to.equal(2n * FEE);
    await expect(court.connect(member).withdraw()).to.changeEtherBalances(
      ethers,
      [member, court],
      [2n * FEE, -2n * FEE],
    );
  });

  it("refuses an account with nothing to withdraw", async function () {
    const { court, stranger } = await useCourt();
    await expect(court.connect(stranger).withdraw())
      .to.be.revertedWithCustomError(court, "CourtNothingToWithdraw")
      .withArgs(stranger.address);
  });

  it("holds exactly the fees it owes", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const { id, panel } = await ruledDispute(ctx);
    await arbitrable.appeal(await court.getAddress(), id, "0x", { value: appealCostOf() });
    const courtAddr = await court.getAddress();
    expect(await ethers.provider.getBalance(courtAddr)).to.equal(costOf() + appealCostOf());
    for (const m of panel) await court.connect(m).withdraw();
    expect(await ethers.provider.getBalance(courtAddr)).to.equal(appealCostOf());
    expect((await court.dispute(id)).feePool).to.equal(appealCostOf());
  });
});

describe("ArbitrationCourt: views", function () {
  it("reverts every dispute view for an unknown dispute", async function () {
    const { court, stranger } = await useCourt();
    const unknown = 3n;
    const calls = [
      () => court.dispute(unknown),
      () => court.panel(unknown),
      () => court.ballot(unknown, stranger.address),
      () => court.disputeStatus(unknown),
      () => court.currentRuling(unknown),
      () => court.appealPeriod(unknown),
      () => court.appealCost(unknown, "0x"),
    ];
    for (const call of calls) {
      await expect(call())
        .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
        .withArgs(unknown);
    }
  });

  it("reports the status Waiting while heard, Appealable once ruled, Solved once delivered", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const id = await openDispute(ctx);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Waiting);
    const panel = await drawPanel(ctx, id);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Waiting);
    await commit(ctx, id, panel[0]!, 1);
    await toRevealWindow(ctx, id);
    await reveal(ctx, id, panel[0]!, 1);
    expect((await court.dispute(id)).phase).to.equal(Phase.Reveal);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Waiting);
    expect(await court.currentRuling(id)).to.equal(0n);
    await afterRevealWindow(ctx, id);
    await court.closeRound(id);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Appealable);
    expect(await court.currentRuling(id)).to.equal(1n);
    await time.increase(TERMS.appealWindow + 1);
    await court.finalize(id);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Solved);
  });

  it("reports the appeal period from the first ruling to the appeal deadline, and zeros otherwise", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const id = await openDispute(ctx);
    expect(await court.appealPeriod(id)).to.deep.equal([0n, 0n]);
    const panel = await drawPanel(ctx, id);
    expect(await court.appealPeriod(id)).to.deep.equal([0n, 0n]);
    await vote(ctx, id, panel, [2, { commitOnly: 3 }, 4]);
    const closed = await blockTimeOf(await court.closeRound(id));
    const { appealDeadline, ruledAt } = await court.dispute(id);
    expect(ruledAt).to.equal(closed);
    expect(appealDeadline).to.equal(closed + BigInt(TERMS.appealWindow));
    expect(await court.appealPeriod(id)).to.deep.equal([closed, appealDeadline]);
    // Still reported after the window, until the ruling is made final.
    await time.increaseTo(appealDeadline + 1n);
    expect(await court.appealPeriod(id)).to.deep.equal([closed, appealDeadline]);
    await court.finalize(id);
    expect(await court.appealPeriod(id)).to.deep.equal([0n, 0n]);
    // Zeros while an appeal is heard.
    const appealed = await openDispute(ctx);
    await hear(ctx, appealed, [1, 1, 1]);
    await arbitrable.appeal(await court.getAddress(), appealed, "0x", { value: appealCostOf() });
    expect(await court.appealPeriod(appealed)).to.deep.equal([0n, 0n]);
  });

  it("reports an appeal period that starts when the first ruling was given, before the reveal deadline", async function () {
    // The round closes early because every member revealed: the appeal window opens at closeRound,
    // long before the reveal deadline, and here ends before it too.
    const ctx = await useCourt();
    const { court } = ctx;
    const terms = { revealWindow: DAY, appealWindow: HOUR };
    const id = await openDispute(ctx, { terms });
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [1, 2, 3]);
    const closed = await blockTimeOf(await court.closeRound(id));
    const { revealDeadline, ruledAt } = await court.dispute(id);
    const [start, end] = await court.appealPeriod(id);
    expect(start).to.equal(closed);
    expect(start).to.equal(ruledAt);
    expect(end).to.equal(closed + BigInt(HOUR));
    expect(start <= end).to.equal(true);
    expect(end < revealDeadline).to.equal(true);
  });

  it("prices an appeal only while the ruling is appealable and the appeal window is open", async function () {
    const ctx = await useCourt();
    const { court } = ctx;
    const terms = { panelSize: 5, feePerArbitrator: 1000n };
    const id = await openDispute(ctx, { terms });
    expect(await court.appealCost(id, "0x")).to.equal(MAX_UINT256);
    await hear(ctx, id, [1, 1, 1, 1, 1]);
    expect(await court.appealCost(id, "0x")).to.equal(11_000n);
    const { appealDeadline } = await court.dispute(id);
    // At the deadline itself an appeal is still possible, and priced.
    await time.increaseTo(appealDeadline);
    expect(await court.appealCost(id, "0x")).to.equal(11_000n);
    // One second later the dispute is still Appealable, but the window has passed.
    await mine(1);
    expect(BigInt(await time.latest())).to.equal(appealDeadline + 1n);
    expect((await court.dispute(id)).phase).to.equal(Phase.Appealable);
    expect(await court.appealCost(id, "0x")).to.equal(MAX_UINT256);
  });

  it("computes commitments as keccak256 of the abi-encoded dispute, round, attempt, voter, choice and salt", async function () {
    const { court, arbitrators } = await useCourt();
    const voter = arbitrators[0]!.address;
    const salt = ethers.id("salt");
    const expected = ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(
        ["uint256", "uint8", "uint8", "address", "uint256", "bytes32"],
        [7n, 1, 2, voter, 42n, salt],
      ),
    );
    expect(await court.commitmentOf(7n, 1, 2, voter, 42n, salt)).to.equal(expected);
    // Each part is bound: changing any of them changes the commitment.
    const variants = await Promise.all([
      court.commitmentOf(8n, 1, 2, voter, 42n, salt),
      court.commitmentOf(7n, 0, 2, voter, 42n, salt),
      court.commitmentOf(7n, 1, 1, voter, 42n, salt),
      court.commitmentOf(7n, 1, 2, arbitrators[1]!.address, 42n, salt),
      court.commitmentOf(7n, 1, 2, voter, 43n, salt),
      court.commitmentOf(7n, 1, 2, voter, 42n, ethers.id("pepper")),
    ]);
    expect(new Set([expected, ...variants]).size).to.equal(7);
  });

  it("shows an empty ballot for someone who never committed", async function () {
    const ctx = await useCourt();
    const id = await openDispute(ctx);
    expect(await ctx.court.ballot(id, ctx.stranger.address)).to.deep.equal([
      ethers.ZeroHash,
      false,
      0n,
    ]);
  });
});

describe("ArbitrationCourt: delivery to the arbitrable", function () {
  it("lets only the dispute's court deliver a ruling to the arbitrable", async function () {
    const ctx = await useCourt();
    const { arbitrable, stranger } = ctx;
    const { id } = await ruledDispute(ctx);
    await expect(arbitrable.connect(stranger).rule(id, 1))
      .to.be.revertedWithCustomError(arbitrable, "MockArbitrableNotArbitrator")
      .withArgs(stranger.address, id);
    await expect(arbitrable.connect(stranger).rule(99n, 1))
      .to.be.revertedWithCustomError(arbitrable, "MockArbitrableNotArbitrator")
      .withArgs(stranger.address, 99n);
  });

  it("finalizes even while the arbitrable refuses the ruling, and delivers it on a retry once it accepts", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, stranger, respondent } = ctx;
    const { id } = await ruledDispute(ctx);
    await arbitrable.setRefuseRulings(true);
    await time.increase(TERMS.appealWindow + 1);
    const tx = await court.connect(stranger).finalize(id);
    await expect(tx)
      .to.emit(court, "RulingDeliveryFailed")
      .withArgs(id, refusal(ctx, id, 5));
    await expect(tx).to.not.emit(arbitrable, "Ruling");
    let d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.ruling).to.equal(5n);
    expect(d.delivered).to.equal(false);
    expect(d.appealDeadline).to.equal(0n);
    expect(await court.disputeStatus(id)).to.equal(DisputeStatus.Solved);
    expect(await court.currentRuling(id)).to.equal(5n);
    expect(await arbitrable.ruled(id)).to.equal(false);
    // Solved is final: no second finalize, no appeal, no round to close.
    await expect(court.finalize(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
    await expect(appealDispute(ctx, id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
    await expect(court.closeRound(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Solved);
    // A retry while the arbitrable still refuses fails the same way and changes nothing.
    await expect(court.connect(respondent).deliverRuling(id))
      .to.emit(court, "RulingDeliveryFailed")
      .withArgs(id, refusal(ctx, id, 5));
    expect((await court.dispute(id)).delivered).to.equal(false);
    // Once the arbitrable accepts, anyone delivers the ruling, exactly once.
    await arbitrable.setRefuseRulings(false);
    const retry = await court.connect(stranger).deliverRuling(id);
    await expect(retry)
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 5);
    await expect(retry).to.not.emit(court, "RulingDeliveryFailed");
    d = await court.dispute(id);
    expect(d.delivered).to.equal(true);
    expect(d.phase).to.equal(Phase.Solved);
    expect(await arbitrable.rulingOf(id)).to.equal(5n);
    expect(await arbitrable.ruleCount()).to.equal(1n);
    await expect(court.connect(stranger).deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtAlreadyDelivered")
      .withArgs(id);
  });

  it("closes an appeal and pays its panel while the arbitrable refuses the ruling", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const { id } = await ruledDispute(ctx);
    await appealDispute(ctx, id);
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [3, 3, 3, 3, 3, 3, 3]);
    await arbitrable.setRefuseRulings(true);
    const tx = await court.closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 1, 0, 3, 7);
    for (const m of panel) await expect(tx).to.emit(court, "Credited").withArgs(m.address, id, FEE);
    await expect(tx)
      .to.emit(court, "RulingDeliveryFailed")
      .withArgs(id, refusal(ctx, id, 3));
    await expect(tx).to.not.emit(arbitrable, "Ruling");
    const d = await court.dispute(id);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.ruling).to.equal(3n);
    expect(d.ruledAt).to.equal(await blockTimeOf(tx));
    expect(d.feePool).to.equal(0n);
    expect(d.delivered).to.equal(false);
    // The panel is paid whatever the arbitrable does. (A member drawn for both panels is owed two fees.)
    const member = panel[0]!;
    const owed = await court.withdrawable(member.address);
    expect(owed % FEE).to.equal(0n);
    expect(owed >= FEE).to.equal(true);
    await expect(court.connect(member).withdraw()).to.changeEtherBalances(
      ethers,
      [member, court],
      [owed, -owed],
    );
    await arbitrable.setRefuseRulings(false);
    await expect(court.deliverRuling(id))
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 3);
    expect((await court.dispute(id)).delivered).to.equal(true);
    await expect(court.deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtAlreadyDelivered")
      .withArgs(id);
  });

  it("credits the treasury after three empty panels while the arbitrable refuses ruling 0", async function () {
    const ctx = await useCourt();
    const { court, arbitrable, treasury } = ctx;
    const id = await openDispute(ctx);
    await hear(ctx, id, [null, null, null]);
    await hear(ctx, id, [null, null, null]);
    await drawPanel(ctx, id);
    await afterRevealWindow(ctx, id);
    await arbitrable.setRefuseRulings(true);
    const tx = await court.closeRound(id);
    await expect(tx).to.emit(court, "Credited").withArgs(treasury.address, id, costOf());
    await expect(tx)
      .to.emit(court, "RulingDeliveryFailed")
      .withArgs(id, refusal(ctx, id, 0));
    expect(await court.withdrawable(treasury.address)).to.equal(costOf());
    const d = await court.dispute(id);
    expect([d.phase, d.ruling, d.delivered]).to.deep.equal([BigInt(Phase.Solved), 0n, false]);
    await arbitrable.setRefuseRulings(false);
    await expect(court.deliverRuling(id))
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 0);
    expect(await arbitrable.ruled(id)).to.equal(true);
  });

  it("refuses to deliver a ruling that is not final, or for an unknown dispute", async function () {
    const ctx = await useCourt();
    const { court, arbitrators } = ctx;
    await expect(court.deliverRuling(1n))
      .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
      .withArgs(1n);
    const id = await openDispute(ctx);
    await expect(court.deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Drawing);
    const panel = await drawPanel(ctx, id);
    await expect(court.deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Commit);
    await commit(ctx, id, panel[0]!, 6);
    await toRevealWindow(ctx, id);
    await reveal(ctx, id, panel[0]!, 6);
    await expect(court.deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Reveal);
    await afterRevealWindow(ctx, id);
    await court.closeRound(id);
    // A first ruling still open to appeal is not final, even after its window.
    await expect(court.connect(arbitrators[0]!).deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Appealable);
    await time.increase(TERMS.appealWindow + 1);
    await expect(court.deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtInvalidPhase")
      .withArgs(id, Phase.Appealable);
    await court.finalize(id);
    await expect(court.deliverRuling(id))
      .to.be.revertedWithCustomError(court, "CourtAlreadyDelivered")
      .withArgs(id);
  });

  it("records a re-entry from the arbitrable as a failed delivery, and delivers without one", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const courtAddr = await court.getAddress();
    const { id, panel } = await ruledDispute(ctx);
    await time.increase(TERMS.appealWindow + 1);
    const guarded = [
      court.interface.encodeFunctionData("createDispute", [2, encodeTerms()]),
      court.interface.encodeFunctionData("appeal", [id, "0x"]),
      court.interface.encodeFunctionData("closeRound", [id]),
      court.interface.encodeFunctionData("finalize", [id]),
      court.interface.encodeFunctionData("deliverRuling", [id]),
      court.interface.encodeFunctionData("withdraw"),
    ];
    // finalize delivers first; deliverRuling retries, each time re-entering another guarded function.
    for (const [i, data] of guarded.entries()) {
      await arbitrable.setReentry(courtAddr, data);
      const tx = await (i === 0 ? court.finalize(id) : court.deliverRuling(id));
      await expect(tx).to.emit(court, "RulingDeliveryFailed").withArgs(id, reentrantCall(ctx));
      await expect(tx).to.not.emit(arbitrable, "Ruling");
      const d = await court.dispute(id);
      expect(d.phase).to.equal(Phase.Solved);
      expect(d.delivered).to.equal(false);
    }
    // Nothing the arbitrable tried went through: no second dispute, the first panel's fees untouched.
    await expect(court.dispute(id + 1n))
      .to.be.revertedWithCustomError(court, "CourtUnknownDispute")
      .withArgs(id + 1n);
    for (const m of panel) expect(await court.withdrawable(m.address)).to.equal(FEE);
    expect(await arbitrable.ruled(id)).to.equal(false);
    // The arbitrable may call the court's unguarded functions while it is told the ruling.
    await arbitrable.setReentry(
      courtAddr,
      court.interface.encodeFunctionData("withdrawable", [panel[0]!.address]),
    );
    await expect(court.deliverRuling(id)).to.emit(arbitrable, "Ruling").withArgs(courtAddr, id, 5);
    expect((await court.dispute(id)).delivered).to.equal(true);
  });

  it("records a re-entry during the close of an appeal as a failed delivery, the panel paid", async function () {
    const ctx = await useCourt();
    const { court, arbitrable } = ctx;
    const { id } = await ruledDispute(ctx);
    await appealDispute(ctx, id);
    const panel = await drawPanel(ctx, id);
    await vote(ctx, id, panel, [1, 2, 3, 4, 5, 6, 7]);
    // The arbitrable tries to close the round again from inside rule.
    await arbitrable.setReentry(
      await court.getAddress(),
      court.interface.encodeFunctionData("closeRound", [id]),
    );
    const tx = await court.closeRound(id);
    await expect(tx).to.emit(court, "RoundClosed").withArgs(id, 1, 0, 4, 7);
    await expect(tx).to.emit(court, "RulingDeliveryFailed").withArgs(id, reentrantCall(ctx));
    const credits = await creditsOf(court, tx);
    expect([...credits.values()].reduce((a, b) => a + b, 0n)).to.equal(appealCostOf());
    expect((await court.dispute(id)).delivered).to.equal(false);
    await arbitrable.setReentry(ethers.ZeroAddress, "0x");
    await expect(court.deliverRuling(id))
      .to.emit(arbitrable, "Ruling")
      .withArgs(await court.getAddress(), id, 4);
  });

  it("solves a dispute opened by an account without code without calling it, and never delivers it", async function () {
    const ctx = await useCourt();
    const { court, claimant, stranger } = ctx;
    const tx = await court.connect(claimant).createDispute(2, encodeTerms(), { value: costOf() });
    await expect(tx).to.emit(court, "DisputeCreation").withArgs(1n, claimant.address);
    const panel = await hear(ctx, 1n, [1, 2, 2]);
    await time.increase(TERMS.appealWindow + 1);
    const final = await court.connect(stranger).finalize(1n);
    await expect(final).to.emit(court, "RulingDeliveryFailed").withArgs(1n, "0x");
    const d = await court.dispute(1n);
    expect(d.phase).to.equal(Phase.Solved);
    expect(d.ruling).to.equal(2n);
    expect(d.delivered).to.equal(false);
    expect(await court.disputeStatus(1n)).to.equal(DisputeStatus.Solved);
    // The panel was paid at closeRound and can withdraw.
    for (const m of panel) expect(await court.withdrawable(m.address)).to.equal(FEE);
    // A retry cannot deliver either: there is still no code to call.
    await expect(court.deliverRuling(1n)).to.emit(court, "RulingDeliveryFailed").withArgs(1n, "0x");
    expect((await court.dispute(1n)).delivered).to.equal(false);
  });
});
