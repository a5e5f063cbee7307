import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** Growth and points a member already got from activities and check-ins on one local day (daily caps). */
export async function dailyUsage(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  localDate: string,
): Promise<{ growth: number; points: number }> {
  const [a, c] = await Promise.all([
    tx.activity.aggregate({ where: { tenantId: ctx.tenantId, memberId, localDate }, _sum: { growthAwarded: true, pointsAwarded: true } }),
    tx.checkIn.aggregate({ where: { tenantId: ctx.tenantId, memberId, localDate }, _sum: { pointsAwarded: true } }),
  ]);
  return { growth: a._sum.growthAwarded ?? 0, points: (a._sum.pointsAwarded ?? 0) + (c._sum.pointsAwarded ?? 0) };
}
