/** The indexer's HTTP API (indexer/README.md): typed reads, the document upload and the SSE stream. */

export type TradeSummary = {
  id: string;
  state: number;
  stateName: string;
  mode: number;
  modeName: string;
  buyer: string;
  seller: string;
  operator: string;
  token: string;
  price: string;
  quantity: string;
  version: number;
  termsHash: string;
  escrowed: string;
  released: string;
  refunded: string;
  sellerBond: string;
  lotsDone: number;
  receivedQuantity: string;
  stageAt: number;
  stageDeadline: number | null;
  arrivedAt: number;
  /** The latest delivery in force: the terms', or a late balance's payment plus the ship window. */
  latestDelivery: number | null;
  shipWindow: number | null;
  deliveryGrace: number | null;
  /** When a balance paid after its due time came in (null: none was late). */
  lateBalancePaidAt: number | null;
  createdBlock: number;
  createdAt: number;
  createdTx: string;
  updatedBlock: number;
  updatedAt: number;
  final: boolean;
};

export type TimelineEntry = {
  block: number;
  timestamp: number;
  transactionHash: string;
  logIndex: number;
  blockHash: string;
  contract: "escrow" | "court" | "ratings";
  event: string;
  disputeId: string | null;
  args: Record<string, unknown>;
  final: boolean;
};

export type ManifestEntry = {
  cid: string;
  type: string;
  name: string;
  mediaType: string;
  size: number;
  status: string;
};

export type TradeDocument = {
  role: string;
  cid: string | null;
  commitment: string;
  submittedBy: string | null;
  status: string;
  size: number | null;
  error: string | null;
  block: number;
  timestamp: number;
  transactionHash: string;
  entries?: ManifestEntry[];
};

export type TermsVersion = {
  version: number;
  termsHash: string;
  terms: Record<string, unknown>;
  block: number;
  timestamp: number;
  transactionHash: string;
};

export type TradeDetail = TradeSummary & {
  terms: Record<string, unknown>;
  versions: TermsVersion[];
  balances: {
    escrowed: string;
    released: string;
    refunded: string;
    sellerBond: string;
    pendingQuantity: string;
    receivedQuantity: string;
  };
  deadlines: Record<string, string | null>;
  lots: Record<string, unknown>[];
  claim: ({ status: string } & Record<string, unknown>) | null;
  disputes: Record<string, unknown>[];
  documents: TradeDocument[];
  timeline: TimelineEntry[];
  finalizedBlock: number;
};

export type TradeList = { items: TradeSummary[]; nextCursor: string | null };

export type Dispute = Record<string, unknown> & { id: string };

export type DocumentUpload = {
  cid: string;
  entry: { type: string; name: string; mediaType: string; size: number; cid: string };
};

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
    health: () =>
      get<{ chainId: number | null; indexedBlock: number | null; backfillDone: boolean }>(
        "/health",
      ),
    trades: (q: TradeQuery = {}) => get<TradeList>(`/trades${query(q)}`),
    trade: (id: string) => get<TradeDetail>(`/trades/${encodeURIComponent(id)}`),
    disputes: (q: { limit?: number; cursor?: string } = {}) =>
      get<{ items: Dispute[]; nextCursor: string | null }>(`/disputes${query(q)}`),
    dispute: (id: string) => get<Dispute>(`/disputes/${encodeURIComponent(id)}`),
    reputation: (seller: string) =>
      get<Record<string, unknown>>(`/sellers/${encodeURIComponent(seller)}/reputation`),
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
