import { Prisma } from '@unionpoint/db';
import { GrowthKind } from '../growth/index.ts';
import type { ProgramSettings, Program } from '../program/index.ts';
import { qualificationScoreSql, THRESHOLD_FIELD, type QualificationModel, type TierInput } from '../tiers/index.ts';

/**
 * What a replay needs to know: the rules it replays under (the proposal laid over the program
 * for a preview, the saved program for an apply) and the ladder it tiers by.
 */
export interface ReplayRules {
  qualificationModel: QualificationModel;
  rfm: Program['rfm'];
  growthRules: ProgramSettings['growthRules'];
  /** caps.activityGrowthPerDay of the program (not part of a proposal). */
  activityGrowthPerDay: number;
  timezone: string;
  ladder: Pick<TierInput, 'code' | 'rank' | 'minGrowth' | 'minSpendCents' | 'minRfmScore'>[];
}

/**
 * The growth kinds a replay recomputes from the history itself (orders, refunds, activities,
 * months of shopping) under the rules. Every other kind (task and referral rewards, their
 * clawbacks, retention resets) is history the rules do not decide and is carried as recorded;
 * merge transfers cancel out within a member and the members merged into them; earlier
 * recompute adjustments are what a replay replaces.
 */
const REPLAYED_KINDS = [
  GrowthKind.Purchase,
  GrowthKind.Login,
  GrowthKind.Review,
  GrowthKind.PhotoReview,
  GrowthKind.Share,
  GrowthKind.ProfileCompleted,
  GrowthKind.MonthlyShopping,
  GrowthKind.ActivityClawback,
  GrowthKind.MergeIn,
  GrowthKind.MergeOut,
  GrowthKind.RecomputeAdjust,
];

/**
 * The replay of a batch of members (ids, none merged) as CTEs for a `WITH RECURSIVE`: the last
 * one, `rp`, yields per member `id, union_id, tier_before, tier_after, growth_before,
 * growth_after`. Set-based: one statement for the whole batch, whatever its size, and the
 * same statement for a preview and an apply (docs/rules.md §18). Each member's rows are read
 * through their indexes (LATERAL), so a batch costs what its members hold, not the tenant's size:
 * - a member's history is their own and that of every member merged into them;
 * - purchase growth per order: floor(amount units × purchasePerUnit), kept in the share of the
 *   order not refunded (the refund rule, floor(G × (A − R) / A));
 * - the monthly shopping bonus for every month whose grant day has passed at `at`, with
 *   orders on at least minDays local days not fully refunded by the grant;
 * - activities not revoked: the first login of a local day, reviews of items at the minimum
 *   price, the item's first photoReviewsPerItem photo reviews, shares; each local day capped at
 *   caps.activityGrowthPerDay;
 * - the other ledger entries as recorded; never below 0.
 * The tier: the model's tier for the replayed growth (growth) or the score at `at` (spend, rfm)
 * on `rules.ladder`; a member on trial or protected keeps a tier the ladder still has unless the
 * model gives a higher one.
 */
