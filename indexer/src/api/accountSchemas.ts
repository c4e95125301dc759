/** The accounts' answers: a seller's reputation, the operators, the totals. */
import { z } from "@hono/zod-openapi";
import { amount, numeric, position } from "./schemas.js";

const averages = {
  count: z.number().int(),
  service: z.number().nullable(),
  speed: z.number().nullable(),
  accuracy: z.number().nullable(),
};

export const reputationSchema = z
  .object({
    seller: z.string(),
    windowDays: z.number().int(),
    since: z.number().int(),
    recent: z.object({ ...averages, overall: z.number().nullable() }),
    allTime: z.object(averages),
    lastRatedAt: z.number().int().nullable(),
    trades: z.number().int(),
    completedTrades: z.number().int(),
    ratings: z.array(
      z.object({
        tradeId: z.string(),
        buyer: z.string(),
        service: z.number().int(),
        speed: z.number().int(),
        accuracy: z.number().int(),
        ratedAt: z.number().int(),
        ...position,
      }),
    ),
  })
  .openapi("Reputation");

export const operatorListSchema = z
  .object({
    items: z.array(
      z.object({
        address: z.string(),
        bond: amount,
        required: amount,
        openTrades: numeric,
        updatedBlock: z.number().int(),
        attestations: z.number().int(),
      }),
    ),
  })
  .openapi("OperatorList");

export const operatorSchema = z
  .object({
    address: z.string(),
    bond: amount,
    required: amount,
    openTrades: numeric,
    trades: z.number().int(),
    attestations: z.array(
      z.object({
        tradeId: z.string(),
        kind: z.string(),
        lot: z.number().int().nullable(),
        quantity: z.string().nullable(),
        time: z.number().int().nullable(),
        documentCid: z.string().nullable(),
        logIndex: z.number().int(),
        ...position,
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi("Operator");

export const totalsSchema = z
  .object({
    trades: z.number().int(),
    events: z.number().int(),
    disputes: z.number().int(),
    ratings: z.number().int(),
    tradesByState: z.record(z.string(), z.number().int()),
    volumeByToken: z.array(
      z.object({
        token: z.string(),
        trades: z.number().int(),
        volume: amount,
        completedVolume: amount,
        escrowed: amount,
        refunded: amount,
      }),
    ),
  })
  .openapi("Totals");
