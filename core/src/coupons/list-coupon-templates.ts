import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { afterCursor, decodeCursor, toPage, type Page } from '../shared/pagination.ts';
import { toTemplateDto } from './coupon-dto.ts';
import type { CouponTemplateDto, ListCouponTemplatesQuery } from './coupons.contract.ts';

/** Coupon templates, newest first; archived ones only with `includeArchived`. */
export async function listCouponTemplates(tx: Tx, ctx: TenantContext, page: Pick<ListCouponTemplatesQuery, 'limit' | 'cursor'> & { includeArchived?: boolean }): Promise<Page<CouponTemplateDto>> {
  const rows = await tx.couponTemplate.findMany({
    where: { tenantId: ctx.tenantId, ...(page.includeArchived ? {} : { archivedAt: null }), ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, toTemplateDto, (r) => r.createdAt);
}
