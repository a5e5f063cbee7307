import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** Order refund hook: a full refund gives the order's coupons back (available again). */
export async function returnOrderCoupons(tx: Tx, ctx: TenantContext, orderId: string): Promise<number> {
  const r = await tx.coupon.updateMany({ where: { tenantId: ctx.tenantId, orderId, status: 'used' }, data: { status: 'available', usedAt: null, orderId: null } });
  return r.count;
}
