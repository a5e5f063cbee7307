import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { addDays, localDate } from '../shared/time.ts';
import { periodAt } from './period.ts';
import { loadRetentionSetup } from './retention-setup.ts';
import { outboxRowsFromSelectSql } from '../webhooks/index.ts';
import { decisionsSql, withParams } from './retention.sql.ts';

/**
 * From warnDays before the period end to its last day: members who would drop if the period
 * ended now get member.tier_at_risk with their shortfall, once per period (the event id is
 * derived from period and member, so reruns add nothing). One statement for the tenant.
 */
export async function warnMembersAtRisk(tx: Tx, ctx: TenantContext, now = new Date()): Promise<{ warned: number; skipped: boolean }> {
  const setup = await loadRetentionSetup(tx, ctx);
  const { timezone, retention } = setup.program;
  const period = periodAt(now, retention.period, timezone);
  const today = localDate(now, timezone);
  if (today < addDays(period.lastDay, -retention.warnDays)) return { warned: 0, skipped: true };
  const decisions = withParams(`WITH ${decisionsSql(setup.sources)}`, [
    ctx.tenantId,
    period.start,
    now,
    setup.ladderJson,
    '',
    null,
    setup.program.qualificationModel,
  ]);
  const [row] = await tx.$queryRaw<{ warned: number }[]>`
    ${decisions},
    ins AS (${outboxRowsFromSelectSql(ctx, {
      type: 'member.tier_at_risk',
      rows: Prisma.sql`
        SELECT d.id AS member_id,
          jsonb_build_object('memberId', d.id, 'tier', d.tier_at_end, 'wouldDropTo', d.target_code, 'periodEnd', ${period.lastDay}::text,
            'spendCents', d.spend, 'growthEarned', d.growth_in,
            'shortfall', jsonb_strip_nulls(jsonb_build_object(
              'spendCents', CASE WHEN d.cur_req_spend IS NOT NULL AND d.spend < d.cur_req_spend THEN d.cur_req_spend - d.spend END,
              'growth', CASE WHEN d.cur_req_growth IS NOT NULL AND d.growth_in < d.cur_req_growth THEN d.cur_req_growth - d.growth_in END))) AS data
        FROM decided d WHERE d.action = 'downgrade'`,
      createdAt: now,
      // Once per period and member: the same id on every run of the period.
      idTime: period.end,
      seed: Prisma.sql`'at_risk.' || ${period.lastDay}::text || '.' || s.member_id`,
    })})
    SELECT count(*)::int AS warned FROM ins`;
  return { warned: row?.warned ?? 0, skipped: false };
}
