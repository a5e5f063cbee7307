import { z, dateOnly, str, STORE_ID_FIELD } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';
import { benefitsResponseSchema } from '../tiers/index.ts';

export const profileSchema = z
  .object({
    name: str(100).optional().describe('Display name'),
    phone: z.string().min(3).max(32).regex(/^\+?[0-9 -]+$/, 'digits, spaces, - and a leading +').optional().describe('Phone number: digits, spaces, - and a leading +'),
    email: z.email().max(255).optional().describe('Email address'),
    birthday: dateOnly().optional().describe('Birthday YYYY-MM-DD: birthday gifts are granted in its month'),
  })
  .strict()
  .describe('What the storefront knows of the member; all optional')
  .openapi('Profile');

export const enrolMemberBody = z
  .object({
    unionId: str(128).describe('The member’s one id across the tenant’s stores (e.g. the WeChat unionId); set by the storefront'),
    openId: str(128).optional().describe('The member’s id in this store (e.g. a mini-program openId); bound to storeId'),
    storeId: STORE_ID_FIELD,
    profile: profileSchema.optional(),
    referredBy: str(128).optional().describe('unionId of the member who referred this one'),
  })
  .strict()
  .describe('Enrol a member (idempotent by unionId: a known unionId answers 200 with the member)')
  .openapi('EnrolMember');
export type EnrolMemberInput = z.infer<typeof enrolMemberBody>;

export const bindIdentityBody = z
  .object({ storeId: STORE_ID_FIELD, openId: str(128).describe('The member’s id in that store') })
  .strict()
  .describe('Bind an openId of a store to the member')
  .openapi('BindIdentity');

export const listMembersQuery = z.object({
  tier: z.string().max(64).optional().describe('Only members on this tier code'),
  q: z.string().max(128).optional().describe('Search: unionId, openId, name, phone or email'),
  limit: pageQuery.shape.limit,
  cursor: pageQuery.shape.cursor,
});

const retentionUnits = z
  .object({
    spendCents: z.number().int().optional().describe('Present when the requirement has a spend part (minor units)'),
    growth: z.number().int().optional().describe('Present when the requirement has a growth part'),
  })
  .describe('An amount per unit of a retention requirement')
  .openapi('RetentionUnits');

export const memberProgressSchema = z
  .object({
    unit: z.enum(['growth', 'spendCents', 'rfmScore']).describe("The qualification model's unit: growth value, rolling 365-day completed spend (minor units) or RFM score"),
    current: z.number().int().describe("The member's value in that unit now (spend: orders completed in the last 365 days less refunds made so far)"),
    nextTier: z
      .object({
        code: z.string().describe('Tier code'),
        name: z.string().describe('Tier name'),
        threshold: z.number().int().describe("The next tier's threshold in `unit`"),
        missing: z.number().int().describe('threshold − current. Under `rfm` in score points: quintile scores may move with other members and with time'),
      })
      .nullable()
      .describe('The lowest tier above the current one whose threshold is not reached yet; null at the top'),
    retention: z
      .object({
        unit: z.enum(['spendCents', 'growth', 'both']).describe('What the requirement measures; `both`: the spend and the growth part must each be met'),
        periodEnd: z.string().describe('Last local day of the current retention period (YYYY-MM-DD)'),
        requirement: retentionUnits.describe("The tier's requirement per unit: one key per part"),
        achieved: retentionUnits.describe('Spend completed (refunds made so far deducted) and growth earned in the period so far, per required unit'),
        missing: retentionUnits.describe('requirement − achieved per unit, never below 0; the tier is kept when every part is 0'),
        atRisk: z.boolean().describe('Some part is missing and the member is judged at the period end (not protected by an upgrade into the tier during this period, nor on a trial that outlasts it)'),
      })
      .nullable()
      .describe("The current tier's retention requirement for this period; null when the tier has none (the lowest tier never has)"),
  })
  .describe('Progress to the next tier and towards keeping the current one, in the qualification model’s unit')
  .openapi('MemberProgress');

export const memberSchema = z
  .object({
    id: z.string().describe('Member id `mem_…`, set by the API'),
    unionId: z.string().describe('The member’s id across the tenant’s stores, as enrolled'),
    identities: z
      .array(z.object({ storeId: z.string().describe('Store id `sto_…`'), openId: z.string().describe('The member’s id in that store') }))
      .describe('openIds per store'),
    tier: z
      .object({
        code: z.string().describe('Tier code (e.g. `gold`)'),
        name: z.string().describe('Tier name shown to members (e.g. 金牌)'),
        since: z.string().describe('When the member reached this tier (RFC 3339)'),
        protectedUntil: z.string().nullable().describe('Until when the tier cannot be lost by retention (an upgrade protects it for the rest of the period), or null'),
        trialUntil: z.string().nullable().describe('End of a tier trial, or null'),
      })
      .describe('The member’s current tier'),
    points: z
      .object({
        balance: z.number().int().describe('Spendable points (may be negative after a refund’s clawback, `refunds.clawback: debt`)'),
        expiringSoon: z
          .array(z.object({ points: z.number().int().describe('Points of lots expiring'), expiresAt: z.string().describe('When they expire (RFC 3339)') }))
          .describe('Points expiring in the next 30 days, soonest first'),
      })
      .describe('Points (积分)'),
    growth: z
      .object({
        value: z.number().int().describe('Growth value (成长值) now'),
        nextTier: z
          .object({ code: z.string().describe('Tier code'), name: z.string().describe('Tier name'), missing: z.number().int().describe('Growth still missing') })
          .nullable()
          .describe('Next tier by growth, or null at the top; see `progress` for any qualification model'),
      })
      .describe('Growth value (成长值)'),
    progress: memberProgressSchema,
    plan: z
      .object({ code: z.string().describe('Plan code'), name: z.string().describe('Plan name'), until: z.string().describe('End of the paid or trial period (RFC 3339)') })
      .nullable()
      .describe('The active paid membership (付费会员), or null'),
    benefits: benefitsResponseSchema.describe('Effective benefits: the better of tier and plan for each'),
    profile: z
      .object({
        name: z.string().nullable().describe('Display name'),
        phone: z.string().nullable().describe('Phone number'),
        email: z.string().nullable().describe('Email address'),
        birthday: z.string().nullable().describe('Birthday YYYY-MM-DD'),
      })
      .describe('Profile as enrolled or updated'),
    flagged: z.boolean().describe('Refund-abuse flag (refunds over `refunds.flagThresholdBps` of spend); cleared by an admin'),
    createdAt: z.string().describe('Enrolment time (RFC 3339)'),
  })
  .describe('A member with balances, tier, progress and effective benefits')
  .openapi('Member');
export type MemberDto = z.infer<typeof memberSchema>;

/** PATCH /v1/members/:member/profile: the fields given change; null clears one. */
export const profilePatchBody = z
  .object({
    name: str(100).nullable().optional().describe('Full name (null clears it)'),
    phone: z.string().min(3).max(32).regex(/^\+?[0-9 -]+$/, 'digits, spaces, - and a leading +').nullable().optional().describe('Phone number (null clears it)'),
    email: z.email().max(255).nullable().optional().describe('Email address (null clears it)'),
    birthday: dateOnly().nullable().optional().describe('Birthday YYYY-MM-DD (null clears it)'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .openapi('ProfilePatch');
export type ProfilePatch = z.infer<typeof profilePatchBody>;
