import { createPublicClient, http } from "viem";
import type { Address, PublicClient } from "viem";
import { getDeployment } from "@trade-escrow/sdk/contracts";
import { createEmbeddedStore, createKuboStore } from "@trade-escrow/sdk/store";
import type { DocumentStore } from "@trade-escrow/sdk/store";
import { createRootApp, startServer } from "./api/index.js";
import type { IndexerConfig, Logger } from "./internal/index.js";
import { ConfigError, silentLogger, withRetry, RpcError } from "./internal/index.js";
import { createDatabase, createStore } from "./store/index.js";
import type { Database, Store } from "./store/index.js";
import { createDocumentVerifier, createMediaTypeLookup, createSyncer } from "./sync/index.js";
import type { Contracts, DocumentVerifier, Syncer } from "./sync/index.js";

export type CreateIndexerParameters = {
  config: IndexerConfig;
  logger?: Logger;
  /** A client to use instead of one on `config.rpcUrl` (tests inject failing transports). */
  client?: PublicClient;
  /** A document store instead of the one the settings name (`openDocumentStore`). */
  documents?: DocumentStore;
};

export type Indexer = {
  db: Database;
  store: Store;
  syncer: Syncer;
  verifier: DocumentVerifier;
  contracts: Contracts;
  /** The server's base URL once listening. */
  url: string;
  stop(): Promise<void>;
};

/** The node's chain id, waiting up to 10 s for the node to answer. */
async function nodeChainId(config: IndexerConfig, client: PublicClient, logger: Logger) {
  return withRetry(
    async () => {
      try {
        return await client.getChainId();
      } catch (error) {
        throw new RpcError(`The node at ${config.rpcUrl} did not answer eth_chainId.`, {
          cause: error,
        });
      }
    },
    {
      maxMs: 10_000,
      onRetry: (error) => logger.warn({ err: (error as Error).message }, "waiting for the node"),
    },
  );
}

/**
 * The contracts from the settings, else from the sdk's deployments for the node's chain. With
 * `CHAIN_ID` set, a node on another chain is refused: an RPC URL pointing at the wrong network would
 * otherwise index nothing, or another deployment's look-alike contracts.
 */
async function resolveContracts(
  config: IndexerConfig,
  client: PublicClient,
  logger: Logger,
): Promise<{ contracts: Contracts; startBlock: number }> {
  const { escrow, court, ratings } = config.contracts;
  const explicit = escrow !== undefined && court !== undefined && ratings !== undefined;
  if (explicit && config.chainId === undefined)
    return { contracts: { escrow, court, ratings }, startBlock: config.startBlock ?? 0 };
  const chainId = await nodeChainId(config, client, logger);
  if (config.chainId !== undefined && chainId !== config.chainId)
    throw new ConfigError(
      `CHAIN_ID is ${config.chainId}, but the node at ${config.rpcUrl} is on chain ${chainId}.`,
    );
  if (explicit)
    return { contracts: { escrow, court, ratings }, startBlock: config.startBlock ?? 0 };
  try {
    const d = getDeployment(chainId);
    return {
      contracts: {
        escrow: (escrow ?? d.tradeEscrow) as Address,
        court: (court ?? d.arbitrationCourt) as Address,
        ratings: (ratings ?? d.sellerRatings) as Address,
      },
      startBlock: config.startBlock ?? d.deploymentBlock,
    };
  } catch (error) {
    throw new ConfigError(
      `No ESCROW_ADDRESS, COURT_ADDRESS and RATINGS_ADDRESS set, and the sdk knows no deployment on chain ${chainId}.`,
      { cause: error },
    );
  }
}

/**
 * The document store the settings name: a Kubo node (or a pinning service speaking Kubo's RPC) at
 * `IPFS_API_URL`, else the embedded store in `IPFS_DIR`.
 */
export function openDocumentStore(
  config: Pick<IndexerConfig, "ipfsApiUrl" | "ipfsApiAuthorization" | "ipfsDir">,
  logger: Logger = silentLogger,
): DocumentStore {
  if (config.ipfsApiUrl === undefined)
    return createEmbeddedStore({ directory: config.ipfsDir, logger });
  return createKuboStore({
    url: config.ipfsApiUrl,
    logger,
    ...(config.ipfsApiAuthorization !== undefined && {
      headers: { Authorization: config.ipfsApiAuthorization },
    }),
  });
}

/**
 * The whole indexer: the database (PGlite in `dataDir`, or `DATABASE_URL`), migrations, the syncer,
 * the document store and its verifier, and one HTTP server with the API under `/api`, the IPFS
 * gateway under `/ipfs` and the dApp at `/`.
 */
export async function createIndexer(parameters: CreateIndexerParameters): Promise<Indexer> {
  const { config } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const client =
    parameters.client ??
    (createPublicClient({
      transport: http(config.rpcUrl, { retryCount: 0, timeout: 15_000, batch: { batchSize: 250 } }),
      pollingInterval: config.pollingIntervalMs,
    }) as PublicClient);
  const { contracts, startBlock } = await resolveContracts(config, client, logger);
  const db = await createDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl === undefined ? config.dataDir : undefined,
    schema: config.databaseSchema,
    logger,
  });
  const store = createStore({ db, logger });
  await store.migrate();
  const documents = parameters.documents ?? openDocumentStore(config, logger);
  const syncer = createSyncer({
    client,
    store,
    contracts,
    startBlock,
    finalityDepth: config.finalityDepth,
    pollingIntervalMs: config.pollingIntervalMs,
    maxRange: config.maxLogRange,
    logger,
  });
  let invalidate = () => {};
  const verifier = createDocumentVerifier({
    db,
    store: documents,
    logger,
    onChange: () => invalidate(),
  });
  const app = createRootApp({
    db,
    status: syncer.status,
    subscribe: syncer.subscribe,
    documents,
    mediaTypes: createMediaTypeLookup(db),
    staticDir: config.staticDir,
    cacheMs: config.apiCacheMs,
    onInvalidate: (fn) => (invalidate = fn),
    logger,
  });
  const server = await startServer({ app, port: config.port, host: config.host, logger });
  await syncer.start();
  verifier.start();
  logger.info({ contracts, startBlock, database: db.kind, url: server.url }, "indexer started");
  return {
    db,
    store,
    syncer,
    verifier,
    contracts,
    url: server.url,
    async stop() {
      await server.close();
      await verifier.stop();
      await syncer.stop();
      if (parameters.documents === undefined) await documents.close();
      await db.close();
    },
  };
}
