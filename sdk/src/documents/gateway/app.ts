import { Hono } from "hono";
import type { Logger } from "pino";
import { pino } from "pino";
import { toCid } from "../cid/index.js";
import type { CID } from "../cid/index.js";
import { BaseError } from "../../errors/index.js";
import {
  BlockMismatchError,
  DocumentNotFoundError,
  IntegrityError,
  InvalidCidError,
  MalformedDagError,
  UnsupportedCidError,
} from "../errors.js";
import { inlineBlock, loadFileRoot, verifyBlock, walkFile } from "../verify/index.js";
import type { BlockReader, GetBlock } from "../verify/index.js";
import { carStream } from "./car.js";
import { matchesEtag, etagFor, responseHeaders } from "./headers.js";
import { servedMediaType } from "./mediaTypeIndex.js";
import type { MediaTypeLookup } from "./mediaTypeIndex.js";
import { isRequestError, negotiate } from "./negotiate.js";

export type CreateGatewayAppParameters = {
  /** Where blocks come from: any document store (embedded or Kubo). Every block is verified before it is sent. */
  store: BlockReader;
  /** The media type of a document, from the manifests that list it. Default: none known. */
  mediaTypes?: MediaTypeLookup;
  /** Media types sent as declared; others go as `application/octet-stream`. Default: `defaultMediaTypes`. */
  servedMediaTypes?: readonly string[];
  logger?: Logger;
};

/** The JSON body of an error response: a stable code and a sentence. */
export type GatewayErrorBody = { code: string; message: string };

/**
 * A trustless IPFS HTTP gateway as a Hono sub-app: `GET /ipfs/{cid}` (and `HEAD`) answers
 * `application/vnd.ipld.raw` (one block) or `application/vnd.ipld.car` (the whole DAG, depth-first)
 * when asked by `?format=` or `Accept`, and the document's bytes otherwise, with the media type the
 * manifests declare. Responses are immutable (`Cache-Control`, `ETag` from the CID, `304` on
 * `If-None-Match`); a bad CID is `400`, an unknown one `404`.
 *
 * @example
 * const api = new Hono();
 * api.route("/", createGatewayApp({ store, mediaTypes: index.lookup }));
 */
export function createGatewayApp(parameters: CreateGatewayAppParameters): Hono {
  const { store } = parameters;
  const logger = parameters.logger ?? pino({ level: "silent" });
  const getBlock: GetBlock = (cid, options) => store.getBlock(cid, options);
  const app = new Hono();

  app.get("/ipfs/:cid", async (c) => {
    let cid: CID;
    try {
      cid = toCid(c.req.param("cid"));
    } catch (error) {
      return errorResponse(error, logger);
    }
    const request = negotiate({ accept: c.req.header("accept"), query: c.req.query() });
    if (isRequestError(request)) {
      return json(request.status, { code: request.code, message: request.message });
    }
    const etag = etagFor(cid, request);
    if (matchesEtag(c.req.header("if-none-match"), etag)) {
      const headers = responseHeaders({ cid, request });
      return new Response(null, {
        status: 304,
        headers: {
          ETag: headers.ETag!,
          "Cache-Control": headers["Cache-Control"]!,
          Vary: "Accept",
        },
      });
    }
    const head = c.req.method === "HEAD";
    const signal = c.req.raw.signal;
    try {
      if (request.format === "raw") {
        const block = inlineBlock(cid) ?? (await store.getBlock(cid, { signal }));
        await verifyBlock(cid, block);
        const headers = responseHeaders({ cid, request, contentLength: block.byteLength });
        return new Response(head ? null : block, { status: 200, headers });
      }
      const root = await loadRootOrBlock(
        cid,
        request.format === "car" ? request.scope : "all",
        getBlock,
        signal,
      );
      if (request.format === "car") {
        const headers = responseHeaders({ cid, request });
        if (head) return new Response(null, { status: 200, headers });
        const blocks =
          root.kind === "block"
            ? single(cid, root.block)
            : walkFile(root.file, getBlock, { signal, prefetch: 4 });
        return new Response(toStream(carStream(cid, blocks, request), cid, logger), {
          status: 200,
          headers,
        });
      }
      if (root.kind === "block")
        throw new UnsupportedCidError(cid.toString(), "it is not a UnixFS file");
      const declared = await parameters.mediaTypes?.(cid);
      const headers = responseHeaders({
        cid,
        request,
        mediaType: servedMediaType(declared, parameters.servedMediaTypes),
        contentLength: root.file.size,
      });
      if (head) return new Response(null, { status: 200, headers });
      return new Response(toStream(fileBytes(root.file, getBlock, signal), cid, logger), {
        status: 200,
        headers,
      });
    } catch (error) {
      return errorResponse(error, logger);
    }
  });

  return app;
}

type LoadedRoot =
  | { kind: "file"; file: Awaited<ReturnType<typeof loadFileRoot>> }
  | { kind: "block"; block: Uint8Array };

async function loadRootOrBlock(
  cid: CID,
  scope: "all" | "entity" | "block",
  getBlock: GetBlock,
  signal: AbortSignal,
): Promise<LoadedRoot> {
  if (scope === "block") {
    const block = inlineBlock(cid) ?? (await getBlock(cid, { signal }));
    await verifyBlock(cid, block);
    return { kind: "block", block };
  }
  return { kind: "file", file: await loadFileRoot(cid, getBlock, { signal }) };
}

async function* single(
  cid: CID,
  block: Uint8Array,
): AsyncGenerator<{ cid: CID; block: Uint8Array }> {
  yield { cid, block };
}

async function* fileBytes(
  root: Awaited<ReturnType<typeof loadFileRoot>>,
  getBlock: GetBlock,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  for await (const { data } of walkFile(root, getBlock, { signal, prefetch: 4 })) {
    if (data.byteLength > 0) yield data;
  }
}

/**
 * A pull-driven body: the next chunk is produced only when the client has taken the last, so a
 * slow client never makes the server hold more than a few blocks. An error after the headers were
 * sent aborts the body, which the client sees as a truncated response.
 */
function toStream(
  source: AsyncGenerator<Uint8Array>,
  cid: CID,
  logger: Logger,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await source.next();
          if (next.done === true) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          logger.error({ cid: cid.toString(), err: error }, "gateway response aborted");
          controller.error(error);
        }
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

/** Maps an error to the gateway's JSON error response. */
export function errorResponse(error: unknown, logger?: Logger): Response {
  if (error instanceof InvalidCidError)
    return json(400, { code: "invalid_cid", message: error.shortMessage });
  if (error instanceof DocumentNotFoundError)
    return json(404, { code: "not_found", message: error.shortMessage });
  if (error instanceof UnsupportedCidError || error instanceof MalformedDagError) {
    return json(501, {
      code: "not_a_file",
      message: `${error.shortMessage} This gateway serves UnixFS files.`,
    });
  }
  if (error instanceof BlockMismatchError || error instanceof IntegrityError) {
    logger?.error({ err: error }, "the store holds a corrupt or incomplete document");
    return json(500, { code: "corrupt_content", message: error.shortMessage });
  }
  logger?.error({ err: error }, "gateway request failed");
  const retryable = error instanceof BaseError && error.retryable;
  return json(retryable ? 503 : 500, {
    code: retryable ? "store_unavailable" : "internal_error",
    message: retryable ? "The document store did not answer; try again." : "The gateway failed.",
  });
}

function json(status: number, body: GatewayErrorBody): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
