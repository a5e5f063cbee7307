import { z } from '../shared/zod.ts';
import { programPatchSchema, qualificationModel } from '../program/index.ts';
import { tierInputSchema } from '../tiers/index.ts';
import type { ProgramPatch } from '../program/index.ts';

/** Any subset of the growth rules (nested objects merge). */
export type GrowthRulesPatch = NonNullable<ProgramPatch['growthRules']>;

export const recomputeProposalSchema = z
  .object({
    qualificationModel: qualificationModel.optional().describe('The model to replay under: `growth`, `spend` or `rfm` (absent: the current one)'),
    tiers: z
      .array(tierInputSchema)
      .min(1)
      .max(50)
      .optional()
      .describe('A whole ladder to replay against, as for PUT /v1/tiers (absent: the current ladder)'),
    growthRules: (programPatchSchema.shape.growthRules as z.ZodType<GrowthRulesPatch | undefined>)
      .optional()
      .describe('Growth rules to replay under, merged key by key over the current ones (absent: the current rules)'),
  })
  .strict()
  .describe('What to replay every member’s history under; what is absent stays as it is')
  .openapi('RecomputeProposal');
export type RecomputeProposal = z.infer<typeof recomputeProposalSchema>;

export const recomputeParams = z.object({ id: z.string().min(1).max(64).describe('Recompute preview id `rcp_…`') });

export const recomputeQueuedSchema = z
  .object({
    id: z.string().describe('The preview: follow it with GET /v1/recompute/{id}'),
    status: z.enum(['queued', 'applying']).describe('`queued` for a new preview (the worker computes it), `applying` once apply was accepted'),
  })
  .describe('A recompute preview queued, or its application accepted')
  .openapi('RecomputeQueued');

export const recomputeStatus = z
  .enum(['queued', 'running', 'ready', 'applying', 'applied', 'failed'])
  .describe('`queued`/`running` while the worker computes the preview, `ready` to read and apply, `applying` while members are moved, `applied` when done, `failed` with `error`')
  .openapi('RecomputeStatus');

export const recomputeSchema = z
  .object({
    id: z.string().describe('Preview id `rcp_…`'),
    status: recomputeStatus,
    proposal: recomputeProposalSchema.describe('The proposal as sent'),
    stale: z.boolean().describe('The program or the ladder changed since the preview was asked for: apply would answer 409 `stale_preview`; ask for a new one'),
    members: z.number().int().describe('Members replayed so far (all of them once `ready`)'),
    tiers: z
      .array(z.object({ code: z.string().describe('Tier code'), before: z.number().int().describe('Members on it now'), after: z.number().int().describe('Members on it after the replay') }))
      .describe('Members per tier before and after, by tier code'),
    tierChanges: z
      .array(z.object({ from: z.string().nullable().describe('Tier code now'), to: z.string().describe('Tier code after the replay'), count: z.number().int().describe('Members who move so') }))
      .describe('Tier moves by from/to (members who stay are not listed)'),
    growthDelta: z.number().int().describe('Sum over members of growth after minus growth now (negative: growth goes down)'),
    growthIncreased: z.number().int().describe('Members whose growth goes up'),
    growthDecreased: z.number().int().describe('Members whose growth goes down'),
    sample: z
      .array(
        z.object({
          unionId: z.string().describe('The member'),
          tierBefore: z.string().nullable().describe('Tier code now'),
          tierAfter: z.string().describe('Tier code after the replay'),
          growthBefore: z.number().int().describe('Growth value now'),
          growthAfter: z.number().int().describe('Growth value after the replay'),
        }),
      )
      .describe('Up to 10 members whose tier or growth changes, by unionId'),
    applied: z
      .object({
        members: z.number().int().describe('Members replayed by the apply so far'),
        tierMoves: z.number().int().describe('Tier changes it recorded (reason `recompute`)'),
        growthEntries: z.number().int().describe('`recompute_adjust` growth entries it wrote'),
      })
      .nullable()
      .describe('What the apply did so far (null before apply)'),
    error: z.string().nullable().describe('Why the worker failed, when `failed`'),
    createdAt: z.string().describe('When the preview was asked for (RFC 3339)'),
    computedAt: z.string().nullable().describe('When the preview was complete'),
    appliedAt: z.string().nullable().describe('When the apply finished moving members'),
  })
  .describe('A recompute: the diff of replaying every member under the proposal, and its application')
  .openapi('Recompute');
export type RecomputeDto = z.infer<typeof recomputeSchema>;
