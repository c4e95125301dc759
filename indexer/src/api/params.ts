/** The request side: path and query parameters, validated and normalized by zod. */
import { z } from "@hono/zod-openapi";
import { paymentModeNames, tradeStateNames } from "@trade-escrow/sdk/contracts";

/** An address: 0x and 40 hex digits, any case; answered and compared in lower case. */
export const addressParam = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be an address (0x and 40 hex digits)")
  .transform((a) => a.toLowerCase())
  .openapi({ example: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc" });

/** A positive integer id (trade, dispute), as decimal digits. */
export const idParam = z
  .string()
  .regex(/^[0-9]{1,78}$/, "must be a decimal integer")
  .refine((s) => !/^[0-9]+$/.test(s) || BigInt(s) < 2n ** 256n, "must fit in 256 bits")
  .transform((s) => BigInt(s).toString())
  .openapi({ example: "1" });

const stateNames = tradeStateNames.map((s) => s.toLowerCase());
const modeNames = paymentModeNames.map((s) => s.toLowerCase());

/** `state=Shipped,Received` or numbers. */
export const statesParam = z
  .string()
  .max(200)
  .transform((raw, ctx) => {
    const out: number[] = [];
    for (const part of raw.split(",")) {
      const p = part.trim().toLowerCase();
      const n = /^\d+$/.test(p) ? Number(p) : stateNames.indexOf(p);
      if (n < 0 || n >= tradeStateNames.length) {
        ctx.addIssue({
          code: "custom",
          message: `unknown state "${part}" (one of ${tradeStateNames.join(", ")})`,
        });
        return z.NEVER;
      }
      out.push(n);
    }
    return out;
  })
  .openapi({ example: "Shipped,Received" });

export const modeParam = z
  .string()
  .max(20)
  .transform((raw, ctx) => {
    const p = raw.trim().toLowerCase();
    const n = /^\d+$/.test(p) ? Number(p) : modeNames.indexOf(p);
    if (n < 0 || n >= paymentModeNames.length) {
      ctx.addIssue({
        code: "custom",
        message: `unknown mode "${raw}" (one of ${paymentModeNames.join(", ")})`,
      });
      return z.NEVER;
    }
    return n;
  })
  .openapi({ example: "Protected" });

/** Unix seconds or an ISO 8601 date. */
export const timeParam = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    if (/^\d{1,12}$/.test(raw)) return Number(raw);
    const ms = Date.parse(raw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: "must be unix seconds or an ISO 8601 date" });
      return z.NEVER;
    }
    return Math.floor(ms / 1000);
  })
  .openapi({ example: "2026-01-01T00:00:00Z" });

export const limitParam = z
  .string()
  .regex(/^\d{1,3}$/, "must be 1 to 100")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 100, "must be 1 to 100")
  .optional()
  .openapi({ example: "20" });

/** An opaque cursor: base64url of the last id of the previous page. */
export const cursorParam = z
  .string()
  .max(200)
  .transform((raw, ctx) => {
    const decoded = Buffer.from(raw, "base64url").toString("utf8");
    if (!/^[0-9]{1,78}$/.test(decoded)) {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API gave" });
      return z.NEVER;
    }
    return decoded;
  })
  .optional();

export const encodeCursor = (id: string) => Buffer.from(id, "utf8").toString("base64url");
