import { z, code, queryFlag, str } from '../shared/zod.ts';
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
  name: str(100),
  kind: couponKind,
  amountCents: money().min(1),
  percentBps: z.number().int().min(1).max(10_000).describe('Percent off in basis points: 1000 = 10% off'),
  minSpendCents: money(),
  validDays: z.number().int().min(1).max(3650),
  stock: z.number().int().min(0).max(INT4_MAX),
};

export const couponTemplateBody = z
  .object({
    code: code(),
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
  .openapi('CouponTemplateInput');
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
  .openapi('CouponTemplatePatch');
export type CouponTemplatePatch = z.infer<typeof couponTemplatePatchBody>;

export const couponTemplateParams = z.object({ code: code() });

export const couponTemplateSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    kind: couponKind,
    amountCents: z.number().int().nullable(),
    percentBps: z.number().int().nullable(),
    minSpendCents: z.number().int(),
    validDays: z.number().int(),
    stock: z.number().int().nullable(),
    issued: z.number().int(),
    archivedAt: z.string().nullable().describe('Set once archived: no new coupons are issued from it; issued ones keep working'),
    createdAt: z.string(),
  })
  .openapi('CouponTemplate');
export type CouponTemplateDto = z.infer<typeof couponTemplateSchema>;

export const couponStatus = z.enum(['available', 'used', 'expired']);
export const couponSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    template: couponTemplateSchema.pick({ code: true, name: true, kind: true, amountCents: true, percentBps: true, minSpendCents: true }),
    status: couponStatus,
    source: z.string(),
    expiresAt: z.string(),
    usedAt: z.string().nullable(),
    orderId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Coupon');
export type CouponDto = z.infer<typeof couponSchema>;

export const grantCouponBody = z
  .object({
    templateCode: code(),
    reference: str(255)
      .optional()
      .describe('Idempotency, one grant per reference in the tenant: the same reference, member and template → 200 with the coupon it issued and nothing more; with another member or template → 409 idempotency_conflict'),
  })
  .strict()
  .openapi('GrantCoupon');
export const listCouponsQuery = z.object({
  status: couponStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  storeId: z.string().max(64).optional(),
});
export const listCouponTemplatesQuery = pageQuery.extend({ includeArchived: queryFlag().describe('Also list archived templates') });
export type ListCouponTemplatesQuery = z.infer<typeof listCouponTemplatesQuery>;
