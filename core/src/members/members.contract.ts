import { z, dateOnly, str } from '../shared/zod.ts';
import { benefitsSchema } from '../tiers/index.ts';

export const profileSchema = z
  .object({
    name: str(100).optional(),
    phone: z.string().min(3).max(32).regex(/^\+?[0-9 -]+$/, 'digits, spaces, - and a leading +').optional(),
    email: z.email().max(255).optional(),
    birthday: dateOnly().optional(),
  })
  .strict()
  .openapi('Profile');

export const enrolMemberBody = z
  .object({
    unionId: str(128),
    openId: str(128).optional(),
    storeId: str(64).optional(),
    profile: profileSchema.optional(),
    referredBy: str(128).optional(),
  })
  .strict()
  .openapi('EnrolMember');
export type EnrolMemberInput = z.infer<typeof enrolMemberBody>;

export const bindIdentityBody = z.object({ storeId: str(64).optional(), openId: str(128) }).strict().openapi('BindIdentity');

export const listMembersQuery = z.object({
  tier: z.string().max(64).optional(),
  q: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

const retentionUnits = z
  .object({
    spendCents: z.number().int().optional().describe('Present when the requirement has a spend part (minor units)'),
    growth: z.number().int().optional().describe('Present when the requirement has a growth part'),
  })
  .openapi('RetentionUnits');

export const memberProgressSchema = z
  .object({
    unit: z.enum(['growth', 'spendCents', 'rfmScore']).describe("The qualification model's unit: growth value, rolling 365-day completed spend (minor units) or RFM score"),
    current: z.number().int().describe("The member's value in that unit now (spend: orders completed in the last 365 days less refunds made so far)"),
    nextTier: z
      .object({
        code: z.string(),
        name: z.string(),
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
  .openapi('MemberProgress');

export const memberSchema = z
  .object({
    id: z.string(),
    unionId: z.string(),
    identities: z.array(z.object({ storeId: z.string(), openId: z.string() })),
    tier: z.object({
      code: z.string(),
      name: z.string(),
      since: z.string(),
      protectedUntil: z.string().nullable(),
      trialUntil: z.string().nullable(),
    }),
    points: z.object({
      balance: z.number().int(),
      expiringSoon: z.array(z.object({ points: z.number().int(), expiresAt: z.string() })),
    }),
    growth: z.object({
      value: z.number().int(),
      nextTier: z.object({ code: z.string(), name: z.string(), missing: z.number().int() }).nullable(),
    }),
    progress: memberProgressSchema,
    plan: z.object({ code: z.string(), name: z.string(), until: z.string() }).nullable(),
    benefits: benefitsSchema,
    profile: z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), birthday: z.string().nullable() }),
    flagged: z.boolean(),
    createdAt: z.string(),
  })
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
