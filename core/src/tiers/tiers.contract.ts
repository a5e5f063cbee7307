import { z, bps, cents, code, str } from '../shared/zod.ts';
import { memberDaySchema } from '../program/index.ts';

/** Thresholds are stored in int4 columns. */
const INT4_MAX = 2_147_483_647;

export const benefitsSchema = z
  .object({
    discountBps: bps().optional(),
    pointsMultiplierBps: z.number().int().min(0).max(100_000).optional(),
    freeShippingThresholdCents: cents().nullable().optional(),
    exclusiveAccess: z.boolean().optional(),
    memberDay: memberDaySchema.nullable().optional(),
    prioritySupport: z.boolean().optional(),
    priorityDelivery: z.boolean().optional(),
    fastRefund: z.boolean().optional(),
    birthdayGift: z.object({ points: z.number().int().min(0).max(1_000_000).optional(), couponTemplateId: str(64).optional() }).nullable().optional(),
    upgradeGift: z.object({ couponTemplateIds: z.array(str(64)).max(20) }).nullable().optional(),
  })
  .strict()
  .openapi('Benefits');
export type Benefits = z.infer<typeof benefitsSchema>;

export const retentionRequirementSchema = z
  .object({ minSpendCents: cents().optional(), minGrowth: z.number().int().min(0).max(INT4_MAX).optional() })
  .strict()
  .openapi('RetentionRequirement');

export const tierInputSchema = z
  .object({
    code: code(),
    name: str(64),
    rank: z.number().int().min(0).max(1000),
    minGrowth: z.number().int().min(0).max(INT4_MAX).optional(),
    minSpendCents: z.number().int().min(0).max(INT4_MAX).optional(),
    minRfmScore: z.number().int().min(0).max(100).optional(),
    retention: retentionRequirementSchema.optional(),
    benefits: benefitsSchema.default({}),
  })
  .strict()
  .openapi('TierInput');
export type TierInput = z.infer<typeof tierInputSchema>;

export const tierSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    rank: z.number().int(),
    minGrowth: z.number().int(),
    minSpendCents: z.number().int(),
    minRfmScore: z.number().int(),
    retention: retentionRequirementSchema,
    benefits: benefitsSchema,
  })
  .openapi('Tier');
export type Tier = z.infer<typeof tierSchema>;

/**
 * PATCH /v1/tiers/:code: only the fields sent change. `retention` and `benefits` are merged key
 * by key onto the stored ones (a retention requirement set to null is dropped); code and rank
 * change only through PUT /v1/tiers.
 */
export const tierPatchBody = z
  .object({
    name: str(64).optional(),
    minGrowth: z.number().int().min(0).max(INT4_MAX).optional(),
    minSpendCents: z.number().int().min(0).max(INT4_MAX).optional(),
    minRfmScore: z.number().int().min(0).max(100).optional(),
    retention: z
      .object({ minSpendCents: cents().nullable().optional(), minGrowth: z.number().int().min(0).max(INT4_MAX).nullable().optional() })
      .strict()
      .optional()
      .describe('Merged key by key; null drops that requirement'),
    benefits: benefitsSchema.optional().describe('Merged key by key onto the tier’s benefits; keys not sent are kept'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .openapi('TierPatch');
export type TierPatch = z.infer<typeof tierPatchBody>;

export const tierParams = z.object({ code: code() });

export const tierUpdateSchema = z
  .object({ data: tierSchema, upgraded: z.number().int(), downgraded: z.number().int() })
  .openapi('TierUpdate');

export const ladderBody = z.object({ tiers: z.array(tierInputSchema).min(1).max(50) }).strict().openapi('Ladder');

export const ladderChangeSchema = z
  .object({ data: z.array(tierSchema), upgraded: z.number().int(), downgraded: z.number().int() })
  .openapi('LadderChange');

export const ladderSimulationSchema = z
  .object({
    distribution: z.array(z.object({ code: z.string(), before: z.number().int(), after: z.number().int() })),
    upgrades: z.number().int(),
    downgrades: z.number().int(),
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
  .openapi('LadderSimulation');

/** The reasons a tier change is recorded with; a change by hand is `manual: <the staff's text>`. */
export const tierChangeReasonSchema = z
  .enum(['enrolled', 'upgrade', 'order', 'monthly_shopping', 'ladder_changed', 'retention', 'merge', 'trial_started', 'trial_ended'])
  .openapi('TierChangeReason');

export const tierChangeSchema = z
  .object({
    id: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    reason: z.string().describe('A `TierChangeReason`, or `manual: <text>` for a change by hand'),
    at: z.string(),
  })
  .openapi('TierChange');
export type TierChangeDto = z.infer<typeof tierChangeSchema>;

export const changeTierBody = z.object({ tierCode: code(), reason: str(255) }).strict().openapi('ChangeTier');
export const startTrialBody = z
  .object({ tierCode: code().optional(), days: z.number().int().min(1).max(90).optional() })
  .strict()
  .openapi('StartTrial');
