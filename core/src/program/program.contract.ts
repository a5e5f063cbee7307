import { z, bps, timeZone } from '../shared/zod.ts';

export const qualificationModel = z.enum(['growth', 'spend', 'rfm']);

export const memberDaySchema = z
  .object({
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).describe('ISO weekdays of the member day in the tenant’s time zone, 1 = Monday … 7 = Sunday (Wednesday = [3])'),
    discountBps: bps().default(10_000).describe('Price paid on a member day, in basis points of the price (8800 = 88折, 12% off; 10000 = no discount). Set by the merchant'),
    pointsMultiplierBps: z.number().int().min(0).max(100_000).default(10_000).describe('Points multiplier on a member day in basis points (20000 = double points, 10000 = normal)'),
  })
  .describe('A weekly member day (会员日): a discount and a points multiplier on the given weekdays')
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
      pointsPerUnit: z.number().int().min(0).max(10_000).default(1).describe('Points earned per whole currency unit paid (1 = 1 point per ¥1, i.e. per 100 cents)'),
      memberDay: memberDaySchema.nullable().default(null).describe('The program-wide member day, or null for none (a tier may set its own)'),
    })
    .default({ pointsPerUnit: 1, memberDay: null })
    .describe('How members earn points'),
  redeem: z
    .object({
      pointsPerUnit: z.number().int().min(1).max(1_000_000).default(100).describe('Points worth one currency unit at checkout (100 = 100 points pay ¥1)'),
      maxShareBps: bps().default(5000).describe('Largest share of an order points may pay, in basis points of the goods (5000 = up to 50%)'),
    })
    .default({ pointsPerUnit: 100, maxShareBps: 5000 })
    .describe('How points pay at checkout'),
  expiry: z
    .object({ months: z.number().int().min(1).max(120).nullable().default(12).describe('Months after which earned points expire (each lot from its own earning), or null: never') })
    .default({ months: 12 })
    .describe('Points expiry'),
  growthRules: z
    .object({
      purchasePerUnit: z.number().int().min(0).max(10_000).default(1).describe('Growth per whole currency unit paid (1 = 1 growth per ¥1)'),
      dailyLogin: z.number().int().min(0).max(10_000).default(5).describe('Growth for the first login of a local day'),
      review: z.number().int().min(0).max(10_000).default(20).describe('Growth for a review of an item priced at least reviewMinItemPriceCents'),
      reviewMinItemPriceCents: z.number().int().min(0).max(2_147_483_647).default(2000).describe('Lowest item price in cents whose review earns growth (2000 = ¥20.00)'),
      photoReview: z.number().int().min(0).max(10_000).default(20).describe('Extra growth for a review with photos'),
      photoReviewsPerItem: z.number().int().min(0).max(1000).default(10).describe('Photo reviews of one item that earn growth, at most'),
      share: z.number().int().min(0).max(10_000).default(0).describe('Growth for a share'),
      monthlyShopping: z
        .object({
          minDays: z.number().int().min(1).max(31).default(3).describe('Distinct local days with an order in a month that earn the bonus'),
          bonus: z.number().int().min(0).max(100_000).default(50).describe('Growth of the monthly shopping bonus'),
          grantDay: z.number().int().min(1).max(28).default(10).describe('Day of the next month the bonus is granted'),
        })
        .default({ minDays: 3, bonus: 50, grantDay: 10 })
        .describe('Monthly shopping bonus: growth for shopping on several days of a month'),
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
    })
    .describe('Growth (成长值) earned per purchase and activity'),
  checkIn: z
    .object({ rewards: z.array(z.number().int().min(0).max(100_000)).min(1).max(31).default([1, 2, 3, 5, 5, 5, 10]).describe('Points for day 1, 2, … of a check-in streak; the last value repeats') })
    .default({ rewards: [1, 2, 3, 5, 5, 5, 10] })
    .describe('Daily check-in (签到) rewards'),
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
    .default({ firstOrder: 100, firstOrderMinAmountCents: 0, profileCompleted: 50, profileRequiredFields: ['name', 'phone', 'birthday'] })
    .describe('Built-in one-time tasks'),
  referral: z
    .object({
      inviterPoints: z.number().int().min(0).max(1_000_000).default(0).describe("Points to the inviter when an invitee's first qualifying order completes the referral"),
      inviterGrowth: z.number().int().min(0).max(1_000_000).default(0).describe('Growth to the inviter on a completed referral'),
      inviteeCouponTemplateCode: z.string().max(64).nullable().default(null).describe('Welcome coupon (template code) to the invitee on a completed referral'),
      minFirstOrderCents: z.number().int().min(0).max(2_147_483_647).default(0).describe("The invitee's first order must reach this amount (minor units; 0 = any order above 0)"),
    })
    .default({ inviterPoints: 0, inviterGrowth: 0, inviteeCouponTemplateCode: null, minFirstOrderCents: 0 })
    .describe('Referral rewards (邀请有礼)'),
  onboarding: z
    .object({
      trialTierCode: z.string().max(64).nullable().default(null).describe('A tier every new member gets on trial at enrolment (null = none)'),
      trialDays: z.number().int().min(1).max(90).default(7).describe('Days of the onboarding trial'),
      welcomeCouponTemplateCodes: z.array(z.string().min(1).max(64)).max(10).default([]).describe('Coupon templates issued to every new member at enrolment (新人礼包)'),
    })
    .default({ trialTierCode: null, trialDays: 7, welcomeCouponTemplateCodes: [] })
    .describe('What every new member gets at enrolment (新会员引导)'),
  caps: z
    .object({
      activityGrowthPerDay: z.number().int().min(0).max(1_000_000).default(200).describe('Most growth a member earns from activities (not orders) in a local day'),
      activityPointsPerDay: z.number().int().min(0).max(1_000_000).default(200).describe('Most points a member earns from activities in a local day'),
    })
    .default({ activityGrowthPerDay: 200, activityPointsPerDay: 200 })
    .describe('Daily caps on activity rewards'),
  refunds: z
    .object({
      clawback: z.enum(['debt', 'cap_at_balance']).default('debt').describe('A refund takes back its points even below zero (`debt`, repaid by later earnings) or only down to zero (`cap_at_balance`)'),
      flagThresholdBps: bps().default(5000).describe('Share of refunded amount over the window, in basis points of spend, that flags a member (5000 = half)'),
      flagWindowDays: z.number().int().min(1).max(365).default(30).describe('Days the refund-abuse flag looks back'),
      flagMinOrders: z.number().int().min(1).max(1000).default(3).describe('Orders in the window before the flag can be raised'),
    })
    .default({ clawback: 'debt', flagThresholdBps: 5000, flagWindowDays: 30, flagMinOrders: 3 })
    .describe('Refund clawback and the refund-abuse flag'),
  retention: z
    .object({
      period: z.enum(['month', 'quarter', 'half_year', 'year']).default('quarter').describe('Calendar period (tenant time zone) over which a member must meet their tier’s retention requirement'),
      warnDays: z.number().int().min(0).max(90).default(15).describe('Days before the period ends that at-risk members are warned (`member.tier_at_risk`)'),
      keepTierGiftMonths: z.number().int().min(1).max(24).default(3).describe('Months a keep-tier gift protects the tier'),
      keepTierGiftPoints: z.number().int().min(0).max(1_000_000).default(0).describe('Points given with a keep-tier gift'),
    })
    .default({ period: 'quarter', warnDays: 15, keepTierGiftMonths: 3, keepTierGiftPoints: 0 })
    .describe('Tier retention (保级)'),
  rfm: z
    .object({
      windowDays: z.number().int().min(1).max(3650).default(365).describe('Days of orders the RFM score looks at'),
      recencyDays: z.array(z.number().int().min(0).max(3650)).length(4).default([30, 90, 180, 365]).describe('Days since the last order for R = 5, 4, 3, 2 (else 1)'),
      frequency: z.array(z.number().int().min(1).max(100_000)).length(4).default([2, 4, 8, 16]).describe('Orders in the window for F = 2, 3, 4, 5'),
      monetaryCents: z.array(z.number().int().min(1).max(2_147_483_647)).length(4).default([50_000, 200_000, 500_000, 1_000_000]).describe('Spend in the window for M = 2, 3, 4, 5'),
      weights: z
        .object({
          recency: z.number().int().min(0).max(10).default(1).describe('Weight of R'),
          frequency: z.number().int().min(0).max(10).default(1).describe('Weight of F'),
          monetary: z.number().int().min(0).max(10).default(1).describe('Weight of M'),
        })
        .default({ recency: 1, frequency: 1, monetary: 1 })
        .describe('Weights of R, F and M in the score'),
    })
    .default({
      windowDays: 365,
      recencyDays: [30, 90, 180, 365],
      frequency: [2, 4, 8, 16],
      monetaryCents: [50_000, 200_000, 500_000, 1_000_000],
      weights: { recency: 1, frequency: 1, monetary: 1 },
    })
    .describe('RFM scoring (qualification model `rfm`)'),
  trial: z
    .object({
      days: z.number().int().min(1).max(90).default(7).describe('Length of a tier trial in days'),
      tierCode: z.string().max(64).nullable().default(null).describe('Tier a trial gives by default, or null: the next tier up'),
    })
    .default({ days: 7, tierCode: null })
    .describe('Tier trials (体验)'),
  branding: brandingSchema.default({ displayName: null, logoUrl: null, colour: null, frameAncestors: [] }).describe('How the member center looks and where it may be embedded'),
  language: z.enum(['zh-CN', 'en']).default('zh-CN').describe("The language members read: the inbox and the member center's default"),
});

