import { expect } from "chai";
import { ethers } from "./fixtures/hardhat";

// The local stack's demo dollar (ignition/modules/LocalDemo.ts): only its owner mints.

describe("DemoStablecoin", () => {
  it("has 6 decimals and a permit domain, and mints only for its owner", async () => {
    const [owner, other] = await ethers.getSigners();
    const coin = await ethers.deployContract("DemoStablecoin", [owner!.address]);
    expect(await coin.decimals()).to.equal(6n);
    expect(await coin.symbol()).to.equal("DUSD");
    expect((await coin.eip712Domain()).name).to.equal("Demo USD");

    await coin.mint(other!.address, 5_000_000n);
    expect(await coin.balanceOf(other!.address)).to.equal(5_000_000n);
    await expect(coin.connect(other!).mint(other!.address, 1n))
      .to.be.revertedWithCustomError(coin, "OwnableUnauthorizedAccount")
      .withArgs(other!.address);
    expect(await coin.totalSupply()).to.equal(5_000_000n);
  });
});
