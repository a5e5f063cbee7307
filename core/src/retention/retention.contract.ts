import { z, dateOnly } from '../shared/zod.ts';

export const retentionPreviewBody = z
  .object({ periodEnd: dateOnly().optional().describe('Any local date of the period (its last day, typically); default: the current period') })
  .strict()
  .describe('The period to preview')
  .openapi('RetentionPreviewRequest');

export const retentionCandidateSchema = z
  .object({
    memberId: z.string().describe('Member id'),
    unionId: z.string().describe('Member unionId'),
    from: z.string().describe('Tier code now'),
    to: z.string().describe('Tier code they would drop to'),
    spendCents: z.number().int().describe('Spend completed in the period, in cents'),
    growthEarned: z.number().int().describe('Growth earned in the period'),
    shortfall: z
      .object({ spendCents: z.number().int().optional().describe('Spend still missing, in cents'), growth: z.number().int().optional().describe('Growth still missing') })
      .describe('What keeps them from keeping the tier'),
  })
  .describe('A member who would be downgraded at the period end')
  .openapi('RetentionCandidate');
export type RetentionCandidate = z.infer<typeof retentionCandidateSchema>;

export const retentionPreviewSchema = z
  .object({
    periodStart: z.string().describe('First local day'),
    periodEnd: z.string().describe('Last local day'),
    evaluated: z.number().int().describe('Members whose tier has a retention requirement'),
    atRisk: z.number().int().describe('Members who would drop a tier'),
    protected: z.number().int().describe('Members protected this period (upgraded into their tier, or on a trial)'),
    wouldDowngrade: z
      .array(z.object({ code: z.string().describe('Current tier code'), count: z.number().int().describe('Members of it who would drop') }))
      .describe('Per current tier'),
    sample: z.array(retentionCandidateSchema).describe('Up to 20 of them'),
  })
  .describe('What a retention run for the period would do; nothing is written')
  .openapi('RetentionPreview');
export type RetentionPreview = z.infer<typeof retentionPreviewSchema>;

export const retentionRunBody = z
  .object({ periodEnd: dateOnly().describe('Any local date of the period to evaluate (its last day, typically)') })
  .strict()
  .describe('The period to run')
  .openapi('RetentionRunRequest');

export const retentionRunSchema = z
  .object({
    id: z.string().describe('Run id `ret_…`'),
    periodStart: z.string().describe('First local day of the period'),
    periodEnd: z.string().describe('Last local day of the period'),
    status: z.enum(['queued', 'running', 'completed', 'failed']).describe('Where the run is; the worker runs it'),
    evaluated: z.number().int().describe('Members evaluated so far'),
    downgraded: z.number().int().describe('Members downgraded so far'),
    protected: z.number().int().describe('Members kept by protection so far'),
    startedAt: z.string().nullable().describe('When the worker started it'),
    finishedAt: z.string().nullable().describe('When it completed or failed'),
    createdAt: z.string().describe('When it was queued'),
  })
  .describe('A retention run for one period')
  .openapi('RetentionRun');
export type RetentionRunDto = z.infer<typeof retentionRunSchema>;

export const queuedRunSchema = z
  .object({ runId: z.string().describe('The run: follow it with GET /v1/retention/runs/{id}') })
  .describe('A queued run (one per period)')
  .openapi('RetentionRunQueued');
