import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { afterCursor, decodeCursor, toPage, type Page } from '../shared/pagination.ts';
import { toCouponDto } from './coupon-dto.ts';
import type { CouponDto } from './coupons.contract.ts';

/** A member's coupons, newest first; status filters available / used / expired. */
export async function listMemberCoupons(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  query: { status?: 'available' | 'used' | 'expired' | undefined; limit: number; cursor?: string | undefined },
  now = new Date(),
): Promise<Page<CouponDto>> {
  const status =
    query.status === 'used'
      ? { status: 'used' }
      : query.status === 'available'
        ? { status: 'available', expiresAt: { gt: now } }
        : query.status === 'expired'
          ? { status: 'available', expiresAt: { lte: now } }
          : {};
  const rows = await tx.coupon.findMany({
    where: { tenantId: ctx.tenantId, memberId, ...status, ...afterCursor(decodeCursor(query.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    include: { template: true },
  });
  return toPage(rows, query.limit, (r) => toCouponDto(r, now), (r) => r.createdAt);
}
