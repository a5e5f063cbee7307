import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { localParts, startOfLocalDay } from '../shared/time.ts';
import { changeGrowth, GrowthKind } from '../growth/index.ts';
import { lockMember } from '../identities/index.ts';
import { getProgram } from '../program/index.ts';
import { applyUpgrade } from '../tiers/index.ts';


function monthStart(month: string, timeZone: string): Date {
  return startOfLocalDay(`${month}-01`, timeZone);
}
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** When the bonus for `month` is granted: grantDay of the next month, local midnight. */
function bonusGrantAt(month: string, timeZone: string, grantDay: number): Date {
  return startOfLocalDay(`${nextMonth(month)}-${String(grantDay).padStart(2, '0')}`, timeZone);
}

/** The month `back` months before the local month of `now` (YYYY-MM). */
function monthsBefore(now: Date, timeZone: string, back: number): string {
  const local = localParts(now, timeZone);
  const index = local.year * 12 + (local.month - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The daily job's use case: the monthly shopping bonus that is due at `now`. From this month's
 * grant day on, last month's (idempotent per member and month, so the days after the grant
 * day add nothing). Before it, the month before last instead: nothing new, unless every day
 * from that month's grant day to the end of the month was missed (its bonus is caught up then,
 * `catchUp: true`).
 */
export async function grantDueMonthlyShoppingBonus(tx: Tx, ctx: TenantContext, options: { now: Date }) {
  const { now } = options;
  const program = await getProgram(tx, ctx);
  const tz = program.timezone;
  const lastMonth = monthsBefore(now, tz, 1);
  if (now >= bonusGrantAt(lastMonth, tz, program.growthRules.monthlyShopping.grantDay)) {
    return grantMonthlyShoppingBonus(tx, ctx, { now, month: lastMonth });
  }
  return { ...(await grantMonthlyShoppingBonus(tx, ctx, { now, month: monthsBefore(now, tz, 2) })), catchUp: true };
}

/**
 * The "shopping on N distinct days in a calendar month" growth bonus (growthRules.monthlyShopping):
 * for `month` (YYYY-MM, default the month before `now`, tenant time zone), every member with
 * completed, not fully refunded orders on at least minDays distinct local days gets the bonus,
 * granted on grantDay of the next month (refused before it). Idempotent per member and month
 * (the growth entry's key is the month): running it again grants nothing.
 */
export async function grantMonthlyShoppingBonus(tx: Tx, ctx: TenantContext, options: { month?: string; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const program = await getProgram(tx, ctx);
  const tz = program.timezone;
  const rule = program.growthRules.monthlyShopping;
  const local = localParts(now, tz);
  const month = options.month ?? (local.month === 1 ? `${local.year - 1}-12` : `${local.year}-${String(local.month - 1).padStart(2, '0')}`);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new AppError('validation_failed', 'month must be YYYY-MM', { errors: [{ path: 'month', message: 'YYYY-MM' }] });
  const from = monthStart(month, tz);
  const to = monthStart(nextMonth(month), tz);
  const grantAt = bonusGrantAt(month, tz, rule.grantDay);
  if (now < grantAt) throw new AppError('business_rule', `The bonus for ${month} is granted from ${grantAt.toISOString()}`);
  if (rule.bonus <= 0) return { month, members: 0, granted: 0 };
  const rows = await tx.$queryRaw<{ member_id: string; days: bigint }[]>`
    SELECT member_id, COUNT(DISTINCT (completed_at AT TIME ZONE ${tz})::date) AS days
    FROM orders
    WHERE tenant_id = ${ctx.tenantId} AND completed_at >= ${from} AND completed_at < ${to} AND status <> 'refunded'
    GROUP BY member_id
    HAVING COUNT(DISTINCT (completed_at AT TIME ZONE ${tz})::date) >= ${rule.minDays}
    ORDER BY member_id`;
  let granted = 0;
  for (const r of rows) {
    await lockMember(tx, ctx, r.member_id);
    const done = await tx.growthEntry.findUnique({
      where: {
        tenantId_memberId_kind_idempotencyKey: {
          tenantId: ctx.tenantId,
          memberId: r.member_id,
          kind: GrowthKind.MonthlyShopping,
          idempotencyKey: month,
        },
      },
      select: { id: true },
    });
    if (done) continue;
    await changeGrowth(tx, ctx, {
      memberId: r.member_id,
      delta: rule.bonus,
      kind: GrowthKind.MonthlyShopping,
      reason: `shopped on ${Number(r.days)} days in ${month}`,
      reference: month,
      idempotencyKey: month,
      at: grantAt,
    });
    await applyUpgrade(tx, ctx, r.member_id, { at: grantAt, reason: 'monthly_shopping' });
    granted++;
  }
  return { month, members: rows.length, granted };
}
