/** The indexer's HTTP API (indexer/README.md): typed reads, the document upload and the SSE stream. */

import type {
  DisputeList,
  DocumentUpload,
  Health,
  Reputation,
  TradeDetail,
  TradeList,
} from "@trade-escrow/indexer/api-types";

// The answers' types are the indexer's own (its zod schemas' outputs): one schema for both sides.
export type {
  Claim,
  Dispute,
  DisputeList,
  DocumentUpload,
  Health,
  Lot,
  ManifestEntry,
  Reputation,
  TermsVersion,
  TimelineEntry,
  TradeDetail,
  TradeDocument,
  TradeList,
  TradeSummary,
} from "@trade-escrow/indexer/api-types";

/** An error the API answered (`{ error: { code, message } }`). */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type TradeQuery = {
  party?: string;
  role?: "buyer" | "seller" | "operator";
  state?: string;
  limit?: number;
  cursor?: string;
};

export type Api = ReturnType<typeof createApi>;

export function createApi(baseUrl = "", fetchFn: typeof fetch = (...a) => fetch(...a)) {
  async function get<T>(path: string): Promise<T> {
    const response = await fetchFn(`${baseUrl}/api${path}`, {
      headers: { accept: "application/json" },
    });
    return answer<T>(response);
  }
  async function answer<T>(response: Response): Promise<T> {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code: string; message: string } } | undefined;
    if (!response.ok) {
      throw new ApiError(
        response.status,
        body?.error?.code ?? "http",
        body?.error?.message ?? `The indexer answered ${response.status}.`,
      );
    }
    return body as T;
  }
  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params))
      if (value !== undefined && value !== "") search.set(key, String(value));
    const s = search.toString();
    return s === "" ? "" : `?${s}`;
  };
  return {
    baseUrl,
    health: () => get<Health>("/health"),
    trades: (q: TradeQuery = {}) => get<TradeList>(`/trades${query(q)}`),
    trade: (id: string) => get<TradeDetail>(`/trades/${encodeURIComponent(id)}`),
    disputes: (q: { limit?: number; cursor?: string } = {}) =>
      get<DisputeList>(`/disputes${query(q)}`),
    reputation: (seller: string) =>
      get<Reputation>(`/sellers/${encodeURIComponent(seller)}/reputation`),
    async upload(file: File, type: string, name?: string): Promise<DocumentUpload> {
      const form = new FormData();
      form.set("file", file);
      form.set("type", type);
      if (name !== undefined) form.set("name", name);
      const response = await fetchFn(`${baseUrl}/api/documents`, { method: "POST", body: form });
      return answer<DocumentUpload>(response);
    },
    streamUrl: (trade?: string) => `${baseUrl}/api/stream${query({ trade })}`,
    ipfsUrl: (cid: string) => `${baseUrl}/ipfs/${cid}`,
  };
}
