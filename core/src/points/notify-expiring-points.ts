import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { emitEvent } from '../webhooks/index.ts';

export const EXPIRING_NOTICE_DAYS = 30;

/**
 * points.expiring notices: for lots with points left that expire within `days` (default 30) of
 * `now`, one event per member listing the lots; each lot is marked notified (a conditional
 * update), so a lot is announced once however often the job runs.
 */
export async function notifyExpiringPoints(tx: Tx, ctx: TenantContext, options: { now?: Date; days?: number; limit?: number } = {}) {
  const now = options.now ?? new Date();
  const horizon = new Date(now.getTime() + (options.days ?? EXPIRING_NOTICE_DAYS) * 86_400_000);
  const limit = options.limit ?? 1000;
  const lots = await tx.pointsLot.findMany({
    where: { tenantId: ctx.tenantId, expiringNotifiedAt: null, remaining: { gt: 0 }, expiresAt: { gte: now, lte: horizon } },
    orderBy: [{ memberId: 'asc' }, { expiresAt: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: { id: true, memberId: true, remaining: true, expiresAt: true },
  });
  const more = lots.length > limit;
  const byMember = new Map<string, { id: string; points: number; expiresAt: string }[]>();
  for (const lot of lots.slice(0, limit)) {
    // Claim the lot: a concurrent run that claimed it first makes this update match nothing.
    const claimed = await tx.pointsLot.updateMany({
      where: { tenantId: ctx.tenantId, id: lot.id, expiringNotifiedAt: null },
      data: { expiringNotifiedAt: now },
    });
    if (claimed.count === 0) continue;
    const list = byMember.get(lot.memberId) ?? [];
    list.push({ id: lot.id, points: lot.remaining, expiresAt: lot.expiresAt!.toISOString() });
    byMember.set(lot.memberId, list);
  }
  for (const [memberId, list] of byMember) {
    await emitEvent(tx, ctx, {
      type: 'points.expiring',
      memberId,
      data: { memberId, points: list.reduce((s, l) => s + l.points, 0), lots: list, earliestExpiresAt: list[0]!.expiresAt },
    });
  }
  return { members: byMember.size, lots: [...byMember.values()].reduce((s, l) => s + l.length, 0), more };
}
