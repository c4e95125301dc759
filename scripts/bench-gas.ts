/**
 * Gas of one protected trade, step by step, as each transaction's receipt reports it (the 21,000 base
 * included). Runs on Hardhat's in-process network: `npm run bench:gas`.
 *
 * Two trades run back to back in an ERC-20 and one in the native coin. The first ERC-20 trade pays for
 * first-time storage (the escrow's first token balance, the treasury's first credit, the buyer's first
 * receipt); the second shows the steady state a live deployment sees.
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse, TypedDataDomain } from "ethers";
import { deployEscrow } from "./lib/deployEscrow";
import { ESCROW_DOMAIN_NAME, ESCROW_DOMAIN_VERSION, ESCROW_EIP712_TYPES } from "./lib/eip712";
import type { ITradeEscrow, TradeEscrow } from "../typechain-types";

type Row = { step: string; gas: bigint[] };

const SUM_STEPS = [
  "open (both signatures)",
  "deposit",
  "balance",
  "attest and release",
  "withdraw",
];

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("Transaction was not mined.");
  return receipt.gasUsed;
}

async function main(): Promise<void> {
  const [admin, treasury, buyer, seller, operator, relayer] = (await ethers.getSigners()) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const escrow: TradeEscrow = await deployEscrow({
    admin: admin.address,
    treasury: treasury.address,
    feeBps: 100,
    feeCapBps: 500,
    bondToken: ethers.ZeroAddress,
  });
  const usd = await ethers.deployContract("MockStablecoin", ["Test USD", "TUSD", 6]);
  await escrow.grantRole(await escrow.OPERATOR_ROLE(), operator.address);
  await usd.mint(buyer.address, 10n ** 15n);
  await usd.connect(buyer).approve(await escrow.getAddress(), ethers.MaxUint256);

  const domain: TypedDataDomain = {
    name: ESCROW_DOMAIN_NAME,
    version: ESCROW_DOMAIN_VERSION,
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await escrow.getAddress(),
  };
  const types = {
    Terms: [...ESCROW_EIP712_TYPES.Terms],
    OpenTrade: [...ESCROW_EIP712_TYPES.OpenTrade],
  };
  const attestationTypes = { Attestation: [...ESCROW_EIP712_TYPES.Attestation] };
  let nonce = 0n;

  async function runTrade(token: string, price: bigint): Promise<bigint[]> {
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const terms: ITradeEscrow.TermsStruct = {
      buyer: buyer.address,
      seller: seller.address,
      operator: operator.address,
      token,
      mode: 0, // Protected
      price,
      quantity: 10n,
      toleranceBps: 500,
      depositBps: 3000,
      lots: 1,
      latestDelivery: now + 30n * 86_400n,
      depositWindow: 72 * 3600,
      fulfilmentDays: 3,
      claimWindow: 0,
      responseDays: 7,
      collectAfter: 0,
      feeBps: 100,
      sellerBond: 0n,
      arbitrator: ethers.ZeroAddress,
      arbitratorExtraData: "0x",
      manifestCid: ethers.concat(["0x01551220", ethers.id(`manifest-${nonce}`)]),
    };
    const deadline = now + 86_400n;
    nonce += 1n;
    const buyerSignature = {
      nonce,
      deadline,
      signature: await buyer.signTypedData(domain, types, { terms, nonce, deadline }),
    };
    const sellerSignature = {
      nonce,
      deadline,
      signature: await seller.signTypedData(domain, types, { terms, nonce, deadline }),
    };
    const native = token === ethers.ZeroAddress;
    const deposit = (price * 3000n) / 10_000n;
    const gas: bigint[] = [];
    gas.push(
      await gasOf(escrow.connect(relayer).openTrade(terms, buyerSignature, sellerSignature)),
    );
    const id = await escrow.tradeCount();
    gas.push(
      await gasOf(escrow.connect(buyer).payDeposit(id, terms, { value: native ? deposit : 0n })),
    );
    gas.push(await gasOf(escrow.connect(seller).startFulfilment(id, terms)));
    gas.push(
      await gasOf(
        escrow.connect(buyer).payBalance(id, terms, { value: native ? price - deposit : 0n }),
      ),
    );
    gas.push(
      await gasOf(
        escrow
          .connect(seller)
          .markShipped(id, terms, ethers.concat(["0x01551220", ethers.id("bl")])),
      ),
    );
    const received = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const attestation = {
      tradeId: id,
      kind: 2, // ReceiptAndTitleTransfer
      lot: 1,
      quantity: 10n,
      time: received,
      documentCid: ethers.concat(["0x01551220", ethers.id(`receipt-${id}`)]),
      nonce: id,
      deadline: received + 86_400n,
    };
    const signature = await operator.signTypedData(domain, attestationTypes, attestation);
    gas.push(await gasOf(escrow.connect(relayer).attest(terms, attestation, signature)));
    gas.push(await gasOf(escrow.connect(seller).withdraw(token)));
    return gas;
  }

  const usdAddress = await usd.getAddress();
  const first = await runTrade(usdAddress, 100_000n * 10n ** 6n);
  const steady = await runTrade(usdAddress, 100_000n * 10n ** 6n);
  const native = await runTrade(ethers.ZeroAddress, ethers.parseEther("3"));

  const steps = [
    "open (both signatures)",
    "deposit",
    "start fulfilment",
    "balance",
    "mark shipped",
    "attest and release",
    "withdraw",
  ];
  const rows: Row[] = steps.map((step, i) => ({ step, gas: [first[i]!, steady[i]!, native[i]!] }));
  const sumOf = (column: number) =>
    rows.filter((r) => SUM_STEPS.includes(r.step)).reduce((sum, r) => sum + r.gas[column]!, 0n);
  const allOf = (column: number) => rows.reduce((sum, r) => sum + r.gas[column]!, 0n);

  const header = ["step", "ERC-20, first trade", "ERC-20, steady state", "native coin"];
  const body = [
    ...rows.map((r) => [r.step, ...r.gas.map((g) => g.toLocaleString("en-US"))]),
    ["sum of the five priced steps", ...[0, 1, 2].map((c) => sumOf(c).toLocaleString("en-US"))],
    ["whole trade, every step", ...[0, 1, 2].map((c) => allOf(c).toLocaleString("en-US"))],
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  process.stdout.write(
    [
      "Gas per step of one protected trade (receipt gasUsed, 21,000 base included)",
      "",
      line(header),
      `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`,
      ...body.map(line),
      "",
      `The five priced steps: ${SUM_STEPS.join(", ")}.`,
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
