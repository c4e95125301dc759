import { getAddress, isAddress } from "viem";
import type { Address } from "viem";
import { ConfigError } from "./errors.js";

/** Everything `main.ts` reads from the environment. */
export type IndexerConfig = {
  rpcUrl: string;
  /** The chain the node must be on; a node on another chain stops the start. */
  chainId?: number | undefined;
  /** Contracts; when absent, taken from the sdk's deployments for the node's chain id. */
  contracts: Partial<{ escrow: Address; court: Address; ratings: Address }>;
  /** First block to read; default the deployment's block (or 0 with explicit addresses). */
  startBlock: number | undefined;
  /** PGlite's data directory (the default store). */
  dataDir: string;
  /** A Postgres server instead of PGlite. */
  databaseUrl: string | undefined;
  /** Postgres schema (default `public`). */
  databaseSchema: string | undefined;
  port: number;
  host: string;
  finalityDepth: number;
  pollingIntervalMs: number;
  /** The widest eth_getLogs range tried (it shrinks when the node refuses). */
  maxLogRange: number;
  /** The embedded IPFS store's directory (used when no `ipfsApiUrl` is set). */
  ipfsDir: string;
  /** Kubo's RPC API, or a pinning service speaking it, instead of the embedded store. */
  ipfsApiUrl?: string | undefined;
  /** The `Authorization` header sent to `ipfsApiUrl` (a pinning service's token). */
  ipfsApiAuthorization?: string | undefined;
  /** The built dApp to serve at `/`. */
  staticDir: string;
  logLevel: string;
  /** How long the API keeps an answer (dropped on every sync write anyway); 0 turns it off. */
  apiCacheMs: number;
};

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer of at least ${min}; got "${raw}".`);
  }
  return value;
}

function address(env: NodeJS.ProcessEnv, name: string): Address | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  if (!isAddress(raw, { strict: false }))
    throw new ConfigError(`${name} is not an address: "${raw}".`);
  return getAddress(raw);
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError(`${name} must be an http or https URL; got "${raw}".`);
  return raw;
}

/** Reads and checks the configuration (see README.md, "Configuration"). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  const startBlock = env.START_BLOCK === undefined ? undefined : integer(env, "START_BLOCK", 0);
  return {
    rpcUrl: httpUrl(env, "RPC_URL") ?? "http://127.0.0.1:8545",
    chainId:
      env.CHAIN_ID === undefined || env.CHAIN_ID === ""
        ? undefined
        : integer(env, "CHAIN_ID", 0, 1),
    contracts: {
      ...(address(env, "ESCROW_ADDRESS") && { escrow: address(env, "ESCROW_ADDRESS") }),
      ...(address(env, "COURT_ADDRESS") && { court: address(env, "COURT_ADDRESS") }),
      ...(address(env, "RATINGS_ADDRESS") && { ratings: address(env, "RATINGS_ADDRESS") }),
    },
    startBlock,
    dataDir: env.DATA_DIR ?? "./.data/indexer",
    databaseUrl: env.DATABASE_URL === "" ? undefined : env.DATABASE_URL,
    databaseSchema: env.DATABASE_SCHEMA === "" ? undefined : env.DATABASE_SCHEMA,
    port: integer(env, "PORT", 3000),
    host: env.HOST ?? "127.0.0.1",
    finalityDepth: integer(env, "FINALITY_DEPTH", 12),
    pollingIntervalMs: integer(env, "POLLING_INTERVAL_MS", 1_000, 10),
    maxLogRange: integer(env, "MAX_LOG_RANGE", 10_000, 1),
    ipfsDir: env.IPFS_DIR ?? "./.data/ipfs",
    ipfsApiUrl: httpUrl(env, "IPFS_API_URL"),
    ipfsApiAuthorization:
      env.IPFS_API_AUTHORIZATION === "" ? undefined : env.IPFS_API_AUTHORIZATION,
    staticDir: env.STATIC_DIR ?? new URL("../../../frontend/dist", import.meta.url).pathname,
    logLevel: env.LOG_LEVEL ?? "info",
    apiCacheMs: integer(env, "API_CACHE_MS", 30_000),
  };
}
