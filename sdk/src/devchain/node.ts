import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, http } from "viem";
import { hardhat } from "viem/chains";
import { DEV_ACCOUNT_COUNT, HARDHAT_MNEMONIC } from "./accounts.js";

/** The repository root (the Hardhat project: its config, artifacts and node_modules). */
// sdk/src/devchain/ -> the root.
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** A port of 127.0.0.1 that nothing listens on now. */
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

/** A running development node: its JSON-RPC URL, and `stop` (waits for the process to exit). */
export type DevNode = { url: string; stop(): Promise<void> };

/** `@foundry-rs/anvil`'s binary packages, by Node's platform and architecture. */
const ANVIL_PACKAGES: Record<string, string> = {
  "linux-x64": "@foundry-rs/anvil-linux-amd64",
  "linux-arm64": "@foundry-rs/anvil-linux-arm64",
  "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
  "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
  "win32-x64": "@foundry-rs/anvil-win32-amd64",
};

/**
 * The anvil binary that npm installed with `@foundry-rs/anvil` (an optional dependency per platform,
 * from the npm registry), run directly rather than through the package's Node wrapper.
 */
function anvilBinary(): string {
  const name = ANVIL_PACKAGES[`${process.platform}-${process.arch}`];
  if (name === undefined)
    throw new Error(`anvil has no build for ${process.platform}-${process.arch}.`);
  const binary = process.platform === "win32" ? "anvil.exe" : "anvil";
  return join(
    dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)),
    "bin",
    binary,
  );
}

/**
 * Starts the development chain on 127.0.0.1 (`port`, or a free one) in its own process group, and
 * resolves once it answers JSON-RPC: anvil (Foundry's node), with Hardhat's chain id, mnemonic and
 * an account per role (accounts.ts), so every address and key is the one a Hardhat node would have. Anvil
 * mines the same transactions several times faster than a Hardhat node (docs/benchmarks.md), which
 * is what the end-to-end tests, the benchmarks' trade generation and `npm start` spend their time on.
 */
export async function startDevNode(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<DevNode> {
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = `http://127.0.0.1:${port}`;
  const node: ChildProcess = spawn(
    anvilBinary(),
    [
      ...["--host", "127.0.0.1", "--port", String(port), "--chain-id", "31337"],
      ...["--mnemonic", HARDHAT_MNEMONIC, "--accounts", String(DEV_ACCOUNT_COUNT)],
      ...["--balance", "10000"],
      // The contracts are compiled for cancun; the gas limit is a Hardhat node's.
      ...["--hardfork", "cancun", "--gas-limit", "60000000", "--silent"],
    ],
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
  let exited: string | undefined;
  node.once("error", (error) => (exited = error.message));
  node.once("exit", (code) => (exited = `exit code ${code}`));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined)
      throw new Error(`The development node stopped (${exited}) before it started:\n${output}`);
    if (await answersChainId(url)) break;
    if (Date.now() > deadline) {
      kill();
      throw new Error(`The development node did not answer in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolveLater) => setTimeout(resolveLater, 50));
  }
  return {
    url,
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

/** Whether the node at `url` answers as Hardhat's development chain (chain id 31337). */
async function answersChainId(url: string): Promise<boolean> {
  const client = createPublicClient({ transport: http(url, { retryCount: 0, timeout: 1_000 }) });
  try {
    return (await client.getChainId()) === hardhat.id;
  } catch {
    return false;
  }
}
