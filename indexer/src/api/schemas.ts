/**
 * The response side: every answer's zod schema (the OpenAPI document's components). The types the
 * dApp reads are these schemas' outputs (types.ts, `@trade-escrow/indexer/api-types`).
 */
import { z } from "@hono/zod-openapi";
import { claimStatusNames, tradeStateNames } from "@trade-escrow/sdk/contracts";
import { eip712Types } from "@trade-escrow/sdk/eip712";
import { tradeActionNames } from "@trade-escrow/sdk/history";
import type { Terms } from "@trade-escrow/sdk/eip712";
import type { ApiJson } from "../internal/index.js";

export const amount = z
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

export const position = {
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

/** Terms as the API writes them: uint56 and wider as decimal strings, narrower as numbers. */
export const termsSchema = z
  .object(
    Object.fromEntries(
      eip712Types.Terms.map(({ name, type }) => {
        const bits = /^uint(\d+)$/.exec(type)?.[1];
        return [name, bits !== undefined && Number(bits) <= 48 ? z.number().int() : z.string()];
      }),
    ),
  )
  .openapi("Terms") as unknown as z.ZodType<ApiJson<Terms>>;

export const numeric = z.string().openapi({ description: "A decimal integer (uint256)." });

/** One action the escrow accepts on a trade (the sdk's `TradeAction`, amounts and times as decimals). */
export const tradeActionSchema = z
  .object({
    name: z.enum(tradeActionNames),
    callers: z.array(z.enum(["buyer", "seller", "operator", "anyone"])),
    signers: z.array(z.enum(["buyer", "seller", "operator"])).optional(),
    until: numeric.optional().openapi({ description: "Accepted while block.timestamp <= until." }),
    after: numeric.optional().openapi({ description: "Accepted once block.timestamp > after." }),
    amount: numeric.optional(),
    kinds: z.array(z.number().int()).optional().openapi({ description: "AttestationKind values." }),
    reason: z.number().int().optional().openapi({ description: "The CancelReason it records." }),
  })
  .openapi("TradeAction");

export const lotSchema = z
  .object({
    tradeId: z.string(),
    lot: z.number().int(),
    operator: z.string(),
    receiptId: numeric,
    quantity: z.string(),
    receivedAt: z.number().int(),
    holder: z.string(),
    kind: z.string(),
    documentCid: z.string().nullable(),
    halted: z.boolean(),
    haltReasons: z.number().int(),
    titleTransferred: z.boolean(),
    titleBlock: z.number().int().nullable(),
    titleAt: z.number().int().nullable(),
    titleTx: z.string().nullable(),
    ...position,
    updatedBlock: z.number().int(),
  })
  .openapi("Lot");

export const claimSchema = z
  .object({
    tradeId: z.string(),
    status: z.enum(claimStatusNames as unknown as [string, ...string[]]),
    statusName: z.string(),
    ground: z.number().int(),
    groundName: z.string(),
    refundBps: z.number().int(),
    costs: amount,
    filedAt: z.number().int(),
    agency: z.string(),
    reportCid: z.string().nullable(),
    evidenceCid: z.string().nullable(),
    disputeId: z.string().nullable(),
    ruling: numeric,
    outcome: z.string().nullable(),
    refund: amount.nullable(),
    costsPaid: amount.nullable(),
    filedBlock: z.number().int(),
    updatedBlock: z.number().int(),
  })
  .openapi("Claim");

export const disputeSchema = z
  .object({
    id: z.string(),
    arbitrable: z.string(),
    tradeId: z.string().nullable(),
    phase: z.string(),
    round: z.number().int(),
    attempt: z.number().int(),
    drawBlock: z.number().int().nullable(),
    panel: z.array(z.string()),
    ruling: numeric.nullable(),
    reveals: z.number().int().nullable(),
    appealed: z.boolean(),
    finalRuling: numeric.nullable(),
    createdBlock: z.number().int(),
    createdAt: z.number().int(),
    updatedBlock: z.number().int(),
  })
  .openapi("Dispute");

export const disputeListSchema = z
  .object({ items: z.array(disputeSchema), nextCursor: z.string().nullable() })
  .openapi("DisputeList");

const voteSchema = z.object({
  round: z.number().int(),
  attempt: z.number().int(),
  arbitrator: z.string(),
  kind: z.enum(["commit", "reveal"]),
  commitment: z.string().nullable(),
  choice: numeric.nullable(),
  ...position,
});

export const disputeDetailSchema = disputeSchema
  .extend({
    commits: z.array(voteSchema),
    reveals: z.array(voteSchema),
    events: z.array(timelineEntrySchema.extend({ blockHash: z.null(), disputeId: z.string() })),
  })
  .openapi("DisputeDetail");

export const documentStatusSchema = z
  .object({
    cid: z.string(),
    status: z.string(),
    size: z.number().int().nullable(),
    error: z.string().nullable(),
    checkedAt: z.string().nullable().openapi({ format: "date-time" }),
    inStore: z.boolean(),
    references: z.array(
      z.object({
        role: z.string(),
        tradeId: z.string().nullable(),
        disputeId: z.string().nullable(),
        submittedBy: z.string().nullable(),
        logIndex: z.number().int(),
        ...position,
      }),
    ),
    listedIn: z.array(
      z.object({
        manifestCid: z.string(),
        type: z.string(),
        name: z.string(),
        mediaType: z.string(),
        size: z.number().int(),
      }),
    ),
    url: z.string(),
  })
  .openapi("DocumentStatus");

export const documentUploadSchema = z
  .object({
    cid: z.string(),
    entry: z.object({
      type: z.string(),
      name: z.string(),
      mediaType: z.string(),
      size: z.number(),
      cid: z.string(),
    }),
  })
  .openapi("DocumentUpload");

export const tradeDetailSchema = tradeSummarySchema
  .extend({
    terms: termsSchema,
    versions: z.array(
      z.object({
        version: z.number().int(),
        termsHash: z.string(),
        terms: termsSchema,
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
    actions: z.array(tradeActionSchema),
    lots: z.array(lotSchema),
    claim: claimSchema.nullable(),
    disputes: z.array(disputeSchema),
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
