// Length: one property per API rule, sharing one indexed history.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { address } from "@trade-escrow/sdk/devchain";
import { documentTypes } from "@trade-escrow/sdk/manifest";
import { createEmbeddedStore } from "@trade-escrow/sdk/store";
import type { EmbeddedDocumentStore } from "@trade-escrow/sdk/store";
import { createRootApp } from "../src/api/index.js";
import type { Database } from "../src/store/index.js";
import { startIndexer, testChain } from "./helpers.js";
import type { TestIndexer } from "./helpers.js";

// Property tests of the HTTP API with fast-check, on every operation of the OpenAPI document (read at
// run time, so a new endpoint is covered without touching this file) and on the /ipfs gateway.
// Random requests: malformed path parameters (negative, huge, non-numeric ids, bad addresses, bad CIDs,
// unicode, very long strings), query strings (declared and unknown parameters, junk values),
// headers, methods, and bodies where the operation takes one. Invariants:
//   1. The answer is never a 5xx.
//   2. Every 4xx is JSON with a code and a message (`{ error: { code, message } }`; the gateway's
//      `{ code, message }`).
//   3. A path parameter that breaks its declared pattern is a 400 (a 404 when it changes the route),
//      a query parameter that breaks its pattern a 400.
//   4. A 2xx is JSON (an event stream for /stream, bytes for /ipfs).
//   5. The store is unchanged: every table, and the document store's files.
// `npm test` sends the same requests every run (a fixed seed, every run to the end, no time limit:
// a busy machine takes longer, never fewer); FUZZ_SEED=<n> replays another seed, FUZZ_SEED=random
// draws one. fast-check prints the seed, and the failing request, on failure.

const RUNS = Number(process.env.FC_RUNS ?? 300);
const seed =
  process.env.FUZZ_SEED === "random"
    ? Date.now() % 2 ** 31
    : Number(process.env.FUZZ_SEED ?? 20_261_203);

type Parameter = {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: { pattern?: string; example?: unknown };
};
type Operation = {
  method: string;
  /** The template as the server routes it (`/api/trades/{id}`). */
  path: string;
  parameters: Parameter[];
  body: boolean;
};

/** Every table, rows sorted: the digest compared before and after. */
async function tablesOf(db: Database): Promise<Record<string, string[]>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [db.schema],
  );
  const out: Record<string, string[]> = {};
  for (const { table_name: table } of tables)
    out[table] = (await db.query(`SELECT * FROM ${table}`)).map((r) => JSON.stringify(r)).sort();
  return out;
}

async function filesOf(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

/** Lone surrogates replaced (a URL cannot carry them). */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

/** Values that no parameter should choke on. */
const junk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }).map(wellFormed),
  fc.constantFrom(
    "",
    "-1",
    "0",
    "-0",
    "00",
    "1e5",
    "1.5",
    "0x10",
    "NaN",
    "Infinity",
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    "%",
    "%00",
    "%zz",
    "\u0000",
    "../..",
    "' OR 1=1 --",
    "'; DROP TABLE trades; --",
    "🚚",
    "٣",
    "１",
    "\u202e",
    "a,b,,c",
    "Shipped,",
    ",",
  ),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
  fc.stringMatching(/^0x[0-9a-fA-FgG]{0,64}$/),
  fc.stringMatching(/^(b[a-z2-7]{0,130}|Qm[1-9A-Za-z]{0,50}|bafy[a-z0-9]{40,70})$/),
  fc
    .integer({ min: 200, max: 20_000 })
    .chain((n) => fc.constantFrom("9", "a", "é", "🚚").map((c) => c.repeat(n))),
);

/** Header values a client can send (latin-1, no control characters). */
const headerValue = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 200,
});
const headers = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "accept",
      "content-type",
      "accept-encoding",
      "accept-language",
      "if-none-match",
      "if-modified-since",
      "range",
      "cookie",
      "authorization",
      "origin",
      "x-forwarded-for",
      "last-event-id",
    ),
    fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
  ),
  fc.oneof(
    headerValue,
    fc.constantFrom(
      "application/json",
      "text/html",
      "*/*",
      "bytes=-5",
      "bytes=9999999999-",
      "multipart/form-data",
    ),
  ),
  { maxKeys: 4 },
);

