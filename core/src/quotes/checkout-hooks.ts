import { recordBenefitUsage } from '../benefits/index.ts';
import { redeemOrderCoupons, returnOrderCoupons } from '../coupons/index.ts';
import { registerOrderCompletedHook, registerOrderRefundedHook } from '../orders/index.ts';

/**
 * Checkout wired into order intake (the orders module's hooks, inside the order's
 * transaction with the member lock held): the order's `couponCodes` are used once (422
 * coupon_not_applicable refuses the whole order), its `appliedBenefits` are recorded for
 * analytics, and a full refund gives the coupons back. Registered here, not in coupons or
 * benefits, because orders imports benefits: this module sits above all three.
 */
export function registerCheckoutHooks(): void {
  registerOrderCompletedHook(async (tx, ctx, { order, input, at }) => {
    const items = input.items;
    await redeemOrderCoupons(tx, ctx, {
      orderId: order.id,
      memberId: order.memberId,
      couponCodes: input.couponCodes ?? [],
      itemsTotalCents: items?.length ? items.reduce((s, i) => s + i.priceCents * i.quantity, 0) : null,
      at,
    });
    await recordBenefitUsage(tx, ctx, { orderId: order.id, memberId: order.memberId, applied: input.appliedBenefits ?? [], at });
  });
  registerOrderRefundedHook(async (tx, ctx, { order, fullyRefunded }) => {
    if (fullyRefunded) await returnOrderCoupons(tx, ctx, order.id);
  });
}
