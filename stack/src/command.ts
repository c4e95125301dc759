// What `npm start` runs before anything imports the sdk: this module and its imports use only
// Node's built-ins, so it works on a fresh clone whose generated sdk files do not exist yet.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the Hardhat project: its config, artifacts and node_modules). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A stack that cannot start, with the one-line reason a person reads. */
export class StackError extends Error {
  override name = "StackError";
}

/** Runs a command at the repository root; resolves with its stdout, rejects with its stderr's tail. */
export function runAtRoot(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new StackError(`${command} ${args.join(" ")} failed (${code}):\n${stderr}`));
    });
  });
}

/**
 * Compiles the contracts and generates the sdk's typed contracts from the artifacts (`npm run
 * compile`). The sdk's generated files are never committed, so this runs before the first import
 * of the sdk; Hardhat's cache makes a second run cheap.
 */
export async function compileContracts(): Promise<void> {
  await runAtRoot("npm", ["run", "--silent", "compile"]);
}
