import type { Page } from "playwright-core";
import type { Address } from "viem";

/** The product's own EIP-6963 identity for the test wallet (not MetaMask's). */
export const WALLET_INFO = {
  name: "Trade Escrow Test Wallet",
  rdns: "org.trade-escrow.test-wallet",
} as const;

export type TestWallet = {
  /** Makes `account` the wallet's account and tells the page (`accountsChanged`). */
  use(account: Address): Promise<void>;
  /** Every JSON-RPC method the page asked the wallet for, in order. */
  calls: string[];
  /** The next request of this method is refused by the "person" (code 4001). */
  rejectNext(method: string): void;
  /** Puts the wallet on another chain (as if the person switched it) and tells the page. */
  useChain(chainId: number): Promise<void>;
};

/**
 * An EIP-1193 provider injected into the page and announced by EIP-6963. Requests cross to Node
 * (`page.exposeFunction`) and go to the development node, whose unlocked accounts sign transactions
 * and typed data; the wallet answers the account methods itself.
 */
export async function installWallet(
  page: Page,
  rpcUrl: string,
  first: Address,
): Promise<TestWallet> {
  let account: Address = first;
  const calls: string[] = [];
  const rejections = new Set<string>();
  let authorized = false;
  // undefined: the node's chain.
  let chainOverride: number | undefined;
  let id = 0;
  await page.exposeFunction("__testWalletRequest", async (method: string, params: unknown) => {
    calls.push(method);
    if (rejections.delete(method))
      return { error: { code: 4001, message: "User rejected the request." } };
    // Like a real wallet: no account until the page asked and the person approved once.
    if (method === "eth_requestAccounts") authorized = true;
    if (method === "eth_accounts" || method === "eth_requestAccounts")
      return { result: authorized ? [account] : [] };
    if (method === "eth_chainId" && chainOverride !== undefined)
      return { result: `0x${chainOverride.toString(16)}` };
    if (method === "wallet_switchEthereumChain") {
      // The person approves: the wallet moves to the asked chain and tells the page.
      const [{ chainId }] = params as [{ chainId: string }];
      chainOverride = Number(chainId);
      await page.evaluate((id) => {
        (
          globalThis as unknown as { __testWallet: { emit(e: string, v: unknown): void } }
        ).__testWallet.emit("chainChanged", id);
      }, chainId);
      return { result: null };
    }
    if (method === "wallet_addEthereumChain") return { result: null };
    if (method === "wallet_requestPermissions")
      return { result: [{ parentCapability: "eth_accounts" }] };
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
    });
    const body = (await response.json()) as { result?: unknown; error?: unknown };
    return body.error !== undefined ? { error: body.error } : { result: body.result };
  });
  await page.addInitScript((info) => {
    const listeners = new Map<string, Set<(value: unknown) => void>>();
    const provider = {
      async request({ method, params }: { method: string; params?: unknown }) {
        const answer = await (
          globalThis as unknown as {
            __testWalletRequest(
              m: string,
              p: unknown,
            ): Promise<{
              result?: unknown;
              error?: { code: number; message: string; data?: unknown };
            }>;
          }
        ).__testWalletRequest(method, params);
        if (answer.error !== undefined)
          throw Object.assign(new Error(answer.error.message), {
            code: answer.error.code,
            data: answer.error.data,
          });
        return answer.result;
      },
      on(event: string, listener: (value: unknown) => void) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
      },
      removeListener(event: string, listener: (value: unknown) => void) {
        listeners.get(event)?.delete(listener);
      },
      emit(event: string, value: unknown) {
        listeners.get(event)?.forEach((l) => l(value));
      },
    };
    // This function runs in the page (a browser), where globalThis is the window.
    const page = globalThis as unknown as EventTarget & { __testWallet: typeof provider };
    page.__testWallet = provider;
    const icon =
      "data:image/svg+xml;base64," +
      btoa(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5fff"/></svg>',
      );
    const detail = Object.freeze({
      info: Object.freeze({ uuid: crypto.randomUUID(), name: info.name, icon, rdns: info.rdns }),
      provider,
    });
    const announce = () =>
      page.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
    page.addEventListener("eip6963:requestProvider", announce);
    announce();
  }, WALLET_INFO);
  return {
    calls,
    rejectNext: (method) => rejections.add(method),
    async useChain(chainId) {
      chainOverride = chainId;
      await page.evaluate(
        (id) => {
          (
            globalThis as unknown as { __testWallet: { emit(e: string, v: unknown): void } }
          ).__testWallet.emit("chainChanged", id);
        },
        `0x${chainId.toString(16)}`,
      );
    },
    async use(next) {
      account = next;
      await page.evaluate((a) => {
        (
          globalThis as unknown as { __testWallet: { emit(e: string, v: unknown): void } }
        ).__testWallet.emit("accountsChanged", [a]);
      }, next);
    },
  };
}
