import type { OpenAPIHono, z } from "@hono/zod-openapi";
import type { DocumentStore } from "@trade-escrow/sdk/store";
import type { Logger } from "../internal/index.js";
import type { Database, Queries } from "../store/index.js";
import type { SyncEvent, SyncStatus } from "../sync/index.js";

export type CreateApiAppParameters = {
  db: Database;
  /** The live sync status (head block); without it, health reads the checkpoint only. */
  status?: () => SyncStatus;
  /** The sync's events, for the live stream. */
  subscribe?: (listener: (event: SyncEvent) => void) => () => void;
  /** Where uploads go (the same store the gateway serves). Without it `POST /documents` is 503. */
  documents?: DocumentStore;
  /** Most bytes of one upload. Default: the store's limit. */
  maxUploadBytes?: number;
  /** Days the reputation averages cover. Default 180. */
  reputationDays?: number;
  /**
   * Keep GET answers this long; all are dropped whenever the sync writes (block, reorg, finality), a
   * document is uploaded or `invalidate` is called (the document verifier). Default 30,000 ms with
   * `subscribe`, else off (0).
   */
  cacheMs?: number;
  /** Registers a callback the caller fires when data changed outside the sync (document checks). */
  onInvalidate?: (invalidate: () => void) => void;
  logger?: Logger;
};

/** The Hono app every resource module adds its routes to. */
export type ApiApp = OpenAPIHono;

/** What the resource modules share: the queries, the sync's status and events, the settings. */
export type ApiContext = {
  queries: Queries;
  status: (() => SyncStatus) | undefined;
  subscribe: CreateApiAppParameters["subscribe"];
  documents: DocumentStore | undefined;
  /** Most bytes of one upload. */
  maxUploadBytes: number;
  /** Days the reputation averages cover. */
  reputationDays: number;
  /** The finalized block: the syncer's, when it runs in this process; else the checkpoint's. */
  finalizedBlock(): Promise<number>;
  /** Drops every cached answer (after a write the sync does not see: an upload). */
  clearCache(): void;
};

/** A JSON response entry of a route. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
