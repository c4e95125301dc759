/**
 * Audit benchmark: builds a history of N protected trades (default 1,000) on a local development
 * node (anvil), each with a manifest naming two documents, shipping documents, a milestone document
 * and a lot receipt in an embedded store behind the sdk's gateway, then verifies it all with
 * `auditEscrow` (documents read as CARs over HTTP, every block verified) and prints how long each
 * step took.
 *
 *   npm run bench:audit                 # 1,000 trades
 *   npm run bench:audit -- 200          # another number of trades
 *
 * Not a test: it prints a table and exits 0 (1 if the audit did not pass). Building the history
 * takes a few minutes and is not part of the figures.
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getContract } from "viem";
import { auditEscrow, createAuditClient, createIpfsSource } from "../src/audit/index.js";
import type { AuditProgress } from "../src/audit/index.js";
import { createVerifiedReader } from "../src/documents/verify/index.js";
import { nativeRecoverAddress } from "./lib/nativeRecoverAddress.js";
import { startDocumentGateway } from "../test/audit/gateway.js";
import { createAuditScenario } from "../test/audit/scenario.js";
import { localAccount } from "../test/chain/accounts.js";
import { useChain } from "../test/chain/clients.js";
import { deployTestStack } from "../test/chain/deploy.js";
import { startDevNode } from "../test/chain/node.js";
import { USD, createTrades } from "../test/chain/trades.js";
import { mockStablecoinAbi } from "../test/generated/mocks.js";

const SDK = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const count = Number(process.argv[2] ?? "1000");
/** Trades built at once: their transactions interleave on the node. */
const parallel = 16;

async function main(): Promise<number> {
  const node = await startDevNode();
  const gateway = await startDocumentGateway();
  try {
    const chain = await deployTestStack(node.url);
    const ctx = useChain(chain);
    const trades = createTrades(ctx);
    const scenario = createAuditScenario(ctx, trades, gateway.store);
    await scenario.prepare();
    const usd = getContract({
      address: chain.usd,
      abi: mockStablecoinAbi,
      client: ctx.walletOf("admin"),
    });
    await ctx.mined(usd.write.mint([localAccount("buyer").address, USD(2_000) * BigInt(count)]));

    const built = Date.now();
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const { terms } = await scenario.termsWithManifest(`bench-${index}`, { price: USD(1_000) });
        const tradeId = await trades.openTrade(terms);
        await scenario.payAndShip(tradeId, terms);
        await scenario.attestReceiptAndTitle(tradeId, terms);
        done += 1;
        if (process.stderr.isTTY) process.stderr.write(`\rbuilding the history: ${done}/${count}`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    const buildSeconds = (Date.now() - built) / 1000;
    if (process.stderr.isTTY) process.stderr.write("\n");

    // The documents are served by a gateway in a process of its own (as the indexer serves them),
    // so the gateway and the auditor do not share one event loop.
    const server = spawn(
      resolve(SDK, "../node_modules/.bin/tsx"),
      ["test/audit/gatewayServer.ts", gateway.directory],
      {
        cwd: SDK,
        stdio: ["ignore", "pipe", "inherit"],
        detached: true,
      },
    );
    const served = await new Promise<string>((resolveUrl, reject) => {
      server.stdout.once("data", (chunk: Buffer) => resolveUrl(chunk.toString().trim()));
      server.once("exit", (code) => reject(new Error(`The gateway exited (${code}).`)));
    });
    const stopServer = () => {
      if (server.pid !== undefined) process.kill(-server.pid, "SIGTERM");
    };

    // Time each step from the progress reports: a step ends when the next begins.
    const marks: { step: AuditProgress["step"]; at: number }[] = [];
    const started = Date.now();
    const report = await auditEscrow({
      client: createAuditClient(chain.rpcUrl),
      escrow: chain.tradeEscrow,
      court: chain.arbitrationCourt,
      reader: createVerifiedReader({ source: createIpfsSource({ url: served }) }),
      ipfsName: served,
      fromBlock: BigInt(chain.deploymentBlock),
      libraries: chain.libraries,
      recoverAddress: nativeRecoverAddress(),
      onProgress: ({ step }) => {
        if (marks.at(-1)?.step !== step) marks.push({ step, at: Date.now() });
      },
    });
    const ended = Date.now();
    stopServer();
    const count_ = (kind: keyof typeof report.byKind) =>
      report.byKind[kind].passed + report.byKind[kind].failed + report.byKind[kind].skipped;
    const items: Partial<Record<AuditProgress["step"], string>> = {
      code: `${count_("code")} contracts`,
      events: `${Number(report.blockNumber) - Number(report.fromBlock) + 1} blocks`,
      trade: `${count_("trade")} trades, ${count_("accounts")} account views`,
      document: `${count_("document")} documents`,
      signature: `${count_("signature")} signatures and roles`,
      arbitration: `${count_("arbitration")} checks`,
      funds: `${count_("funds")} balances (escrow per token, court)`,
    };
    const rows = marks.map((mark, i) => [
      mark.step,
      (((marks[i + 1]?.at ?? ended) - mark.at) / 1000).toFixed(2),
      items[mark.step] ?? "",
    ]);
    rows.push([
      "total",
      ((ended - started) / 1000).toFixed(2),
      `${report.checks.length} checks, ${report.totals.failed} failed`,
    ]);
    const header = ["step", "time s", "what"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ");
    process.stdout.write(
      [
        `Audit of ${count} trades with their documents against a local development node (anvil)`,
        `(history built in ${buildSeconds.toFixed(0)} s, not counted; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
        "",
        line(header),
        widths.map((w) => "-".repeat(w)).join("-|-"),
        ...rows.map(line),
        "",
      ].join("\n"),
    );
    return report.passed ? 0 : 1;
  } finally {
    await gateway.close();
    await node.stop();
  }
}

process.exitCode = await main();
