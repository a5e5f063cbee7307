import { z, code, dateOnly, str } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';

const INT4_MAX = 2_147_483_647;

export const benefitCategory = z.enum(['shopping', 'service', 'activity', 'exclusive']).describe('shopping, service, activity or exclusive (基础 / 特权 / 专属 groupings are the category and grants)');
export const benefitKind = z.enum(['coupon_pack', 'service', 'gift', 'access']).describe('coupon_pack issues coupons of its template each period; the others are used (核销) through the use call');
export const benefitPer = z.enum(['day', 'week', 'month', 'quarter', 'year']).describe('The quota period: calendar periods in the tenant time zone for tier grants (weeks start Monday), periods from the subscription start for plan grants');

export const benefitGrantInput = z
  .object({
    tier: code().optional().describe('A tier code: the grant applies to this tier and every higher one (unless exactTier)'),
    plan: code().optional().describe('A paid plan code'),
    exactTier: z.boolean().optional().describe('Only this tier, not the higher ones'),
    count: z.number().int().min(1).max(10_000).optional().describe('Uses (or coupons) per period; absent = unlimited'),
    per: benefitPer,
  })
  .strict()
  .superRefine((g, c) => {
    if ((g.tier === undefined) === (g.plan === undefined)) c.addIssue({ code: 'custom', path: ['tier'], message: 'Give exactly one of tier or plan' });
    if (g.exactTier !== undefined && g.tier === undefined) c.addIssue({ code: 'custom', path: ['exactTier'], message: 'Only for a tier grant' });
  })
  .openapi('BenefitGrantInput');
export type BenefitGrantInput = z.infer<typeof benefitGrantInput>;

const fields = {
  name: str(100).describe('Shown to members, e.g. 免运费券 / Free delivery'),
  description: str(1000).nullable().describe('What it is and how to use it (usage instructions)'),
  category: benefitCategory,
  kind: benefitKind,
  couponTemplateCode: code().nullable().describe('The coupon template a coupon_pack issues (required for it, refused for other kinds)'),
  icon: str(64).nullable().describe('An icon name for the member center'),
  grants: z.array(benefitGrantInput).max(50).describe('Who gets it and how often'),
};

/** The kind rules of a benefit (create, and a patch merged onto the stored one). */
export function benefitKindIssues(v: { kind: string; couponTemplateCode?: string | null | undefined; grants: BenefitGrantInput[] }): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (v.kind === 'coupon_pack' && !v.couponTemplateCode) issues.push({ path: 'couponTemplateCode', message: 'Required for a coupon_pack' });
  if (v.kind !== 'coupon_pack' && v.couponTemplateCode) issues.push({ path: 'couponTemplateCode', message: `Not allowed for a ${v.kind} benefit` });
  if (v.kind === 'coupon_pack')
    v.grants.forEach((g, i) => {
      if (g.count === undefined) issues.push({ path: `grants.${i}.count`, message: 'A coupon_pack grant needs a count' });
    });
  return issues;
}

export const benefitBody = z
  .object({
    code: code().describe('Benefit code, unique in the tenant (letters, digits, _ and -)'),
    name: fields.name,
    description: fields.description.optional(),
    category: fields.category,
    kind: fields.kind,
    couponTemplateCode: fields.couponTemplateCode.optional(),
    icon: fields.icon.optional(),
    grants: fields.grants.default([]),
  })
  .strict()
  .superRefine((v, c) => {
    for (const i of benefitKindIssues(v)) c.addIssue({ code: 'custom', path: i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: i.message });
  })
  .openapi('BenefitInput');
export type BenefitInput = z.infer<typeof benefitBody>;

