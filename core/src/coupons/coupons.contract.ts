import { z, code, str } from '../shared/zod.ts';

const INT4_MAX = 2_147_483_647;
const money = () => z.number().int().min(0).max(INT4_MAX);

export const couponKind = z.enum(['amount', 'percent', 'free_shipping']);

export const couponTemplateBody = z
  .object({
    code: code(),
    name: str(100),
    kind: couponKind,
    amountCents: money().min(1).optional(),
    percentBps: z.number().int().min(1).max(10_000).optional().describe('Percent off in basis points: 1000 = 10% off'),
    minSpendCents: money().optional(),
    validDays: z.number().int().min(1).max(3650),
    stock: z.number().int().min(0).max(INT4_MAX).optional().describe('How many may be issued; absent = unlimited'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'amount' && v.amountCents === undefined) ctx.addIssue({ code: 'custom', path: ['amountCents'], message: 'Required for an amount coupon' });
    if (v.kind === 'percent' && v.percentBps === undefined) ctx.addIssue({ code: 'custom', path: ['percentBps'], message: 'Required for a percent coupon' });
    if (v.kind !== 'amount' && v.amountCents !== undefined) ctx.addIssue({ code: 'custom', path: ['amountCents'], message: `Not allowed for a ${v.kind} coupon` });
    if (v.kind !== 'percent' && v.percentBps !== undefined) ctx.addIssue({ code: 'custom', path: ['percentBps'], message: `Not allowed for a ${v.kind} coupon` });
  })
  .openapi('CouponTemplateInput');
export type CouponTemplateInput = z.infer<typeof couponTemplateBody>;

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

export const grantCouponBody = z.object({ templateCode: code() }).strict().openapi('GrantCoupon');
export const listCouponsQuery = z.object({
  status: couponStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  storeId: z.string().max(64).optional(),
});
