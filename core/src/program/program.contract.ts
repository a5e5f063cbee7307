import { z, bps, timeZone } from '../shared/zod.ts';

export const qualificationModel = z.enum(['growth', 'spend', 'rfm']);

export const memberDaySchema = z
  .object({
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).describe('ISO weekdays, 1 = Monday'),
    discountBps: bps().default(10_000),
    pointsMultiplierBps: z.number().int().min(0).max(100_000).default(10_000),
  })
  .openapi('MemberDay');

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const httpsUrl = () =>
  z
    .string()
    .max(1000)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'https:' && !u.username && !u.password;
      } catch {
        return false;
      }
    }, 'must be an https:// URL');
/** An origin a page may be framed by: https://host[:port], nothing after it. */
const ORIGIN = /^https:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

export const brandingSchema = z
  .object({
    displayName: z.string().min(1).max(64).nullable().default(null).describe('The name the member center shows (default: none, the tier card stands alone)'),
    logoUrl: httpsUrl().nullable().default(null).describe('Logo shown on the member center (https only)'),
    colour: z.string().regex(HEX_COLOUR, 'a hex colour like #C8102E').nullable().default(null).describe('Accent colour of the member center, #RRGGBB'),
    frameAncestors: z
      .array(z.string().max(255).regex(ORIGIN, 'an https origin like https://shop.example.com'))
      .max(20)
      .default([])
      .describe("Origins that may embed the member center in an iframe (its CSP frame-ancestors); none = the center's own origin only"),
  })
  .openapi('Branding');
export type Branding = z.infer<typeof brandingSchema>;

/**
 * The program document. Every field has the default of docs/rules.md, so a new tenant's program
 * is complete and a stored document from an older version parses with new fields filled in.
 */
