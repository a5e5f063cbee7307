import { z, code, queryFlag, str } from '../shared/zod.ts';
import { benefitsSchema } from '../tiers/index.ts';

export const planPeriod = z.enum(['month', 'year']);

export const planBody = z
  .object({
    code: code().describe('Stable plan code, e.g. `plus-year`'),
    name: str(100).describe('Name shown to members, e.g. PLUS年卡'),
    priceCents: z.number().int().min(0).max(2_147_483_647).describe('Fee per period in cents (9900 = ¥99.00)'),
    period: planPeriod.describe('`month` or `year`'),
    trialDays: z.number().int().min(0).max(365).optional().describe('Days of a free trial (action `trial`); 0 or absent = none'),
    benefits: benefitsSchema.default({}),
  })
  .strict()
  .describe('A paid membership plan (付费会员)')
  .openapi('PlanInput', { example: { code: 'plus-year', name: 'PLUS年卡', priceCents: 9900, period: 'year', trialDays: 7, benefits: { discountBps: 9500, freeShippingThresholdCents: 0 } } });
export type PlanInput = z.infer<typeof planBody>;

export const planPatchBody = z
  .object({
    name: str(100).optional().describe('Name shown to members'),
    priceCents: z.number().int().min(0).max(2_147_483_647).optional().describe('Fee per period in cents, from the next subscribe or renew'),
    period: planPeriod.optional().describe('Applies from the next subscribe or renew'),
    trialDays: z.number().int().min(0).max(365).optional().describe('Days of a free trial'),
    benefits: benefitsSchema.optional().describe('Replaces the benefits; applies to current subscribers at once'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .describe('Fields of a plan to change')
  .openapi('PlanPatch');
export type PlanPatch = z.infer<typeof planPatchBody>;

export const planParams = z.object({ code: code().describe('Plan code') });
export const listPlansQuery = z.object({ includeArchived: queryFlag().describe('Also list archived plans') });

export const planSchema = z
  .object({
    id: z.string().describe('Plan id `pln_…`'),
    code: z.string().describe('Plan code'),
    name: z.string().describe('Name shown to members'),
    priceCents: z.number().int().describe('Fee per period in cents'),
    period: planPeriod.describe('`month` or `year`'),
    trialDays: z.number().int().describe('Days of a free trial (0 = none)'),
    benefits: benefitsSchema,
    archivedAt: z.string().nullable().describe('Set once archived: no new subscriptions or trials; current subscribers keep it and may renew'),
    createdAt: z.string().describe('Creation time (RFC 3339)'),
  })
  .describe('A paid membership plan')
  .openapi('Plan');
export type PlanDto = z.infer<typeof planSchema>;

export const memberPlanAction = z.enum(['subscribe', 'renew', 'cancel', 'trial']);
export const memberPlanBody = z
  .object({
    planCode: code().describe('Plan code'),
    action: memberPlanAction.describe('`subscribe` (paid), `renew` (one more period), `cancel` (ends at the period end) or `trial`'),
    reference: str(128).describe('Your payment or order id: idempotent (the same reference again replays the first result)'),
  })
  .strict()
  .describe('A change of the member’s paid plan')
  .openapi('MemberPlanChange');
export type MemberPlanInput = z.infer<typeof memberPlanBody>;
