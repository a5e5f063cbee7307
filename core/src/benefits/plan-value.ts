import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { forbidden, validationFailed } from '../shared/errors.ts';
import { addDays, localDate, startOfLocalDay } from '../shared/time.ts';
import { resolveMemberId, type MemberRef } from '../identities/index.ts';
import { getProgram } from '../program/index.ts';
import type { PlanValueDto } from './catalogue.contract.ts';

/** The month's fee of a plan: a monthly price, or a yearly one divided by 12 (floor). */
export function monthlyFeeCents(priceCents: number, period: string): number {
  return period === 'year' ? Math.floor(priceCents / 12) : priceCents;
}

/** Savings per kind of the given members over [start, end): pricing benefits on orders and entitlement values. */
function savingsSql(ctx: TenantContext, members: Prisma.Sql, start: Date, end: Date): Prisma.Sql {
  const t = ctx.tenantId;
  return Prisma.sql`
    SELECT s.member_id, s.kind, sum(s.cents)::bigint AS cents FROM (
      SELECT bu.member_id, bu.kind, bu.amount_cents AS cents FROM benefit_usages bu
      WHERE bu.tenant_id = ${t} AND bu.member_id IN (${members}) AND bu.created_at >= ${start}::timestamptz AND bu.created_at < ${end}::timestamptz
      UNION ALL
      SELECT u.member_id, 'entitlement', COALESCE(u.value_cents, 0)::bigint FROM entitlement_uses u
      WHERE u.tenant_id = ${t} AND u.member_id IN (${members}) AND u.at >= ${start}::timestamptz AND u.at < ${end}::timestamptz
    ) s GROUP BY s.member_id, s.kind`;
}

/**
 * The statement of value (回本) of a member for a local month: what the plan they held saved
 * them — the pricing benefits reported on their orders (member price, member day, shipping,
 * coupons, by kind) and the values of their entitlement uses — against the month's fee.
 * Without a plan in that month, planCode is null and the fee 0 (savings still shown).
 */
export async function memberPlanValue(tx: Tx, ctx: TenantContext, ref: MemberRef, month: string | undefined, now = new Date()): Promise<PlanValueDto> {
  const memberId = await resolveMemberId(tx, ctx, ref);
  const { timezone } = await getProgram(tx, ctx);
  const period = month ?? localDate(now, timezone).slice(0, 7);
  const start = startOfLocalDay(`${period}-01`, timezone);
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const end = startOfLocalDay(next, timezone);
  const [plan] = await tx.$queryRaw<{ code: string; price_cents: number; period: string }[]>`
    SELECT p.code, p.price_cents, p.period FROM member_plans mp JOIN plans p ON p.tenant_id = mp.tenant_id AND p.id = mp.plan_id
    WHERE mp.tenant_id = ${ctx.tenantId} AND mp.member_id = ${memberId} AND mp.started_at < ${end}::timestamptz AND mp.until > ${start}::timestamptz`;
  const rows = await tx.$queryRaw<{ kind: string; cents: bigint }[]>(savingsSql(ctx, Prisma.sql`SELECT ${memberId}::text`, start, end));
  const breakdown = rows.map((r) => ({ kind: r.kind, cents: Number(r.cents) })).sort((a, b) => b.cents - a.cents || a.kind.localeCompare(b.kind));
  return {
    period,
    planCode: plan?.code ?? null,
    feeCents: plan ? monthlyFeeCents(plan.price_cents, plan.period) : 0,
    savedCents: breakdown.reduce((s, b) => s + b.cents, 0),
    breakdown,
  };
}

export interface PlanAnalytics {
  from: string;
  to: string;
  data: { planCode: string; name: string; members: number; feeCents: number; savedCents: number; breakdown: { kind: string; cents: number }[] }[];
}

/**
 * The statement of value summed per plan over local days [from, to]: the members holding each
 * plan during the range, their savings (as memberPlanValue counts them) and the fees of the
 * range (monthly fee × days / 30 per member). Set-based: one statement per plan list.
 */
export async function planAnalytics(tx: Tx, ctx: TenantContext, query: { from?: string | undefined; to?: string | undefined }, now = new Date()): Promise<PlanAnalytics> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read analytics');
  const { timezone } = await getProgram(tx, ctx);
  const to = query.to ?? localDate(now, timezone);
  const from = query.from ?? addDays(to, -29);
  const start = startOfLocalDay(from, timezone);
  const end = startOfLocalDay(addDays(to, 1), timezone);
  if (end <= start) throw validationFailed([{ path: 'query.from', message: 'must not be after `to`' }]);
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  if (days > 366) throw validationFailed([{ path: 'query.from', message: 'the range is at most 366 days' }]);
  const t = ctx.tenantId;
  const holders = Prisma.sql`SELECT mp.member_id FROM member_plans mp WHERE mp.tenant_id = ${t} AND mp.started_at < ${end}::timestamptz AND mp.until > ${start}::timestamptz`;
  const rows = await tx.$queryRaw<{ code: string; name: string; price_cents: number; period: string; members: bigint; kind: string | null; cents: bigint | null }[]>`
    WITH h AS (SELECT mp.member_id, mp.plan_id FROM member_plans mp WHERE mp.tenant_id = ${t} AND mp.started_at < ${end}::timestamptz AND mp.until > ${start}::timestamptz),
    s AS (${savingsSql(ctx, holders, start, end)})
    SELECT p.code, p.name, p.price_cents, p.period, (SELECT count(*) FROM h WHERE h.plan_id = p.id) AS members, k.kind, k.cents
    FROM plans p
    LEFT JOIN LATERAL (SELECT s.kind, sum(s.cents)::bigint AS cents FROM s JOIN h ON h.member_id = s.member_id WHERE h.plan_id = p.id GROUP BY s.kind) k ON TRUE
    WHERE p.tenant_id = ${t}
    ORDER BY p.created_at, p.id, k.kind`;
  const byPlan = new Map<string, PlanAnalytics['data'][number]>();
  for (const r of rows) {
    let e = byPlan.get(r.code);
    if (!e) {
      const members = Number(r.members);
      e = { planCode: r.code, name: r.name, members, feeCents: Math.round((members * monthlyFeeCents(r.price_cents, r.period) * days) / 30), savedCents: 0, breakdown: [] };
      byPlan.set(r.code, e);
    }
    if (r.kind !== null) {
      e.breakdown.push({ kind: r.kind, cents: Number(r.cents) });
      e.savedCents += Number(r.cents);
    }
  }
  return { from, to, data: [...byPlan.values()] };
}
