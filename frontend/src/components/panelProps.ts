import type { Terms } from "@trade-escrow/sdk/eip712";
import type { Clients } from "../actions/client.js";
import type { useTransaction } from "../hooks/useTransaction.js";
import type { TradeDetail } from "../lib/api.js";

export type Tx = ReturnType<typeof useTransaction>;

/** What every action panel of the trade page gets. */
export type PanelProps = {
  trade: TradeDetail;
  terms: Terms;
  due: bigint;
  clients: Clients;
  tx: Tx;
  /** The chain's time (the latest block's timestamp): the escrow judges deadlines by it. */
  now: bigint;
};