export type ProgramSettings = z.infer<typeof programSettingsSchema>;

export const programSchema = programSettingsSchema
  .extend({
    currency: z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217 currency of every …Cents amount (CNY: cents are 分, 100 = ¥1.00)'),
    timezone: z.string().describe('IANA time zone of the tenant: local days, member days, periods'),
    timezoneChange: z
      .object({
        previous: z.string().describe('The zone before the change'),
        at: z.string().describe('When the zone changed (RFC 3339)'),
      })
      .nullable()
      .describe('The last change of `timezone`, set by the API: benefit periods and task windows running at the change keep the previous zone until they end, the next ones follow the new zone; existing points lots keep their expiry. Null when it never changed'),
    qualificationModel: qualificationModel.describe('What tiers are earned by: `growth` (成长值), `spend` (rolling spend) or `rfm` (score)'),
    version: z.number().int().describe('Increases with every change of the program; set by the API'),
  })
  .describe('The tenant’s loyalty program: earning, redemption, expiry, growth, caps, refunds, retention. Set by the merchant')
  .openapi('Program');
export type Program = z.infer<typeof programSchema>;
export type MemberDay = z.infer<typeof memberDaySchema>;

const deepPartial = (schema: z.ZodObject): z.ZodObject =>
  z.object(
    Object.fromEntries(
      Object.entries(schema.shape).map(([k, v]) => {
        let inner = v as z.ZodType;
        // The description stays with the field (it may sit on the default wrapper).
        const description = inner.description;
        if (inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
        const field = inner instanceof z.ZodObject ? deepPartial(inner).strict().optional() : inner.optional();
        return [k, description ? field.describe(description) : field];
      }),
    ),
  );

/** PATCH body: any subset of the program; nested objects merge. Unknown keys are refused. */
export const programPatchSchema = deepPartial(programSettingsSchema)
  .extend({
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code').optional().describe('ISO 4217 currency of every …Cents amount'),
    timezone: timeZone().optional().describe('IANA time zone of the tenant'),
    qualificationModel: qualificationModel.optional().describe('What tiers are earned by: `growth`, `spend` or `rfm`'),
  })
  .strict()
  .describe('Any subset of the program; nested objects merge key by key')
  .openapi('ProgramPatch');
type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object | null ? DeepPartial<T[K]> | null : T[K] };
export type ProgramPatch = DeepPartial<ProgramSettings> & {
  currency?: string;
  timezone?: string;
  qualificationModel?: z.infer<typeof qualificationModel>;
};
