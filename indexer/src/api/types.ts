/**
 * The API's answers as TypeScript types: the outputs of the zod schemas the routes answer with (so
 * the OpenAPI document, the handlers and these types cannot disagree). Amounts, ids and uint56+ are
 * decimal strings, as on the wire. Types only: the dApp imports them as
 * `import type { TradeDetail } from "@trade-escrow/indexer/api-types"`.
 */
import type { z } from "@hono/zod-openapi";
import type {
  claimSchema,
  disputeDetailSchema,
  disputeListSchema,
  disputeSchema,
  documentSchema,
  documentStatusSchema,
  documentUploadSchema,
  healthSchema,
  lotSchema,
  termsSchema,
  timelineEntrySchema,
  tradeDetailSchema,
  tradeListSchema,
  tradeSummarySchema,
} from "./schemas.js";
import type {
  operatorListSchema,
  operatorSchema,
  reputationSchema,
  totalsSchema,
} from "./accountSchemas.js";

export type Health = z.output<typeof healthSchema>;
export type Terms = z.output<typeof termsSchema>;
export type TradeSummary = z.output<typeof tradeSummarySchema>;
export type TradeList = z.output<typeof tradeListSchema>;
export type TradeDetail = z.output<typeof tradeDetailSchema>;
export type TermsVersion = TradeDetail["versions"][number];
export type Lot = z.output<typeof lotSchema>;
export type Claim = z.output<typeof claimSchema>;
export type TimelineEntry = z.output<typeof timelineEntrySchema>;
export type TradeDocument = z.output<typeof documentSchema>;
export type ManifestEntry = NonNullable<TradeDocument["entries"]>[number];
export type Dispute = z.output<typeof disputeSchema>;
export type DisputeList = z.output<typeof disputeListSchema>;
export type DisputeDetail = z.output<typeof disputeDetailSchema>;
export type Reputation = z.output<typeof reputationSchema>;
export type OperatorList = z.output<typeof operatorListSchema>;
export type Operator = z.output<typeof operatorSchema>;
export type Totals = z.output<typeof totalsSchema>;
export type DocumentStatus = z.output<typeof documentStatusSchema>;
export type DocumentUpload = z.output<typeof documentUploadSchema>;
