/**
 * The auditor's command line: verifies an escrow's history from the chain and IPFS alone.
 *
 *   npm run audit -- [--rpc URL] [--escrow ADDRESS] [--court ADDRESS] [--ipfs URL] [--trade ID]
 *                    [--block N] [--from-block N] [--json] [--out FILE]
 *
 * Defaults: the local stack (http://127.0.0.1:8545, the sdk's deployment for the chain id, the
 * gateway http://127.0.0.1:3000/ipfs). Exit status: 0 every check passed, 1 a check failed, 2 bad
 * arguments or a source that cannot be reached (one line on stderr says why).
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Address } from "viem";
import {
  AuditError,
  auditEscrow,
  createAuditClient,
  createIpfsSource,
  formatReport,
  isKuboRpcUrl,
  parseAuditOptions,
} from "../src/audit/index.js";
import type { AuditProgress } from "../src/audit/index.js";
import { getDeployment, UnknownDeploymentError } from "../src/contracts/index.js";
import { createVerifiedReader } from "../src/documents/verify/index.js";
import { nativeRecoverAddress } from "./lib/nativeRecoverAddress.js";

const usage = `Usage: npm run audit -- [--rpc URL] [--escrow ADDRESS] [--court ADDRESS] [--ipfs URL]
                        [--trade ID] [--block N] [--from-block N] [--json] [--out FILE]

  --rpc URL          chain JSON-RPC (default http://127.0.0.1:8545)
  --escrow ADDRESS   the escrow (default: the sdk's deployment for the chain id)
  --court ADDRESS    the court (default: the deployment's; courts named by contested claims are found)
  --ipfs URL         a trustless gateway (default http://127.0.0.1:3000/ipfs) or a Kubo RPC URL
                     ending in /api/v0
  --trade ID         audit one trade (accounts and funds stay whole)
  --block N          audit at block N (default: the latest)
  --from-block N     first block of the history (default: the deployment block)
  --json             print the report as JSON
  --out FILE         also write the JSON report to FILE
Exit status: 0 every check passed, 1 a check failed, 2 bad arguments or an unreachable source.
`;

/** Exits with `code` after a one-line reason on stderr. */
function fail(code: 2, reason: string): never {
  process.stderr.write(`audit: ${reason.split("\n")[0]}\n`);
  process.exit(code);
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        rpc: { type: "string" },
        escrow: { type: "string" },
        court: { type: "string" },
        ipfs: { type: "string" },
        trade: { type: "string" },
        block: { type: "string" },
        "from-block": { type: "string" },
        json: { type: "boolean", default: false },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    fail(2, `${(error as Error).message} (see --help)`);
  }
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const options = parseAuditOptions({
    ...(values.rpc === undefined ? {} : { rpc: values.rpc }),
    ...(values.escrow === undefined ? {} : { escrow: values.escrow }),
    ...(values.court === undefined ? {} : { court: values.court }),
    ...(values.ipfs === undefined ? {} : { ipfs: values.ipfs }),
    ...(values.trade === undefined ? {} : { trade: values.trade }),
    ...(values.block === undefined ? {} : { block: values.block }),
    ...(values["from-block"] === undefined ? {} : { fromBlock: values["from-block"] }),
  });

  const client = createAuditClient(options.rpc);
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch {
    fail(2, `the chain node ${options.rpc} cannot be reached.`);
  }

  let escrow: Address | undefined = options.escrow;
  let court = options.court;
  let fromBlock = options.fromBlock;
  let libraries: Readonly<Record<string, Address>> | undefined;
  try {
    const deployment = getDeployment(chainId);
    if (escrow === undefined || escrow.toLowerCase() === deployment.tradeEscrow.toLowerCase()) {
      escrow = deployment.tradeEscrow;
      court ??= deployment.arbitrationCourt;
      fromBlock ??= BigInt(deployment.deploymentBlock);
      libraries = deployment.libraries;
    }
  } catch (error) {
    if (!(error instanceof UnknownDeploymentError)) throw error;
    if (escrow === undefined)
      fail(2, `no deployment is known for chain ${chainId}; pass --escrow ADDRESS.`);
  }

  await probeIpfs(options.ipfs);
  const reader = createVerifiedReader({ source: createIpfsSource({ url: options.ipfs }) });
  const report = await auditEscrow({
    client,
    rpcName: `chain node ${options.rpc}`,
    escrow,
    court,
    reader,
    ipfsName: options.ipfs,
    blockNumber: options.block,
    fromBlock,
    tradeId: options.trade,
    libraries,
    recoverAddress: nativeRecoverAddress(),
    onProgress: createProgressBar(),
  });
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");

  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (values.out !== undefined) await writeFile(values.out, json);
  process.stdout.write(values.json ? json : formatReport(report));
  return report.passed ? 0 : 1;
}

/** Fails with exit status 2 when the IPFS source does not answer HTTP at all. */
async function probeIpfs(url: string): Promise<void> {
  const kubo = isKuboRpcUrl(url);
  const probe = kubo ? `${url.replace(/\/+$/, "")}/version` : url;
  try {
    const response = await fetch(probe, {
      method: kubo ? "POST" : "GET",
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
  } catch {
    fail(2, `the IPFS source ${url} cannot be reached.`);
  }
}

/** A progress bar on stderr, drawn only on a terminal. */
function createProgressBar(): (progress: AuditProgress) => void {
  if (!process.stderr.isTTY) return () => undefined;
  let last = 0;
  return ({ step, done, total }) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const width = 30;
    const filled = total === 0 ? 0 : Math.min(width, Math.round((done / total) * width));
    process.stderr.write(
      `\r\x1b[K${step.padEnd(11)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`,
    );
  };
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof AuditError) fail(2, error.shortMessage);
  fail(2, `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}
