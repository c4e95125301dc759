import { z } from "zod";

/** What the auditor checks: the whole escrow, or one trade (its accounts and funds stay whole). */
export type AuditScope = { type: "contract" } | { type: "trade"; tradeId: bigint };

const tradeIdSchema = z
  .string()
  .trim()
  .regex(/^\d{1,78}$/, "The trade id must be a whole number such as 7")
  .transform((value) => BigInt(value))
  .refine((id) => id > 0n, "Trades are numbered from 1");

/** The auditor's scope form: `{ scope: "contract" | "trade", tradeId }`, validated with zod. */
export const auditScopeSchema = z
  .discriminatedUnion("scope", [
    z.object({ scope: z.literal("contract"), tradeId: z.string().optional() }),
    z.object({ scope: z.literal("trade"), tradeId: tradeIdSchema }),
  ])
  .transform((input): AuditScope =>
    input.scope === "trade" ? { type: "trade", tradeId: input.tradeId } : { type: "contract" },
  );

export type AuditScopeInput = z.input<typeof auditScopeSchema>;

/** Parses the form; on failure, the message of each field by its name. */
export function parseAuditScope(
  input: AuditScopeInput,
): { ok: true; scope: AuditScope } | { ok: false; errors: Record<string, string> } {
  const result = auditScopeSchema.safeParse(input);
  if (result.success) return { ok: true, scope: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "scope");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
