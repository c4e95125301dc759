import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentChainIds } from "../../src/contracts/index.js";
import type { AuditReport } from "../../src/audit/index.js";
import { useChain } from "../chain/clients.js";
import type { ChainContext } from "../chain/context.js";
import { deployTestStack } from "../chain/deploy.js";
import { startDevNode } from "../chain/node.js";
import type { DevNode } from "../chain/node.js";
import { createTrades } from "../chain/trades.js";
import { startDocumentGateway } from "./gateway.js";
import type { DocumentGateway } from "./gateway.js";
import { createAuditScenario } from "./scenario.js";

// The auditor's command line (scripts/audit.ts), spawned with tsx as `npm run audit` runs it,
// against a node of its own holding one completed trade whose documents a gateway serves.

const SDK = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = resolve(SDK, "../node_modules/.bin/tsx");

let node: DevNode | undefined;
let gateway: DocumentGateway | undefined;
let empty: DocumentGateway | undefined;
let chain: ChainContext;
let out: string;

beforeAll(async () => {
  node = await startDevNode();
  chain = await deployTestStack(node.url);
  const ctx = useChain(chain);
  gateway = await startDocumentGateway();
  empty = await startDocumentGateway();
  const scenario = createAuditScenario(ctx, createTrades(ctx), gateway.store);
  await scenario.prepare();
  await scenario.completedTrade("cli");
  out = await mkdtemp(join(tmpdir(), "sdk-audit-cli-"));
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await empty?.close();
  await node?.stop();
  if (out !== undefined) await rm(out, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

function runAudit(args: string[]): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(TSX, ["scripts/audit.ts", ...args], {
      cwd: SDK,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** The arguments that point the CLI at the test chain and the gateway. */
const target = (ipfs = gateway!.url) => [
  "--rpc",
  chain.rpcUrl,
  "--escrow",
  chain.tradeEscrow,
  "--court",
  chain.arbitrationCourt,
  "--ipfs",
  ipfs,
  "--from-block",
  String(chain.deploymentBlock),
];

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

describe("npm run audit", () => {
  it("exits 0 on a clean history and prints the report as JSON", async () => {
    const run = await runAudit([...target(), "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.passed).toBe(true);
    expect(report.escrow).toBe(chain.tradeEscrow);
    expect(report.totals.failed).toBe(0);
    // The manifest, its two documents, the shipping documents, the milestone's and the receipt.
    expect(report.byKind.document.passed).toBe(6);
    expect(report.byKind.code.passed).toBe(10);
  }, 60_000);

  it("prints a summary table for people and writes the JSON report with --out", async () => {
    const file = join(out, "report.json");
    const run = await runAudit([...target(), "--out", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^check\s+passed\s+failed\s+skipped$/m);
    expect(run.stdout).toMatch(/^document\s+6\s+0\s+0$/m);
    expect(run.stdout).toContain("PASSED: every check passed.");
    const written = JSON.parse(await readFile(file, "utf8")) as AuditReport;
    expect(written.passed).toBe(true);
    expect(written.checks.length).toBeGreaterThan(20);
  }, 60_000);

  it("exits 1 when a check fails: documents no source has", async () => {
    const run = await runAudit([...target(empty!.url), "--json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as AuditReport;
    const failures = report.checks.filter((c) => c.status === "failed");
    // The manifest, the shipping documents, the milestone's and the lot receipt: what the chain
    // commits; the two documents the manifest names cannot be known without it.
    expect(failures).toHaveLength(4);
    for (const failure of failures)
      expect(failure).toMatchObject({ kind: "document", problem: "missing" });
  }, 60_000);

  it("exits 2 with a one-line reason for bad arguments", async () => {
    for (const [args, reason] of [
      [
        ["--escrow", "0x1234"],
        /^audit: Invalid audit parameters: escrow: must be a 20-byte hex address\.\n$/,
      ],
      [
        ["--trade", "first", "--escrow", chain.tradeEscrow],
        /^audit: Invalid audit parameters: trade: must be a whole number\.\n$/,
      ],
      [["--colour"], /^audit: Unknown option '--colour'/],
      [
        [...target(), "--trade", "99"],
        /^audit: Invalid audit parameters: trade: no trade 99 \(the escrow has 1\)\.\n$/,
      ],
      [
        [...target(), "--block", "999999"],
        /^audit: Invalid audit parameters: block: 999999 is after the latest block/,
      ],
    ] as const) {
      const run = await runAudit([...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(reason);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stdout).toBe("");
    }
  }, 120_000);

  it("exits 2 when the chain or the IPFS source cannot be reached", async () => {
    const port = await closedPort();
    const chainDown = await runAudit([
      "--rpc",
      `http://127.0.0.1:${port}`,
      "--escrow",
      chain.tradeEscrow,
    ]);
    expect(chainDown.code).toBe(2);
    expect(chainDown.stderr).toBe(
      `audit: the chain node http://127.0.0.1:${port} cannot be reached.\n`,
    );
    const ipfsDown = await runAudit(target(`http://127.0.0.1:${port}/ipfs`));
    expect(ipfsDown.code).toBe(2);
    expect(ipfsDown.stderr).toBe(
      `audit: the IPFS source http://127.0.0.1:${port}/ipfs cannot be reached.\n`,
    );
  }, 60_000);

  it.skipIf(deploymentChainIds().includes(31337))(
    "exits 2 without --escrow on a chain with no known deployment",
    async () => {
      const run = await runAudit(["--rpc", chain.rpcUrl]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        "audit: no deployment is known for chain 31337; pass --escrow ADDRESS.\n",
      );
    },
    60_000,
  );
});
