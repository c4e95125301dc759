import { createConnector } from "wagmi";
import { getAddress, numberToHex } from "viem";
import type { Address, EIP1193RequestFn } from "viem";

/** The JSON-RPC methods the dev connector answers itself; everything else goes to the node. */
const ACCOUNT_METHODS = new Set(["eth_accounts", "eth_requestAccounts"]);

type Rpc = (method: string, params?: unknown) => Promise<unknown>;

function httpRpc(url: string): Rpc {
  let id = 0;
  return async (method, params) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
    });
    const body = (await response.json()) as {
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
    };
    if (body.error !== undefined)
      throw Object.assign(new Error(body.error.message), {
        code: body.error.code,
        data: body.error.data,
      });
    return body.result;
  };
}

export type DevAccountsParameters = { rpcUrl: string; chainId: number };

/**
 * The local node's development accounts as a wallet (burner-like: the node holds the keys and signs).
 * Offered only on the local chain; `selectDevAccount` picks which one is connected.
 */
export function devAccounts({ rpcUrl, chainId }: DevAccountsParameters) {
  const rpc = httpRpc(rpcUrl);
  let selected: Address | undefined;
  let connected = false;
  const listeners = new Set<(accounts: Address[]) => void>();

  const request = (async ({ method, params }: { method: string; params?: unknown }) => {
    if (ACCOUNT_METHODS.has(method)) {
      if (selected === undefined) {
        const all = (await rpc("eth_accounts")) as string[];
        if (all[0] === undefined) throw new Error("The node has no development accounts.");
        selected = getAddress(all[0]);
      }
      return [selected];
    }
    if (method === "eth_chainId") return numberToHex(chainId);
    if (method === "wallet_switchEthereumChain") return null;
    return rpc(method, params);
  }) as EIP1193RequestFn;

  return createConnector<{ request: EIP1193RequestFn }>((config) => ({
    id: "dev-accounts",
    name: "Development accounts",
    type: "devAccounts",
    async connect(parameters) {
      const accounts = (await request({ method: "eth_requestAccounts" } as never)) as Address[];
      connected = true;
      const onChange = (next: Address[]) => config.emitter.emit("change", { accounts: next });
      listeners.clear();
      listeners.add(onChange);
      // wagmi's connect() types `accounts` by `withCapabilities`; this wallet has none.
      const result = parameters?.withCapabilities
        ? accounts.map((address) => ({ address, capabilities: {} }))
        : accounts;
      return { accounts: result as never, chainId };
    },
    async disconnect() {
      connected = false;
    },
    async getAccounts() {
      return selected === undefined ? [] : [selected];
    },
    async getChainId() {
      return chainId;
    },
    async getProvider() {
      return { request };
    },
    async isAuthorized() {
      return connected && selected !== undefined;
    },
    onAccountsChanged(accounts) {
      config.emitter.emit("change", { accounts: accounts.map((a) => getAddress(a)) });
    },
    onChainChanged() {},
    onDisconnect() {
      config.emitter.emit("disconnect");
    },
    async switchChain({ chainId: id }) {
      const chain = config.chains.find((c) => c.id === id);
      if (chain === undefined) throw new Error(`Chain ${id} is not configured.`);
      return chain;
    },
    /** Not part of wagmi's interface: lists the node's accounts and switches between them. */
    async listAccounts(): Promise<Address[]> {
      return ((await rpc("eth_accounts")) as string[]).map((a) => getAddress(a));
    },
    selectAccount(address: Address) {
      selected = getAddress(address);
      for (const listener of listeners) listener([selected]);
    },
  }));
}

/** The dev connector's extra methods, as the wallet menu calls them. */
export type DevAccountsControls = {
  listAccounts(): Promise<Address[]>;
  selectAccount(address: Address): void;
};
