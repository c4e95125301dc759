import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A Hardhat node (`npx hardhat node` at the repository root, on a free port of 127.0.0.1). The
 * global setup starts one for every test file; a file that moves the node's clock starts its own,
 * so it never expires another file's signatures or deadlines.
 */
export type HardhatNode = {
  rpcUrl: string;
  /** Stops the node and whatever npx started under it, and waits for it to exit. */
  stop: () => Promise<void>;
};

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
function kill(node: ChildProcess): void {
  if (node.pid === undefined || node.exitCode !== null || node.signalCode !== null) return;
  try {
    process.kill(-node.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

async function spawnNode(port: number): Promise<ChildProcess> {
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
      kill(node);
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

/** Starts a Hardhat node; it is also stopped if the process exits first. */
export async function startHardhatNode(): Promise<HardhatNode> {
  const port = await freePort();
  const node = await spawnNode(port);
  const onExit = () => kill(node);
  process.once("exit", onExit);
  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      process.off("exit", onExit);
      kill(node);
      await new Promise<void>((resolveExit) => {
        if (node.exitCode !== null || node.signalCode !== null) resolveExit();
        else node.once("exit", () => resolveExit());
      });
    },
  };
}
