import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What Debian's `ipfs_cid FILE` prints on stdout (its timing report goes to stderr). */
export type IpfsCidOutput = { CIDv0: string; CIDv1: string };

export const installHint =
  "Debian's ipfs_cid is not installed: run `apt-get update && apt-get install -y ipfs-cid` " +
  "(.ci/run does this in CI). The live cross-check against it does not skip.";

/** The path of `ipfs_cid`, or undefined when it is not on PATH. */
export async function findIpfsCid(): Promise<string | undefined> {
  try {
    const { stdout } = await run("sh", ["-c", "command -v ipfs_cid"]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function ipfsCid(binary: string, file: string): Promise<IpfsCidOutput> {
  const { stdout } = await run(binary, [file], { maxBuffer: 1024 * 1024 });
  const parsed = JSON.parse(stdout.trim()) as Partial<IpfsCidOutput>;
  if (typeof parsed.CIDv0 !== "string" || typeof parsed.CIDv1 !== "string") {
    throw new Error(`Unexpected ipfs_cid output: ${stdout}`);
  }
  return { CIDv0: parsed.CIDv0, CIDv1: parsed.CIDv1 };
}

/** The Debian package version, recorded in the fixture. */
export async function ipfsCidVersion(): Promise<string> {
  try {
    const { stdout } = await run("dpkg-query", ["-W", "-f=${Version}", "ipfs-cid"]);
    return `ipfs-cid ${stdout.trim()} (Debian)`;
  } catch {
    return "ipfs-cid (version unknown)";
  }
}
