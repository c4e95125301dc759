import { useEffect, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import type { Address as Hex20 } from "viem";
import { useApp } from "../context.js";
import type { DevAccountsControls } from "../lib/devAccounts.js";
import { toReadableError } from "../lib/errors.js";
import { shortAddress } from "../lib/format.js";

/** Names of the Hardhat development accounts the test stack gives roles to. */
const devAccountRoles = [
  "admin",
  "treasury",
  "buyer",
  "seller",
  "operator",
  "agency",
  "relayer",
  "arbitrator 1",
  "arbitrator 2",
  "arbitrator 3",
  "arbitrator 4",
  "arbitrator 5",
];

/**
 * Connect: every injected wallet announced by EIP-6963 (MetaMask, Rabby, …) and, on the local chain,
 * the development accounts. Connected: the account, the switch to the right network, disconnect.
 */
export function WalletMenu() {
  const { config } = useApp();
  const connectors = useConnectors();
  const { connector: active, address, chainId, status } = useConnection();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const [devAccounts, setDevAccounts] = useState<Hex20[]>([]);
  const dev =
    active?.id === "dev-accounts" ? (active as unknown as DevAccountsControls) : undefined;

  useEffect(() => {
    if (dev === undefined) return;
    void dev.listAccounts().then(setDevAccounts, () => setDevAccounts([]));
  }, [dev]);

  if (status !== "connected" || address === undefined) {
    return (
      <div className="wallet">
        <span className="muted" id="connect-label">
          Connect a wallet:
        </span>
        <ul className="wallet-list" aria-labelledby="connect-label">
          {connectors.length === 0 && (
            <li className="muted">No wallet found. Install MetaMask or Rabby.</li>
          )}
          {connectors.map((connector) => (
            <li key={connector.uid}>
              <button
                type="button"
                disabled={connect.isPending}
                onClick={() => connect.mutate({ connector, chainId: config.chain.id })}
              >
                {connector.icon !== undefined && (
                  <img src={connector.icon} alt="" width={16} height={16} />
                )}{" "}
                {connector.name}
              </button>
            </li>
          ))}
        </ul>
        {connect.error !== null && (
          <p role="alert" className="error">
            {toReadableError(connect.error).title}
          </p>
        )}
      </div>
    );
  }

  const wrongNetwork = chainId !== config.chain.id;
  return (
    <div className="wallet">
      {dev !== undefined && devAccounts.length > 0 ? (
        <label>
          <span className="muted">Development account </span>
          <select
            value={address}
            onChange={(e) => dev.selectAccount(e.target.value as Hex20)}
            data-testid="dev-account"
          >
            {devAccounts.map((a, i) => (
              <option key={a} value={a}>
                #{i} {devAccountRoles[i] ?? ""} {shortAddress(a)}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="account" data-testid="account" title={address}>
          {active?.name}: <code>{shortAddress(address)}</code>
        </span>
      )}{" "}
      <button type="button" onClick={() => disconnect.mutate({})}>
        Disconnect
      </button>
      {wrongNetwork && (
        <div className="banner banner-warn" role="alert">
          Your wallet is on chain {chainId}; this dApp runs on {config.chain.name} (
          {config.chain.id}).{" "}
          <button
            type="button"
            onClick={() => switchChain.mutate({ chainId: config.chain.id })}
            disabled={switchChain.isPending}
          >
            Switch to {config.chain.name}
          </button>
          {switchChain.error !== null && <span> {toReadableError(switchChain.error).title}</span>}
        </div>
      )}
    </div>
  );
}
