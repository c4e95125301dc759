import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where `npx hardhat node` finds the config and the artifacts). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export async function freePort(): Promise<number> {
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

export type HardhatNode = { url: string; stop(): Promise<void> };

/**
 * Starts `npx hardhat node` on 127.0.0.1 (`port`, or a free one) in its own process group (as the
 * sdk's test setup does), and resolves once it listens.
 */
export async function startHardhatNode(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<HardhatNode> {
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const node: ChildProcess = spawn(
    "npx",
    ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  node.stdout?.on("data", keepTail);
  node.stderr?.on("data", keepTail);
  const kill = () => {
    if (node.pid === undefined || node.exitCode !== null || node.signalCode !== null) return;
    try {
      process.kill(-node.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  process.once("exit", kill);
  await new Promise<void>((resolveStarted, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`The Hardhat node did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
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
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      process.off("exit", kill);
      kill();
      await new Promise<void>((done) => {
        if (node.exitCode !== null || node.signalCode !== null) done();
        else node.once("exit", () => done());
      });
    },
  };
}
