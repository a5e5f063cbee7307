import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { validationFailed } from '../shared/errors.ts';
import { BPS, mulDivFloor } from '../shared/money.ts';
import { addDays, localDate, startOfLocalDay } from '../shared/time.ts';
import { PointsKind } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import { getLadder } from '../tiers/index.ts';
import type { AnalyticsSummary, AnalyticsSummaryQuery } from './analytics.contract.ts';
import { ensureRfmSnapshot, rfmDayFor } from './rfm-snapshot.ts';

const MAX_RANGE_DAYS = 366;

const n = (v: bigint | number | null | undefined): number => (v == null ? 0 : Number(v));

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The analytics summary of one tenant over local days [from, to]. Every figure is one
 * set-based query over an index that starts with tenant_id (see README.md), so the cost grows
 * with the tenant's rows in range, never with one query per member. RFM segments, a year of
 * orders per member, come from a per-day snapshot (computed at most once per tenant and day).
 */
export async function getAnalyticsSummary(
  tx: Tx,
  ctx: TenantContext,
  query: AnalyticsSummaryQuery,
  now = new Date(),
): Promise<AnalyticsSummary> {
  const program = await getProgram(tx, ctx);
  const tz = program.timezone;
  const to = query.to ?? localDate(now, tz);
  const from = query.from ?? addDays(to, -29);
  const span = daysBetween(from, to);
  if (span < 0) throw validationFailed([{ path: 'query.from', message: 'must not be after `to`' }]);
  if (span >= MAX_RANGE_DAYS) throw validationFailed([{ path: 'query.from', message: `the range is at most ${MAX_RANGE_DAYS} days` }]);
  const start = startOfLocalDay(from, tz);
  const end = startOfLocalDay(addDays(to, 1), tz);
  const tenantId = ctx.tenantId;

  const ladder = await getLadder(tx, ctx);

  const [totals] = await tx.$queryRaw<{ members: bigint; outstanding: bigint | null }[]>`
    SELECT count(*) AS members, sum(greatest(points_balance, 0)) AS outstanding
    FROM members WHERE tenant_id = ${tenantId}`;

  const byDay = await tx.$queryRaw<{ day: string; count: bigint }[]>`
    SELECT to_char(created_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*) AS count
    FROM members
    WHERE tenant_id = ${tenantId} AND created_at >= ${start} AND created_at < ${end}
    GROUP BY 1 ORDER BY 1`;

  const [after] = await tx.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM members WHERE tenant_id = ${tenantId} AND created_at >= ${end}`;

  const byTier = await tx.$queryRaw<{ tier_code: string; count: bigint }[]>`
    SELECT tier_code, count(*) AS count FROM members WHERE tenant_id = ${tenantId} GROUP BY tier_code`;

  // Upgrades and downgrades compare the ranks of the two tiers; an enrolment (no from tier)
  // is neither. Tiers removed from the ladder since rank as unknown and are not counted.
  const [movement] = await tx.$queryRaw<{ upgrades: bigint; downgrades: bigint }[]>`
    SELECT count(*) FILTER (WHERE t_to.rank > t_from.rank) AS upgrades,
           count(*) FILTER (WHERE t_to.rank < t_from.rank) AS downgrades
    FROM tier_changes c
    JOIN tiers t_from ON t_from.tenant_id = c.tenant_id AND t_from.code = c.from_code
    JOIN tiers t_to ON t_to.tenant_id = c.tenant_id AND t_to.code = c.to_code
    WHERE c.tenant_id = ${tenantId} AND c.at >= ${start} AND c.at < ${end}`;

  // Points over the range, by event time: issued = every positive movement except a returned
  // redemption; redeemed = redemptions net of those returned, plus points-mall exchanges;
  // expired = burnt lots.
  const [points] = await tx.$queryRaw<{ issued: bigint | null; redeemed: bigint | null; expired: bigint | null }[]>`
    SELECT sum(delta) FILTER (WHERE delta > 0 AND kind <> ${PointsKind.RedeemRefund}) AS issued,
           -sum(delta) FILTER (WHERE kind IN (${PointsKind.Redeem}, ${PointsKind.RedeemRefund}, ${PointsKind.Exchange})) AS redeemed,
           -sum(delta) FILTER (WHERE kind = ${PointsKind.Expire}) AS expired
    FROM points_ledger
    WHERE tenant_id = ${tenantId} AND at >= ${start} AND at < ${end}`;

  // Active = any points or growth movement in the range (orders, activities, check-ins...).
  const [active] = await tx.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM (
      SELECT member_id FROM points_ledger WHERE tenant_id = ${tenantId} AND at >= ${start} AND at < ${end}
      UNION
      SELECT member_id FROM growth_ledger WHERE tenant_id = ${tenantId} AND at >= ${start} AND at < ${end}
    ) AS movers`;

  // Spend per member in the range (net of refunds), then per current tier.
  const spend = await tx.$queryRaw<{ tier_code: string; spend: bigint; buyers: bigint; repeaters: bigint }[]>`
    WITH per_member AS (
      SELECT member_id, count(*) AS orders, sum(amount_cents - refunded_cents) AS spend
      FROM orders
      WHERE tenant_id = ${tenantId} AND completed_at >= ${start} AND completed_at < ${end}
      GROUP BY member_id
    )
    SELECT m.tier_code, sum(p.spend) AS spend, count(*) AS buyers, count(*) FILTER (WHERE p.orders >= 2) AS repeaters
    FROM per_member p JOIN members m ON m.tenant_id = ${tenantId} AND m.id = p.member_id
    GROUP BY m.tier_code`;

  // Benefit usage: the benefits the storefront reported on each order in the range.
  const [orderCount] = await tx.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM orders WHERE tenant_id = ${tenantId} AND completed_at >= ${start} AND completed_at < ${end}`;
  const usage = await tx.$queryRaw<{ kind: string; orders: bigint; amount: bigint | null }[]>`
    SELECT b->>'kind' AS kind, count(DISTINCT o.id) AS orders, sum((b->>'amountCents')::bigint) AS amount
    FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.applied_benefits) AS b
    WHERE o.tenant_id = ${tenantId} AND o.completed_at >= ${start} AND o.completed_at < ${end}
      AND jsonb_typeof(o.applied_benefits) = 'array'
    GROUP BY 1 ORDER BY 2 DESC`;

  // RFM segments: the stored snapshot of the range's last finished day (see rfm-snapshot.ts),
  // computed once per tenant and day by the daily job or by the first summary that needs it.
  const rfm = await ensureRfmSnapshot(tx, ctx, rfmDayFor(to, tz, now));

  const counts = new Map(byDay.map((r) => [r.day, n(r.count)]));
  const newMembersByDay: AnalyticsSummary['newMembersByDay'] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) newMembersByDay.push({ date: d, count: counts.get(d) ?? 0 });
  const newMembers = newMembersByDay.reduce((s, r) => s + r.count, 0);

  const tierCounts = new Map(byTier.map((r) => [r.tier_code, n(r.count)]));
  const pointsOutstanding = n(totals?.outstanding);
  const spendByTier = new Map(spend.map((r) => [r.tier_code, r]));
  const orders = n(orderCount?.count);

  return {
    from,
    to,
    timezone: tz,
    currency: program.currency,
    members: n(totals?.members) - n(after?.count),
    newMembers,
    activeMembers: n(active?.count),
    newMembersByDay,
    tierDistribution: ladder.map((t) => ({ code: t.code, name: t.name, rank: t.rank, members: tierCounts.get(t.code) ?? 0 })),
    tierMovement: { upgrades: n(movement?.upgrades), downgrades: n(movement?.downgrades) },
    pointsIssued: n(points?.issued),
    pointsRedeemed: n(points?.redeemed),
    pointsExpired: n(points?.expired),
    pointsOutstanding,
    // 100 points = 1 currency unit by default: value in cents = points × 100 / pointsPerUnit.
    liabilityCents: mulDivFloor(pointsOutstanding, 100, program.redeem.pointsPerUnit),
    benefitUsage: usage.map((u) => ({
      kind: u.kind,
      orders: n(u.orders),
      amountCents: n(u.amount),
      rateBps: orders === 0 ? 0 : mulDivFloor(n(u.orders), BPS, orders),
    })),
    // Completed spend (net of refunds) in the range per member of the tier, rounded down.
    arpuByTierCents: Object.fromEntries(
      ladder.map((t) => {
        const members = tierCounts.get(t.code) ?? 0;
        return [t.code, members === 0 ? 0 : mulDivFloor(n(spendByTier.get(t.code)?.spend), 1, members)];
      }),
    ),
    // Of the tier's members who bought in the range, the share who bought at least twice.
    repeatPurchaseRateByTierBps: Object.fromEntries(
      ladder.map((t) => {
        const r = spendByTier.get(t.code);
        return [t.code, !r || n(r.buyers) === 0 ? 0 : mulDivFloor(n(r.repeaters), BPS, n(r.buyers))];
      }),
    ),
    rfmSegments: rfm.segments,
    rfmAsOf: rfm.asOf,
  };
}
