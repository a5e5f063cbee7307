import { z, bps, cents, code, str } from '../shared/zod.ts';
import { memberDaySchema } from '../program/index.ts';

/** Thresholds are stored in int4 columns. */
const INT4_MAX = 2_147_483_647;

const benefitsObject = z
  .object({
    discountBps: bps()
      .optional()
      .describe(
        'Member price as the share of the list price PAID, in basis points: 9800 = 98折 = 2% off, 9000 = 9折 = 10% off, 10000 = no discount. (A coupon’s `percentBps` is the opposite: the amount OFF.) Responses also carry it as `memberPriceBps`',
      ),
    pointsMultiplierBps: z.number().int().min(0).max(100_000).optional().describe('Points multiplier in basis points: 15000 = 1.5× points, 10000 = normal'),
    freeShippingThresholdCents: cents()
      .nullable()
      .optional()
      .describe('Goods amount in cents from which shipping is free (3900 = ¥39.00; 0 = always free); null or absent = no free shipping'),
    exclusiveAccess: z.boolean().optional().describe('May buy items marked `exclusive`'),
    memberDay: memberDaySchema.nullable().optional().describe('This tier’s member day, replacing the program’s; null = none'),
    prioritySupport: z.boolean().optional().describe('Priority customer service (shown to the storefront; not priced)'),
    priorityDelivery: z.boolean().optional().describe('Priority delivery (shown to the storefront; not priced)'),
    fastRefund: z.boolean().optional().describe('Refunds without return inspection (shown to the storefront; not priced)'),
    birthdayGift: z
      .object({
        points: z.number().int().min(0).max(1_000_000).optional().describe('Points given in the birthday month'),
        couponTemplateId: str(64).optional().describe('Coupon template id `cpt_…` issued in the birthday month'),
      })
      .nullable()
      .optional()
      .describe('Granted once a year in the member’s birthday month'),
    upgradeGift: z
      .object({ couponTemplateIds: z.array(str(64)).max(20).describe('Coupon template ids issued on reaching the tier') })
      .nullable()
      .optional()
      .describe('Granted when a member first reaches the tier'),
  })
  .strict();

const memberPriceAlias = bps().optional();

/**
 * Benefits as set. `memberPriceBps` is the response-only alias of `discountBps`: a body may
 * carry it back (a ladder read, edited and sent again) when it equals `discountBps`; it is
 * dropped, never stored. One that differs is refused.
 */
export const benefitsSchema = benefitsObject
  .extend({
    memberPriceBps: memberPriceAlias.describe('Response-only alias of `discountBps`: accepted back only when equal to it (a response sent again), and ignored'),
  })
  .strict()
  .refine((b) => b.memberPriceBps === undefined || b.memberPriceBps === b.discountBps, {
    path: ['memberPriceBps'],
    message: 'memberPriceBps is a response-only alias of discountBps: set discountBps (the price paid) and leave this out',
  })
  .transform(({ memberPriceBps: _alias, ...benefits }) => benefits)
  .describe('Benefits of a tier or plan (权益). Set by the merchant')
  .openapi('Benefits');
export type Benefits = z.output<typeof benefitsSchema>;

/** Benefits as answered: the stored fields and the response-only alias `memberPriceBps`. */
export const benefitsResponseSchema = benefitsObject
  .extend({
    memberPriceBps: memberPriceAlias.describe(
      'Response-only alias of `discountBps`, named for what it is: the price paid, in basis points of the list price (9500 = 95折)',
    ),
  })
  .describe('Benefits of a tier or plan (权益); `memberPriceBps` repeats `discountBps`')
  .openapi('BenefitsView');
export type BenefitsView = z.infer<typeof benefitsResponseSchema>;
/** The response view of benefits: the stored ones with their alias. */
export const withBenefitAliases = (b: Benefits): BenefitsView => (b.discountBps === undefined ? { ...b } : { ...b, memberPriceBps: b.discountBps });

export const retentionRequirementSchema = z
  .object({
    minSpendCents: cents().optional().describe('Spend in cents to complete in each retention period to keep the tier (100000 = ¥1,000.00)'),
    minGrowth: z.number().int().min(0).max(INT4_MAX).optional().describe('Growth to earn in each retention period to keep the tier'),
  })
  .strict()
  .describe('What keeps the tier each retention period (保级); both parts when both are given; empty = kept without condition')
  .openapi('RetentionRequirement');

export const tierInputSchema = z
  .object({
    code: code().describe('Stable tier code (letters, digits, _ . -), e.g. `gold`'),
    name: str(64).describe('Name shown to members, e.g. 金牌'),
    rank: z.number().int().min(0).max(1000).describe('Order in the ladder, lowest first; unique'),
    minGrowth: z.number().int().min(0).max(INT4_MAX).optional().describe('Growth that reaches the tier (model `growth`)'),
    minSpendCents: z.number().int().min(0).max(INT4_MAX).optional().describe('Rolling 365-day spend in cents that reaches the tier (model `spend`)'),
    minRfmScore: z.number().int().min(0).max(100).optional().describe('RFM score that reaches the tier (model `rfm`)'),
    retention: retentionRequirementSchema.optional(),
    benefits: benefitsSchema.default({}),
  })
  .strict()
  .describe('A tier of the ladder as the merchant sets it')
  .openapi('TierInput');
export type TierInput = z.infer<typeof tierInputSchema>;

