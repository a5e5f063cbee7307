// The retention evaluation as SQL: one statement decides a whole batch of members (never a
// query per member). Parameters, shared by every statement built here:
//   $1 tenant_id   $2 period start   $3 period end (exclusive)   $4 ladder (jsonb)
//   $5 cursor: evaluate members with id > $5   $6 batch size (NULL: all)   $7 model
// Every input is an event time, so a run for a past period reads the same rows a run on that
// period's last day would have read.
import { Prisma } from '@unionpoint/db';
import { GrowthKind } from '../growth/index.ts';
import { completedSpendSql, rollingSpendSql as tiersRollingSpendSql } from '../tiers/index.ts';

export interface MetricSources {
  /** orders / order_refunds (ledger module) are present. */
  orders: boolean;
  /** growth_ledger (ledger module) is present. */
  growthLedger: boolean;
}

/** SQL text of a tiers builder given only SQL text (column names, positional parameters). */
function text(sql: Prisma.Sql): string {
  if (sql.values.length) throw new Error('retention SQL binds positional parameters only');
  return sql.sql;
}
const raw = (s: string) => Prisma.raw(s);
/** The period's last instant: $3 is the exclusive end, timestamps have microsecond resolution. */
const LAST_INSTANT = raw(`($3::timestamptz - interval '1 microsecond')`);

/**
 * Completed spend in the period [$2, $3): tiers' one definition of completed spend, over the
 * period's orders, less their refunds made before the end.
 */
function spendSql(s: MetricSources, member: string): string {
  if (!s.orders) return '0::bigint';
  return text(completedSpendSql(raw('$1'), raw(member), raw(`($2::timestamptz - interval '1 microsecond')`), LAST_INSTANT));
}

/** Rolling 365-day completed spend at the period's last instant (the `spend` model's measure, from tiers). */
function rollingSpendSql(s: MetricSources, member: string): string {
  if (!s.orders) return '0::bigint';
  return text(tiersRollingSpendSql(raw('$1'), raw(member), LAST_INSTANT));
}

/**
 * Growth earned in the period (net of clawbacks; earlier retention resets do not count) and
 * growth booked at or after the end (subtracted to get the value at the end): one probe of the
 * member's growth entries for both.
 */
function growthJoinSql(s: MetricSources): string {
  if (!s.growthLedger) return 'CROSS JOIN LATERAL (SELECT 0 AS in_period, 0 AS after_end) gr';
  return `LEFT JOIN LATERAL (
      SELECT sum(g.delta) FILTER (WHERE g.at < $3 AND g.kind <> '${GrowthKind.RetentionReset}')::int AS in_period,
             sum(g.delta) FILTER (WHERE g.at >= $3)::int AS after_end
      FROM growth_ledger g
      WHERE g.tenant_id = $1 AND g.member_id = h.id AND g.at >= $2) gr ON true`;
}

/**
 * CTEs `base` (the batch) and `decided` (one row per evaluated member with its action):
 * - tier_at_end: the tier held at the period end, from the tier history (later changes undone);
 * - met_code: the highest tier at or below it whose requirement the period's spend/growth met
 *   (a tier without a requirement is always met);
 * - action: keep | protect (reached the tier during the period) | downgrade | trial (a trial
 *   tier is the trial's to revert) | changed (the tier changed after the period end: that later
 *   event stands).
 */