export const benefitPatchBody = z
  .object({
    name: fields.name.optional(),
    description: fields.description.optional(),
    category: fields.category.optional(),
    kind: fields.kind.optional(),
    couponTemplateCode: fields.couponTemplateCode.optional(),
    icon: fields.icon.optional(),
    grants: fields.grants.optional().describe('Replaces the grants; uses already made this period still count'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .openapi('BenefitPatch');
export type BenefitPatch = z.infer<typeof benefitPatchBody>;

export const benefitParams = z.object({ code: code().describe('The benefit code') });
export const listBenefitsQuery = z.object({
  includeArchived: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('Also list archived benefits'),
});

export const benefitGrantSchema = z
  .object({
    tier: z.string().nullable().describe('Tier code of a tier grant'),
    plan: z.string().nullable().describe('Plan code of a plan grant'),
    exactTier: z.boolean().describe('Only this tier, not the higher ones'),
    count: z.number().int().nullable().describe('Per period; null = unlimited'),
    per: benefitPer,
  })
  .openapi('BenefitGrant');

export const benefitSchema = z
  .object({
    id: z.string().describe('Benefit id'),
    code: z.string().describe('Benefit code'),
    name: z.string().describe('Name'),
    description: z.string().nullable().describe('Description and usage instructions'),
    category: benefitCategory,
    kind: benefitKind,
    couponTemplateCode: z.string().nullable().describe('Template of a coupon_pack'),
    icon: z.string().nullable().describe('Icon name'),
    grants: z.array(benefitGrantSchema).describe('Grants to tiers and plans'),
    archivedAt: z.string().nullable().describe('Set once archived: no new periods; what was granted stays usable until its period ends'),
    createdAt: z.string().describe('Created'),
  })
  .openapi('Benefit');
export type BenefitDto = z.infer<typeof benefitSchema>;

export const entitlementSchema = z
  .object({
    benefitCode: z.string().describe('Benefit code'),
    name: z.string().describe('Benefit name'),
    description: z.string().nullable().describe('Description and usage instructions'),
    category: benefitCategory,
    kind: benefitKind,
    icon: z.string().nullable().describe('Icon name'),
    per: benefitPer,
    periodStart: z.string().describe('Start of the current period (inclusive)'),
    periodEnd: z.string().describe('End of the current period (exclusive)'),
    granted: z.number().int().nullable().describe('Quota of the period; null = unlimited'),
    used: z.number().int().describe('Used this period (for a coupon_pack: its coupons used)'),
    remaining: z.number().int().nullable().describe('granted − used, never below 0; null = unlimited'),
    source: z.enum(['tier', 'plan']).describe('Where the (larger) quota comes from'),
  })
  .openapi('Entitlement');
export type EntitlementDto = z.infer<typeof entitlementSchema>;

export const benefitCodeParams = z.object({ benefitCode: code().describe('The benefit code') });

export const entitlementUseBody = z
  .object({
    reference: str(128).describe('Idempotency key of this use: the same reference again replays the first answer'),
    storeId: str(64).optional().describe('The store where it was used (a store-bound key: its own)'),
    orderExternalId: str(128).optional().describe('The order it was used on'),
    valueCents: z.number().int().min(0).max(INT4_MAX).optional().describe('What the benefit was worth, for analytics and the statement of value'),
  })
  .strict()
  .openapi('EntitlementUse');
export type EntitlementUseInput = z.infer<typeof entitlementUseBody>;

export const entitlementUseResult = z
  .object({
    benefitCode: z.string().describe('Benefit code'),
    remaining: z.number().int().nullable().describe('Left this period after this use; null = unlimited'),
    periodEnd: z.string().describe('End of the period the use counted in'),
  })
  .openapi('EntitlementUseResult');

export const benefitUsagesQuery = pageQuery.extend({});
export const benefitUsageSchema = z
  .object({
    id: z.string().describe('Usage id'),
    benefitCode: z.string().describe('Benefit code, or the pricing benefit kind for a use on an order'),
    name: z.string().nullable().describe('The benefit name (null for a pricing benefit reported on an order)'),
    kind: z.string().describe('Benefit kind (coupon_pack, service, gift, access) or the pricing benefit kind (member_price, free_shipping…)'),
    amountCents: z.number().int().nullable().describe('What it was worth, when known'),
    storeId: z.string().nullable().describe('Store where it was used'),
    reference: z.string().nullable().describe('The use reference, or the order id for a use on an order'),
    orderExternalId: z.string().nullable().describe('The order it was used on'),
    at: z.string().describe('When'),
  })
  .openapi('BenefitUsage');
export type BenefitUsageDto = z.infer<typeof benefitUsageSchema>;

export const planValueQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .refine((s) => Number(s.slice(0, 4)) >= 1970, 'from 1970')
    .optional()
    .describe('A month, YYYY-MM, in the tenant time zone (default: the current one)'),
});
export const planValueSchema = z
  .object({
    period: z.string().describe('The month, YYYY-MM'),
    planCode: z.string().nullable().describe('The plan held in that month (null: none)'),
    feeCents: z.number().int().describe('The plan fee for the month (a yearly fee divided by 12)'),
    savedCents: z.number().int().describe('What the member saved in the month'),
    breakdown: z.array(z.object({ kind: z.string().describe('member_price, free_shipping, coupon, entitlement …'), cents: z.number().int().describe('Saved') })).describe('Savings per kind'),
  })
  .openapi('PlanValue');
export type PlanValueDto = z.infer<typeof planValueSchema>;

export const analyticsRangeQuery = z.object({
  from: dateOnly().optional().describe('First local day (tenant time zone), default 29 days before `to`'),
  to: dateOnly().optional().describe('Last local day, inclusive; default today'),
});
