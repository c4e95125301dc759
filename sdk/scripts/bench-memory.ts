/**
 * Memory benchmark: adds a 200 MiB generated stream to the embedded store and reads it back
 * verified, three ways, sampling the process's memory every 20 ms. The point: memory stays flat
 * (a few chunks in flight), whatever the document's size.
 *
 *   npm run bench:memory -w sdk            # 200 MiB
 *   npm run bench:memory -w sdk -- 50      # another size, in MiB
 *
 * Not a test: it prints a table and exits 0. It writes ~200 MiB under the OS temp directory and
 * removes it at the end.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { ServerType } from "@hono/node-server";
import {
  createEmbeddedStore,
  createGatewayApp,
  createGatewayBlockSource,
  createStoreBlockSource,
  createVerifiedReader,
} from "../src/index.js";

const mib = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? "200");
const size = sizeMiB * mib;
const piece = mib;

type Sample = { rss: number; heapUsed: number; external: number };
type Row = { phase: string; seconds: number; peak: Sample; checked: string };

const gc = (globalThis as { gc?: () => void }).gc;

function sample(): Sample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
}

/** Runs `work` while sampling memory; returns its result with the peaks seen. */
async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peak: Sample }> {
  gc?.();
  const peak = sample();
  const timer = setInterval(() => {
    const s = sample();
    peak.rss = Math.max(peak.rss, s.rss);
    peak.heapUsed = Math.max(peak.heapUsed, s.heapUsed);
    peak.external = Math.max(peak.external, s.external);
  }, 20);
  const start = performance.now();
  try {
    const result = await work();
    return { result, seconds: (performance.now() - start) / 1000, peak };
  } finally {
    clearInterval(timer);
    const s = sample();
    peak.rss = Math.max(peak.rss, s.rss);
    peak.heapUsed = Math.max(peak.heapUsed, s.heapUsed);
    peak.external = Math.max(peak.external, s.external);
  }
}

/** `size` bytes of xorshift32 output in 1 MiB pieces, made as they are pulled; nothing kept. */
async function* generate(digest: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  let state = 0x9e3779b9;
  for (let made = 0; made < size; made += piece) {
    const words = new Uint32Array(Math.min(piece, size - made) / 4);
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state >>> 0;
    }
    const bytes = new Uint8Array(words.buffer);
    digest.update(bytes);
    yield bytes;
  }
}

async function drain(
  source: AsyncIterable<Uint8Array>,
): Promise<{ bytes: number; sha256: string }> {
  const digest = createHash("sha256");
  let bytes = 0;
  for await (const chunk of source) {
    digest.update(chunk);
    bytes += chunk.byteLength;
  }
  return { bytes, sha256: digest.digest("hex") };
}

const directory = await mkdtemp(join(tmpdir(), "sdk-bench-memory-"));
const store = createEmbeddedStore({ directory, limits: { maxBytes: size } });
let server: ServerType | undefined;
const rows: Row[] = [];
try {
  gc?.();
  const baseline = sample();

  const inputDigest = createHash("sha256");
  const added = await measure(() => store.add(generate(inputDigest), { mediaType: "video/mp4" }));
  const expected = inputDigest.digest("hex");
  rows.push({
    phase: `add ${sizeMiB} MiB stream (embedded store)`,
    seconds: added.seconds,
    peak: added.peak,
    checked:
      added.result.size === size
        ? `${added.result.cid.toString().slice(0, 16)}...`
        : "SIZE MISMATCH",
  });
  const cid = added.result.cid;

  const check = (read: { bytes: number; sha256: string }) =>
    read.bytes === size && read.sha256 === expected ? "bytes = input (sha256)" : "MISMATCH";

  const viaStore = await measure(() => drain(store.get(cid)));
  rows.push({
    phase: "read back: store.get (verified)",
    seconds: viaStore.seconds,
    peak: viaStore.peak,
    checked: check(viaStore.result),
  });

  const reader = createVerifiedReader({ source: createStoreBlockSource(store), maxBytes: size });
  const viaReader = await measure(() => drain(reader.read(cid)));
  rows.push({
    phase: "read back: verified reader on the store",
    seconds: viaReader.seconds,
    peak: viaReader.peak,
    checked: check(viaReader.result),
  });

  const app = createGatewayApp({ store });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const overHttp = createVerifiedReader({
    source: createGatewayBlockSource({ url, format: "car" }),
    maxBytes: size,
  });
  const viaGateway = await measure(() => drain(overHttp.read(cid)));
  rows.push({
    phase: "read back: verified reader, gateway CAR over HTTP",
    seconds: viaGateway.seconds,
    peak: viaGateway.peak,
    checked: check(viaGateway.result),
  });

  const out = (line: string) => process.stdout.write(`${line}\n`);
  const m = (bytes: number) => (bytes / mib).toFixed(1).padStart(8);
  out("");
  out(
    `Node ${process.version}, ${sizeMiB} MiB document, baseline RSS ${m(baseline.rss).trim()} MiB, heap ${m(baseline.heapUsed).trim()} MiB${gc ? "" : " (run with --expose-gc for a clean baseline)"}`,
  );
  out("");
  out(
    `| ${"phase".padEnd(50)} | ${"time s".padStart(6)} | ${"MiB/s".padStart(6)} | peak RSS MiB | peak heap MiB | peak buffers MiB | check`,
  );
  out(
    `| ${"-".repeat(50)} | ${"-".repeat(6)} | ${"-".repeat(6)} | ------------ | ------------- | ---------------- | -----`,
  );
  for (const row of rows) {
    out(
      `| ${row.phase.padEnd(50)} | ${row.seconds.toFixed(1).padStart(6)} | ${(sizeMiB / row.seconds).toFixed(0).padStart(6)} | ${m(row.peak.rss).padStart(12)} | ${m(row.peak.heapUsed).padStart(13)} | ${m(row.peak.external).padStart(16)} | ${row.checked}`,
    );
  }
  out("");
  if (rows.some((row) => row.checked.includes("MISMATCH"))) process.exitCode = 1;
} finally {
  if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
  await store.close();
  await rm(directory, { recursive: true, force: true });
}
