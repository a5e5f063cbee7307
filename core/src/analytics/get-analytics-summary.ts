import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { validationFailed } from '../shared/errors.ts';
import { mulDivFloor } from '../shared/money.ts';
import { addDays, localDate, startOfLocalDay } from '../shared/time.ts';
import { getProgram } from '../program/index.ts';
import { getLadder } from '../tiers/index.ts';
import type { AnalyticsSummary, AnalyticsSummaryQuery } from './analytics.contract.ts';

const MAX_RANGE_DAYS = 366;

const n = (v: bigint | number | null | undefined): number => (v == null ? 0 : Number(v));

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The analytics summary of one tenant over local days [from, to]. Every figure is one
 * set-based query over an index that starts with tenant_id (members by created_at, members by
 * tier_code, tier_changes by at), so the cost grows with the tenant's rows in range, never
 * with one query per member.
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

  const counts = new Map(byDay.map((r) => [r.day, n(r.count)]));
  const newMembersByDay: AnalyticsSummary['newMembersByDay'] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) newMembersByDay.push({ date: d, count: counts.get(d) ?? 0 });
  const newMembers = newMembersByDay.reduce((s, r) => s + r.count, 0);

  const tierCounts = new Map(byTier.map((r) => [r.tier_code, n(r.count)]));
  const pointsOutstanding = n(totals?.outstanding);

  return {
    from,
    to,
    timezone: tz,
    currency: program.currency,
    members: n(totals?.members) - n(after?.count),
    newMembers,
    activeMembers: 0,
    newMembersByDay,
    tierDistribution: ladder.map((t) => ({ code: t.code, name: t.name, rank: t.rank, members: tierCounts.get(t.code) ?? 0 })),
    tierMovement: { upgrades: n(movement?.upgrades), downgrades: n(movement?.downgrades) },
    pointsIssued: 0,
    pointsRedeemed: 0,
    pointsExpired: 0,
    pointsOutstanding,
    // 100 points = 1 currency unit by default: value in cents = points × 100 / pointsPerUnit.
    liabilityCents: mulDivFloor(pointsOutstanding, 100, program.redeem.pointsPerUnit),
    benefitUsage: [],
    arpuByTierCents: Object.fromEntries(ladder.map((t) => [t.code, 0])),
    repeatPurchaseRateByTierBps: Object.fromEntries(ladder.map((t) => [t.code, 0])),
    rfmSegments: [],
  };
}
