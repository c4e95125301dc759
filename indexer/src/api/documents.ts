import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { documentTypes, isDocumentType } from "@trade-escrow/sdk/manifest";
import { addDocument } from "@trade-escrow/sdk/store";
import { DocumentLimitError, DocumentTooLargeError } from "@trade-escrow/sdk/documents";
import { json } from "./context.js";
import type { ApiApp, ApiContext } from "./context.js";
import {
  ApiError,
  errorResponse,
  errorResponses,
  errorSchema,
  notFoundResponse,
} from "./errors.js";
import { camel } from "./rows.js";
import { documentStatusSchema, documentUploadSchema } from "./schemas.js";

/** `GET /documents/{cid}` (status and where the chain commits it) and `POST /documents` (upload). */
export function addDocumentRoutes(app: ApiApp, ctx: ApiContext): void {
  const q = ctx.queries;
  const cidParam = z
    .string()
    .regex(
      /^(b[a-z2-7]{20,120}|Qm[1-9A-HJ-NP-Za-km-z]{44})$/,
      "must be a CID (base32 v1 or base58 v0)",
    )
    .openapi({ example: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4" });

  app.openapi(
    createRoute({
      method: "get",
      path: "/documents/{cid}",
      summary: "A document: its verification status and where the chain commits it.",
      request: { params: z.object({ cid: cidParam }) },
      responses: {
        200: json(documentStatusSchema, "The document."),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { cid } = c.req.valid("param");
      const found = await q.document(cid);
      const inStore =
        ctx.documents === undefined ? false : await ctx.documents.has(cid).catch(() => false);
      if (
        found.status === undefined &&
        found.references.length === 0 &&
        found.listedIn.length === 0 &&
        !inStore
      )
        throw new ApiError(
          "not_found",
          `Document ${cid} is neither committed on chain nor stored here.`,
        );
      return c.json(
        {
          cid,
          status: found.status?.status ?? (inStore ? "stored" : "unknown"),
          size: found.status?.size ?? null,
          error: found.status?.error ?? null,
          // As JSON writes a Date (the driver's timestamptz).
          checkedAt:
            found.status?.checked_at == null
              ? null
              : new Date(found.status.checked_at).toISOString(),
          inStore,
          references: found.references.map(camel),
          listedIn: found.listedIn.map(camel),
          url: `/ipfs/${cid}`,
        },
        200,
      );
    },
  );

  const maxUpload = ctx.maxUploadBytes;
  app.use(
    "/documents",
    bodyLimit({
      maxSize: maxUpload + 64 * 1024, // the multipart envelope around the file
      onError: (c) =>
        errorResponse(c, "payload_too_large", `An upload may have at most ${maxUpload} bytes.`),
    }),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/documents",
      summary: "Uploads a document into the document store; answers its CID and manifest entry.",
      request: {
        body: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: z.object({
                file: z.any().openapi({ type: "string", format: "binary" }),
                type: z.string().openapi({ description: `One of: ${documentTypes.join(", ")}.` }),
                name: z.string().max(255).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: json(documentUploadSchema, "Stored."),
        ...errorResponses,
        413: json(errorSchema, "Too large."),
        415: json(errorSchema, "Media type not accepted."),
        503: json(errorSchema, "No document store."),
      },
    }),
    async (c) => {
      const store = ctx.documents;
      if (store === undefined)
        throw new ApiError("not_ready", "This server has no document store.");
      const form = c.req.valid("form") as { file?: unknown; type?: unknown; name?: unknown };
      const file = form.file;
      if (!(file instanceof File))
        throw new ApiError("bad_request", "file must be a file part of the form.");
      if (typeof form.type !== "string" || !isDocumentType(form.type))
        throw new ApiError("bad_request", `type must be one of ${documentTypes.join(", ")}.`);
      if (file.size > maxUpload)
        throw new ApiError("payload_too_large", `An upload may have at most ${maxUpload} bytes.`);
      const name =
        typeof form.name === "string" && form.name !== "" ? form.name : file.name || "document";
      const mediaType = file.type || "application/octet-stream";
      try {
        const entry = await addDocument(store, file.stream(), { type: form.type, name, mediaType });
        ctx.clearCache();
        await q.markDocumentVerified(entry.cid, entry.size);
        return c.json({ cid: entry.cid, entry }, 201);
      } catch (error) {
        if (error instanceof DocumentTooLargeError)
          throw new ApiError("payload_too_large", error.shortMessage);
        if (error instanceof DocumentLimitError)
          throw new ApiError("unsupported_media_type", error.shortMessage);
        throw error;
      }
    },
  );
}
