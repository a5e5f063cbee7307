import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { addDays, localDate } from '../shared/time.ts';
import { periodAt } from './period.ts';
import { loadRetentionSetup } from './retention-setup.ts';
import { decisionsSql } from './retention.sql.ts';

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
  const [row] = await tx.$queryRawUnsafe<{ warned: number }[]>(
    `WITH ${decisionsSql(setup.sources)},
     ins AS (
       INSERT INTO outbox_events (tenant_id, id, type, member_id, payload)
       SELECT $1, e.id, 'member.tier_at_risk', d.id,
         jsonb_build_object('id', e.id, 'type', 'member.tier_at_risk', 'tenantId', $1,
           'createdAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'data', jsonb_build_object('memberId', d.id, 'tier', d.tier_at_end, 'wouldDropTo', d.target_code, 'periodEnd', $8::text,
             'spendCents', d.spend, 'growthEarned', d.growth_in,
             'shortfall', jsonb_strip_nulls(jsonb_build_object(
               'spendCents', CASE WHEN d.cur_req_spend IS NOT NULL AND d.spend < d.cur_req_spend THEN d.cur_req_spend - d.spend END,
               'growth', CASE WHEN d.cur_req_growth IS NOT NULL AND d.growth_in < d.cur_req_growth THEN d.cur_req_growth - d.growth_in END))))
       FROM decided d CROSS JOIN LATERAL (SELECT 'evt_' || md5('at_risk.' || $8 || '.' || d.id) AS id) e
       WHERE d.action = 'downgrade'
       ORDER BY d.id
       ON CONFLICT (tenant_id, id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS warned FROM ins`,
    ctx.tenantId,
    period.start,
    now,
    setup.ladderJson,
    '',
    null,
    setup.program.qualificationModel,
    period.lastDay,
  );
  return { warned: row?.warned ?? 0, skipped: false };
}
