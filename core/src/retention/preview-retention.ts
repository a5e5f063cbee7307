import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { periodAt, periodContaining } from './period.ts';
import { loadRetentionSetup } from './retention-setup.ts';
import { decisionsSql } from './retention.sql.ts';
import type { RetentionCandidate, RetentionPreview } from './retention.contract.ts';

type Row = {
  evaluated: number;
  at_risk: number;
  protected: number;
  per_tier: { code: string; count: number }[] | null;
  sample: { member_id: string; union_id: string; from: string; to: string; spend: number; growth_in: number; req_spend: number | null; req_growth: number | null }[] | null;
};

/**
 * What a run for the period would do, without writing: members below their tier's
 * requirement (atRisk), who would drop per current tier, and a sample with the shortfall.
 * For the current period it reads the events so far.
 */
export async function previewRetention(tx: Tx, ctx: TenantContext, input: { periodEnd?: string | undefined }, now = new Date()): Promise<RetentionPreview> {
  const setup = await loadRetentionSetup(tx, ctx);
  const { timezone, retention } = setup.program;
  const period = input.periodEnd ? periodContaining(input.periodEnd, retention.period, timezone) : periodAt(now, retention.period, timezone);
  // A period still under way is judged on what happened so far.
  const end = period.end < now ? period.end : now;
  const [row] = await tx.$queryRawUnsafe<Row[]>(
    `WITH ${decisionsSql(setup.sources)}
     SELECT
       (SELECT count(*)::int FROM base) AS evaluated,
       count(*) FILTER (WHERE action = 'downgrade')::int AS at_risk,
       count(*) FILTER (WHERE action = 'protect')::int AS protected,
       (SELECT jsonb_agg(jsonb_build_object('code', code, 'count', n) ORDER BY code) FROM
         (SELECT tier_at_end AS code, count(*)::int AS n FROM decided WHERE action = 'downgrade' GROUP BY tier_at_end) g) AS per_tier,
       (SELECT jsonb_agg(s) FROM (SELECT id AS member_id, union_id, tier_at_end AS "from", target_code AS "to", spend, growth_in,
           cur_req_spend AS req_spend, cur_req_growth AS req_growth
         FROM decided WHERE action = 'downgrade' ORDER BY id LIMIT 20) s) AS sample
     FROM decided`,
    ctx.tenantId,
    period.start,
    end,
    setup.ladderJson,
    '',
    null,
    setup.program.qualificationModel,
  );
  const sample: RetentionCandidate[] = (row?.sample ?? []).map((s) => ({
    memberId: s.member_id,
    unionId: s.union_id,
    from: s.from,
    to: s.to,
    spendCents: Number(s.spend),
    growthEarned: Number(s.growth_in),
    shortfall: {
      ...(s.req_spend !== null && Number(s.spend) < Number(s.req_spend) ? { spendCents: Number(s.req_spend) - Number(s.spend) } : {}),
      ...(s.req_growth !== null && Number(s.growth_in) < Number(s.req_growth) ? { growth: Number(s.req_growth) - Number(s.growth_in) } : {}),
    },
  }));
  return {
    periodStart: period.firstDay,
    periodEnd: period.lastDay,
    evaluated: row?.evaluated ?? 0,
    atRisk: row?.at_risk ?? 0,
    protected: row?.protected ?? 0,
    wouldDowngrade: row?.per_tier ?? [],
    sample,
  };
}
