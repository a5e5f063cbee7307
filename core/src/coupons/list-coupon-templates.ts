import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { afterCursor, decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { toTemplateDto } from './coupon-dto.ts';
import type { CouponTemplateDto } from './coupons.contract.ts';

export async function listCouponTemplates(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<CouponTemplateDto>> {
  const rows = await tx.couponTemplate.findMany({
    where: { tenantId: ctx.tenantId, ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, toTemplateDto, (r) => r.createdAt);
}