export function replaySql(tenantId: string, rules: ReplayRules, ids: string[], at: Date): Prisma.Sql {
  const t = tenantId;
  const g = rules.growthRules;
  const tz = rules.timezone;
  const field = THRESHOLD_FIELD[rules.qualificationModel];
  const ladder = JSON.stringify(
    [...rules.ladder]
      .sort((a, b) => a.rank - b.rank)
      .map((tier, pos) => ({ code: tier.code, rank: tier.rank, pos, threshold: tier[field] ?? 0 })),
  );
  const monthly = g.monthlyShopping;
  const monthlySql =
    monthly.bonus > 0
      ? Prisma.sql`
    om AS (
      SELECT o.root, gm.mon, count(DISTINCT (o.completed_at AT TIME ZONE ${tz})::date) AS days
      FROM ord o
      CROSS JOIN LATERAL (SELECT date_trunc('month', o.completed_at AT TIME ZONE ${tz}) AS mon) gm
      CROSS JOIN LATERAL (SELECT ((gm.mon + interval '1 month' + make_interval(days => ${monthly.grantDay - 1}::int)) AT TIME ZONE ${tz}) AS grant_at) ga
      WHERE ga.grant_at <= ${at}::timestamptz
        AND (o.status <> 'refunded'
             OR (SELECT max(r.created_at) FROM order_refunds r WHERE r.tenant_id = ${t} AND r.order_id = o.id) > ga.grant_at)
      GROUP BY o.root, gm.mon
    ),
    mg AS (SELECT root, (count(*) FILTER (WHERE days >= ${monthly.minDays}::int) * ${monthly.bonus}::bigint)::bigint AS g FROM om GROUP BY root),`
      : Prisma.sql`mg AS (SELECT NULL::text AS root, 0::bigint AS g WHERE false),`;
  // Over the replayed row aliased `m` (its id and tenant_id are the member's, as the score builders expect).
  const score =
    rules.qualificationModel === 'growth'
      ? Prisma.sql`m.growth_after`
      : qualificationScoreSql({ qualificationModel: rules.qualificationModel, rfm: rules.rfm }, at, Prisma.sql`${t}`);
  return Prisma.sql`
    b AS (
      SELECT m.tenant_id, m.id, m.union_id, m.tier_code, m.growth, m.trial_until, m.protected_until FROM members m
      WHERE m.tenant_id = ${t} AND m.id = ANY(${ids}::text[]) AND m.merged_into_id IS NULL
    ),
    -- Both terms read members with the tenant filter (on Citus a recursive CTE must filter on the
    -- distribution column itself, not through another CTE).
    grp(root, id) AS (
      SELECT m.id, m.id FROM members m WHERE m.tenant_id = ${t} AND m.id = ANY(${ids}::text[]) AND m.merged_into_id IS NULL
      UNION ALL
      SELECT grp.root, mm.id FROM grp JOIN members mm ON mm.tenant_id = ${t} AND mm.merged_into_id = grp.id
    ),
    ord AS (
      SELECT grp.root, o.id, o.amount_cents::bigint AS amount, o.refunded_cents::bigint AS refunded, o.status, o.completed_at
      FROM grp CROSS JOIN LATERAL (SELECT * FROM orders o WHERE o.tenant_id = ${t} AND o.member_id = grp.id OFFSET 0) o
    ),
    og AS (
      SELECT root, sum(CASE WHEN amount = 0 THEN 0 ELSE (amount * ${g.purchasePerUnit}::bigint / 100) * (amount - refunded) / amount END)::bigint AS g
      FROM ord GROUP BY root
    ),
    ${monthlySql}
    act AS (
      SELECT grp.root, a.id, a.member_id, a.type, a.item_sku, a.item_price_cents, a.local_date, a.revoked_at,
             row_number() OVER (PARTITION BY a.member_id, a.local_date, a.type ORDER BY a.created_at, a.id) AS nth
      FROM grp CROSS JOIN LATERAL (SELECT * FROM activities a WHERE a.tenant_id = ${t} AND a.member_id = grp.id OFFSET 0) a
    ),
    photo AS (
      SELECT p.id, row_number() OVER (PARTITION BY p.item_sku ORDER BY p.created_at, p.id) AS rn
      FROM activities p
      WHERE p.tenant_id = ${t} AND p.type = 'photo_review' AND p.revoked_at IS NULL
        AND p.item_sku IN (SELECT item_sku FROM act WHERE type = 'photo_review' AND item_sku IS NOT NULL)
    ),
    aw AS (
      SELECT act.root, act.member_id, act.local_date,
             CASE
               WHEN act.revoked_at IS NOT NULL THEN 0
               WHEN act.type = 'login' THEN CASE WHEN act.nth = 1 THEN ${g.dailyLogin}::int ELSE 0 END
               WHEN act.type = 'review' THEN CASE WHEN COALESCE(act.item_price_cents, 0) >= ${g.reviewMinItemPriceCents}::int THEN ${g.review}::int ELSE 0 END
               WHEN act.type = 'photo_review' THEN CASE WHEN act.item_sku IS NULL OR photo.rn <= ${g.photoReviewsPerItem}::int THEN ${g.photoReview}::int ELSE 0 END
               WHEN act.type = 'share' THEN ${g.share}::int
               ELSE 0
             END AS g
      FROM act LEFT JOIN photo ON photo.id = act.id
    ),
    ag AS (
      SELECT root, sum(day_g)::bigint AS g
      FROM (SELECT root, LEAST(${rules.activityGrowthPerDay}::bigint, sum(g)) AS day_g FROM aw GROUP BY root, member_id, local_date) d
      GROUP BY root
    ),
    kg AS (
      SELECT grp.root, sum(gl.delta)::bigint AS g
      FROM grp CROSS JOIN LATERAL (
        SELECT gl.delta FROM growth_ledger gl
        WHERE gl.tenant_id = ${t} AND gl.member_id = grp.id AND gl.kind <> ALL(${REPLAYED_KINDS}::text[])
          AND NOT (gl.kind = ${GrowthKind.RefundClawback}
                   AND EXISTS (SELECT 1 FROM order_refunds r WHERE r.tenant_id = ${t} AND r.id = gl.idempotency_key))
        OFFSET 0) gl
      GROUP BY grp.root
    ),
    gr AS (
      SELECT b.*, GREATEST(0, COALESCE(og.g, 0) + COALESCE(mg.g, 0) + COALESCE(ag.g, 0) + COALESCE(kg.g, 0))::bigint AS growth_after
      FROM b
      LEFT JOIN og ON og.root = b.id LEFT JOIN mg ON mg.root = b.id LEFT JOIN ag ON ag.root = b.id LEFT JOIN kg ON kg.root = b.id
    ),
    nl AS (SELECT * FROM jsonb_to_recordset(${ladder}::jsonb) AS x(code text, rank int, pos int, threshold bigint)),
    sc AS (SELECT m.*, (${score})::numeric AS score FROM gr m),
    rp AS (
      SELECT sc.id, sc.union_id, sc.tier_code AS tier_before, sc.growth::bigint AS growth_before, sc.growth_after,
             CASE WHEN cur.code IS NOT NULL AND (sc.trial_until > ${at}::timestamptz OR sc.protected_until > ${at}::timestamptz)
                       AND cur.pos >= COALESCE(mt.pos, 0)
                  THEN cur.code ELSE COALESCE(mt.code, (SELECT code FROM nl ORDER BY rank LIMIT 1)) END AS tier_after
      FROM sc
      LEFT JOIN nl cur ON cur.code = sc.tier_code
      LEFT JOIN LATERAL (SELECT code, pos FROM nl WHERE nl.threshold <= sc.score ORDER BY nl.rank DESC LIMIT 1) mt ON true
    )`;
}
