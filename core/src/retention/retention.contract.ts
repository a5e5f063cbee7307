import { z, dateOnly } from '../shared/zod.ts';

export const retentionPreviewBody = z
  .object({ periodEnd: dateOnly().optional().describe('Any local date of the period (its last day, typically); default: the current period') })
  .strict()
  .openapi('RetentionPreviewRequest');

export const retentionCandidateSchema = z
  .object({
    memberId: z.string(),
    unionId: z.string(),
    from: z.string(),
    to: z.string(),
    spendCents: z.number().int(),
    growthEarned: z.number().int(),
    shortfall: z.object({ spendCents: z.number().int().optional(), growth: z.number().int().optional() }),
  })
  .openapi('RetentionCandidate');
export type RetentionCandidate = z.infer<typeof retentionCandidateSchema>;

export const retentionPreviewSchema = z
  .object({
    periodStart: z.string().describe('First local day'),
    periodEnd: z.string().describe('Last local day'),
    evaluated: z.number().int(),
    atRisk: z.number().int(),
    protected: z.number().int(),
    wouldDowngrade: z.array(z.object({ code: z.string(), count: z.number().int() })).describe('Per current tier'),
    sample: z.array(retentionCandidateSchema),
  })
  .openapi('RetentionPreview');
export type RetentionPreview = z.infer<typeof retentionPreviewSchema>;

export const retentionRunBody = z
  .object({ periodEnd: dateOnly().describe('Any local date of the period to evaluate (its last day, typically)') })
  .strict()
  .openapi('RetentionRunRequest');

export const retentionRunSchema = z
  .object({
    id: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    evaluated: z.number().int(),
    downgraded: z.number().int(),
    protected: z.number().int(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('RetentionRun');
export type RetentionRunDto = z.infer<typeof retentionRunSchema>;

export const queuedRunSchema = z.object({ runId: z.string() }).openapi('RetentionRunQueued');
