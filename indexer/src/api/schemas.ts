import { z } from "@hono/zod-openapi";
import { claimStatusNames, paymentModeNames, tradeStateNames } from "@trade-escrow/sdk/contracts";

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

const amount = z
  .string()
  .openapi({ description: "An amount in the token's smallest unit (decimal)." });

export const tradeSummarySchema = z
  .object({
    id: z.string(),
    state: z.number().int(),
    stateName: z.enum(tradeStateNames as unknown as [string, ...string[]]),
    mode: z.number().int(),
    modeName: z.string(),
    buyer: z.string(),
    seller: z.string(),
    operator: z.string(),
    token: z.string(),
    price: amount,
    quantity: z.string(),
    version: z.number().int(),
    termsHash: z.string(),
    escrowed: amount,
    released: amount,
    refunded: amount,
    sellerBond: amount,
    lotsDone: z.number().int(),
    receivedQuantity: z.string(),
    stageAt: z.number().int(),
    stageDeadline: z.number().int().nullable().openapi({
      description:
        "The trade's next deadline (unix seconds), as the escrow's stageDeadline: the deposit, the start of fulfilment, the balance while it is due, then the latest delivery in force, the grace period for delivery, the claim window or automatic confirmation; null when the stage has none.",
    }),
    arrivedAt: z.number().int(),
    latestDelivery: z.number().int().nullable().openapi({
      description:
        "The latest delivery time in force (unix seconds): the terms' own, or, when the balance came after its due time, that payment plus the ship window, whichever is later.",
    }),
    shipWindow: z.number().int().nullable().openapi({
      description: "Seconds before the latest delivery time by which the balance is due (a term).",
    }),
    deliveryGrace: z.number().int().nullable().openapi({
      description:
        "Seconds after the latest delivery time after which an undelivered trade may be cancelled (a term).",
    }),
    lateBalancePaidAt: z.number().int().nullable().openapi({
      description: "When a balance paid after its due time came in; null when none was late.",
    }),
    createdBlock: z.number().int(),
    createdAt: z.number().int(),
    createdTx: z.string(),
    updatedBlock: z.number().int(),
    updatedAt: z.number().int(),
    final: z.boolean().openapi({ description: "The trade's last change is in a final block." }),
  })
  .openapi("TradeSummary");

export const tradeListSchema = z
  .object({ items: z.array(tradeSummarySchema), nextCursor: z.string().nullable() })
  .openapi("TradeList");

const position = {
  block: z.number().int(),
  timestamp: z.number().int(),
  transactionHash: z.string(),
};

export const timelineEntrySchema = z
  .object({
    ...position,
    logIndex: z.number().int(),
    blockHash: z.string(),
    contract: z.enum(["escrow", "court", "ratings"]),
    event: z.string(),
    disputeId: z.string().nullable(),
    args: z.record(z.string(), z.unknown()),
    final: z.boolean(),
  })
  .openapi("TimelineEntry");

export const documentSchema = z
  .object({
    role: z.string(),
    cid: z.string().nullable(),
    commitment: z.string(),
    submittedBy: z.string().nullable(),
    status: z.string().openapi({
      description:
        "pending (not read yet), verified (bytes match the CID), unavailable (not in the store), invalid (a manifest that fails the schema), corrupt, or invalid-commitment.",
    }),
    size: z.number().int().nullable(),
    error: z.string().nullable(),
    ...position,
    entries: z
      .array(
        z.object({
          cid: z.string(),
          type: z.string(),
          name: z.string(),
          mediaType: z.string(),
          size: z.number().int(),
          status: z.string(),
        }),
      )
      .optional()
      .openapi({ description: "For a verified manifest: the documents it lists." }),
  })
  .openapi("Document");

export const tradeDetailSchema = tradeSummarySchema
  .extend({
    terms: z.record(z.string(), z.unknown()),
    versions: z.array(
      z.object({
        version: z.number().int(),
        termsHash: z.string(),
        terms: z.record(z.string(), z.unknown()),
        ...position,
      }),
    ),
    balances: z.object({
      escrowed: amount,
      released: amount,
      refunded: amount,
      sellerBond: amount,
      pendingQuantity: z.string(),
      receivedQuantity: z.string(),
    }),
    deadlines: z.record(z.string(), z.string().nullable()),
    lots: z.array(z.record(z.string(), z.unknown())),
    claim: z
      .object({ status: z.enum(claimStatusNames as unknown as [string, ...string[]]) })
      .catchall(z.unknown())
      .nullable(),
    disputes: z.array(z.record(z.string(), z.unknown())),
    documents: z.array(documentSchema),
    timeline: z.array(timelineEntrySchema),
    finalizedBlock: z.number().int(),
  })
  .openapi("TradeDetail");

export const healthSchema = z
  .object({
    chainId: z.number().int().nullable(),
    headBlock: z.number().int().nullable(),
    indexedBlock: z.number().int().nullable(),
    finalizedBlock: z.number().int().nullable(),
    lagBlocks: z.number().int().nullable(),
    backfillDone: z.boolean(),
    lastError: z.string().nullable(),
    fault: z
      .object({
        type: z.literal("finality-violated"),
        finalizedBlock: z.number().int(),
        storedHash: z.string(),
        chainHash: z.string(),
        indexedBlock: z.number().int(),
        detectedAt: z.string(),
        message: z.string(),
      })
      .nullable()
      .openapi({
        description:
          "Set when the chain replaced a block the indexer had served as final (a reorg deeper than the finality depth): the sync stopped and the data is kept as it was; the answer is then 503.",
      }),
  })
  .openapi("Health");

export const looseObject = z.record(z.string(), z.unknown());
