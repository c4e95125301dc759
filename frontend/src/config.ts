import { defineChain, getAddress, isAddress } from "viem";
import type { Address, Chain } from "viem";
import { hardhat } from "viem/chains";
import { deploymentChainIds, getDeployment } from "@trade-escrow/sdk/contracts";

/** A payment token the order form offers. `address(0)` is the chain's native coin. */
export type PaymentToken = { symbol: string; address: Address; decimals: number };

export type AppConfig = {
  chain: Chain;
  /** The development accounts are offered only on the local chain. */
  isLocalChain: boolean;
  escrow: Address;
  court: Address;
  ratings: Address;
  tokens: readonly PaymentToken[];
  /** Where the indexer's `/api` and `/ipfs` live (empty: the dApp's own origin). */
  indexerUrl: string;
};

export const NATIVE_TOKEN: Address = "0x0000000000000000000000000000000000000000";
export const LOCAL_CHAIN_ID = 31337;

type Env = Record<string, string | undefined>;

function address(env: Env, name: string, fallback: string | undefined): Address {
  const value = env[name] ?? fallback;
  if (value === undefined || !isAddress(value))
    throw new Error(`${name} must be an address; it is ${value ?? "unset"}.`);
  return getAddress(value);
}

/** `TUSD:0xabc…:6,EURC:0xdef…:6` */
export function parseTokens(raw: string | undefined): PaymentToken[] {
  if (raw === undefined || raw.trim() === "") return [];
  return raw.split(",").map((part) => {
    const [symbol, tokenAddress, decimals] = part.trim().split(":");
    if (symbol === undefined || tokenAddress === undefined || !isAddress(tokenAddress))
      throw new Error(`VITE_TOKENS entry "${part}" must be SYMBOL:ADDRESS:DECIMALS.`);
    return { symbol, address: getAddress(tokenAddress), decimals: Number(decimals ?? 18) };
  });
}

/** Each token once: a `VITE_TOKENS` entry naming a token the deployment also records wins. */
function uniqueByAddress(tokens: PaymentToken[]): PaymentToken[] {
  const seen = new Set<string>();
  return tokens.filter((token) => {
    const key = token.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Reads the chain and contracts from `VITE_*` variables (set when the dApp is built), falling back
 * to the sdk's recorded deployment for the chain.
 */
export function readConfig(env: Env): AppConfig {
  const chainId = Number(env.VITE_CHAIN_ID ?? LOCAL_CHAIN_ID);
  const rpcUrl = env.VITE_RPC_URL ?? "http://127.0.0.1:8545";
  const deployment = deploymentChainIds().includes(chainId) ? getDeployment(chainId) : undefined;
  const chain: Chain =
    chainId === LOCAL_CHAIN_ID
      ? { ...hardhat, rpcUrls: { default: { http: [rpcUrl] } } }
      : defineChain({
          id: chainId,
          name: env.VITE_CHAIN_NAME ?? `Chain ${chainId}`,
          nativeCurrency: { name: "Ether", symbol: env.VITE_NATIVE_SYMBOL ?? "ETH", decimals: 18 },
          rpcUrls: { default: { http: [rpcUrl] } },
          ...(env.VITE_EXPLORER_URL !== undefined && {
            blockExplorers: { default: { name: "Explorer", url: env.VITE_EXPLORER_URL } },
          }),
        });
  const native: PaymentToken = {
    symbol: chain.nativeCurrency.symbol,
    address: NATIVE_TOKEN,
    decimals: chain.nativeCurrency.decimals,
  };
  const deploymentTokens = Object.entries(deployment?.tokens ?? {}).map(([symbol, a]) => ({
    symbol,
    address: getAddress(a),
    decimals: 6,
  }));
  return {
    chain,
    isLocalChain: chainId === LOCAL_CHAIN_ID,
    escrow: address(env, "VITE_ESCROW_ADDRESS", deployment?.tradeEscrow),
    court: address(env, "VITE_COURT_ADDRESS", deployment?.arbitrationCourt),
    ratings: address(env, "VITE_RATINGS_ADDRESS", deployment?.sellerRatings),
    tokens: uniqueByAddress([native, ...parseTokens(env.VITE_TOKENS), ...deploymentTokens]),
    indexerUrl: (env.VITE_INDEXER_URL_PUBLIC ?? "").replace(/\/+$/, ""),
  };
}

/** The explorer page of a transaction, when the chain has an explorer. */
export function explorerTxUrl(chain: Chain, hash: string): string | undefined {
  const base = chain.blockExplorers?.default.url;
  return base === undefined ? undefined : `${base.replace(/\/+$/, "")}/tx/${hash}`;
}
