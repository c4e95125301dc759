import type { Context } from "hono";
import { z } from "@hono/zod-openapi";

/** Every error the API answers: a stable code and a sentence. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: "Trade 42 does not exist." }),
    }),
  })
  .openapi("Error");

export type ErrorCode =
  | "bad_request"
  | "not_found"
  | "payload_too_large"
  | "unsupported_media_type"
  | "not_ready"
  | "database_unavailable"
  | "internal";

const statusOf: Record<ErrorCode, 400 | 404 | 413 | 415 | 503 | 500> = {
  bad_request: 400,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_ready: 503,
  database_unavailable: 503,
  internal: 500,
};

/** An error meant for the client, thrown from a handler and answered by `onError`. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
  get status() {
    return statusOf[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

export function errorResponse(c: Context, code: ErrorCode, message: string) {
  return c.json(errorBody(code, message), statusOf[code]);
}

/** The response entries every route shares. */
export const errorResponses = {
  400: { description: "Bad input.", content: { "application/json": { schema: errorSchema } } },
  500: { description: "Internal error.", content: { "application/json": { schema: errorSchema } } },
  503: {
    description: "The database is unreachable for now (`database_unavailable`); try again.",
    content: { "application/json": { schema: errorSchema } },
  },
} as const;

export const notFoundResponse = {
  404: { description: "Unknown id.", content: { "application/json": { schema: errorSchema } } },
} as const;

/** A readable sentence from zod's issues. */
export function describeIssues(
  issues: readonly { path: PropertyKey[]; message: string }[],
): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.map(String).join(".");
      return where === "" ? issue.message : `${where}: ${issue.message}`;
    })
    .join("; ")
    .concat(".")
    .replace(/\.\.$/, ".");
}
