import { IntegrityError, InvalidManifestError, fetchManifest } from "@trade-escrow/sdk/documents";
import { createStoreBlockSource, createVerifiedReader } from "@trade-escrow/sdk/verify";
import type { DocumentStore } from "@trade-escrow/sdk/store";
import { manifestMediaType } from "@trade-escrow/sdk/manifest";
import type { MediaTypeLookup } from "@trade-escrow/sdk/gateway";
import type { Logger } from "../internal/index.js";
import { shortMessageOf, silentLogger, sleep } from "../internal/index.js";
import type { Database } from "../store/index.js";

export type CreateDocumentVerifierParameters = {
  db: Database;
  store: DocumentStore;
  /** How often to look for documents to check. Default 2,000 ms. */
  intervalMs?: number;
  /** How long before an unavailable document is looked for again. Default 60 s. */
  recheckSeconds?: number;
  /** Called after a round that changed some document's status (the API drops its cache). */
  onChange?: () => void;
  logger?: Logger;
};

export type DocumentVerifier = {
  start(): void;
  stop(): Promise<void>;
  /** Checks the documents due now; returns how many it checked. */
  runOnce(): Promise<number>;
};

/**
 * Reads every document the chain commits from the document store, verified against its CID (the sdk's
 * verified reader), and records what it found in `document_status`: `verified` (with its size),
 * `unavailable` (not in the store yet: looked for again later), `corrupt` (bytes that do not hash to
 * the CID) or `invalid` (a manifest that fails the schema). A verified manifest's documents are listed
 * in `manifest_entries` and checked in turn.
 */
export function createDocumentVerifier(
  parameters: CreateDocumentVerifierParameters,
): DocumentVerifier {
  const { db, store } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const reader = createVerifiedReader({ source: createStoreBlockSource(store) });
  const recheck = parameters.recheckSeconds ?? 60;
  let controller: AbortController | undefined;
  let loop: Promise<void> | undefined;

  let changed = false;
  const record = async (cid: string, status: string, size: number | null, error: string | null) => {
    const rows = await db.query<{ before: string }>(
      `UPDATE document_status d SET status = $2, size = $3, error = $4, attempts = d.attempts + 1,
         checked_at = now()
       FROM (SELECT cid, status AS before FROM document_status WHERE cid = $1) old
       WHERE d.cid = old.cid RETURNING old.before`,
      [cid, status, size, error],
    );
    if (rows[0]?.before !== status) changed = true;
  };

  async function check(cid: string): Promise<void> {
    if (!(await store.has(cid))) return void (await record(cid, "unavailable", null, null));
    const [manifest] = await db.query(
      "SELECT 1 FROM documents WHERE cid = $1 AND role = 'manifest' LIMIT 1",
      [cid],
    );
    try {
      if (manifest !== undefined) {
        const parsed = await fetchManifest(reader, cid);
        const entries = parsed.documents.map((d, position) => ({
          manifest_cid: cid,
          position,
          cid: d.cid,
          type: d.type,
          name: d.name,
          media_type: d.mediaType,
          size: d.size,
        }));
        await db.transaction(async (tx) => {
          if (entries.length > 0) {
            await tx.query(
              `INSERT INTO manifest_entries SELECT * FROM json_populate_recordset(null::manifest_entries, $1::json)
               ON CONFLICT DO NOTHING`,
              [JSON.stringify(entries)],
            );
            await tx.query(
              `INSERT INTO document_status (cid, status) SELECT DISTINCT c, 'pending' FROM unnest($1::text[]) c
               ON CONFLICT (cid) DO NOTHING`,
              [entries.map((e) => e.cid)],
            );
          }
        });
      }
      const { size } = await reader.stat(cid);
      // Read it all: every block is hashed against its CID on the way.
      for await (const _chunk of reader.read(cid)) {
        // Nothing to keep.
      }
      await record(cid, "verified", size, null);
    } catch (error) {
      if (error instanceof InvalidManifestError)
        return void (await record(cid, "invalid", null, shortMessageOf(error)));
      if (error instanceof IntegrityError)
        return void (await record(cid, "corrupt", null, shortMessageOf(error)));
      throw error;
    }
  }

  async function runOnce(): Promise<number> {
    const due = await db.query<{ cid: string }>(
      `SELECT cid FROM document_status
       WHERE status = 'pending' OR (status = 'unavailable' AND checked_at < now() - make_interval(secs => $1))
       ORDER BY checked_at NULLS FIRST LIMIT 50`,
      [recheck],
    );
    for (const { cid } of due) {
      try {
        await check(cid);
      } catch (error) {
        logger.warn({ cid, err: shortMessageOf(error) }, "document check failed");
        await record(cid, "unavailable", null, shortMessageOf(error)).catch(() => undefined);
      }
    }
    if (changed) parameters.onChange?.();
    changed = false;
    return due.length;
  }

  return {
    start() {
      if (loop !== undefined) return;
      controller = new AbortController();
      const signal = controller.signal;
      loop = (async () => {
        while (!signal.aborted) {
          const checked = await runOnce().catch((error: unknown) => {
            logger.warn({ err: shortMessageOf(error) }, "document verifier failed");
            return 0;
          });
          // A pause between rounds even with work left: the verifier must not crowd out the API.
          await sleep(checked === 0 ? (parameters.intervalMs ?? 2_000) : 100, signal);
        }
      })();
    },
    async stop() {
      controller?.abort();
      await loop;
      loop = undefined;
    },
    runOnce,
  };
}

/** The media type a manifest declares for a CID (manifests themselves are JSON): for the gateway. */
export function createMediaTypeLookup(db: Database): MediaTypeLookup {
  return async (cid) => {
    const key = cid.toString();
    const [row] = await db.query<{ media_type: string }>(
      `SELECT media_type FROM manifest_entries WHERE cid = $1
       UNION ALL SELECT $2 FROM documents WHERE cid = $1 AND role = 'manifest' LIMIT 1`,
      [key, manifestMediaType],
    );
    return row?.media_type;
  };
}
