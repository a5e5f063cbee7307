import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { decodeCursor, afterCursor, toPage, type Page } from '../shared/pagination.ts';
import { memberInclude, toMemberDtos } from './member-view.ts';
import type { MemberDto } from './members.contract.ts';

/** Members newest first; `q` matches unionId, openId or phone exactly, or the name in part. */
export async function listMembers(
  tx: Tx,
  ctx: TenantContext,
  query: { tier?: string | undefined; q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<MemberDto>> {
  const q = query.q?.trim();
  const rows = await tx.member.findMany({
    where: {
      tenantId: ctx.tenantId,
      mergedIntoId: null,
      ...(query.tier ? { tierCode: query.tier } : {}),
      ...(q
        ? {
            AND: [
              {
                OR: [
                  { unionId: q },
                  { phone: q },
                  { identities: { some: { openId: q } } },
                  { name: { contains: q, mode: 'insensitive' as const } },
                ],
              },
            ],
          }
        : {}),
      ...afterCursor(decodeCursor(query.cursor)),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    include: memberInclude,
  });
  const page = toPage(rows, query.limit, (r) => r, (r) => r.createdAt);
  return { data: await toMemberDtos(tx, ctx, page.data), nextCursor: page.nextCursor };
}
