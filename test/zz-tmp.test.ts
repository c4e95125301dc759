import { ethers } from "hardhat";
import { buildTerms, useEscrow } from "./fixtures/escrow";
describe("tmp", function () {
  it("hash cost", async function () {
    const ctx = await useEscrow();
    const terms = await buildTerms(ctx, { arbitrator: ethers.ZeroAddress, arbitratorExtraData: "0x" });
    const data = ctx.escrow.interface.encodeFunctionData("hashTerms", [terms]);
    const cd = ethers.getBytes(data).reduce((a, b) => a + (b === 0 ? 4 : 16), 0);
    const g = await ethers.provider.estimateGas({ to: await ctx.escrow.getAddress(), data });
    console.log("hashTerms exec", Number(g) - 21000 - cd, "calldata", cd, "len", ethers.getBytes(data).length);
    const d2 = ctx.escrow.interface.encodeFunctionData("stageDeadline", [1n, terms]);
    const g2 = await ethers.provider.estimateGas({ to: await ctx.escrow.getAddress(), data: d2 }).catch((e) => String(e).slice(0, 80));
    console.log("stageDeadline", g2);
  });
});
