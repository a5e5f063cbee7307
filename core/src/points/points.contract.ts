import { z, str, STORE_ID_FIELD } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';
import { PointsKind } from './points-kinds.ts';
import { GrowthKind } from '../growth/index.ts';

/** Every kind a points or growth ledger entry can have (named, so clients can list them). */
export const ledgerKindSchema = z
  .enum([...new Set([...Object.values(PointsKind), ...Object.values(GrowthKind)])] as [string, ...string[]])
  .openapi('LedgerKind');

export const redeemPointsBody = z
  .object({
    points: z.number().int().min(1).max(1_000_000_000).describe('Points to spend (100 points = ¥1 with the default `redeem.pointsPerUnit`)'),
    reference: str(255).describe('Your id of this redemption: idempotent (the same reference again replays the first result)'),
    storeId: STORE_ID_FIELD,
    orderExternalId: str(255).optional().describe('The order paid with them: a refund of it gives the points back in proportion'),
  })
  .strict()
  .describe('Spend points')
  .openapi('RedeemPoints');
export type RedeemPointsInput = z.infer<typeof redeemPointsBody>;

export const redeemPointsResult = z
  .object({ redeemed: z.number().int().describe('Points spent'), balance: z.number().int().describe('Balance after') })
  .describe('The redemption')
  .openapi('RedeemPointsResult');
export type RedeemPointsResult = z.infer<typeof redeemPointsResult>;

export const adjustPointsBody = z
  .object({
    delta: z
      .number()
      .int()
      .min(-1_000_000_000)
      .max(1_000_000_000)
      .refine((n) => n !== 0, 'must not be zero')
      .describe('Points to add (positive) or take (negative); not zero'),
    reason: str(255).describe('Why (kept in the ledger and the audit log)'),
    storeId: STORE_ID_FIELD,
    reference: str(255)
      .optional()
      .describe('Idempotency: the same reference with the same delta, reason and store → 200 with the first result and no second adjustment; with another body → 409 idempotency_conflict'),
  })
  .strict()
  .describe('A manual points adjustment (audited)')
  .openapi('AdjustPoints');
export type AdjustPointsInput = z.infer<typeof adjustPointsBody>;

export const ledgerEntrySchema = z
  .object({
    id: z.string().describe('Entry id'),
    kind: ledgerKindSchema.describe('What moved it: `earn`, `redeem`, `expire`, `refund_clawback`, `adjust`, … (points) or `purchase`, `activity`, … (growth)'),
    delta: z.number().int().describe('Change, positive or negative'),
    balanceAfter: z.number().int().describe('Balance after the entry'),
    reason: z.string().nullable().describe('Human reason'),
    reference: z.string().nullable().describe('Business key (order externalId, redemption reference, …)'),
    storeId: z.string().nullable().describe('Store it happened in, or null'),
    expiresAt: z.string().nullable().optional().describe('Points credits: when the lot expires'),
    at: z.string().describe('Event time (e.g. the order completedAt)'),
    createdAt: z.string().describe('When it was written (RFC 3339)'),
  })
  .describe('One ledger entry (ledgers are append-only)')
  .openapi('LedgerEntry');
export type LedgerEntryDto = z.infer<typeof ledgerEntrySchema>;

export const adjustPointsResult = z
  .object({ delta: z.number().int().describe('Change applied'), balance: z.number().int().describe('Balance after'), entry: ledgerEntrySchema })
  .describe('The adjustment')
  .openapi('AdjustPointsResult');

export const ledgerQuery = z.object({
  kind: z.enum(['points', 'growth']).default('points').describe('Which ledger: `points` (default) or `growth`'),
  limit: pageQuery.shape.limit,
  cursor: pageQuery.shape.cursor,
  storeId: STORE_ID_FIELD,
});
export type LedgerQuery = z.infer<typeof ledgerQuery>;

export const verifyReportSchema = z.object({
  members: z.number().int(),
  mismatches: z.array(
    z.object({
      memberId: z.string(),
      pointsBalance: z.number().int(),
      pointsLedger: z.number().int(),
      lotsRemaining: z.number().int(),
      growth: z.number().int(),
      growthLedger: z.number().int(),
    }),
  ),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;
