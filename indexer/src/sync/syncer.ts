// Length: the sync loop's one state machine (backfill, follow, reorg, finality, faults and retries),
// kept together so that every transition between them reads in one place.
import { zeroHash } from "viem";
import type { Hex, Log, PublicClient } from "viem";
import type { Logger } from "../internal/index.js";
import {
  FinalityViolationError,
  InconsistentChainError,
  RangeTooLargeError,
  backoffDelay,
  isRetryable,
  shortMessageOf,
  silentLogger,
  sleep,
  withRetry,
} from "../internal/index.js";
import type { Store, SyncFault } from "../store/index.js";
import { createLogDecoder } from "./decode.js";
import type { ChainEvent, Contracts } from "./decode.js";
import { projectBlocks } from "./project.js";
import type { BlockInput } from "./project.js";
import { createChainReader } from "./rpc.js";
import type { BlockHeader } from "./rpc.js";

/** What the syncer reports as it goes (tagged union: one `type` per kind of step). */
export type SyncEvent =
  | { type: "block"; fromBlock: number; toBlock: number; events: number; backfill: boolean }
  | { type: "reorg"; ancestor: number; dropped: number; deleted: number; restored: number }
  | { type: "finalize"; finalizedBlock: number }
  | { type: "backfilled"; indexedBlock: number; events: number; ms: number; indexMs: number }
  | { type: "error"; message: string; retryable: boolean }
  /** The chain contradicts final data: the syncer stopped following (see `SyncFault`). */
  | { type: "fault"; fault: SyncFault };

export type SyncStatus = {
  chainId: number | undefined;
  headBlock: number | undefined;
  indexedBlock: number | undefined;
  finalizedBlock: number | undefined;
  backfillDone: boolean;
  /** The last error, until a step succeeds again. */
  lastError: string | undefined;
  /** Why the sync stopped for good: final data contradicted by the chain. */
  fault: SyncFault | undefined;
  running: boolean;
};

export type CreateSyncerParameters = {
  client: PublicClient;
  store: Store;
  contracts: Contracts;
  /** The first block to read (the deployment's). */
  startBlock: number;
  /** Blocks behind the head before data is final (and reorgs can no longer touch it). Default 12. */
  finalityDepth?: number;
  /** How often to ask for a new head when caught up. Default 1,000 ms. */
  pollingIntervalMs?: number;
  /** The widest `eth_getLogs` range tried. Default 10,000 blocks. */
  maxRange?: number;
  /** Logs per batch the range size aims for. Default 5,000. */
  targetLogsPerBatch?: number;
  /** Backoff of failed steps and RPC calls. */
  retry?: { baseMs?: number; maxMs?: number };
  /** A node call not answered in this time fails and is retried. Default 15,000 ms. */
  rpcTimeoutMs?: number;
  /** Create the API's indexes once the first backfill is done. Default true. */
  deferIndexes?: boolean;
  logger?: Logger;
};

export type Syncer = {
  /** Starts following the chain (in the background). */
  start(): Promise<void>;
  /** Stops after the current step (its transaction commits or rolls back whole). */
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Calls `listener` for every sync event; returns the unsubscribe function. */
  subscribe(listener: (event: SyncEvent) => void): () => void;
  /** Resolves once `block` is indexed (and the first backfill done). */
  waitForBlock(block: number | bigint, timeoutMs?: number): Promise<void>;
};

/**
 * Follows the escrow, the court and the ratings: backfills from `startBlock` in adaptive log ranges
 * up to the last final block (head - finalityDepth), then reads the unfinalized tail and every new
 * block one by one, checking each block's parent hash. A reorg rolls the store back to the common
 * ancestor (undo log) and re-applies the new blocks. Every step writes its data and the checkpoint in
 * one transaction, so a crash or restart loses and duplicates nothing; RPC and database failures are
 * retried with backoff, forever, without corrupting anything.
 *
 * A reorg deeper than `finalityDepth` (the chain replaced a block the store holds as final) is never
 * rolled back: the syncer records a `SyncFault` (in the status, the `fault` event and the database),
 * logs it at `fatal` level and stops following, leaving the data as it was. It stays stopped on every
 * restart until the chain is indexed afresh into an empty database.
 *
 * @example
 * const syncer = createSyncer({ client, store, contracts, startBlock: deployment.deploymentBlock });
 * await syncer.start();
 */