export const programSettingsSchema = z.object({
  earn: z
    .object({
      pointsPerUnit: z.number().int().min(0).max(10_000).default(1),
      memberDay: memberDaySchema.nullable().default(null),
    })
    .default({ pointsPerUnit: 1, memberDay: null }),
  redeem: z
    .object({
      pointsPerUnit: z.number().int().min(1).max(1_000_000).default(100),
      maxShareBps: bps().default(5000),
    })
    .default({ pointsPerUnit: 100, maxShareBps: 5000 }),
  expiry: z
    .object({ months: z.number().int().min(1).max(120).nullable().default(12) })
    .default({ months: 12 }),
  growthRules: z
    .object({
      purchasePerUnit: z.number().int().min(0).max(10_000).default(1),
      dailyLogin: z.number().int().min(0).max(10_000).default(5),
      review: z.number().int().min(0).max(10_000).default(20),
      reviewMinItemPriceCents: z.number().int().min(0).max(2_147_483_647).default(2000),
      photoReview: z.number().int().min(0).max(10_000).default(20),
      photoReviewsPerItem: z.number().int().min(0).max(1000).default(10),
      share: z.number().int().min(0).max(10_000).default(0),
      monthlyShopping: z
        .object({
          minDays: z.number().int().min(1).max(31).default(3),
          bonus: z.number().int().min(0).max(100_000).default(50),
          grantDay: z.number().int().min(1).max(28).default(10),
        })
        .default({ minDays: 3, bonus: 50, grantDay: 10 }),
    })
    .default({
      purchasePerUnit: 1,
      dailyLogin: 5,
      review: 20,
      reviewMinItemPriceCents: 2000,
      photoReview: 20,
      photoReviewsPerItem: 10,
      share: 0,
      monthlyShopping: { minDays: 3, bonus: 50, grantDay: 10 },
    }),
  checkIn: z
    .object({ rewards: z.array(z.number().int().min(0).max(100_000)).min(1).max(31).default([1, 2, 3, 5, 5, 5, 10]) })
    .default({ rewards: [1, 2, 3, 5, 5, 5, 10] }),
  tasks: z
    .object({
      firstOrder: z.number().int().min(0).max(1_000_000).default(100).describe("Points of the built-in first-order task (the member's first order at or above the minimum)"),
      firstOrderMinAmountCents: z
        .number()
        .int()
        .min(0)
        .max(2_147_483_647)
        .default(0)
        .describe('Minimum order amount (minor units) that earns the first-order points; 0 = any order above 0. Once per member; taken back when that order is fully refunded'),
      profileCompleted: z.number().int().min(0).max(1_000_000).default(50).describe('Points of the built-in profile task (once, when the profile holds the required fields)'),
      profileRequiredFields: z
        .array(z.enum(['name', 'phone', 'email', 'birthday']))
        .min(1)
        .max(4)
        .default(['name', 'phone', 'birthday'])
        .describe('The member profile fields that must all be present for the profile task to complete'),
    })
    .default({ firstOrder: 100, firstOrderMinAmountCents: 0, profileCompleted: 50, profileRequiredFields: ['name', 'phone', 'birthday'] }),
  referral: z
    .object({
      inviterPoints: z.number().int().min(0).max(1_000_000).default(0).describe("Points to the inviter when an invitee's first qualifying order completes the referral"),
      inviterGrowth: z.number().int().min(0).max(1_000_000).default(0).describe('Growth to the inviter on a completed referral'),
      inviteeCouponTemplateCode: z.string().max(64).nullable().default(null).describe('Welcome coupon (template code) to the invitee on a completed referral'),
      minFirstOrderCents: z.number().int().min(0).max(2_147_483_647).default(0).describe("The invitee's first order must reach this amount (minor units; 0 = any order above 0)"),
    })
    .default({ inviterPoints: 0, inviterGrowth: 0, inviteeCouponTemplateCode: null, minFirstOrderCents: 0 }),
  onboarding: z
    .object({
      trialTierCode: z.string().max(64).nullable().default(null).describe('A tier every new member gets on trial at enrolment (null = none)'),
      trialDays: z.number().int().min(1).max(90).default(7).describe('Days of the onboarding trial'),
      welcomeCouponTemplateCodes: z.array(z.string().min(1).max(64)).max(10).default([]).describe('Coupon templates issued to every new member at enrolment (新人礼包)'),
    })
    .default({ trialTierCode: null, trialDays: 7, welcomeCouponTemplateCodes: [] }),
  caps: z
    .object({
      activityGrowthPerDay: z.number().int().min(0).max(1_000_000).default(200),
      activityPointsPerDay: z.number().int().min(0).max(1_000_000).default(200),
    })
    .default({ activityGrowthPerDay: 200, activityPointsPerDay: 200 }),
  refunds: z
    .object({
      clawback: z.enum(['debt', 'cap_at_balance']).default('debt'),
      flagThresholdBps: bps().default(5000),
      flagWindowDays: z.number().int().min(1).max(365).default(30),
      flagMinOrders: z.number().int().min(1).max(1000).default(3),
    })
    .default({ clawback: 'debt', flagThresholdBps: 5000, flagWindowDays: 30, flagMinOrders: 3 }),
  retention: z
    .object({
      period: z.enum(['month', 'quarter', 'half_year', 'year']).default('quarter'),
      warnDays: z.number().int().min(0).max(90).default(15),
      keepTierGiftMonths: z.number().int().min(1).max(24).default(3),
      keepTierGiftPoints: z.number().int().min(0).max(1_000_000).default(0),
    })
    .default({ period: 'quarter', warnDays: 15, keepTierGiftMonths: 3, keepTierGiftPoints: 0 }),
  rfm: z
    .object({
      windowDays: z.number().int().min(1).max(3650).default(365),
      recencyDays: z.array(z.number().int().min(0).max(3650)).length(4).default([30, 90, 180, 365]).describe('Days since the last order for R = 5, 4, 3, 2 (else 1)'),
      frequency: z.array(z.number().int().min(1).max(100_000)).length(4).default([2, 4, 8, 16]).describe('Orders in the window for F = 2, 3, 4, 5'),
      monetaryCents: z.array(z.number().int().min(1).max(2_147_483_647)).length(4).default([50_000, 200_000, 500_000, 1_000_000]).describe('Spend in the window for M = 2, 3, 4, 5'),
      weights: z
        .object({ recency: z.number().int().min(0).max(10).default(1), frequency: z.number().int().min(0).max(10).default(1), monetary: z.number().int().min(0).max(10).default(1) })
        .default({ recency: 1, frequency: 1, monetary: 1 }),
    })
    .default({
      windowDays: 365,
      recencyDays: [30, 90, 180, 365],
      frequency: [2, 4, 8, 16],
      monetaryCents: [50_000, 200_000, 500_000, 1_000_000],
      weights: { recency: 1, frequency: 1, monetary: 1 },
    }),
  trial: z
    .object({ days: z.number().int().min(1).max(90).default(7), tierCode: z.string().max(64).nullable().default(null) })
    .default({ days: 7, tierCode: null }),
  branding: brandingSchema.default({ displayName: null, logoUrl: null, colour: null, frameAncestors: [] }),
  language: z.enum(['zh-CN', 'en']).default('zh-CN').describe("The language members read: the inbox and the member center's default"),
});

export type ProgramSettings = z.infer<typeof programSettingsSchema>;

export const programSchema = programSettingsSchema
  .extend({
    currency: z.string().regex(/^[A-Z]{3}$/),
    timezone: z.string(),
    qualificationModel,
    version: z.number().int(),
  })
  .openapi('Program');
export type Program = z.infer<typeof programSchema>;
export type MemberDay = z.infer<typeof memberDaySchema>;

const deepPartial = (schema: z.ZodObject): z.ZodObject =>
  z.object(
    Object.fromEntries(
      Object.entries(schema.shape).map(([k, v]) => {
        let inner = v as z.ZodType;
        if (inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
        if (inner instanceof z.ZodObject) return [k, deepPartial(inner).strict().optional()];
        return [k, inner.optional()];
      }),
    ),
  );

/** PATCH body: any subset of the program; nested objects merge. Unknown keys are refused. */
export const programPatchSchema = deepPartial(programSettingsSchema)
  .extend({
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code').optional(),
    timezone: timeZone().optional(),
    qualificationModel: qualificationModel.optional(),
  })
  .strict()
  .openapi('ProgramPatch');
type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object | null ? DeepPartial<T[K]> | null : T[K] };
export type ProgramPatch = DeepPartial<ProgramSettings> & {
  currency?: string;
  timezone?: string;
  qualificationModel?: z.infer<typeof qualificationModel>;
};
