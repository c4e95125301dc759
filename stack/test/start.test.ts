import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { tradeEscrowAbi, arbitrationCourtAbi } from "@trade-escrow/sdk/contracts";
import { computeCid } from "@trade-escrow/sdk/cid";
import { ROOT, address, arbitratorRoles, freePort } from "@trade-escrow/sdk/devchain";
import { assertPortFree } from "../src/start.js";

// `npm start` as a user runs it (the stack's command in its own process, on free ports, in a
// data directory of its own): it comes up with the demo, serves the API, the gateway and the dApp,
// stops cleanly on Ctrl-C, and a second start is in step with its new chain.

type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function startCommand(env: NodeJS.ProcessEnv, args: string[] = []): Running {
  // Node itself with tsx's loader (not `npx`, which dies of the signal rather than wait).
  const child = spawn(process.execPath, ["--import", "tsx", "stack/src/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => output, exited };
}

async function waitFor(running: Running, text: string, timeoutMs = 540_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!running.output().includes(text)) {
    if (running.child.exitCode !== null)
      throw new Error(`npm start exited (${running.child.exitCode}):\n${running.output()}`);
    if (Date.now() > until) throw new Error(`No "${text}" in time:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ctrl-C, as a terminal sends it to the whole process group. */
async function interrupt(running: Running): Promise<number | null> {
  process.kill(-running.child.pid!, "SIGINT");
  return running.exited;
}

describe("npm start", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("runs the chain, the demo, the API, the gateway and the dApp, then stops cleanly; a restart is in step", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stack-"));
    dirs.push(dataDir);
    const ports = { PORT: String(await freePort()), RPC_PORT: String(await freePort()) };
    const env = { ...ports, DATA_DIR: dataDir, LOG_LEVEL: "warn" };
    const rpcUrl = `http://127.0.0.1:${ports.RPC_PORT}`;
    const api = `http://127.0.0.1:${ports.PORT}`;

    const first = startCommand(env);
    try {
      await waitFor(first, "Ctrl-C stops everything.");
      const output = first.output();
      for (const step of ["Compiling", "Deploying", "Seeding demo trades", "Indexing"])
        expect(output).toContain(step);
      expect(output).toContain(`dApp          ${api}/`);

      // The chain: the platform deployed, the demo's parties accredited.
      const client = createPublicClient({ transport: http(rpcUrl) });
      const escrow = output.match(/TradeEscrow {3}(0x[0-9a-fA-F]{40})/)![1] as `0x${string}`;
      const court = output.match(/Court {9}(0x[0-9a-fA-F]{40})/)![1] as `0x${string}`;
      const read = (functionName: string, args: unknown[] = []) =>
        client.readContract({ address: escrow, abi: tradeEscrowAbi, functionName, args } as never);
      expect(await read("tradeCount")).toBeGreaterThanOrEqual(6n);
      const operatorRole = await read("OPERATOR_ROLE");
      for (const role of ["operator", "operator2"] as const)
        expect(await read("hasRole", [operatorRole, address(role)])).toBe(true);
      expect(await read("hasRole", [await read("INSPECTOR_ROLE"), address("agency")])).toBe(true);
      expect(await read("hasRole", [await read("CREDIT_ORACLE_ROLE"), address("oracle")])).toBe(
        true,
      );
      const accredited = await client.readContract({
        address: court,
        abi: arbitrationCourtAbi,
        functionName: "arbitrators",
      });
      expect(accredited.map((a) => a.toLowerCase()).sort()).toEqual(
        arbitratorRoles.map((role) => address(role).toLowerCase()).sort(),
      );

      // The API: caught up, at least six trades in at least four states.
      const health = (await (await fetch(`${api}/api/health`)).json()) as Record<string, number>;
      expect(health.lagBlocks).toBe(0);
      expect(health.indexedBlock).toBe(Number(await client.getBlockNumber()));
      const list = (await (await fetch(`${api}/api/trades?limit=100`)).json()) as {
        items: { id: string; stateName: string }[];
      };
      expect(list.items.length).toBeGreaterThanOrEqual(6);
      expect(new Set(list.items.map((t) => t.stateName)).size).toBeGreaterThanOrEqual(4);

      // The gateway serves a demo document whose bytes hash to its CID.
      const detail = (await (await fetch(`${api}/api/trades/1`)).json()) as {
        documents: { cid: string; status: string }[];
      };
      const document = detail.documents.find((d) => d.status === "verified")!;
      const bytes = new Uint8Array(
        await (await fetch(`${api}/ipfs/${document.cid}`)).arrayBuffer(),
      );
      expect((await computeCid(bytes)).cid.toString()).toBe(document.cid);

      // The dApp (or, before the frontend exists, the page saying how to build it).
      const page = await fetch(`${api}/`, { headers: { accept: "text/html" } });
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
    } finally {
      expect(await interrupt(first)).toBe(0);
    }
    expect(first.output()).toContain("Stopped.");
    // Nothing left running: both ports are free again.
    await assertPortFree("127.0.0.1", Number(ports.PORT), "the server");
    await assertPortFree("127.0.0.1", Number(ports.RPC_PORT), "the local chain");

    // A second start: a new chain, and an indexer in step with it (not with the old one).
    const second = startCommand(env);
    try {
      await waitFor(second, "Ctrl-C stops everything.");
      const client = createPublicClient({ transport: http(rpcUrl) });
      const health = (await (await fetch(`${api}/api/health`)).json()) as Record<string, number>;
      expect(health.indexedBlock).toBe(Number(await client.getBlockNumber()));
      const list = (await (await fetch(`${api}/api/trades?limit=100`)).json()) as {
        items: unknown[];
      };
      expect(list.items.length).toBe(7);
    } finally {
      expect(await interrupt(second)).toBe(0);
    }
  });

  it("says clearly when a port is taken, and starts nothing", async () => {
    const taken = await freePort();
    const blocker = (await import("node:net")).createServer().listen(taken, "127.0.0.1");
    try {
      const running = startCommand({ PORT: String(taken), RPC_PORT: String(await freePort()) });
      expect(await running.exited).toBe(2);
      expect(running.output()).toContain(`Port ${taken} on 127.0.0.1 (the server) is taken`);
      await expect(startCommand({}, ["--wrong"]).exited).resolves.toBe(2);
    } finally {
      blocker.close();
    }
  });
});