export function createSyncer(parameters: CreateSyncerParameters): Syncer {
  const { client, store, contracts } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const depth = parameters.finalityDepth ?? 12;
  const pollingIntervalMs = parameters.pollingIntervalMs ?? 1_000;
  const maxRange = parameters.maxRange ?? 10_000;
  const targetLogs = parameters.targetLogsPerBatch ?? 5_000;
  const deferIndexes = parameters.deferIndexes ?? true;
  const decode = createLogDecoder(contracts);
  const listeners = new Set<(event: SyncEvent) => void>();
  const status: SyncStatus = {
    chainId: undefined,
    headBlock: undefined,
    indexedBlock: undefined,
    finalizedBlock: undefined,
    backfillDone: false,
    lastError: undefined,
    fault: undefined,
    running: false,
  };
  let controller: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let rangeSize = Math.min(1_000, maxRange);
  let backfill = { started: 0, events: 0 };

  const emit = (event: SyncEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error({ err: error }, "sync listener failed");
      }
    }
  };

  async function run(signal: AbortSignal): Promise<void> {
    const reader = createChainReader({
      client,
      addresses: [contracts.escrow, contracts.court, contracts.ratings],
      logger,
      signal,
      retry: parameters.retry,
      timeoutMs: parameters.rpcTimeoutMs,
    });
    let failures = 0;
    while (!signal.aborted && status.fault === undefined) {
      try {
        const idle = await step(reader, signal);
        failures = 0;
        if (status.fault === undefined) status.lastError = undefined;
        if (idle) await sleep(pollingIntervalMs, signal);
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof FinalityViolationError) {
          await halt(error, signal);
          break;
        }
        const retryable = isRetryable(error);
        const message = shortMessageOf(error);
        status.lastError = message;
        emit({ type: "error", message, retryable });
        const delay = backoffDelay(failures++, {
          baseMs: parameters.retry?.baseMs ?? 200,
          maxMs: retryable ? (parameters.retry?.maxMs ?? 5_000) : 30_000,
        });
        logger[retryable ? "warn" : "error"]({ err: error, delay }, "sync step failed; retrying");
        await sleep(delay, signal);
      }
    }
  }

  /** One step of the sync; true when there was nothing to do. */
  async function step(reader: ReturnType<typeof createChainReader>, signal: AbortSignal) {
    if (status.chainId === undefined) {
      status.chainId = await reader.chainId();
      const checkpoint = await store.initCheckpoint({
        chainId: status.chainId,
        escrow: contracts.escrow,
        court: contracts.court,
        ratings: contracts.ratings,
        startBlock: parameters.startBlock,
      });
      status.indexedBlock = checkpoint.indexedBlock;
      status.finalizedBlock = checkpoint.finalizedBlock;
      status.backfillDone = checkpoint.backfillDone;
      backfill = { started: performance.now(), events: 0 };
      if (checkpoint.fault !== null) {
        report(checkpoint.fault);
        return true;
      }
      logger.info({ checkpoint }, "sync starting");
    }
    const checkpoint = (await store.readCheckpoint())!;
    const head = Number(await reader.headNumber());
    status.headBlock = head;
    const indexed = checkpoint.indexedBlock;
    const safe = head - depth;

    if (indexed < safe) {
      await rangeStep(reader, checkpoint.indexedHash, indexed + 1, safe, signal);
      return false;
    }
    if (!checkpoint.backfillDone) await finishBackfill(indexed);
    if (indexed < head) {
      await blockStep(reader, checkpoint.indexedHash, indexed + 1, head);
      return false;
    }
    // Caught up: make sure the tip we hold is still the chain's.
    if (indexed >= parameters.startBlock) {
      const tip = await reader.block(BigInt(Math.min(indexed, head)));
      if (
        head < indexed ||
        (checkpoint.indexedHash !== null && tip.hash !== checkpoint.indexedHash)
      ) {
        await reorg(reader, Math.min(indexed, head));
        return false;
      }
    }
    return true;
  }

  async function finishBackfill(indexed: number): Promise<void> {
    let indexMs = 0;
    if (deferIndexes) indexMs = await store.createDeferredIndexes();
    await store.db.query("UPDATE sync_state SET backfill_done = true WHERE id = 1");
    status.backfillDone = true;
    const ms = performance.now() - backfill.started;
    logger.info(
      { indexedBlock: indexed, events: backfill.events, ms: Math.round(ms) },
      "backfill done",
    );
    emit({ type: "backfilled", indexedBlock: indexed, events: backfill.events, ms, indexMs });
  }

  /** A range of final blocks read from the node, ready to project. */
  type FetchedRange = {
    from: number;
    to: number;
    blocks: BlockInput[];
    first: BlockHeader;
    last: BlockHeader;
    logs: number;
  };
  /** The next range, fetched while the current one is written (backfill only). */
  let prefetched: { from: number; promise: Promise<FetchedRange | undefined> } | undefined;

  /** The logs of `from`..`to` with the headers of the blocks that have logs (and of `from`, `to`). */
  async function fetchRange(
    reader: ReturnType<typeof createChainReader>,
    from: number,
    to: number,
  ): Promise<FetchedRange> {
    const logs: Log[] = await reader.logsOfRange(BigInt(from), BigInt(to));
    const numbers = [...new Set(logs.map((log) => log.blockNumber!))];
    if (!numbers.includes(BigInt(to))) numbers.push(BigInt(to));
    if (!numbers.includes(BigInt(from))) numbers.push(BigInt(from));
    const headers = await reader.blocks(numbers);
    const byBlock = new Map<bigint, ChainEvent[]>();
    for (const log of logs) {
      const header = headers.get(log.blockNumber!)!;
      if (log.blockHash !== header.hash)
        throw new InconsistentChainError(
          `Block ${header.number} is ${header.hash} but a log says ${log.blockHash}.`,
        );
      const event = decode(log, header.timestamp);
      if (event === undefined) continue;
      let list = byBlock.get(log.blockNumber!);
      if (list === undefined) byBlock.set(log.blockNumber!, (list = []));
      list.push(event);
    }
    // The range's last block is stored even without events: it becomes the finalized block, whose
    // hash a later reorg is checked against.
    if (!byBlock.has(BigInt(to))) byBlock.set(BigInt(to), []);
    const blocks: BlockInput[] = [...byBlock.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([number, events]) => {
        const h = headers.get(number)!;
        events.sort((x, y) => x.logIndex - y.logIndex);
        return { ...h, events, undo: false, store: true };
      });
    return {
      from,
      to,
      blocks,
      first: headers.get(BigInt(from))!,
      last: headers.get(BigInt(to))!,
      logs: logs.length,
    };
  }

  /**
   * Backfill: a range of final blocks, written with its checkpoint. While it is projected and
   * written, the next range is already being fetched (the node and the database work at once).
   */
  async function rangeStep(
    reader: ReturnType<typeof createChainReader>,
    parentHash: string | null,
    from: number,
    safe: number,
    signal: AbortSignal,
  ): Promise<void> {
    let fetched: FetchedRange | undefined;
    if (prefetched?.from === from) fetched = await prefetched.promise;
    prefetched = undefined;
    if (fetched === undefined || fetched.to > safe) {
      const to = Math.min(safe, from + rangeSize - 1);
      try {
        fetched = await fetchRange(reader, from, to);
      } catch (error) {
        if (error instanceof RangeTooLargeError && rangeSize > 1) {
          rangeSize = Math.max(1, Math.floor((to - from + 1) / 2));
          logger.debug({ from, to, rangeSize }, "range too large; splitting");
          return;
        }
        throw error;
      }
    }
    if (signal.aborted) return;
    // The range must continue the chain the store holds. A final block replaced under the backfill
    // (a reorg deeper than the finality depth) goes through the reorg check, which reports it.
    const named = fetched.first.parentHash;
    if (parentHash !== null && named !== zeroHash && named !== parentHash) {
      await reorg(reader, from - 1);
      return;
    }
    // Aim the next range at the target number of logs.
    if (fetched.logs > targetLogs && rangeSize > 1)
      rangeSize = Math.max(1, Math.floor(rangeSize / 2));
    else if (fetched.logs < targetLogs / 4) rangeSize = Math.min(maxRange, rangeSize * 2);
    const { to, blocks, last } = fetched;
    if (to + 1 <= safe) {
      const next = { from: to + 1, to: Math.min(safe, to + rangeSize) };
      // A failed prefetch is forgotten: the next step fetches (and reports) again.
      prefetched = {
        from: next.from,
        promise: fetchRange(reader, next.from, next.to).catch(() => undefined),
      };
    }
    const projection = await projectBlocks(blocks, contracts, (table, keys) =>
      store.loadRows(table, keys),
    );
    await store.write({
      ...projection,
      checkpoint: { indexedBlock: to, indexedHash: last.hash, finalizedBlock: to },
    });
    backfill.events += projection.events;
    status.indexedBlock = to;
    advanceFinalized(to);
    emit({
      type: "block",
      fromBlock: from,
      toBlock: to,
      events: projection.events,
      backfill: true,
    });
  }

  /** The tail and live blocks: one block, checked against its parent, logs by block hash. */
  async function blockStep(
    reader: ReturnType<typeof createChainReader>,
    parentHash: string | null,
    number: number,
    head: number,
  ): Promise<void> {
    const header: BlockHeader = await reader.block(BigInt(number));
    // A zero parent hash names no parent (Hardhat answers it for blocks `hardhat_mine` reserved).
    if (parentHash !== null && header.parentHash !== zeroHash && header.parentHash !== parentHash) {
      await reorg(reader, number - 1);
      return;
    }
    const logs = await reader.logsOfBlock(header.hash);
    const events: ChainEvent[] = [];
    for (const log of logs) {
      if (log.blockHash !== header.hash) continue;
      const event = decode(log, header.timestamp);
      if (event !== undefined) events.push(event);
    }
    events.sort((x, y) => x.logIndex - y.logIndex);
    const finalized = Math.max(status.finalizedBlock ?? 0, Math.min(number, head - depth));
    const projection = await projectBlocks(
      [{ ...header, events, undo: number > finalized, store: true }],
      contracts,
      (table, keys) => store.loadRows(table, keys),
    );
    await store.write({
      ...projection,
      checkpoint: { indexedBlock: number, indexedHash: header.hash, finalizedBlock: finalized },
    });
    status.indexedBlock = number;
    advanceFinalized(finalized);
    emit({
      type: "block",
      fromBlock: number,
      toBlock: number,
      events: projection.events,
      backfill: false,
    });
  }

  function advanceFinalized(finalized: number): void {
    if (status.finalizedBlock === undefined || finalized > status.finalizedBlock) {
      status.finalizedBlock = finalized;
      emit({ type: "finalize", finalizedBlock: finalized });
    }
  }

  /** Finds the newest block both the store and the chain hold, and rolls the store back to it. */
  async function reorg(reader: ReturnType<typeof createChainReader>, from: number): Promise<void> {
    const checkpoint = (await store.readCheckpoint())!;
    const floor = Math.max(checkpoint.finalizedBlock, checkpoint.startBlock - 1);
    const stored = await store.blockHashes(floor, checkpoint.indexedBlock);
    if (checkpoint.indexedHash !== null)
      stored.set(checkpoint.indexedBlock, checkpoint.indexedHash);
    let ancestor: { number: number; hash: Hex } | undefined;
    for (let k = Math.min(from, checkpoint.indexedBlock); k > floor; k -= 1) {
      const hash = stored.get(k);
      if (hash === undefined) continue;
      const canonical = await reader.block(BigInt(k));
      if (canonical.hash === hash) {
        ancestor = { number: k, hash };
        break;
      }
    }
    if (ancestor !== undefined && ancestor.number === checkpoint.indexedBlock) {
      // The tip we hold is the chain's, yet its child names another parent: the node contradicts
      // itself (a load balancer across nodes, a node mid-reorg). Back off and ask again.
      throw new InconsistentChainError(
        `Block ${ancestor.number} is ${ancestor.hash}, but block ${ancestor.number + 1} names another parent.`,
      );
    }
    if (ancestor === undefined) {
      // No block above the finalized one is the chain's: the finalized block must still be.
      ancestor = { number: floor, hash: "0x" as Hex };
      if (floor >= 0) ancestor.hash = await finalizedHash(reader, floor, stored.get(floor));
    }
    const result = await store.rollback(ancestor);
    const dropped = checkpoint.indexedBlock - ancestor.number;
    status.indexedBlock = ancestor.number;
    logger.warn({ ancestor: ancestor.number, dropped, ...result }, "reorg: rolled back");
    emit({ type: "reorg", ancestor: ancestor.number, dropped, ...result });
  }

  /**
   * The chain's hash of the finalized block `floor`, checked against the one the store holds.
   *
   * @throws {FinalityViolationError} when the chain has another block there (read twice, to be sure).
   */
  async function finalizedHash(
    reader: ReturnType<typeof createChainReader>,
    floor: number,
    held: string | undefined,
  ): Promise<Hex> {
    const head = Number(await reader.headNumber());
    if (head < floor)
      throw new InconsistentChainError(
        `The node's head ${head} is below the finalized block ${floor}; waiting for it to catch up.`,
      );
    const { hash } = await reader.block(BigInt(floor));
    if (held === undefined || held === hash || floor < parameters.startBlock) {
      if (held === undefined && floor >= parameters.startBlock)
        logger.error(
          { finalized: floor },
          "reorg reaches the finalized block, whose hash this database does not hold; rolling back to it",
        );
      return hash;
    }
    const again = (await reader.block(BigInt(floor))).hash;
    if (again !== hash)
      throw new InconsistentChainError(
        `Block ${floor} was ${hash}, then ${again}: the node is unsteady.`,
      );
    throw new FinalityViolationError(floor, held, hash);
  }

  /** Stops following for good: the chain contradicts final data (`error`). */
  async function halt(error: FinalityViolationError, signal: AbortSignal): Promise<void> {
    const fault: SyncFault = {
      type: "finality-violated",
      finalizedBlock: error.finalizedBlock,
      storedHash: error.storedHash,
      chainHash: error.chainHash,
      indexedBlock: status.indexedBlock ?? error.finalizedBlock,
      detectedAt: new Date().toISOString(),
      message: error.shortMessage,
    };
    report(fault);
    // Kept in the database too: a restarted indexer (or an API in another process) sees it.
    await withRetry(() => store.recordFault(fault), { signal, baseMs: 200, maxMs: 5_000 }).catch(
      (cause: unknown) => logger.error({ err: cause }, "could not record the sync fault"),
    );
  }

  function report(fault: SyncFault): void {
    status.fault = fault;
    status.lastError = fault.message;
    logger.fatal(
      { fault, finalityDepth: depth },
      "the chain contradicts final data (a reorg deeper than FINALITY_DEPTH); sync stopped, data kept as it was",
    );
    emit({ type: "fault", fault });
  }

  return {
    async start() {
      if (loop !== undefined) return;
      controller = new AbortController();
      status.running = true;
      loop = run(controller.signal).finally(() => {
        status.running = false;
      });
    },
    async stop() {
      controller?.abort();
      await loop;
      loop = undefined;
    },
    status: () => ({ ...status }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForBlock(block, timeoutMs = 30_000) {
      const target = Number(block);
      const done = () => status.backfillDone && (status.indexedBlock ?? -1) >= target;
      if (done()) return Promise.resolve();
      const halted = () =>
        status.fault === undefined
          ? undefined
          : new Error(`The sync stopped: ${status.fault.message}`);
      if (halted() !== undefined) return Promise.reject(halted());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe();
          reject(
            new Error(
              `Block ${target} not indexed in ${timeoutMs} ms (at ${status.indexedBlock}).`,
            ),
          );
        }, timeoutMs);
        const unsubscribe = this.subscribe(() => {
          const error = halted();
          if (done() || error !== undefined) {
            clearTimeout(timer);
            unsubscribe();
            if (error === undefined) resolve();
            else reject(error);
          }
        });
      });
    },
  };
}
