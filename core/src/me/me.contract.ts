import { z } from '../shared/zod.ts';
import { couponSchema } from '../coupons/index.ts';
import { memberSchema, memberProgressSchema, profilePatchBody } from '../members/index.ts';
import { benefitsSchema } from '../tiers/index.ts';
import { entitlementSchema } from '../benefits/index.ts';

/** The member as the member sees it: no `flagged`, nothing of the audit. */
export const meMemberSchema = memberSchema.omit({ flagged: true }).openapi('MeMember');
export type MeMemberDto = z.infer<typeof meMemberSchema>;

export const meTaskSchema = z
  .object({
    code: z.string().describe('The task code (`check_in` for the daily check-in, `first_order` and `profile` for the built-ins, else the tenant\'s task)'),
    name: z.string().describe("The task's name in the tenant's language"),
    type: z.enum(['daily', 'growth', 'special']).describe('daily: once a local day; special: once'),
    progress: z.number().int().describe('Steps done in the current window'),
    target: z.number().int().describe('Steps that complete it'),
    completed: z.boolean().describe('Done in the current window'),
    reward: z
      .object({
        points: z.number().int().describe('Points it gives (for check-in: today’s, by the streak)'),
        growth: z.number().int().optional().describe('Growth it gives'),
        couponTemplateCode: z.string().nullable().optional().describe('Coupon template it gives, if any'),
      })
      .describe('What completing it gives'),
    streak: z.number().int().optional().describe('check_in only: consecutive local days up to today (today included once checked in)'),
    windowEnd: z.string().nullable().describe('Last local day of the window (daily tasks: today), null for once-only tasks'),
  })
  .openapi('MeTask');
export type MeTaskDto = z.infer<typeof meTaskSchema>;

/** A current entitlement of the benefit catalogue (API.md "Benefit catalogue"): the tenant API's shape. */
export const meEntitlementSchema = entitlementSchema;
export type MeEntitlementDto = z.infer<typeof meEntitlementSchema>;

export const memberDayViewSchema = z
  .object({
    next: z.string().describe('The next member day (local date YYYY-MM-DD); today when today is one'),
    today: z.boolean().describe('Today is a member day'),
    daysUntil: z.number().int().describe('Days from today to `next` (0 = today)'),
    weekdays: z.array(z.number().int()).describe('ISO weekdays of the member day, 1 = Monday'),
    discountBps: z.number().int().describe('Member-day price, in basis points of the price (8800 = 88折)'),
    pointsMultiplierBps: z.number().int().describe('Points multiplier in basis points (20000 = double points)'),
  })
  .openapi('MemberDayView');

export const centerSchema = z
  .object({
    displayName: z.string().nullable().describe("The tenant's name for the member center"),
    logoUrl: z.string().nullable().describe('Logo (https)'),
    colour: z.string().nullable().describe('Accent colour #RRGGBB'),
    language: z.enum(['zh-CN', 'en']).describe("The tenant's language"),
    currency: z.string().describe('ISO 4217 currency of every ...Cents field'),
    timezone: z.string().describe("The tenant's IANA time zone"),
    checkInRewards: z.array(z.number().int()).describe('Points of the check-in by streak day (the last repeats)'),
    ladder: z
      .array(
        z.object({
          code: z.string().describe('Tier code'),
          name: z.string().describe('Tier name'),
          rank: z.number().int().describe('Rank, 0 = lowest'),
          benefits: benefitsSchema.describe("The tier's benefits (what a higher tier unlocks)"),
        }),
      )
      .describe('The tiers, lowest first'),
  })
  .openapi('MemberCenter');

export const centerBrandingSchema = centerSchema
  .extend({ frameAncestors: z.array(z.string()).describe('Origins that may embed the member center (its CSP frame-ancestors)') })
  .openapi('MemberCenterBranding');

export const celebrationSchema = z
  .object({
    messageId: z.string().describe('The inbox message of the upgrade: mark it read (POST /v1/me/inbox/:id/read) once the celebration was shown, and it is not shown again'),
    tier: z.object({ code: z.string().describe('Tier code'), name: z.string().describe('Tier name') }).describe('The tier the member reached'),
    from: z.object({ code: z.string().describe('Tier code'), name: z.string().describe('Tier name') }).describe('The tier before'),
    at: z.string().describe('When the member moved up (RFC 3339)'),
  })
  .describe("An upgrade the member has not seen yet: the newest unread tier change, when it moved them up and they are still on that tier")
  .openapi('MeCelebration');

export const meSchema = z
  .object({
    member: meMemberSchema.describe('The member (member-safe view)'),
    progress: memberProgressSchema.describe('The same object as member.progress'),
    memberDay: memberDayViewSchema.nullable().describe('The member day, null when the program has none'),
    benefits: benefitsSchema.describe('Effective benefits now (tier and paid plan, the better of each)'),
    entitlements: z.array(meEntitlementSchema).describe('Current entitlements of the benefit catalogue'),
    tasks: z.array(meTaskSchema).describe("Today's tasks: check-in first, then the once-only tasks not done yet"),
    coupons: z.array(couponSchema).describe('Available coupons, soonest expiry first (up to 20)'),
    unreadMessages: z.number().int().describe('Unread inbox messages'),
    celebration: celebrationSchema.nullable().describe('An upgrade to celebrate once (晋升), or null'),
    center: centerSchema.describe('What the member center needs to draw itself: branding, language, currency, ladder'),
  })
  .openapi('Me');
export type MeDto = z.infer<typeof meSchema>;

export const meProfileBody = profilePatchBody;
