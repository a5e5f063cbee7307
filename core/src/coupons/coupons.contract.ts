import { z, code, queryFlag, str, STORE_ID_FIELD } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';

const INT4_MAX = 2_147_483_647;
const money = () => z.number().int().min(0).max(INT4_MAX);

export const couponKind = z.enum(['amount', 'percent', 'free_shipping']);

type KindTerms = { kind: z.infer<typeof couponKind>; amountCents?: number | null | undefined; percentBps?: number | null | undefined };

/** The kind rules of a template (create, and a patch merged onto the stored template). */
export function kindTermIssues(v: KindTerms): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const has = (x: number | null | undefined) => x !== undefined && x !== null;
  if (v.kind === 'amount' && !has(v.amountCents)) issues.push({ path: 'amountCents', message: 'Required for an amount coupon' });
  if (v.kind === 'percent' && !has(v.percentBps)) issues.push({ path: 'percentBps', message: 'Required for a percent coupon' });
  if (v.kind !== 'amount' && has(v.amountCents)) issues.push({ path: 'amountCents', message: `Not allowed for a ${v.kind} coupon` });
  if (v.kind !== 'percent' && has(v.percentBps)) issues.push({ path: 'percentBps', message: `Not allowed for a ${v.kind} coupon` });
  return issues;
}

const templateFields = {
  name: str(100).describe('Name shown to members, e.g. 满100减10'),
  kind: couponKind.describe('`amount`: amountCents off; `percent`: percentBps off the goods; `free_shipping`: waives shipping'),
  amountCents: money().min(1).describe('Amount off in cents for `amount` coupons (1000 = ¥10.00 off)'),
  percentBps: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .describe('Amount OFF in basis points of the goods for `percent` coupons: 1000 = 10% off (= 9折). (A tier’s `discountBps` is the opposite: the price paid.) Responses also carry it as `percentOffBps`'),
  minSpendCents: money().describe('Goods amount in cents the cart must reach (10000 = ¥100.00); 0 = none'),
  validDays: z.number().int().min(1).max(3650).describe('Days a coupon stays usable after it is issued'),
  stock: z.number().int().min(0).max(INT4_MAX).describe('How many may be issued'),
};

export const couponTemplateBody = z
  .object({
    code: code().describe('Stable template code (letters, digits, _ . -), e.g. `welcome10`'),
    name: templateFields.name,
    kind: templateFields.kind,
    amountCents: templateFields.amountCents.optional(),
    percentBps: templateFields.percentBps.optional(),
    minSpendCents: templateFields.minSpendCents.optional(),
    validDays: templateFields.validDays,
    stock: templateFields.stock.optional().describe('How many may be issued; absent = unlimited'),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const i of kindTermIssues(v)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
  })
  .describe('A coupon template (the terms coupons are issued on)')
  .openapi('CouponTemplateInput', { example: { code: 'save10-over100', name: '满100减10', kind: 'amount', amountCents: 1000, minSpendCents: 10000, validDays: 30, stock: 5000 } });
export type CouponTemplateInput = z.infer<typeof couponTemplateBody>;

export const couponTemplatePatchBody = z
  .object({
    name: templateFields.name.optional(),
    kind: templateFields.kind.optional(),
    amountCents: templateFields.amountCents.nullable().optional(),
    percentBps: templateFields.percentBps.nullable().optional(),
    minSpendCents: templateFields.minSpendCents.optional(),
    validDays: templateFields.validDays.optional().describe('Applies to coupons issued from now on'),
    stock: templateFields.stock
      .nullable()
      .optional()
      .describe('How many may still be issued from now on (null = unlimited); coupons already issued are not affected'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .describe('Fields of a template to change')
  .openapi('CouponTemplatePatch');
export type CouponTemplatePatch = z.infer<typeof couponTemplatePatchBody>;

export const couponTemplateParams = z.object({ code: code().describe('Template code') });

export const couponTemplateSchema = z
  .object({
    id: z.string().describe('Template id `cpt_…`'),
    code: z.string().describe('Template code'),
    name: z.string().describe('Name shown to members'),
    kind: couponKind.describe('`amount`, `percent` or `free_shipping`'),
    amountCents: z.number().int().nullable().describe('Amount off in cents (`amount` coupons), else null'),
    percentBps: z.number().int().nullable().describe('Amount OFF in basis points (`percent` coupons; 1000 = 10% off), else null'),
    percentOffBps: z.number().int().nullable().optional().describe('Response-only alias of percentBps, named for what it is: the share taken off'),
    minSpendCents: z.number().int().describe('Minimum goods amount in cents'),
    validDays: z.number().int().describe('Days a coupon stays usable after issue'),
    stock: z.number().int().nullable().describe('How many may still be issued; null = unlimited'),
    issued: z.number().int().describe('Coupons issued so far'),
    archivedAt: z.string().nullable().describe('Set once archived: no new coupons are issued from it; issued ones keep working'),
    createdAt: z.string().describe('Creation time (RFC 3339)'),
  })
  .describe('A coupon template')
  .openapi('CouponTemplate');
export type CouponTemplateDto = z.infer<typeof couponTemplateSchema>;

export const couponStatus = z.enum(['available', 'used', 'expired', 'revoked']);
export const couponSchema = z
  .object({
    id: z.string().describe('Coupon id `cpn_…`'),
    code: z.string().describe('The coupon’s own code: pass it in a quote’s or order’s couponCodes'),
    template: couponTemplateSchema
      .pick({ code: true, name: true, kind: true, amountCents: true, percentBps: true, percentOffBps: true, minSpendCents: true })
      .describe('The terms it was issued on'),
    status: couponStatus.describe('`available`, `used`, `expired` or `revoked` (taken back with the reward it came with: a task reward lost on a refund)'),
    source: z.string().describe('How it was issued: `manual`, `exchange`, `birthday`, `upgrade`, …'),
    expiresAt: z.string().describe('When it stops being usable (RFC 3339)'),
    usedAt: z.string().nullable().describe('When an order used it, or null'),
    orderId: z.string().nullable().describe('The order that used it, or null'),
    createdAt: z.string().describe('When it was issued (RFC 3339)'),
  })
  .describe('A coupon of a member')
  .openapi('Coupon');
export type CouponDto = z.infer<typeof couponSchema>;

export const grantCouponBody = z
  .object({
    templateCode: code().describe('Code of the template to issue from'),
    reference: str(255)
      .optional()
      .describe('Idempotency, one grant per reference in the tenant: the same reference, member and template → 200 with the coupon it issued and nothing more; with another member or template → 409 idempotency_conflict'),
  })
  .strict()
  .describe('A manual coupon grant')
  .openapi('GrantCoupon');
export const listCouponsQuery = z.object({
  status: couponStatus.optional().describe('Only coupons in this status'),
  limit: pageQuery.shape.limit,
  cursor: pageQuery.shape.cursor,
  storeId: STORE_ID_FIELD,
});
export const listCouponTemplatesQuery = pageQuery.extend({ includeArchived: queryFlag().describe('Also list archived templates') });
export type ListCouponTemplatesQuery = z.infer<typeof listCouponTemplatesQuery>;
