import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { importer } from "ipfs-unixfs-importer";
import type { Logger } from "pino";
import { pino } from "pino";
import type { CID } from "multiformats/cid";
import { cidKey, defaultCidProfile, importerOptions, toCid } from "../cid/index.js";
import type { CidLike, CidProfile } from "../cid/index.js";
import { DocumentNotFoundError } from "../errors.js";
import { collect, limitBytes, toChunks } from "../internal/streams.js";
import { inlineBlock, loadFileRoot, walkFile } from "../verify/index.js";
import type { GetBlock } from "../verify/index.js";
import { checkKnownSize, checkMediaType, resolveLimits } from "./limits.js";
import type { DocumentLimits, DocumentStore, StoreCallOptions } from "./types.js";

export type CreateEmbeddedStoreParameters = {
  /** A directory of its own (created if missing): blocks in `blocks/`, pins in `pins/`. */
  directory: string;
  limits?: Partial<DocumentLimits>;
  /** How CIDs are computed. Default: `kubo-cidv1`. */
  profile?: CidProfile;
  logger?: Logger;
};

export type EmbeddedDocumentStore = DocumentStore & {
  readonly kind: "embedded";
  readonly directory: string;
  /** Whether `pin` (or `add`) pinned this document and `unpin` did not since. */
  isPinned(cid: CidLike): Promise<boolean>;
};

/**
 * The default document store: a blockstore on disk (blockstore-fs) filled by
 * ipfs-unixfs-importer with Kubo's settings, so it needs no network and no IPFS node, and serves
 * the same CIDs any IPFS node would. Every read is verified against the CIDs.
 *
 * A pin is a marker file per document; blocks are never deleted except those an add wrote and
 * then abandoned (a document over the limit, an aborted upload).
 *
 * @example
 * const store = createEmbeddedStore({ directory: ".data/ipfs" });
 * const { cid, size } = await store.add(createReadStream("bl.pdf"), { mediaType: "application/pdf" });
 */
export function createEmbeddedStore(
  parameters: CreateEmbeddedStoreParameters,
): EmbeddedDocumentStore {
  const limits = resolveLimits(parameters.limits);
  const profile = parameters.profile ?? defaultCidProfile;
  const logger = parameters.logger ?? pino({ level: "silent" });
  const blocks = new FsBlockstore(join(parameters.directory, "blocks"));
  const pinsDirectory = join(parameters.directory, "pins");
  let opened: Promise<void> | undefined;
  const open = () =>
    (opened ??= (async () => {
      await blocks.open();
      await mkdir(pinsDirectory, { recursive: true });
    })());

  // Blocks each add in flight wrote new, and the keys other adds touched meanwhile, so an abandoned
  // add removes only what no other document can depend on.
  const inFlight = new Set<{ created: Set<string>; touchedByOthers: Set<string> }>();

  const getBlock: GetBlock = async (cid, options) => {
    const inline = inlineBlock(cid);
    if (inline !== undefined) return inline;
    await open();
    try {
      return await collect(blocks.get(cid, options));
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new DocumentNotFoundError(cid.toString(), {
        where: "the embedded store",
        cause: error,
      });
    }
  };

  const pinPath = (cid: CID) => join(pinsDirectory, cidKey(cid));

  async function* get(value: CidLike, options: StoreCallOptions = {}): AsyncGenerator<Uint8Array> {
    const cid = toCid(value);
    const root = await loadFileRoot(cid, getBlock, options);
    for await (const { data } of walkFile(root, getBlock, { ...options, prefetch: 4 })) {
      if (data.byteLength > 0) yield data;
    }
  }

  const store: EmbeddedDocumentStore = {
    kind: "embedded",
    directory: parameters.directory,
    limits,

    async add(content, options) {
      checkMediaType(limits, options.mediaType);
      checkKnownSize(limits, content);
      await open();
      const mine = { created: new Set<string>(), touchedByOthers: new Set<string>() };
      inFlight.add(mine);
      // Writes still running when the add fails are awaited before its blocks are removed.
      const writes = new Set<Promise<CID>>();
      let abandoned = false;
      type BlockBytes = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
      const put = async (cid: CID, bytes: BlockBytes): Promise<CID> => {
        if (abandoned) throw new Error("The add was abandoned.");
        options.signal?.throwIfAborted();
        const key = cidKey(cid);
        for (const other of inFlight) if (other !== mine) other.touchedByOthers.add(key);
        if (!(await blocks.has(cid))) mine.created.add(key);
        return blocks.put(cid, bytes);
      };
      const tracking = {
        put: (cid: CID, bytes: BlockBytes): Promise<CID> => {
          const write = put(cid, bytes);
          writes.add(write);
          write.then(
            () => writes.delete(write),
            () => writes.delete(write),
          );
          return write;
        },
      };
      const counter = { bytes: 0 };
      try {
        const source = limitBytes(toChunks(content), limits.maxBytes, counter);
        let root: CID | undefined;
        for await (const entry of importer(
          [{ content: source }],
          tracking,
          importerOptions(profile),
        )) {
          root = entry.cid;
        }
        if (root === undefined) throw new Error("The importer produced no root; this is a bug.");
        if (options.pin ?? true) await writeFile(pinPath(root), "");
        logger.debug({ cid: root.toString(), size: counter.bytes }, "document added");
        return { cid: root, size: counter.bytes };
      } catch (error) {
        abandoned = true;
        await Promise.allSettled([...writes]);
        await Promise.all(
          [...mine.created]
            .filter((key) => !mine.touchedByOthers.has(key))
            .map((key) =>
              blocks.delete(toCid(key)).catch((cause: unknown) => {
                logger.warn(
                  { cid: key, err: cause },
                  "could not remove a block of an abandoned add",
                );
              }),
            ),
        );
        throw error;
      } finally {
        inFlight.delete(mine);
      }
    },

    get,

    getBlock: (value, options = {}) => getBlock(toCid(value), options),

    async has(value) {
      const cid = toCid(value);
      if (inlineBlock(cid) !== undefined) return true;
      await open();
      return blocks.has(cid);
    },

    async pin(value, options = {}) {
      const cid = toCid(value);
      // Like Kubo, pin only a complete DAG: walk it (verifying every block) before recording the pin.
      for await (const _block of walkFile(
        await loadFileRoot(cid, getBlock, options),
        getBlock,
        options,
      )) {
        // reading is the check
      }
      await writeFile(pinPath(cid), "");
    },

    async unpin(value) {
      await open();
      await rm(pinPath(toCid(value)), { force: true });
    },

    async isPinned(value) {
      await open();
      return stat(pinPath(toCid(value))).then(
        () => true,
        () => false,
      );
    },

    async close() {
      if (opened !== undefined) await blocks.close();
    },
  };
  return store;
}
