/**
 * A stand-in for a Kubo daemon's RPC API, answering as Kubo's RPC reference documents it
 * (docs.ipfs.tech/reference/kubo/rpc): POST only (405 otherwise), arguments in `arg`, flags in the
 * query string, `add` taking multipart/form-data and answering NDJSON objects
 * `{"Name","Hash","Size"}` with `X-Chunked-Output: 1`, `cat` and `block/get` answering `text/plain`
 * bytes, `block/stat` `{"Key","Size"}`, `pin/add` and `pin/rm` `{"Pins":[...]}`, and errors as
 * HTTP 500 with `{"Message","Code":0,"Type":"error"}`. It listens on 127.0.0.1 on an ephemeral
 * port and records every request, so tests check the wire format the store sends.
 *
 * Behind it, an embedded store in a temporary directory does the actual storing.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { importer } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { FsBlockstore } from "blockstore-fs";
import { CID } from "multiformats/cid";

export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** For multipart requests: each part's headers and its byte length. */
  parts: Array<{ headers: Record<string, string>; size: number }>;
};

export type FakeKubo = {
  url: string;
  requests: RecordedRequest[];
  pins: Set<string>;
  blocks: FsBlockstore;
  /** Make `add` answer with this hash instead of the real one (a misconfigured node). */
  lieAboutHash?: string;
  close(): Promise<void>;
};

export async function startFakeKubo(): Promise<FakeKubo> {
  const directory = await mkdtemp(join(tmpdir(), "fake-kubo-"));
  const blocks = new FsBlockstore(join(directory, "blocks"));
  await blocks.open();
  const state: FakeKubo = {
    url: "",
    requests: [],
    pins: new Set(),
    blocks,
    close: async () => undefined,
  };

  const server: Server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      kuboError(res, error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(directory, { recursive: true, force: true });
  };
  return state;
}

async function handle(state: FakeKubo, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const body = await readBody(req);
  const recorded: RecordedRequest = {
    method: req.method ?? "",
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    parts: [],
  };
  state.requests.push(recorded);
  if (!url.pathname.startsWith("/api/v0/")) return notFound(res);
  if (req.method !== "POST") {
    res.writeHead(405, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("405 - Method Not Allowed");
    return;
  }
  const command = url.pathname.slice("/api/v0/".length);
  const args = url.searchParams.getAll("arg");
  switch (command) {
    case "add": {
      const parts = parseMultipart(req.headers["content-type"] ?? "", body);
      recorded.parts = parts.map((p) => ({ headers: p.headers, size: p.body.byteLength }));
      const file = parts.find((p) => /name="file/.test(p.headers["content-disposition"] ?? ""));
      if (file === undefined) return kuboError(res, "file argument 'path' is required", 400);
      const cidVersion = Number(url.searchParams.get("cid-version") ?? "0");
      const rawLeaves = url.searchParams.get("raw-leaves") === "true";
      const chunker = url.searchParams.get("chunker") ?? "size-262144";
      const chunkSize = Number(/^size-(\d+)$/.exec(chunker)?.[1] ?? "262144");
      let last: { cid: CID; size: bigint } | undefined;
      for await (const entry of importer([{ content: file.body }], state.blocks, {
        cidVersion: cidVersion === 1 ? 1 : 0,
        rawLeaves,
        chunker: fixedSize({ chunkSize }),
        layout: balanced({ maxChildrenPerNode: 174 }),
      })) {
        last = entry;
      }
      const hash = state.lieAboutHash ?? last!.cid.toString();
      if (url.searchParams.get("pin") !== "false") state.pins.add(hash);
      res.writeHead(200, {
        "Content-Type": "application/json",
        "X-Chunked-Output": "1",
        Trailer: "X-Stream-Error",
        "Access-Control-Expose-Headers": "X-Stream-Output, X-Chunked-Output, X-Content-Length",
      });
      res.end(`${JSON.stringify({ Name: hash, Hash: hash, Size: String(last!.size) })}\n`);
      return;
    }
    case "cat": {
      const cid = parseArg(res, args[0]);
      if (cid === undefined) return;
      const { exporter } = await import("ipfs-unixfs-exporter");
      let entry;
      try {
        entry = await exporter(cid, state.blocks);
      } catch {
        return kuboError(res, `block was not found locally (offline): ipld: could not find ${cid}`);
      }
      res.writeHead(200, {
        "Content-Type": "text/plain",
        "X-Stream-Output": "1",
        Trailer: "X-Stream-Error",
      });
      if (entry.type !== "file" && entry.type !== "raw")
        return kuboError(res, "this dag node is a directory");
      for await (const chunk of entry.content()) res.write(chunk);
      res.end();
      return;
    }
    case "block/get":
    case "block/stat": {
      const cid = parseArg(res, args[0]);
      if (cid === undefined) return;
      if (!(await state.blocks.has(cid))) {
        return kuboError(res, `block was not found locally (offline): ipld: could not find ${cid}`);
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of state.blocks.get(cid)) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      if (command === "block/get") {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end(bytes);
      } else {
        json(res, { Key: cid.toString(), Size: bytes.byteLength });
      }
      return;
    }
    case "pin/add": {
      const cid = parseArg(res, args[0]);
      if (cid === undefined) return;
      if (!(await state.blocks.has(cid))) {
        return kuboError(
          res,
          `pin: block was not found locally (offline): ipld: could not find ${cid}`,
        );
      }
      state.pins.add(cid.toString());
      json(res, { Pins: [cid.toString()] });
      return;
    }
    case "pin/rm": {
      const cid = parseArg(res, args[0]);
      if (cid === undefined) return;
      if (!state.pins.delete(cid.toString()))
        return kuboError(res, "not pinned or pinned indirectly");
      json(res, { Pins: [cid.toString()] });
      return;
    }
    default:
      return notFound(res);
  }
}

function parseArg(res: ServerResponse, arg: string | undefined): CID | undefined {
  if (arg === undefined) {
    kuboError(res, 'argument "ipfs-path" is required', 400);
    return undefined;
  }
  try {
    return CID.parse(arg.replace(/^\/ipfs\//, ""));
  } catch {
    kuboError(res, `invalid path "${arg}": invalid cid`);
    return undefined;
  }
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(`${JSON.stringify(value)}\n`);
}

function kuboError(res: ServerResponse, message: string, status = 500): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(`${JSON.stringify({ Message: message, Code: 0, Type: "error" })}\n`);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
  res.end("404 page not found");
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseMultipart(
  contentType: string,
  body: Buffer,
): Array<{ headers: Record<string, string>; body: Buffer }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) return [];
  const delimiter = Buffer.from(`--${marker}`);
  const parts: Array<{ headers: Record<string, string>; body: Buffer }> = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === "--") break;
    const headerEnd = body.indexOf("\r\n\r\n", afterDelimiter);
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd);
    if (headerEnd === -1 || next === -1) break;
    const headers: Record<string, string> = {};
    for (const line of body
      .subarray(afterDelimiter + 2, headerEnd)
      .toString()
      .split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: body.subarray(headerEnd + 4, next) });
    start = next + 2;
  }
  return parts;
}
