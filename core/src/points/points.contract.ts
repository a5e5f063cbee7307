import { z, str } from '../shared/zod.ts';
import { PointsKind } from './points-kinds.ts';
import { GrowthKind } from '../growth/index.ts';

/** Every kind a points or growth ledger entry can have (named, so clients can list them). */
export const ledgerKindSchema = z
  .enum([...new Set([...Object.values(PointsKind), ...Object.values(GrowthKind)])] as [string, ...string[]])
  .openapi('LedgerKind');

export const redeemPointsBody = z
  .object({
    points: z.number().int().min(1).max(1_000_000_000),
    reference: str(255),
    storeId: str(64).optional(),
    orderExternalId: str(255).optional(),
  })
  .strict()
  .openapi('RedeemPoints');
export type RedeemPointsInput = z.infer<typeof redeemPointsBody>;

export const redeemPointsResult = z.object({ redeemed: z.number().int(), balance: z.number().int() }).openapi('RedeemPointsResult');
export type RedeemPointsResult = z.infer<typeof redeemPointsResult>;

export const adjustPointsBody = z
  .object({
    delta: z
      .number()
      .int()
      .min(-1_000_000_000)
      .max(1_000_000_000)
      .refine((n) => n !== 0, 'must not be zero'),
    reason: str(255),
    storeId: str(64).optional(),
    reference: str(255)
      .optional()
      .describe('Idempotency: the same reference with the same delta, reason and store → 200 with the first result and no second adjustment; with another body → 409 idempotency_conflict'),
  })
  .strict()
  .openapi('AdjustPoints');
export type AdjustPointsInput = z.infer<typeof adjustPointsBody>;

export const ledgerEntrySchema = z
  .object({
    id: z.string(),
    kind: ledgerKindSchema,
    delta: z.number().int(),
    balanceAfter: z.number().int(),
    reason: z.string().nullable(),
    reference: z.string().nullable(),
    storeId: z.string().nullable(),
    expiresAt: z.string().nullable().optional(),
    at: z.string().describe('Event time (e.g. the order completedAt)'),
    createdAt: z.string(),
  })
  .openapi('LedgerEntry');
export type LedgerEntryDto = z.infer<typeof ledgerEntrySchema>;

export const adjustPointsResult = z
  .object({ delta: z.number().int(), balance: z.number().int(), entry: ledgerEntrySchema })
  .openapi('AdjustPointsResult');

export const ledgerQuery = z.object({
  kind: z.enum(['points', 'growth']).default('points'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  storeId: z.string().max(64).optional(),
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
