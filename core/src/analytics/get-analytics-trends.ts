import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { validationFailed } from '../shared/errors.ts';
import { mulDivFloor } from '../shared/money.ts';
import { addDays, localDate, startOfLocalDay } from '../shared/time.ts';
import { PointsKind } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import type { AnalyticsTrends, AnalyticsTrendsQuery } from './analytics.contract.ts';

const MAX_RANGE_DAYS = 366;
const n = (v: bigint | number | null | undefined): number => (v == null ? 0 : Number(v));
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * Day-by-day trends over local days [from, to]: members, points issued and redeemed, the
 * outstanding points and their value, tier movement. A handful of set-based queries grouped by
 * local day over the same indexes as the summary; the end-of-day figures are today's totals
 * walked back through the later days' movements (no query per day or per member).
 *
 * End-of-day outstanding points are the sum of balances then, so a member whose balance was
 * negative (a refund debt) offsets others there; today's figure clamps each balance at zero
 * like the summary, and the days before are that figure less the movements since.
 */
export async function getAnalyticsTrends(
  tx: Tx,
  ctx: TenantContext,
  query: AnalyticsTrendsQuery,
  now = new Date(),
): Promise<AnalyticsTrends> {
  const program = await getProgram(tx, ctx);
  const tz = program.timezone;
  const to = query.to ?? localDate(now, tz);
  const from = query.from ?? addDays(to, -29);
  const span = daysBetween(from, to);
  if (span < 0) throw validationFailed([{ path: 'query.from', message: 'must not be after `to`' }]);
  if (span >= MAX_RANGE_DAYS) throw validationFailed([{ path: 'query.from', message: `the range is at most ${MAX_RANGE_DAYS} days` }]);
  const start = startOfLocalDay(from, tz);
  const tenantId = ctx.tenantId;

  const [totals] = await tx.$queryRaw<{ members: bigint; outstanding: bigint | null }[]>`
    SELECT count(*) AS members, sum(greatest(points_balance, 0)) AS outstanding
    FROM members WHERE tenant_id = ${tenantId}`;

  // Every day from the range's start up to now: the later days are needed to walk back.
  const joined = await tx.$queryRaw<{ day: string; count: bigint }[]>`
    SELECT to_char(created_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*) AS count
    FROM members WHERE tenant_id = ${tenantId} AND created_at >= ${start}
    GROUP BY 1`;

  const points = await tx.$queryRaw<{ day: string; delta: bigint | null; issued: bigint | null; redeemed: bigint | null }[]>`
    SELECT to_char(at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day,
           sum(delta) AS delta,
           sum(delta) FILTER (WHERE delta > 0 AND kind <> ${PointsKind.RedeemRefund}) AS issued,
           -sum(delta) FILTER (WHERE kind IN (${PointsKind.Redeem}, ${PointsKind.RedeemRefund}, ${PointsKind.Exchange})) AS redeemed
    FROM points_ledger WHERE tenant_id = ${tenantId} AND at >= ${start}
    GROUP BY 1`;

  const movement = await tx.$queryRaw<{ day: string; upgrades: bigint; downgrades: bigint }[]>`
    SELECT to_char(c.at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day,
           count(*) FILTER (WHERE t_to.rank > t_from.rank) AS upgrades,
           count(*) FILTER (WHERE t_to.rank < t_from.rank) AS downgrades
    FROM tier_changes c
    JOIN tiers t_from ON t_from.tenant_id = c.tenant_id AND t_from.code = c.from_code
    JOIN tiers t_to ON t_to.tenant_id = c.tenant_id AND t_to.code = c.to_code
    WHERE c.tenant_id = ${tenantId} AND c.at >= ${start} AND c.at < ${startOfLocalDay(addDays(to, 1), tz)}
    GROUP BY 1`;

  const joinedBy = new Map(joined.map((r) => [r.day, n(r.count)]));
  const pointsBy = new Map(points.map((r) => [r.day, r]));
  const movedBy = new Map(movement.map((r) => [r.day, r]));

  // Walk back from now: the end of day d is now less everything dated after d.
  let members = n(totals?.members);
  let outstanding = n(totals?.outstanding);
  for (const [day, c] of joinedBy) if (day > to) members -= c;
  for (const [day, p] of pointsBy) if (day > to) outstanding -= n(p.delta);

  const days: AnalyticsTrends['days'] = [];
  for (let d = to; d >= from; d = addDays(d, -1)) {
    const p = pointsBy.get(d);
    const m = movedBy.get(d);
    const clamped = Math.max(0, outstanding);
    days.push({
      date: d,
      members: Math.max(0, members),
      newMembers: joinedBy.get(d) ?? 0,
      pointsIssued: n(p?.issued),
      pointsRedeemed: n(p?.redeemed),
      pointsOutstanding: clamped,
      liabilityCents: mulDivFloor(clamped, 100, program.redeem.pointsPerUnit),
      upgrades: n(m?.upgrades),
      downgrades: n(m?.downgrades),
    });
    members -= joinedBy.get(d) ?? 0;
    outstanding -= n(p?.delta);
  }
  return { from, to, timezone: tz, currency: program.currency, days: days.reverse() };
}
