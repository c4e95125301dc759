import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { address } from "@trade-escrow/sdk/devchain";
import { startIndexer, testChain } from "./helpers.js";

// The API under sustained load on loopback, in a process of its own (test/load/server.ts: PGlite,
// no cache, so every request reads the database): a warm-up, then LOAD_SECONDS of requests over the
// main endpoints with autocannon. Every answer must be a 2xx, with no error or timeout, and the
// server must still run. The figures (throughput, latency, memory) are printed.
//
// Throughput and memory depend on the machine and what else runs on it, so `npm test` does not
// gate on them (a busy CI core made a sound build fail): `npm run bench:load -w indexer` runs this
// file with LOAD_GATES=1, which also requires at least 50 requests a second and a server whose
// memory after a full collection grew less than the bounds below.

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const GATES = process.env.LOAD_GATES === "1";
const CONNECTIONS = 10;
/** Growth allowed after the load, after a full collection: a leak of 1 KiB a request would pass it several times over. */
const MAX_HEAP_GROWTH = 8 * 1024 * 1024;
const MAX_RSS_GROWTH = 64 * 1024 * 1024;

type Memory = { rss: number; heapUsed: number; heapTotal: number; external: number };

const HERE = dirname(fileURLToPath(import.meta.url));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

describe("API under sustained load", () => {
  const chain = testChain();
  let dir: string;
  let child: ChildProcess | undefined;
  let url = "";
  const ids: string[] = [];

  const ask = (type: string) =>
    new Promise<Memory>((done) => {
      child!.once("message", (message: Memory & { type: string }) => done(message));
      child!.send({ type });
    });

  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) {
      const terms = await chain.buildTerms({ buyer: address("buyer3"), seller: address("seller") });
      const id = await chain.actions.proposeAndAccept(terms);
      await chain.actions.deposit(id, terms);
    }
    dir = await mkdtemp(join(tmpdir(), "indexer-load-"));
    const indexer = await startIndexer("pglite", { dataDir: join(dir, "db"), keep: true });
    await indexer.catchUp();
    ids.push(
      ...(await indexer.db.query<{ id: string }>("SELECT id FROM trades ORDER BY id")).map(
        (r) => r.id,
      ),
    );
    await indexer.close();
    child = fork(join(HERE, "load", "server.ts"), [], {
      cwd: resolve(HERE, ".."),
      execArgv: ["--expose-gc", "--import", "tsx"],
      env: { ...process.env, DATA_DIR: join(dir, "db") },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    url = await new Promise<string>((done, fail) => {
      child!.once("message", (message: { url: string }) => done(message.url));
      child!.once("exit", (code) => fail(new Error(`The server exited (${code}).`)));
    });
  });

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((done) => child!.once("exit", done));
      child.send({ type: "stop" });
      await exited;
    }
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it(`answers ${LOAD_SECONDS} s of requests without an error, and its memory does not grow`, async () => {
    expect(ids.length).toBeGreaterThan(0);
    let n = 0;
    const pick = <T>(list: readonly T[]) => list[n++ % list.length]!;
    const parties = [address("buyer3"), address("seller"), address("buyer2"), address("operator")];
    const requests = [
      { method: "GET", path: "/api/trades?limit=20" },
      {
        method: "GET",
        setupRequest: (request: { path: string }) => ({
          ...request,
          path: `/api/trades/${pick(ids)}`,
        }),
      },
      {
        method: "GET",
        setupRequest: (request: { path: string }) => ({
          ...request,
          path: `/api/trades?party=${pick(parties)}&state=Proposed,Deposited,InFulfilment&limit=10`,
        }),
      },
      { method: "GET", path: "/api/totals" },
      { method: "GET", path: "/api/operators" },
      { method: "GET", path: `/api/sellers/${address("seller")}/reputation` },
      { method: "GET", path: "/api/disputes?limit=5" },
      { method: "GET", path: "/api/health" },
    ];
    // Warm-up (JIT, connections, the database's buffers), not measured.
    const warm = await autocannon({ url, connections: CONNECTIONS, duration: 3, requests });
    expect(warm.non2xx + warm.errors).toBe(0);
    const before = await ask("memory");
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: LOAD_SECONDS,
      requests,
    });
    await new Promise((r) => setTimeout(r, 500)); // settle: sockets closed, timers run
    const after = await ask("memory");

    console.info(
      [
        `API load: ${LOAD_SECONDS} s, ${CONNECTIONS} connections, ${requests.length} endpoints, no cache (PGlite)`,
        `  requests: ${result.requests.total} (${result.requests.average.toFixed(0)} req/s), non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`,
        `  latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
        `  heap used: ${mib(before.heapUsed)} -> ${mib(after.heapUsed)} (${mib(after.heapUsed - before.heapUsed)})`,
        `  rss: ${mib(before.rss)} -> ${mib(after.rss)} (${mib(after.rss - before.rss)})`,
      ].join("\n"),
    );
    expect({ non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }).toEqual({
      non2xx: 0,
      errors: 0,
      timeouts: 0,
    });
    expect(child!.exitCode).toBeNull();
    if (GATES) {
      expect(result.requests.total).toBeGreaterThan(LOAD_SECONDS * 50);
      expect(after.heapUsed - before.heapUsed).toBeLessThan(MAX_HEAP_GROWTH);
      expect(after.rss - before.rss).toBeLessThan(MAX_RSS_GROWTH);
    }
  });
});
