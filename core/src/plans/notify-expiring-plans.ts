import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { addDays, startOfLocalDay } from '../shared/time.ts';
import { outboxRowsFromSelectSql } from '../webhooks/index.ts';

export const PLAN_EXPIRING_DAYS = 7;

/**
 * `plan.expiring` for every paid plan whose `until` falls on the local day 7 days after `date`
 * (the tenant's local YYYY-MM-DD; the worker runs it daily), cancelled or not. One set-based
 * statement; the event id derives from the member and `until`, so a second run (or a run again
 * the same day) writes nothing more.
 */
export async function notifyExpiringPlans(tx: Tx, ctx: TenantContext, input: { date: string; timezone: string; at: Date }): Promise<{ notified: number }> {
  const day = addDays(input.date, PLAN_EXPIRING_DAYS);
  const start = startOfLocalDay(day, input.timezone);
  const end = startOfLocalDay(addDays(day, 1), input.timezone);
  const t = ctx.tenantId;
  const [r] = await tx.$queryRaw<{ n: number }[]>`
    WITH ins AS (${outboxRowsFromSelectSql(ctx, {
      type: 'plan.expiring',
      rows: Prisma.sql`SELECT mp.member_id, mp.until, jsonb_build_object('memberId', mp.member_id, 'plan', p.code, 'status', mp.status, 'until', mp.until) AS data
                       FROM member_plans mp JOIN plans p ON p.tenant_id = mp.tenant_id AND p.id = mp.plan_id
                       WHERE mp.tenant_id = ${t} AND mp.until >= ${start}::timestamptz AND mp.until < ${end}::timestamptz`,
      createdAt: input.at,
      idTime: start,
      seed: Prisma.sql`'plan.expiring:' || s.member_id || ':' || s.until::text`,
    })})
    SELECT count(*)::int AS n FROM ins`;
  return { notified: r!.n };
}
