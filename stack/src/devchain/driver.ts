import type { DevDeployment } from "@trade-escrow/sdk/devchain";
import { createChainBase } from "./base.js";
import type { UseChainOptions } from "./base.js";
import { claimActions } from "./claims.js";
import { openingActions } from "./opening.js";
import { paymentActions } from "./payments.js";
import { platformActions } from "./platform.js";

export type Chain = ReturnType<typeof useChain>;

/**
 * Clients and a trade driver on the development chain (JSON-RPC accounts: the node signs): every
 * trade action of the product, grouped by opening, payments, the platform's and claims, with the
 * views and the node's controls.
 */
export function useChain(deployment: DevDeployment, options: UseChainOptions = {}) {
  const base = createChainBase(deployment, options);
  const actions = {
    ...openingActions(base),
    ...paymentActions(base),
    ...platformActions(base),
    ...claimActions(base),
    ...base.controls,
  };
  const { publicClient, wallet, domain, buildTerms, latest, rpc } = base;
  return { deployment, publicClient, wallet, domain, buildTerms, actions, latest, rpc };
}
