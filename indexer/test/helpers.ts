import { createPublicClient, http } from "viem";
import type { PublicClient, Transport } from "viem";
import { hardhat } from "viem/chains";
import { expect, inject } from "vitest";
import { tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import { createDatabase, createStore } from "../src/store/index.js";
import type { Database, Store } from "../src/store/index.js";
import { createSyncer } from "../src/sync/index.js";
import type { CreateSyncerParameters, Syncer } from "../src/sync/index.js";
import { createLogger } from "../src/internal/index.js";
import { devTransport } from "@trade-escrow/sdk/devchain";
import { useChain } from "@trade-escrow/stack/devchain";

/** The real Postgres server of this machine (DESIGN.md); tests use a schema of their own. */
export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type DatabaseKind = "pglite" | "postgres";
export const databaseKinds: DatabaseKind[] = ["pglite", "postgres"];

let schemas = 0;

/** A fresh database: PGlite in memory (or in `dataDir`), or a new schema on the Postgres server. */
export async function openDatabase(
  kind: DatabaseKind,
  options: { dataDir?: string; schema?: string } = {},
): Promise<{ db: Database; schema: string | undefined; drop(): Promise<void> }> {
  if (kind === "pglite") {
    const db = await createDatabase({ dataDir: options.dataDir });
    return { db, schema: undefined, drop: () => db.close() };
  }
  const schema =
    options.schema ?? `indexer_test_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
  const db = await createDatabase({ url: POSTGRES_URL, schema });
  return {
    db,
    schema,
    async drop() {
      await db.close();
      const admin = await createDatabase({ url: POSTGRES_URL });
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export function testChain() {
  return useChain(inject("chain"));
}

export function testClient(transport?: Transport): PublicClient {
  const chain = inject("chain");
  return createPublicClient({
    chain: hardhat,
    transport: transport ?? http(chain.rpcUrl, { retryCount: 0, batch: true }),
    pollingInterval: 20,
  }) as PublicClient;
}

export type TestIndexer = {
  db: Database;
  store: Store;
  syncer: Syncer;
  /** Waits until the indexer holds the node's current head. */
  catchUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/** A migrated store and a started syncer on the test chain. */
export async function startIndexer(
  kind: DatabaseKind,
  options: Partial<CreateSyncerParameters> & {
    dataDir?: string;
    schema?: string;
    keep?: boolean;
  } = {},
): Promise<TestIndexer> {
  const chain = inject("chain");
  const { db, drop } = await openDatabase(kind, options);
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? "silent" });
  const store = createStore({ db, logger });
  await store.migrate();
  const client = options.client ?? testClient();
  const syncer = createSyncer({
    client,
    store,
    contracts: {
      escrow: chain.tradeEscrow,
      court: chain.arbitrationCourt,
      ratings: chain.sellerRatings,
    },
    startBlock: chain.deploymentBlock,
    finalityDepth: 3,
    pollingIntervalMs: 25,
    retry: { baseMs: 20, maxMs: 200 },
    logger,
    ...options,
  });
  await syncer.start();
  return {
    db,
    store,
    syncer,
    async catchUp(timeoutMs = 60_000) {
      const head = await createPublicClient({
        chain: hardhat,
        transport: devTransport(chain.rpcUrl),
      }).getBlockNumber({
        cacheTime: 0,
      });
      await syncer.waitForBlock(head, timeoutMs);
    },
    async close() {
      await syncer.stop();
      if (options.keep === true) await db.close();
      else await drop();
    },
  };
}

type TradeView = Awaited<ReturnType<ReturnType<typeof useChain>["actions"]["view"]>>;

/** The indexer's trade row and record agree with the escrow's `trade`, `claim` and `stageDeadline` views. */
export async function expectTradesMatchViews(
  indexer: TestIndexer,
  ids: readonly bigint[],
): Promise<void> {
  const chain = testChain();
  for (const id of ids) {
    const view: TradeView = await chain.actions.view(id);
    const [row] = await indexer.db.query<Record<string, unknown>>(
      "SELECT * FROM trades WHERE id = $1",
      [id.toString()],
    );
    expect(row, `trade ${id} indexed`).toBeDefined();
    const record = row!.record as Record<string, string | boolean | number>;
    const n = (v: unknown) => String(v).replace(/n$/, "");
    expect(
      {
        state: row!.state,
        version: row!.version,
        lotsDone: row!.lots_done,
        proposedBySeller: record.proposedBySeller,
        pendingLot: record.pendingLot,
        pendingTitle: record.pendingTitle,
        stageAt: String(row!.stage_at),
        escrowed: row!.escrowed,
        receivedQuantity: row!.received_quantity,
        released: row!.released,
        pendingQuantity: n(record.pendingQuantity),
        pendingTime: n(record.pendingTime),
        sellerBond: row!.seller_bond,
        arrivedAt: String(row!.arrived_at),
        refunded: row!.refunded,
      },
      `trade ${id}`,
    ).toEqual({
      state: view.state,
      version: view.version,
      lotsDone: view.lotsDone,
      proposedBySeller: view.proposedBySeller,
      pendingLot: view.pendingLot,
      pendingTitle: view.pendingTitle,
      stageAt: String(view.stageAt),
      escrowed: String(view.escrowed),
      receivedQuantity: String(view.receivedQuantity),
      released: String(view.released),
      pendingQuantity: String(view.pendingQuantity),
      pendingTime: String(view.pendingTime),
      sellerBond: String(view.sellerBond),
      arrivedAt: String(view.arrivedAt),
      refunded: String(view.refunded),
    });
    const terms = (
      await indexer.db.query<{ terms: Record<string, unknown> }>(
        "SELECT terms FROM amendments WHERE trade_id = $1 ORDER BY version DESC LIMIT 1",
        [id.toString()],
      )
    )[0]!.terms;
    expect(Object.keys(terms).length).toBeGreaterThan(0);
    const stage = await chain.publicClient.readContract({
      address: chain.deployment.tradeEscrow,
      abi: tradeEscrowAbi,
      functionName: "stageDeadline",
      args: [id],
    });
    expect(String(row!.stage_deadline ?? 0), `trade ${id} stage deadline`).toBe(String(stage));
    const claim = await chain.actions.claim(id);
    const [claimRow] = await indexer.db.query<Record<string, unknown>>(
      "SELECT * FROM claims WHERE trade_id = $1",
      [id.toString()],
    );
    if (claim.status === 0) {
      expect(claimRow, `trade ${id} has no claim`).toBeUndefined();
    } else {
      expect(
        {
          status: claimRow?.status,
          ground: claimRow?.ground,
          refundBps: claimRow?.refund_bps,
          filedAt: String(claimRow?.filed_at),
          costs: claimRow?.costs,
          disputeId: String(claimRow?.dispute_id ?? 0),
          ruling: claimRow?.ruling,
        },
        `claim of trade ${id}`,
      ).toEqual({
        status: claim.status,
        ground: claim.ground,
        refundBps: claim.refundBps,
        filedAt: String(claim.filedAt),
        costs: String(claim.costs),
        disputeId: String(claim.disputeId),
        ruling: String(claim.ruling),
      });
    }
  }
}

/** The terms in force, as the contract takes them, from a stored record. */
export function termsFromRecord(record: Record<string, unknown>) {
  const terms = record.terms as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(terms))
    out[key] =
      typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
  return out as never;
}

/** Every account's withdrawable credit the indexer holds equals the escrow's `withdrawable`. */
export async function expectCreditsMatchViews(indexer: TestIndexer): Promise<void> {
  const chain = testChain();
  const rows = await indexer.db.query<{ account: string; token: string; amount: string }>(
    "SELECT account, token, amount FROM balances WHERE kind = 'credit'",
  );
  for (const row of rows) {
    const onChain = await chain.publicClient.readContract({
      address: chain.deployment.tradeEscrow,
      abi: tradeEscrowAbi,
      functionName: "withdrawable",
      args: [row.account as `0x${string}`, row.token as `0x${string}`],
    });
    expect(row.amount, `credit of ${row.account} in ${row.token}`).toBe(onChain.toString());
  }
  const operators = await indexer.db.query<{
    address: string;
    bond: string;
    required: string;
    open_trades: string;
  }>("SELECT * FROM operators");
  for (const op of operators) {
    const [bond, required, openTrades] = await chain.publicClient.readContract({
      address: chain.deployment.tradeEscrow,
      abi: tradeEscrowAbi,
      functionName: "operatorBond",
      args: [op.address as `0x${string}`],
    });
    expect([op.bond, op.required, op.open_trades], `operator ${op.address}`).toEqual([
      String(bond),
      String(required),
      String(openTrades),
    ]);
  }
}
