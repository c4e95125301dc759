import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { artifacts } from "hardhat";
import { connection, ethers, mine } from "./fixtures/hardhat";
import {
  deployPlatform,
  firstBlockWithCode,
  readJsonIfPresent,
  writeDeploymentRecord,
} from "../scripts/lib/deployPlatform";
import type { DeploymentRecord } from "../scripts/lib/deployPlatform";
import { ESCROW_LIBRARIES } from "../scripts/lib/escrowLibraries";

// The Ignition module and the deploy script's record (issue 8): what `npm run deploy` deploys and
// what the sdk, the indexer and the auditor read.

describe("Deployment (Ignition)", () => {
  let record: DeploymentRecord;
  let startBlock: number;

  before(async () => {
    await mine(5);
    startBlock = await ethers.provider.getBlockNumber();
    record = await deployPlatform(connection, artifacts, { feeBps: 150, feeCapBps: 400 });
  });

  it("deploys the escrow linked to its libraries, its receipt token, the court and the ratings", async () => {
    const [deployer] = await ethers.getSigners();
    const escrow = await ethers.getContractAt("TradeEscrow", record.tradeEscrow);
    expect(await escrow.receipts()).to.equal(record.warehouseReceipt);
    expect(await escrow.hasRole(await escrow.DEFAULT_ADMIN_ROLE(), deployer!.address)).to.equal(
      true,
    );
    expect(await escrow.feeBps()).to.equal(150n);
    expect(await escrow.feeCapBps()).to.equal(400n);
    expect(await escrow.bondToken()).to.equal(ethers.ZeroAddress);
    expect(Object.keys(record.libraries).sort()).to.deep.equal([...ESCROW_LIBRARIES].sort());
    for (const address of Object.values(record.libraries))
      expect(await ethers.provider.getCode(address)).to.not.equal("0x");
    const ratings = await ethers.getContractAt("SellerRatings", record.sellerRatings);
    expect(await ratings.escrow()).to.equal(record.tradeEscrow);
    expect(await ratings.owner()).to.equal(deployer!.address);
    const court = await ethers.getContractAt("ArbitrationCourt", record.arbitrationCourt);
    expect(await court.hasRole(await court.DEFAULT_ADMIN_ROLE(), deployer!.address)).to.equal(true);
  });

  it("accredits the platform's court on the escrow", async () => {
    const escrow = await ethers.getContractAt("TradeEscrow", record.tradeEscrow);
    expect(await escrow.hasRole(await escrow.COURT_ROLE(), record.arbitrationCourt)).to.equal(true);
  });

  it("records the block where the escrow's code first exists", async () => {
    expect(record.chainId).to.equal(31337);
    expect(record.deploymentBlock).to.be.greaterThan(startBlock);
    expect(await ethers.provider.getCode(record.tradeEscrow, record.deploymentBlock)).to.not.equal(
      "0x",
    );
    expect(await ethers.provider.getCode(record.tradeEscrow, record.deploymentBlock - 1)).to.equal(
      "0x",
    );
    await expect(
      firstBlockWithCode(connection, ethers.Wallet.createRandom().address),
    ).to.be.rejectedWith(/No code at/);
  });

  it("writes deployments/<chainId>.json, keeping the tokens an earlier record listed", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "deployments-"));
    try {
      const file = path.join(directory, "31337.json");
      await writeFile(file, JSON.stringify({ tokens: { USDC: record.sellerRatings } }));
      expect(await writeDeploymentRecord(directory, record)).to.equal(file);
      const written = JSON.parse(await readFile(file, "utf8")) as DeploymentRecord;
      expect(written).to.deep.equal({ ...record, tokens: { USDC: record.sellerRatings } });

      await writeFile(file, "{ not json");
      await expect(readJsonIfPresent(file)).to.be.rejectedWith(/is not JSON/);
      expect(await readJsonIfPresent(path.join(directory, "absent.json"))).to.equal(undefined);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
