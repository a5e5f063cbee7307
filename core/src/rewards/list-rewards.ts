import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { afterCursor, decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { toRewardDto } from './reward-dto.ts';
import type { RewardDto } from './rewards.contract.ts';

/** The rewards catalogue, newest first; archived rewards only with `includeArchived`. */
export async function listRewards(tx: Tx, ctx: TenantContext, page: PageQuery & { includeArchived?: boolean }): Promise<Page<RewardDto>> {
  const rows = await tx.reward.findMany({
    where: { tenantId: ctx.tenantId, ...(page.includeArchived ? {} : { archivedAt: null }), ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
    include: { template: { select: { code: true } } },
  });
  return toPage(rows, page.limit, toRewardDto, (r) => r.createdAt);
}
