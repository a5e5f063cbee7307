import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { MemberDto } from '../members/index.ts';
import { EXPIRING_NOTICE_DAYS } from './notify-expiring-points.ts';

/**
 * Member-view extension: fills points.expiringSoon (points left per expiry date within the
 * notice window) for a whole page of members in ONE query.
 */
export async function fillExpiringSoon(tx: Tx, ctx: TenantContext, members: MemberDto[], now = new Date()): Promise<void> {
  if (members.length === 0) return;
  const horizon = new Date(now.getTime() + EXPIRING_NOTICE_DAYS * 86_400_000);
  const groups = await tx.pointsLot.groupBy({
    by: ['memberId', 'expiresAt'],
    where: { tenantId: ctx.tenantId, memberId: { in: members.map((m) => m.id) }, remaining: { gt: 0 }, expiresAt: { gte: now, lte: horizon } },
    _sum: { remaining: true },
    orderBy: [{ memberId: 'asc' }, { expiresAt: 'asc' }],
  });
  const byMember = new Map<string, { points: number; expiresAt: string }[]>();
  for (const g of groups) {
    const list = byMember.get(g.memberId) ?? [];
    list.push({ points: g._sum.remaining ?? 0, expiresAt: g.expiresAt!.toISOString() });
    byMember.set(g.memberId, list);
  }
  for (const m of members) m.points.expiringSoon = byMember.get(m.id) ?? [];
}
