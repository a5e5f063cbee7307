import { z, code, queryFlag, str } from '../shared/zod.ts';
import { benefitsSchema } from '../tiers/index.ts';

export const planPeriod = z.enum(['month', 'year']);

export const planBody = z
  .object({
    code: code(),
    name: str(100),
    priceCents: z.number().int().min(0).max(2_147_483_647),
    period: planPeriod,
    trialDays: z.number().int().min(0).max(365).optional(),
    benefits: benefitsSchema.default({}),
  })
  .strict()
  .openapi('PlanInput');
export type PlanInput = z.infer<typeof planBody>;

export const planPatchBody = z
  .object({
    name: str(100).optional(),
    priceCents: z.number().int().min(0).max(2_147_483_647).optional(),
    period: planPeriod.optional().describe('Applies from the next subscribe or renew'),
    trialDays: z.number().int().min(0).max(365).optional(),
    benefits: benefitsSchema.optional().describe('Replaces the benefits; applies to current subscribers at once'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .openapi('PlanPatch');
export type PlanPatch = z.infer<typeof planPatchBody>;

export const planParams = z.object({ code: code() });
export const listPlansQuery = z.object({ includeArchived: queryFlag().describe('Also list archived plans') });

export const planSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    priceCents: z.number().int(),
    period: planPeriod,
    trialDays: z.number().int(),
    benefits: benefitsSchema,
    archivedAt: z.string().nullable().describe('Set once archived: no new subscriptions or trials; current subscribers keep it and may renew'),
    createdAt: z.string(),
  })
  .openapi('Plan');
export type PlanDto = z.infer<typeof planSchema>;

export const memberPlanAction = z.enum(['subscribe', 'renew', 'cancel', 'trial']);
export const memberPlanBody = z
  .object({ planCode: code(), action: memberPlanAction, reference: str(128) })
  .strict()
  .openapi('MemberPlanChange');
export type MemberPlanInput = z.infer<typeof memberPlanBody>;