/** A body that is never a valid upload (a valid one would change the store). */
function bodies(): fc.Arbitrary<{ body?: string | FormData; contentType?: string }> {
  const notAType = junk.filter((t) => !(documentTypes as readonly string[]).includes(t));
  return fc.oneof(
    fc.constant({}),
    fc.jsonValue().map((v) => ({ body: JSON.stringify(v), contentType: "application/json" })),
    junk.map((s) => ({ body: s, contentType: "text/plain" })),
    junk.map((s) => ({ body: s, contentType: "application/x-www-form-urlencoded" })),
    fc.tuple(junk, junk).map(([boundary, s]) => ({
      body: `--${boundary}\r\n${s}`,
      contentType: `multipart/form-data; boundary=${boundary.replace(/[\r\n]/g, "")}`,
    })),
    fc
      .record({
        type: fc.option(notAType),
        name: fc.option(junk),
        file: fc.option(junk),
        fileAsText: fc.boolean(),
      })
      .map(({ type, name, file, fileAsText }) => {
        const form = new FormData();
        if (type !== null) form.set("type", type);
        if (name !== null) form.set("name", name);
        if (file !== null) {
          if (fileAsText) form.set("file", file);
          else form.set("file", new Blob([file], { type: "application/pdf" }), "x.pdf");
        }
        return { body: form };
      }),
    fc
      .record({
        file: junk,
        mediaType: fc.constantFrom("text/html", "application/x-msdownload", "", "image/svg+xml"),
      })
      .map(({ file, mediaType }) => {
        // A valid type but no file part: the file travels as a plain field.
        const form = new FormData();
        form.set("type", "bill-of-lading");
        form.set("file", `${mediaType}:${file}`);
        return { body: form };
      }),
  );
}

