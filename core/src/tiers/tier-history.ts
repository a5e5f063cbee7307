import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { afterCursor, decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import type { TierChangeDto } from './tiers.contract.ts';

/** A member's tier changes, newest first (keyset on at desc, id desc). */
export async function listTierHistory(tx: Tx, ctx: TenantContext, memberId: string, page: PageQuery): Promise<Page<TierChangeDto>> {
  const rows = await tx.tierChange.findMany({
    where: { tenantId: ctx.tenantId, memberId, ...afterCursor(decodeCursor(page.cursor), 'at') },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, (r) => ({ id: r.id, from: r.fromCode, to: r.toCode, reason: r.reason, at: r.at.toISOString() }), (r) => r.at);
}
