import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import type { Address } from "viem";
import type { DocumentStore } from "@trade-escrow/sdk/store";
import { createIndexer, createLogger, openDocumentStore, readConfig } from "@trade-escrow/indexer";
import type { Indexer } from "@trade-escrow/indexer";
import type { Deployment } from "@trade-escrow/sdk/contracts";
import { startDevNode } from "@trade-escrow/sdk/devchain";
import type { DevDeployment, DevNode } from "@trade-escrow/sdk/devchain";
import { seedDemo } from "./demo/seed.js";
import { ROOT, StackError, runAtRoot as run } from "./command.js";
import type { DemoTrade } from "./demo/seed.js";

/** What `scripts/deploy-local.ts` prints: the deployment record, the demo stablecoin under `tokens.DUSD`. */
type LocalRecord = Deployment & { readonly tokens: { readonly DUSD: Address } };

export type StartStackOptions = {
  /** The node's port on `host`. Default 8545. */
  rpcPort?: number;
  /** The server's port (API, gateway, dApp). Default 3000. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the indexer's database and the document store live. Default `<repo>/.data`. */
  dataDir?: string;
  /** Empty `dataDir` first (the document store too). */
  fresh?: boolean;
  /** Settings the indexer reads (DATABASE_URL, LOG_LEVEL, ...). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Told each step as it starts. */
  progress?: (step: StackStep, detail?: string) => void;
};

export type StackStep = "ports" | "chain" | "deploy" | "seed" | "dapp" | "index";

export type Stack = {
  rpcUrl: string;
  /** The server: API under /api, gateway under /ipfs, dApp at /. */
  url: string;
  /** The platform Ignition deployed, the demo stablecoin (DemoStablecoin) as `usd`. */
  deployment: DevDeployment;
  trades: DemoTrade[];
  indexer: Indexer;
  /** Stops the indexer, the document store and the node (in that order) and waits for them. */
  stop(): Promise<void>;
};

/** Fails with a clear message when `port` on `host` is taken. */
export async function assertPortFree(host: string, port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new StackError(
              `Port ${port} on ${host} (${what}) is taken: stop what uses it (another npm start?) or choose another port.`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/**
 * Starts the local stack as `npm start` does, on compiled contracts (`compileContracts`): a
 * development node (anvil), the platform and the demo's accredited parties deployed with Ignition,
 * the demo trades, the dApp built if it is not, and the indexer with its server, caught up with the
 * chain.
 *
 * The development node (anvil) keeps its chain in memory, so every start is a new chain: the stack
 * deploys and seeds again and drops the indexer's database, which described the old chain (the two
 * are never out of step). The document store is content-addressed and kept; `fresh` empties it too.
 */
export async function startStack(options: StartStackOptions = {}): Promise<Stack> {
  const host = options.host ?? "127.0.0.1";
  const rpcPort = options.rpcPort ?? 8545;
  const port = options.port ?? 3000;
  const dataDir = options.dataDir ?? join(ROOT, ".data");
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => {});

  progress("ports");
  await assertPortFree(host, rpcPort, "the local chain");
  await assertPortFree(host, port, "the server");
  if (options.fresh === true) await rm(dataDir, { recursive: true, force: true });
  await rm(join(dataDir, "indexer"), { recursive: true, force: true });

  progress("chain", `127.0.0.1:${rpcPort}`);
  const node: DevNode = await startDevNode({ port: rpcPort });
  const rpcUrl = node.url;
  let documents: DocumentStore | undefined;
  let indexer: Indexer | undefined;
  try {
    progress("deploy", "Ignition: TradeEscrow and LocalDemo modules");
    const output = await run(
      "npx",
      // Compiled already (`compileContracts`, before anything imported the sdk): no second compile.
      ["hardhat", "run", "--no-compile", "scripts/deploy-local.ts", "--network", "localhost"],
      { LOCAL_RPC_URL: rpcUrl },
    );
    const record = JSON.parse(output.trim().split("\n").at(-1) ?? "") as LocalRecord;
    const deployment: DevDeployment = {
      ...record,
      rpcUrl,
      usd: record.tokens.DUSD,
      libraries: record.libraries ?? {},
    };

    const frontend = join(ROOT, "frontend");
    const staticDir = join(frontend, "dist");
    const config = readConfig({
      ...env,
      RPC_URL: rpcUrl,
      ESCROW_ADDRESS: deployment.tradeEscrow,
      COURT_ADDRESS: deployment.arbitrationCourt,
      RATINGS_ADDRESS: deployment.sellerRatings,
      START_BLOCK: String(deployment.deploymentBlock),
      PORT: String(port),
      HOST: host,
      DATA_DIR: join(dataDir, "indexer"),
      IPFS_DIR: join(dataDir, "ipfs"),
      STATIC_DIR: staticDir,
      // A local node mines only what it is sent and never reorganises: its blocks are final.
      FINALITY_DEPTH: env.FINALITY_DEPTH ?? "0",
      POLLING_INTERVAL_MS: env.POLLING_INTERVAL_MS ?? "250",
    });

    progress("seed");
    // The embedded store in the data directory, or Kubo (a pinning service) when IPFS_API_URL is set.
    documents = openDocumentStore(config);
    const trades = await seedDemo({
      deployed: deployment,
      store: documents,
      progress: (message) => progress("seed", message),
    });

    // Built for this deployment every time: the dApp takes its chain and addresses at build time.
    if (existsSync(join(frontend, "index.html"))) {
      progress("dapp", "vite build");
      await run("npm", ["run", "--silent", "build", "-w", "frontend"], {
        VITE_CHAIN_ID: String(deployment.chainId),
        VITE_RPC_URL: rpcUrl,
        VITE_CHAIN_NAME: "Local chain",
        VITE_ESCROW_ADDRESS: deployment.tradeEscrow,
        VITE_COURT_ADDRESS: deployment.arbitrationCourt,
        VITE_RATINGS_ADDRESS: deployment.sellerRatings,
        // Demo USD comes from the sdk's record of this deployment (deploy-local regenerates it).
      });
    }

    progress("index");
    const logger = createLogger({ level: env.LOG_LEVEL ?? "warn" });
    indexer = await createIndexer({ config, logger, documents });
    const started = indexer;
    const store = documents;
    const head = await createPublicClient({ transport: http(rpcUrl) }).getBlockNumber();
    await started.syncer.waitForBlock(head, 120_000);
    // The demo's documents are checked against their CIDs before the stack says it is ready.
    await started.verifier.runOnce();

    return {
      rpcUrl,
      url: started.url,
      deployment,
      trades,
      indexer: started,
      async stop() {
        await started.stop();
        await store.close();
        await node.stop();
      },
    };
  } catch (error) {
    await indexer?.stop().catch(() => {});
    await documents?.close().catch(() => {});
    await node.stop();
    throw error;
  }
}