describe("API properties: malformed input on every endpoint", () => {
  const chain = testChain();
  let indexer: TestIndexer;
  let documents: EmbeddedDocumentStore;
  let dir: string;
  let app: ReturnType<typeof createRootApp>;
  let operations: Operation[] = [];
  const valid = { id: "1", address: address("seller").toLowerCase(), cid: "" };
  const counts: Record<string, { runs: number; statuses: Record<number, number> }> = {};

  beforeAll(async () => {
    const terms = await chain.buildTerms({ buyer: address("buyer2"), seller: address("seller") });
    const id = await chain.actions.proposeAndAccept(terms);
    await chain.actions.deposit(id, terms);
    valid.id = id.toString();
    indexer = await startIndexer("pglite", { finalityDepth: 2 });
    await indexer.catchUp();
    // Nothing writes from here on but what the requests could.
    await indexer.syncer.stop();
    dir = await mkdtemp(join(tmpdir(), "indexer-props-"));
    documents = createEmbeddedStore({ directory: dir });
    valid.cid = (
      await documents.add(new TextEncoder().encode("stored document"), { mediaType: "text/plain" })
    ).cid.toString();
    app = createRootApp({
      db: indexer.db,
      status: indexer.syncer.status,
      subscribe: () => () => {},
      documents,
      cacheMs: 0,
      staticDir: join(dir, "no-dapp"),
    });
    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      servers: { url: string }[];
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>;
    };
    const base = doc.servers[0]!.url;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations.push({
          method: method.toUpperCase(),
          path: `${base}${path}`,
          parameters: operation.parameters ?? [],
          body: operation.requestBody !== undefined,
        });
      }
    }
    // The gateway on the same server (not part of the API's document).
    operations.push({
      method: "GET",
      path: "/ipfs/{cid}",
      parameters: [
        {
          name: "cid",
          in: "path",
          required: true,
          schema: { pattern: "^(b[a-z2-7]{20,120}|Qm[1-9A-HJ-NP-Za-km-z]{44})$" },
        },
        { name: "format", in: "query" },
        { name: "filename", in: "query" },
        { name: "download", in: "query" },
      ],
      body: false,
    });
    operations = operations.sort((a, b) =>
      `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`),
    );
  });

  afterAll(async () => {
    // The figures, for the record (`npx vitest run test/apiProperties.test.ts`).
    console.info(
      `API properties (seed ${seed}): ${Object.values(counts).reduce((n, c) => n + c.runs, 0)} requests\n` +
        Object.entries(counts)
          .map(([op, c]) => `  ${op}: ${c.runs} runs, statuses ${JSON.stringify(c.statuses)}`)
          .join("\n"),
    );
    await indexer?.close();
    await documents?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("reads the endpoints from the OpenAPI document", () => {
    const names = operations.map((o) => `${o.method} ${o.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "GET /api/health",
        "GET /api/trades",
        "GET /api/trades/{id}",
        "POST /api/documents",
        "GET /api/documents/{cid}",
        "GET /api/disputes",
        "GET /api/disputes/{id}",
        "GET /api/sellers/{address}/reputation",
        "GET /api/operators",
        "GET /api/operators/{address}",
        "GET /api/totals",
        "GET /api/stream",
        "GET /ipfs/{cid}",
      ]),
    );
  });

  it("answers every malformed request with a JSON 4xx (never a 5xx) and changes nothing", async () => {
    const tablesBefore = await tablesOf(indexer.db);
    const filesBefore = await filesOf(dir);
    const validOf = (p: Parameter) =>
      p.name === "cid"
        ? valid.cid
        : p.name === "address"
          ? valid.address
          : p.name === "id" || p.name === "trade"
            ? valid.id
            : "1";

    for (const operation of operations) {
      const name = `${operation.method} ${operation.path}`;
      const stats = (counts[name] = { runs: 0, statuses: {} as Record<number, number> });
      const pathParams = operation.parameters.filter((p) => p.in === "path");
      const queryParams = operation.parameters.filter((p) => p.in === "query");
      const request = fc.record({
        path: fc.tuple(
          ...pathParams.map((p) =>
            fc.record({
              value: fc.oneof(
                { weight: 5, arbitrary: junk },
                { weight: 1, arbitrary: fc.constant(validOf(p)) },
              ),
              raw: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
            }),
          ),
        ),
        query: fc.array(
          fc.tuple(
            fc.oneof(
              {
                weight: 4,
                arbitrary:
                  queryParams.length > 0
                    ? fc.constantFrom(...queryParams.map((p) => p.name))
                    : junk,
              },
              { weight: 1, arbitrary: junk },
            ),
            junk,
          ),
          { maxLength: 4 },
        ),
        rawQuery: fc.oneof(
          { weight: 4, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: junk },
        ),
        headers,
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constant(operation.method) },
          {
            weight: 1,
            arbitrary: fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
          },
        ),
        body: operation.body
          ? bodies()
          : fc.constant({} as { body?: string | FormData; contentType?: string }),
      });

      await fc.assert(
        fc.asyncProperty(request, async (input) => {
          let path = operation.path;
          const strict: string[] = [];
          // Whether the URL still names the operation's route (an empty or raw segment may not).
          let routeKept = true;
          pathParams.forEach((p, i) => {
            const { value, raw } = input.path[i]!;
            const encoded = raw ? value.replace(/[?#]/g, "") : encodeURIComponent(value);
            if (raw || value === "" || value === "." || value === "..") routeKept = false;
            path = path.replace(`{${p.name}}`, encoded);
            const pattern = p.schema?.pattern;
            if (pattern !== undefined && !new RegExp(pattern).test(value) && routeKept)
              strict.push(`path ${p.name}=${JSON.stringify(value)}`);
          });
          const search = new URLSearchParams(input.query);
          let url = `http://localhost${path}?${search.toString()}`;
          if (input.rawQuery !== null) url += `&${input.rawQuery.replace(/#/g, "")}`;
          const once = new Map<string, number>();
          for (const [key] of input.query) once.set(key, (once.get(key) ?? 0) + 1);
          const strictQuery = input.rawQuery === null;
          if (strictQuery) {
            for (const [key, value] of input.query) {
              const p = queryParams.find((q) => q.name === key);
              const pattern = p?.schema?.pattern;
              if (pattern !== undefined && once.get(key) === 1 && !new RegExp(pattern).test(value))
                strict.push(`query ${key}=${JSON.stringify(value)}`);
            }
          }
          const init: RequestInit = { method: input.method, headers: { ...input.headers } };
          if (input.method !== "GET" && input.method !== "HEAD" && input.body.body !== undefined) {
            init.body = input.body.body;
            if (input.body.contentType !== undefined)
              (init.headers as Record<string, string>)["content-type"] = input.body.contentType;
          }
          let req: Request;
          try {
            req = new Request(url, init);
          } catch {
            return; // not a request a client can send (a header value fetch refuses)
          }
          const response = await app.request(req);
          stats.runs += 1;
          stats.statuses[response.status] = (stats.statuses[response.status] ?? 0) + 1;
          const type = response.headers.get("content-type") ?? "";
          const where = `${input.method} ${url.slice(0, 300)} -> ${response.status}`;
          expect(response.status, where).toBeLessThan(500);
          if (response.status >= 400 && input.method !== "HEAD") {
            expect(type, where).toContain("application/json");
            const body = (await response.json()) as {
              error?: { code: unknown; message: unknown };
              code?: unknown;
              message?: unknown;
            };
            // The gateway's own errors are `{ code, message }` (the sdk's); the server's, the API's.
            const error =
              operation.path.startsWith("/ipfs") && body.error === undefined ? body : body.error;
            expect(error?.code, where).toMatch(/^[a-z_]+$/);
            expect(error?.message, where).toBeTypeOf("string");
          } else if (input.method !== "HEAD" && input.method === operation.method) {
            if (operation.path.endsWith("/stream"))
              expect(type, where).toContain("text/event-stream");
            else if (!operation.path.startsWith("/ipfs"))
              expect(type, where).toContain("application/json");
          }
          if (!response.bodyUsed) await response.body?.cancel();
          if (strict.length > 0 && routeKept && input.method === operation.method) {
            // A valid CID in another encoding than the pattern's is the gateway's 404 (not stored).
            const expected = operation.path.startsWith("/ipfs") ? [400, 404] : [400];
            expect(expected, `${where}: ${strict.join(", ")}`).toContain(response.status);
          }
        }),
        {
          numRuns: RUNS,
          seed,
        },
      );
      expect(stats.runs, name).toBeGreaterThan(Math.min(RUNS, 100) - 1);
      expect(await tablesOf(indexer.db), `tables after ${name}`).toEqual(tablesBefore);
      expect(await filesOf(dir), `document store after ${name}`).toEqual(filesBefore);
    }
  });
});
