import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useApp } from "../context.js";
import type { TradeQuery } from "../lib/api.js";

/**
 * Listens to the indexer's server-sent events and refreshes the reads they touch: a new timeline
 * entry, a reorg or a finalized block.
 */
export function useLiveUpdates(): void {
  const { api } = useApp();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource(api.streamUrl());
    const refresh = () => void queryClient.invalidateQueries({ queryKey: ["indexer"] });
    source.addEventListener("timeline", refresh);
    source.addEventListener("reorg", refresh);
    source.addEventListener("finalize", refresh);
    return () => source.close();
  }, [api, queryClient]);
}

export function useTrades(query: TradeQuery, enabled = true) {
  const { api } = useApp();
  return useQuery({
    queryKey: ["indexer", "trades", query],
    queryFn: () => api.trades(query),
    enabled,
  });
}

export function useTrade(id: string) {
  const { api } = useApp();
  return useQuery({ queryKey: ["indexer", "trade", id], queryFn: () => api.trade(id) });
}

export function useDisputes() {
  const { api } = useApp();
  return useQuery({
    queryKey: ["indexer", "disputes"],
    queryFn: () => api.disputes({ limit: 100 }),
  });
}
