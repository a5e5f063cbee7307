import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** A coupon as a quote or an order sees it: terms, and why this member may not use it now. */
export interface CouponForUse {
  id: string | null;
  code: string;
  name: string;
  kind: 'amount' | 'percent' | 'free_shipping';
  amountCents: number | null;
  percentBps: number | null;
  minSpendCents: number;
  unusable: string | null;
}

/**
 * Loads the coupons named by code for one member in one query, in the order given. A code
 * that is unknown, another member's, used or expired comes back with the reason in `unusable`
 * (the same answer in every case where the coupon is not the member's, so codes of other
 * members cannot be probed). With `forUpdate` the rows are locked for an order.
 */
export async function loadCouponsForUse(tx: Tx, ctx: TenantContext, memberId: string | null, codes: string[], at: Date, options: { forUpdate?: boolean } = {}): Promise<CouponForUse[]> {
  if (!codes.length) return [];
  const unique = [...new Set(codes)];
  // Lock in id order so two orders naming the same coupons cannot deadlock.
  if (options.forUpdate) await tx.$queryRaw`SELECT id FROM coupons WHERE tenant_id = ${ctx.tenantId} AND code = ANY(${unique}) ORDER BY id FOR UPDATE`;
  const found = await tx.coupon.findMany({ where: { tenantId: ctx.tenantId, code: { in: unique } }, include: { template: true } });
  const byCode = new Map(found.map((c) => [c.code, c]));
  return codes.map((code) => {
    const c = byCode.get(code);
    if (!c || !memberId || c.memberId !== memberId) {
      return { id: null, code, name: code, kind: 'amount', amountCents: 0, percentBps: null, minSpendCents: 0, unusable: 'Not a coupon of this member' };
    }
    const t = c.template;
    const unusable = c.status === 'used' ? 'Already used' : c.status === 'revoked' ? 'Revoked' : c.expiresAt <= at ? 'Expired' : null;
    return { id: c.id, code, name: t.name, kind: t.kind as CouponForUse['kind'], amountCents: t.amountCents, percentBps: t.percentBps, minSpendCents: t.minSpendCents, unusable };
  });
}
