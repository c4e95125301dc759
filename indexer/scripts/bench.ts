/* eslint-disable no-console -- a script that prints its table for a person (the root config exempts only the root scripts/). */
// Length: a benchmark script, one scenario after another (chain, backfill, follow, API), printing tables.
/**
 * The indexer's benchmark (not a test): `npm run bench:indexer` at the root (`-- --trades 500`, or
 * `-- --large` for 20,000 trades). It starts a development node (anvil), generates N trades with
 * full lifecycles (propose, accept, deposit, start, balance, ship, deliver with release, rate),
 * then measures:
 *   1. backfill events/s into PGlite (indexes deferred, as the indexer does; then with the API indexes
 *      in place from the start, to show what deferring saves), and into the Postgres server;
 *   2. live lag: from a block being mined to its event reaching a client of the SSE stream;
 *   3. API latency (autocannon, 127.0.0.1, fixed rate) of the list and the detail endpoints.
 * It prints a table.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import {
  createPublicClient,
  encodeFunctionData,
  http,
  parseEventLogs,
  toHex,
  zeroAddress,
} from "viem";
import type { Address, Hex, PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { AttestationKind, sellerRatingsAbi, tradeEscrowAbi } from "@trade-escrow/sdk/contracts";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { createLogger } from "../src/internal/index.js";
import { createDatabase, createStore } from "../src/store/index.js";
import { createSyncer } from "../src/sync/index.js";
import type { SyncEvent } from "../src/sync/index.js";
import { address } from "@trade-escrow/sdk/devchain";
import type { Role } from "@trade-escrow/sdk/devchain";
import { courtTerms, documentCid, DAY, ETHER } from "@trade-escrow/stack/devchain";
import { FEE_BPS, deployStack } from "@trade-escrow/sdk/devchain";
import { accreditParties } from "@trade-escrow/stack/devchain";
import { freePort, startDevNode } from "@trade-escrow/sdk/devchain";

const INDEXER = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
const N = process.argv.includes("--large") ? 20_000 : Number(argument("trades") ?? 2_000);
const skipPostgres = process.argv.includes("--no-postgres");
const rows: [string, string, string][] = [];
const log = (message: string) => console.error(`[bench] ${message}`);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function main() {
  log(`starting a development node (anvil) and deploying`);
  const node = await startDevNode();
  const dir = await mkdtemp(join(tmpdir(), "indexer-bench-"));
  let child: ChildProcess | undefined;
  try {
    const deployed = await deployStack(node.url);
    await accreditParties(deployed);
    const client = createPublicClient({
      chain: hardhat,
      transport: http(node.url, { retryCount: 0, batch: { batchSize: 250 } }),
    }) as PublicClient;
    // Generation goes through its own client: no batching, a long timeout (a full pool is slow).
    const generator = createPublicClient({
      chain: hardhat,
      transport: http(node.url, { retryCount: 0, timeout: 300_000 }),
    });
    const rpc = (method: string, params: unknown[] = []) =>
      generator.request({ method, params } as never) as Promise<unknown>;

    // ---------------------------------------------------------------- generate
    const started = performance.now();
    const generated = await generate(
      client,
      rpc,
      deployed.tradeEscrow,
      deployed.arbitrationCourt,
      deployed.sellerRatings,
      N,
    );
    const genSeconds = (performance.now() - started) / 1000;
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
    log(
      `generated ${generated.trades} trades, ${generated.events} events in ${head - deployed.deploymentBlock} blocks (${genSeconds.toFixed(0)} s)`,
    );
    rows.push([
      "trades generated (full lifecycle)",
      String(generated.trades),
      `${generated.events} events, ${head - deployed.deploymentBlock} blocks, ${genSeconds.toFixed(0)} s`,
    ]);

    // ---------------------------------------------------------------- backfill
    const contracts = {
      escrow: deployed.tradeEscrow,
      court: deployed.arbitrationCourt,
      ratings: deployed.sellerRatings,
    };
    const backfill = async (
      label: string,
      open: () => ReturnType<typeof createDatabase>,
      indexesFirst: boolean,
      keep = false,
    ) => {
      const db = await open();
      const store = createStore({ db });
      await store.migrate();
      if (indexesFirst) await store.createDeferredIndexes();
      const syncer = createSyncer({
        client,
        store,
        contracts,
        startBlock: deployed.deploymentBlock,
        finalityDepth: 12,
        pollingIntervalMs: 100,
        deferIndexes: !indexesFirst,
        logger: createLogger({ level: process.env.LOG_LEVEL ?? "warn" }),
      });
      const done = new Promise<Extract<SyncEvent, { type: "backfilled" }>>((resolveDone) =>
        syncer.subscribe((e) => {
          if (e.type === "backfilled") resolveDone(e);
        }),
      );
      const t0 = performance.now();
      await syncer.start();
      const result = await done;
      await syncer.waitForBlock(head, 120_000);
      const seconds = (performance.now() - t0) / 1000;
      await syncer.stop();
      const [count] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events");
      if (count!.n !== generated.events)
        throw new Error(`${label}: indexed ${count!.n} events, expected ${generated.events}.`);
      const [completed] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM trades WHERE state_name = 'Completed'",
      );
      if (completed!.n !== generated.trades)
        throw new Error(
          `${label}: ${completed!.n} completed trades, expected ${generated.trades}.`,
        );
      rows.push([
        `backfill, ${label}`,
        `${Math.round(count!.n / seconds)} events/s`,
        `${count!.n} events (${result.events} in ranges, the rest block by block) in ${seconds.toFixed(1)} s${indexesFirst ? "" : `, incl. creating the API indexes ${(result.indexMs / 1000).toFixed(2)} s`}`,
      ]);
      log(rows.at(-1)!.join(" | "));
      if (!keep) await db.close();
      return db;
    };
    const pgliteDir = join(dir, "pglite");
    await backfill(
      "PGlite (indexes deferred)",
      () => createDatabase({ dataDir: pgliteDir }),
      false,
      false,
    );
    await backfill(
      "PGlite (API indexes from the start)",
      () => createDatabase({ dataDir: join(dir, "pglite-indexed") }),
      true,
    );
    if (!skipPostgres) {
      const schema = `indexer_bench_${process.pid}`;
      await backfill(
        "Postgres server (indexes deferred)",
        () => createDatabase({ url: POSTGRES_URL, schema }),
        false,
      );
      const admin = await createDatabase({ url: POSTGRES_URL });
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    }

    // ---------------------------------------------------------------- the server, on the first PGlite
    const startServer = async (cacheMs: number) => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const process_ = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: INDEXER,
        env: {
          ...process.env,
          RPC_URL: node.url,
          ESCROW_ADDRESS: deployed.tradeEscrow,
          COURT_ADDRESS: deployed.arbitrationCourt,
          RATINGS_ADDRESS: deployed.sellerRatings,
          START_BLOCK: String(deployed.deploymentBlock),
          DATA_DIR: pgliteDir,
          DATABASE_URL: "",
          IPFS_DIR: join(dir, "ipfs"),
          PORT: String(port),
          HOST: "127.0.0.1",
          FINALITY_DEPTH: "12",
          POLLING_INTERVAL_MS: "100",
          API_CACHE_MS: String(cacheMs),
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "inherit", "inherit"],
      });
      for (let i = 0; ; i += 1) {
        const ok = await fetch(`${url}/api/health`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) break;
        if (i > 600) throw new Error("The server did not come up.");
        await new Promise((r) => setTimeout(r, 100));
      }
      return { url, process: process_ };
    };
    const stopServer = async (server: { process: ChildProcess }) => {
      server.process.kill("SIGTERM");
      await new Promise((r) => server.process.once("exit", r));
    };

    let server = await startServer(30_000);
    child = server.process;

    // ---------------------------------------------------------------- live lag
    const lags = await liveLag(client, rpc, server.url, deployed.tradeEscrow, 20);
    rows.push([
      "live lag, block mined -> SSE client (polling 100 ms)",
      `p50 ${percentile(lags, 50).toFixed(0)} ms`,
      `p99 ${percentile(lags, 99).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms (${lags.length} blocks)`,
    ]);
    log(rows.at(-1)!.join(" | "));

    // ---------------------------------------------------------------- API latency
    const load = async (
      label: string,
      requests: Parameters<typeof autocannon>[0]["requests"],
      rate: number,
    ) => {
      // A short unmeasured warm-up (JIT, connections, the database's buffers).
      await autocannon({
        url: server.url,
        connections: 10,
        duration: 2,
        overallRate: rate,
        requests,
      });
      const result = await autocannon({
        url: server.url,
        connections: 10,
        duration: 10,
        overallRate: rate,
        requests,
      });
      rows.push([
        `API ${label} at ${rate} req/s (10 s, 10 conn.)`,
        `p50 ${result.latency.p50} ms`,
        `p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ${result.requests.total} req, ${result.non2xx} non-2xx, ${result.errors} errors`,
      ]);
      log(rows.at(-1)!.join(" | "));
    };
    const randomId = () => String(1 + Math.floor(Math.random() * generated.trades));
    const list = [{ method: "GET", path: "/api/trades?limit=20" }];
    const filtered = [
      { method: "GET", path: `/api/trades?party=${address("buyer2")}&state=Completed&limit=20` },
    ];
    const detail = [
      {
        method: "GET",
        setupRequest: (request: { path: string }) => ({
          ...request,
          path: `/api/trades/${randomId()}`,
        }),
      },
    ];
    await load("GET /api/trades?limit=20", list, 500);
    await load("GET /api/trades?party=…&state=Completed", filtered, 500);
    await load("GET /api/trades/{random id}", detail, 500);
    await stopServer(server);
    server = await startServer(0);
    child = server.process;
    await load("(no cache) GET /api/trades?limit=20", list, 500);
    await load("(no cache) GET /api/trades/{random id}", detail, 500);
  } finally {
    child?.kill("SIGTERM");
    await node.stop();
    if (process.argv.includes("--keep")) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }

  const widths = [0, 1, 2].map((i) =>
    Math.max(...[["measure", "result", "detail"], ...rows].map((r) => r[i]!.length)),
  );
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(
    `\nIndexer benchmark: N = ${N} trades (${process.platform}, ${(await import("node:os")).cpus().length} cores, Node ${process.version})\n`,
  );
  console.log(line(["measure", "result", "detail"]));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  console.log("\nAims: backfill >= 5,000 events/s; API p99 < 20 ms at 500 req/s.");
}

/** Sends one phase of transactions with automine off, then mines until the pool is empty. */
async function phase(
  client: PublicClient,
  rpc: (method: string, params?: unknown[]) => Promise<unknown>,
  calls: { from: Address; to: Address; data: Hex; value?: bigint }[],
  gas: bigint,
): Promise<void> {
  // Each sender's nonces are numbered here: with automine off, a node may give concurrent sends from
  // one account the same nonce (anvil does), which would replace one transaction by another.
  const nextNonce = new Map<Address, bigint>();
  for (const from of new Set(calls.map((call) => call.from)))
    nextNonce.set(from, BigInt((await rpc("eth_getTransactionCount", [from, "pending"])) as Hex));
  const numbered = calls.map((call) => {
    const nonce = nextNonce.get(call.from)!;
    nextNonce.set(call.from, nonce + 1n);
    return { ...call, nonce };
  });
  // A few hundred at a time: the node checks each new transaction against the whole pending pool.
  const chunk = 200;
  const concurrency = 32;
  for (let start = 0; start < numbered.length; start += chunk) {
    const part = numbered.slice(start, start + chunk);
    for (let i = 0; i < part.length; i += concurrency) {
      await Promise.all(
        part.slice(i, i + concurrency).map((call) =>
          rpc("eth_sendTransaction", [
            {
              from: call.from,
              to: call.to,
              data: call.data,
              nonce: toHex(call.nonce),
              gas: toHex(gas),
              ...(call.value !== undefined && { value: toHex(call.value) }),
            },
          ]),
        ),
      );
    }
    for (;;) {
      await rpc("evm_mine");
      const pending = (await rpc("eth_getBlockByNumber", ["pending", false])) as {
        transactions: unknown[];
      };
      if (pending.transactions.length === 0) break;
    }
  }
  void client;
}