export const tierSchema = z
  .object({
    code: z.string().describe('Tier code'),
    name: z.string().describe('Tier name shown to members'),
    rank: z.number().int().describe('Order in the ladder, lowest first'),
    minGrowth: z.number().int().describe('Growth that reaches the tier (model `growth`)'),
    minSpendCents: z.number().int().describe('Rolling 365-day spend in cents that reaches the tier (model `spend`)'),
    minRfmScore: z.number().int().describe('RFM score that reaches the tier (model `rfm`)'),
    retention: retentionRequirementSchema,
    benefits: benefitsResponseSchema,
  })
  .describe('A tier of the ladder')
  .openapi('Tier');
export type Tier = z.infer<typeof tierSchema>;
/** A tier as answered: benefits with their response-only aliases. */
export const tierView = (t: Tier): Tier => ({ ...t, benefits: withBenefitAliases(t.benefits) });

/**
 * PATCH /v1/tiers/:code: only the fields sent change. `retention` and `benefits` are merged key
 * by key onto the stored ones (a retention requirement set to null is dropped); code and rank
 * change only through PUT /v1/tiers.
 */
export const tierPatchBody = z
  .object({
    name: str(64).optional().describe('Name shown to members'),
    minGrowth: z.number().int().min(0).max(INT4_MAX).optional().describe('Growth that reaches the tier'),
    minSpendCents: z.number().int().min(0).max(INT4_MAX).optional().describe('Rolling 365-day spend in cents that reaches the tier'),
    minRfmScore: z.number().int().min(0).max(100).optional().describe('RFM score that reaches the tier'),
    retention: z
      .object({
        minSpendCents: cents().nullable().optional().describe('Spend in cents per retention period; null drops it'),
        minGrowth: z.number().int().min(0).max(INT4_MAX).nullable().optional().describe('Growth per retention period; null drops it'),
      })
      .strict()
      .optional()
      .describe('Merged key by key; null drops that requirement'),
    benefits: benefitsSchema.optional().describe('Merged key by key onto the tier’s benefits; keys not sent are kept'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .describe('Fields of one tier to change')
  .openapi('TierPatch');
export type TierPatch = z.infer<typeof tierPatchBody>;

export const tierParams = z.object({ code: code().describe('Tier code') });

export const tierUpdateSchema = z
  .object({
    data: tierSchema,
    upgraded: z.number().int().describe('Members moved up by the change (upgrade rules only)'),
    downgraded: z.number().int().describe('Members moved down by the change (always 0: a ladder change never downgrades)'),
  })
  .describe('The changed tier and who moved')
  .openapi('TierUpdate');

export const ladderBody = z
  .object({ tiers: z.array(tierInputSchema).min(1).max(50).describe('The whole ladder, 1–50 tiers; thresholds strictly rising with rank') })
  .strict()
  .describe('A full ladder')
  .openapi('Ladder');

export const ladderChangeSchema = z
  .object({
    data: z.array(tierSchema).describe('The ladder by rank'),
    upgraded: z.number().int().describe('Members moved up'),
    downgraded: z.number().int().describe('Members moved down (0: upgrade rules only)'),
  })
  .describe('The new ladder and who moved')
  .openapi('LadderChange');

export const ladderSimulationSchema = z
  .object({
    distribution: z
      .array(z.object({ code: z.string().describe('Tier code'), before: z.number().int().describe('Members on it now'), after: z.number().int().describe('Members on it with the ladder') }))
      .describe('Members per tier before and after'),
    upgrades: z.number().int().describe('Members who would move up'),
    downgrades: z.number().int().describe('Members who would move down'),
    sample: z
      .array(
        z.object({
          unionId: z.string().describe('The member'),
          from: z.string().nullable().describe('Tier code now'),
          to: z.string().describe('Tier code after the change'),
        }),
      )
      .describe('Up to 10 members who would change tier, by unionId'),
  })
  .describe('What a ladder would do; nothing is written')
  .openapi('LadderSimulation');

/** The reasons a tier change is recorded with; a change by hand is `manual: <the staff's text>`. */
export const tierChangeReasonSchema = z
  .enum(['enrolled', 'upgrade', 'order', 'monthly_shopping', 'ladder_changed', 'retention', 'merge', 'trial_started', 'trial_ended', 'recompute'])
  .openapi('TierChangeReason');

export const tierChangeSchema = z
  .object({
    id: z.string().describe('Tier change id `tch_…`'),
    from: z.string().nullable().describe('Tier code before (null at enrolment)'),
    to: z.string().describe('Tier code after'),
    reason: z.string().describe('Why: a `TierChangeReason`, or `manual: <text>` for a change by hand'),
    at: z.string().describe('When (RFC 3339)'),
  })
  .describe('One move in a member’s tier history')
  .openapi('TierChange');
export type TierChangeDto = z.infer<typeof tierChangeSchema>;

export const changeTierBody = z
  .object({ tierCode: code().describe('Tier code to move the member to'), reason: str(255).describe('Why (kept in the tier history and audit)') })
  .strict()
  .describe('A manual tier change (audited)')
  .openapi('ChangeTier');
export const startTrialBody = z
  .object({
    tierCode: code().optional().describe('Tier to try; default the program’s `trial.tierCode`, else the next tier up'),
    days: z.number().int().min(1).max(90).optional().describe('Trial length in days; default `trial.days`'),
  })
  .strict()
  .describe('A tier trial')
  .openapi('StartTrial');
