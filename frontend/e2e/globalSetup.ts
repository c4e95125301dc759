import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { createIndexer } from "@trade-escrow/indexer";
import type { DevDeployment } from "@trade-escrow/sdk/devchain";
import { deployStack } from "@trade-escrow/sdk/devchain";
import { freePort, startDevNode } from "@trade-escrow/sdk/devchain";
import { accreditParties } from "@trade-escrow/stack/devchain";

export type E2eStack = {
  /** The indexer's server: the built dApp at `/`, the API, the IPFS gateway. */
  appUrl: string;
  chain: DevDeployment;
  /** Where the screenshots go. */
  screenshotDir: string;
  /** The production build the indexer serves. */
  distDir: string;
  /** The embedded IPFS store the server's `/ipfs` gateway reads (blockstore-fs under `blocks/`). */
  ipfsDir: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    stack: E2eStack;
  }
}

const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The real stack: a development node (anvil) with the contracts deployed (the indexer's test
 * deployment, with viem), the dApp built for it (`VITE_*` set to the deployed addresses), and the
 * real indexer (PGlite, embedded IPFS store) serving the build.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const work = await mkdtemp(join(tmpdir(), "dapp-e2e-"));
  const node = await startDevNode();
  const stops: (() => Promise<void>)[] = [
    () => node.stop(),
    () => rm(work, { recursive: true, force: true }),
  ];
  try {
    const chain = await deployStack(node.url);
    await accreditParties(chain);
    const outDir = join(work, "dist");
    // The production build for this deployment, in a child process (as `npm run build` makes it).
    await promisify(execFile)(
      "npx",
      ["vite", "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
      {
        cwd: FRONTEND,
        env: {
          ...process.env,
          VITE_CHAIN_ID: String(chain.chainId),
          VITE_RPC_URL: chain.rpcUrl,
          VITE_ESCROW_ADDRESS: chain.tradeEscrow,
          VITE_COURT_ADDRESS: chain.arbitrationCourt,
          VITE_RATINGS_ADDRESS: chain.sellerRatings,
          VITE_TOKENS: `TUSD:${chain.usd}:6`,
        },
      },
    );
    const port = await freePort();
    const ipfsDir = join(work, "ipfs");
    const indexer = await createIndexer({
      config: {
        rpcUrl: chain.rpcUrl,
        contracts: {
          escrow: chain.tradeEscrow,
          court: chain.arbitrationCourt,
          ratings: chain.sellerRatings,
        },
        startBlock: chain.deploymentBlock,
        dataDir: join(work, "pglite"),
        databaseUrl: undefined,
        databaseSchema: undefined,
        port,
        host: "127.0.0.1",
        finalityDepth: 2,
        pollingIntervalMs: 200,
        maxLogRange: 10_000,
        ipfsDir,
        staticDir: outDir,
        logLevel: "silent",
        apiCacheMs: 0,
      },
    });
    stops.unshift(() => indexer.stop());
    project.provide("stack", {
      appUrl: indexer.url,
      chain,
      screenshotDir: join(FRONTEND, "..", "docs", "screenshots"),
      distDir: outDir,
      ipfsDir,
    });
  } catch (error) {
    for (const stop of stops) await stop();
    throw error;
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}