export function decisionsSql(s: MetricSources): string {
  return `
  ladder AS (
    SELECT * FROM jsonb_to_recordset($4::jsonb)
      AS l(code text, rank int, min_growth int, min_spend bigint, req_spend bigint, req_growth int)
  ),
  base AS (
    SELECT m.id, m.union_id, m.tier_code, m.growth, m.trial_until
    FROM members m
    -- Members merged into another are no one any more: their survivor is evaluated.
    WHERE m.tenant_id = $1 AND m.id > $5 AND m.created_at < $3 AND m.merged_into_id IS NULL
    ORDER BY m.id
    LIMIT $6
  ),
  hist AS (
    -- One pass over each member's own tier history (the (tenant_id, member_id, at) index): the
    -- last change before the end and the first one at or after it.
    SELECT b.*, h.last_to, h.last_from, h.last_at, h.first_after_from
    FROM base b
    LEFT JOIN LATERAL (
      SELECT (array_agg(tc.to_code ORDER BY tc.at DESC, tc.id DESC) FILTER (WHERE tc.at < $3))[1] AS last_to,
             (array_agg(tc.from_code ORDER BY tc.at DESC, tc.id DESC) FILTER (WHERE tc.at < $3))[1] AS last_from,
             max(tc.at) FILTER (WHERE tc.at < $3) AS last_at,
             (array_agg(tc.from_code ORDER BY tc.at, tc.id) FILTER (WHERE tc.at >= $3))[1] AS first_after_from
      FROM tier_changes tc WHERE tc.tenant_id = $1 AND tc.member_id = b.id
    ) h ON true
  ),
  measured AS (
    SELECT h.*, COALESCE(h.last_to, h.first_after_from, h.tier_code) AS tier_at_end,
      ${spendSql(s, 'h.id')} AS spend,
      COALESCE(gr.in_period, 0) AS growth_in,
      COALESCE(gr.after_end, 0) AS growth_after,
      CASE WHEN $7 = 'spend' THEN ${rollingSpendSql(s, 'h.id')} ELSE 0 END AS rolling_spend
    FROM hist h
    ${growthJoinSql(s)}
  ),
  judged AS (
    SELECT x.*, cur.rank AS cur_rank, cur.req_spend AS cur_req_spend, cur.req_growth AS cur_req_growth,
      ((cur.req_spend IS NULL OR x.spend >= cur.req_spend) AND (cur.req_growth IS NULL OR x.growth_in >= cur.req_growth)) AS meets,
      (SELECT l.rank FROM ladder l WHERE l.rank <= cur.rank
         AND (l.req_spend IS NULL OR x.spend >= l.req_spend) AND (l.req_growth IS NULL OR x.growth_in >= l.req_growth)
       ORDER BY l.rank DESC LIMIT 1) AS met_rank,
      (SELECT l.rank FROM ladder l WHERE l.min_spend <= x.rolling_spend ORDER BY l.rank DESC LIMIT 1) AS spend_rank,
      (x.last_at >= $2 AND x.last_to = x.tier_at_end
         AND (x.last_from IS NULL OR (SELECT l.rank FROM ladder l WHERE l.code = x.last_from) < cur.rank)) AS reached_in_period
    FROM measured x JOIN ladder cur ON cur.code = x.tier_at_end
  ),
  decided AS (
    SELECT j.*, t.code AS target_code, t.min_growth AS target_min_growth,
      CASE
        WHEN j.meets THEN 'keep'
        WHEN j.trial_until IS NOT NULL AND j.trial_until > $3 THEN 'trial'
        WHEN j.reached_in_period THEN 'protect'
        WHEN j.tier_code <> j.tier_at_end THEN 'changed'
        ELSE 'downgrade'
      END AS action,
      CASE WHEN $7 = 'growth' AND (j.growth - j.growth_after) > t.min_growth
           THEN t.min_growth - (j.growth - j.growth_after) ELSE 0 END AS reset_delta
    FROM judged j
    JOIN ladder t ON t.rank = CASE WHEN $7 = 'spend' THEN LEAST(j.met_rank, COALESCE(j.spend_rank, j.met_rank)) ELSE j.met_rank END
  )`;
}

/** The type of each parameter $1…$7 of the statements built here. */
const PARAM_TYPES = ['text', 'timestamptz', 'timestamptz', 'text', 'text', 'int', 'text'];

/**
 * A statement built here (with $n parameters) as a Prisma.Sql, so that it composes with the
 * SQL builders of other modules (whose fragments number their own parameters). Each $n becomes
 * a typed parameter of its own.
 */
export function withParams(text: string, params: readonly unknown[]): Prisma.Sql {
  const parts = text.split(/\$(\d+)\b/);
  const strings: string[] = [];
  const values: unknown[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) strings.push(i === 0 ? part : `::${PARAM_TYPES[Number(parts[i - 1]) - 1]})${part}`);
    else {
      strings[strings.length - 1] += '(';
      values.push(params[Number(part) - 1]);
    }
  });
  return new Prisma.Sql(strings, values);
}
