import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { deployStack } from "./deploy.js";
import "./context.js";

/**
 * Vitest global setup: starts a Hardhat node (`npx hardhat node` at the repository root, on a free
 * port of 127.0.0.1), deploys the stack with viem (./deploy.ts) and provides its addresses to the
 * test files (`inject("chain")`). The node is stopped at teardown. The root's artifacts must be
 * compiled (the sdk's `pretest` generator fails first, saying so, if they are not).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const STARTUP_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === "string") reject(new Error("No port."));
        else resolvePort(address.port);
      });
    });
  });
}

/** Stops the node and whatever npx started under it (they share a process group). */
function stop(node: ChildProcess): void {
  if (node.pid === undefined || node.exitCode !== null || node.signalCode !== null) return;
  try {
    process.kill(-node.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

async function startNode(port: number): Promise<ChildProcess> {
  const node = spawn(
    "npx",
    ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: ROOT,
      detached: true, // its own process group, so teardown stops npx's children too
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  // Keep reading: the node logs every call, and a full pipe would stall it.
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  node.stdout?.on("data", keepTail);
  node.stderr?.on("data", keepTail);
  await new Promise<void>((resolveStarted, reject) => {
    const timer = setTimeout(() => {
      stop(node);
      reject(new Error(`The Hardhat node did not start in ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = () => {
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        node.stdout?.off("data", onData);
        node.off("exit", onExit);
        resolveStarted();
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`The Hardhat node exited (${code}) before it started:\n${output}`));
    };
    node.stdout?.on("data", onData);
    node.once("exit", onExit);
  });
  return node;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const node = await startNode(port);
  const onExit = () => stop(node);
  process.once("exit", onExit);
  try {
    project.provide("chain", await deployStack(`http://127.0.0.1:${port}`));
  } catch (error) {
    stop(node);
    throw error;
  }
  return async () => {
    process.off("exit", onExit);
    stop(node);
    await new Promise<void>((resolveExit) => {
      if (node.exitCode !== null || node.signalCode !== null) resolveExit();
      else node.once("exit", () => resolveExit());
    });
  };
}