/** N trades through their whole lifecycle, phase by phase (each phase many transactions a block). */
async function generate(
  client: PublicClient,
  rpc: (method: string, params?: unknown[]) => Promise<unknown>,
  escrow: Address,
  court: Address,
  ratings: Address,
  n: number,
): Promise<{ trades: number; events: number }> {
  const buyers: Role[] = ["buyer", "buyer2", "buyer3"];
  const sellers: Role[] = ["seller", "seller2", "seller3"];
  const operators: Role[] = ["operator", "operator2"];
  const latest = (await client.getBlock()).timestamp;
  const terms: Terms[] = [];
  for (let i = 0; i < n; i += 1) {
    terms.push({
      buyer: address(buyers[i % 3]!),
      seller: address(sellers[i % 3]!),
      operator: address(operators[i % 2]!),
      token: zeroAddress,
      mode: 0,
      price: ETHER / 100n + BigInt(i),
      quantity: 10n,
      toleranceBps: 500,
      depositBps: 3_000,
      lots: 1,
      latestDelivery: latest + 365n * BigInt(DAY),
      shipWindow: 14 * DAY,
      deliveryGrace: 14 * DAY,
      depositWindow: 30 * DAY,
      fulfilmentDays: 20,
      claimWindow: 0,
      responseDays: 7,
      collectAfter: 0,
      feeBps: FEE_BPS,
      sellerBond: 0n,
      arbitrator: court,
      arbitratorExtraData: courtTerms,
      manifestCid: await documentCid(`bench manifest ${i}`),
    });
  }
  const data = (functionName: string, args: readonly unknown[]) =>
    encodeFunctionData({ abi: tradeEscrowAbi, functionName, args } as never);
  await rpc("evm_setAutomine", [false]);
  const t0 = performance.now();
  const step = async (
    label: string,
    calls: { from: Address; to: Address; data: Hex; value?: bigint }[],
    gas: bigint,
  ) => {
    const t = performance.now();
    await phase(client, rpc, calls, gas);
    console.error(
      `[bench]   ${label}: ${calls.length} tx in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  };
  await step(
    "propose",
    terms.map((t) => ({ from: t.buyer, to: escrow, data: data("proposeTrade", [t]) })),
    700_000n,
  );
  // The ids, from the proposals' events (the order inside a block is the node's).
  const proposed = parseEventLogs({
    abi: tradeEscrowAbi,
    eventName: "TradeProposed",
    logs: await logsInChunks(client, [escrow]),
  });
  const idOf = new Map<string, bigint>();
  for (const e of proposed) idOf.set(e.args.terms!.manifestCid, e.args.tradeId!);
  const ids = terms.map((t) => idOf.get(t.manifestCid)!);
  const each = (
    from: (t: Terms) => Address,
    fn: string,
    value?: (t: Terms) => bigint,
    extra: (t: Terms, id: bigint) => unknown[] = () => [],
  ) =>
    terms.map((t, i) => ({
      from: from(t),
      to: escrow,
      data: data(fn, [ids[i], t, ...extra(t, ids[i]!)]),
      ...(value && { value: value(t) }),
    }));
  await step(
    "accept",
    each((t) => t.seller, "acceptTrade"),
    700_000n,
  );
  await step(
    "deposit",
    each(
      (t) => t.buyer,
      "payDeposit",
      (t) => (t.price * 3_000n) / 10_000n,
    ),
    400_000n,
  );
  await step(
    "start",
    each((t) => t.seller, "startFulfilment"),
    400_000n,
  );
  await step(
    "balance",
    each(
      (t) => t.buyer,
      "payBalance",
      (t) => t.price - (t.price * 3_000n) / 10_000n,
    ),
    400_000n,
  );
  const bl = await documentCid("bench bill of lading");
  await step(
    "ship",
    each(
      (t) => t.seller,
      "markShipped",
      undefined,
      () => [bl],
    ),
    400_000n,
  );
  const now = (await client.getBlock({ blockTag: "latest" })).timestamp;
  await step(
    "deliver",
    terms.map((t, i) => ({
      from: t.operator,
      to: escrow,
      data: encodeFunctionData({
        abi: tradeEscrowAbi,
        functionName: "attest",
        args: [
          {
            tradeId: ids[i]!,
            kind: AttestationKind.ReceiptAndTitleTransfer,
            lot: 1,
            quantity: 10n,
            time: now,
            documentCid: bl,
            nonce: BigInt(i + 1),
            deadline: now + BigInt(DAY),
          },
          "0x",
        ],
      }),
    })),
    900_000n,
  );
  await step(
    "rate",
    terms.map((t, i) => ({
      from: t.buyer,
      to: ratings,
      data: encodeFunctionData({
        abi: sellerRatingsAbi,
        functionName: "rate",
        args: [ids[i]!, 1 + (i % 5), 1 + ((i + 1) % 5), 1 + ((i + 2) % 5)],
      }),
    })),
    400_000n,
  );
  await step(
    "withdraw",
    sellers.map((s) => ({ from: address(s), to: escrow, data: data("withdraw", [zeroAddress]) })),
    200_000n,
  );
  await rpc("evm_setAutomine", [true]);
  // Blocks on top, so that the whole history is final: the backfill reads it in ranges.
  for (let i = 0; i < 20; i += 1) await rpc("evm_mine");
  console.error(`[bench]   all phases: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const logs = await logsInChunks(client, [escrow, court, ratings]);
  const completed = parseEventLogs({
    abi: tradeEscrowAbi,
    logs,
    eventName: "TradeStateChanged",
  }).filter((e) => e.args.to === 9).length;
  if (completed !== n) throw new Error(`Only ${completed} of ${n} trades completed.`);
  return { trades: n, events: logs.length };
}

/** Every log of `address` (in ranges: a node's answer is capped at 10 MiB by viem). */
async function logsInChunks(client: PublicClient, address: Address[]) {
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const logs = [];
  // Ten blocks at a time: a block of this benchmark holds up to ~100 logs with whole terms.
  for (let from = 0n; from <= head; from += 10n) {
    const to = from + 9n > head ? head : from + 9n;
    logs.push(...(await client.getLogs({ address, fromBlock: from, toBlock: to })));
  }
  return logs;
}

/** Mines a block with one escrow event, `samples` times; the time until the SSE client sees it. */
async function liveLag(
  client: PublicClient,
  rpc: (method: string, params?: unknown[]) => Promise<unknown>,
  url: string,
  escrow: Address,
  samples: number,
): Promise<number[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/stream`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const seen = new Map<number, number>();
  let buffer = "";
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value);
      for (const match of buffer.matchAll(/"block":(\d+)/g)) {
        const block = Number(match[1]);
        if (!seen.has(block)) seen.set(block, performance.now());
      }
      buffer = buffer.slice(-200);
    }
  })();
  const lags: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
    const hash = (await rpc("eth_sendTransaction", [
      {
        from: address("relayer"),
        to: escrow,
        data: encodeFunctionData({
          abi: tradeEscrowAbi,
          functionName: "invalidateNonce",
          args: [BigInt(10_000 + i)],
        }),
      },
    ])) as Hex;
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 5 });
    const mined = performance.now();
    const block = Number(receipt.blockNumber);
    const deadline = mined + 10_000;
    while (!seen.has(block) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
    if (seen.has(block)) lags.push(Math.max(0, seen.get(block)! - mined));
  }
  controller.abort();
  await reading;
  return lags;
}

await main();
