import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { loadCouponsForUse } from './load-coupons-for-use.ts';

/**
 * Order intake hook: marks the order's `couponCodes` used, once. Each must be an available,
 * unexpired coupon of the order's member, given once, and (when the order lists items) its
 * minimum spend is checked against the items' total; otherwise the whole order is refused with
 * 422 coupon_not_applicable. The rows are locked, so two orders cannot use one coupon.
 */
export async function redeemOrderCoupons(tx: Tx, ctx: TenantContext, input: { orderId: string; memberId: string; couponCodes: string[]; itemsTotalCents: number | null; at: Date }): Promise<number> {
  if (!input.couponCodes.length) return 0;
  if (new Set(input.couponCodes).size !== input.couponCodes.length) throw new AppError('coupon_not_applicable', 'A coupon is given twice');
  const coupons = await loadCouponsForUse(tx, ctx, input.memberId, input.couponCodes, input.at, { forUpdate: true });
  for (const c of coupons) {
    if (c.unusable) throw new AppError('coupon_not_applicable', `Coupon ${c.code}: ${c.unusable}`, { extra: { coupon: c.code } });
    if (input.itemsTotalCents !== null && input.itemsTotalCents < c.minSpendCents) {
      throw new AppError('coupon_not_applicable', `Coupon ${c.code}: minimum spend ${c.minSpendCents} not reached`, { extra: { coupon: c.code } });
    }
  }
  const r = await tx.coupon.updateMany({
    where: { tenantId: ctx.tenantId, memberId: input.memberId, code: { in: input.couponCodes }, status: 'available' },
    data: { status: 'used', usedAt: input.at, orderId: input.orderId },
  });
  if (r.count !== input.couponCodes.length) throw new AppError('coupon_not_applicable', 'A coupon was used meanwhile');
  return r.count;
}
