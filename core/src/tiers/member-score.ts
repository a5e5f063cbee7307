import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { Program } from '../program/index.ts';
import { SPEND_WINDOW_DAYS, type RfmConfig } from './qualification.ts';

/** Scores 1–5 with SQL CASE over thresholds, mirroring rfmScore() in qualification.ts. */
function ascendingScoreSql(value: Prisma.Sql, thresholds: number[]): Prisma.Sql {
  return Prisma.sql`(1 + ${Prisma.join(
    thresholds.map((t) => Prisma.sql`(CASE WHEN ${value} >= ${t} THEN 1 ELSE 0 END)`),
    ' + ',
  )})`;
}
function recencyScoreSql(days: Prisma.Sql, thresholds: number[]): Prisma.Sql {
  const whens = thresholds.map((t, i) => Prisma.sql`WHEN ${days} <= ${t} THEN ${5 - i}`);
  return Prisma.sql`(CASE WHEN ${days} IS NULL THEN 1 ${Prisma.join(whens, ' ')} ELSE 1 END)`;
}

function rfmScoreSql(memberId: Prisma.Sql, tenantId: Prisma.Sql, at: Date, c: RfmConfig): Prisma.Sql {
  const days = Prisma.sql`agg.recency_days`;
  return Prisma.sql`(SELECT (${recencyScoreSql(days, c.recencyDays)} * ${c.weights.recency}
        + ${ascendingScoreSql(Prisma.sql`agg.frequency`, c.frequency)} * ${c.weights.frequency}
        + ${ascendingScoreSql(Prisma.sql`agg.monetary`, c.monetaryCents)} * ${c.weights.monetary})::bigint
      FROM (SELECT floor(extract(epoch FROM (${at}::timestamptz - max(o.completed_at))) / 86400)::int AS recency_days,
                   count(*)::int AS frequency,
                   COALESCE(sum(GREATEST(o.amount_cents - o.refunded_cents, 0)), 0)::bigint AS monetary
            FROM orders o
            WHERE o.tenant_id = ${tenantId} AND o.member_id = ${memberId} AND o.amount_cents > o.refunded_cents
              AND o.completed_at > ${at}::timestamptz - make_interval(days => ${c.windowDays}) AND o.completed_at <= ${at}) agg)`;
}

/**
 * THE definition of a member's completed spend, as a SQL scalar: the amounts of the orders
 * completed in the window (after, atOrBefore], less the refunds of those orders made at or
 * before `atOrBefore` (a refund counts from the time it was made, so a past moment reads what
 * was known then and a later refund never rewrites it). The bounds are SQL expressions, so
 * set-based callers pass columns or positional parameters. Rolling spend (the `spend` model)
 * is rollingSpendSql; retention's period spend uses this with the period's bounds.
 */
export function completedSpendSql(tenantId: Prisma.Sql, memberId: Prisma.Sql, after: Prisma.Sql, atOrBefore: Prisma.Sql): Prisma.Sql {
  // refunded_cents is the sum of the order's refunds: an order never refunded needs no probe.
  // Both tables carry the given tenant itself (not o.tenant_id): on Citus, a read inside a
  // LIMIT batch (retention) stays on one shard only when each table names the tenant.
  return Prisma.sql`(SELECT COALESCE(sum(o.amount_cents - CASE WHEN o.refunded_cents = 0 THEN 0 ELSE COALESCE(
             (SELECT sum(r.amount_cents) FROM order_refunds r
              WHERE r.tenant_id = ${tenantId} AND r.order_id = o.id AND r.created_at <= ${atOrBefore}), 0) END), 0)::bigint
      FROM orders o
      WHERE o.tenant_id = ${tenantId} AND o.member_id = ${memberId} AND o.completed_at > ${after} AND o.completed_at <= ${atOrBefore})`;
}

/**
 * Rolling 365-day completed spend at the instant `at` (the `spend` model's measure): orders
 * completed in (at − 365 days, at], refunds made by `at` subtracted. An order exactly 365 days
 * before `at` is out; one at `at` is in. A period end (exclusive) is measured at its last
 * instant, `end − 1 µs`, which makes the window [end − 365 days, end).
 */
export function rollingSpendSql(tenantId: Prisma.Sql, memberId: Prisma.Sql, at: Prisma.Sql): Prisma.Sql {
  return completedSpendSql(tenantId, memberId, Prisma.sql`(${at} - make_interval(days => ${Prisma.raw(String(SPEND_WINDOW_DAYS))}))`, at);
}

/**
 * The model's score of the member row aliased `m`, as SQL: growth value, rolling 365-day
 * completed spend (refunds deducted), or the weighted RFM score. Used set-based (re-tiering,
 * simulation) and for one member (upgrade rule, trial end). `tenant` is the tenant the reads
 * filter on: the row's own by default; a statement whose `m` is a CTE row passes the tenant id
 * itself (on Citus, a read tied only to a CTE row's tenant_id cannot be routed to one shard).
 */
export function qualificationScoreSql(
  program: Pick<Program, 'qualificationModel' | 'rfm'>,
  at: Date,
  tenant: Prisma.Sql = Prisma.sql`m.tenant_id`,
): Prisma.Sql {
  const id = Prisma.sql`m.id`;
  switch (program.qualificationModel) {
    case 'growth':
      return Prisma.sql`m.growth::bigint`;
    case 'spend':
      return rollingSpendSql(tenant, id, Prisma.sql`${at}::timestamptz`);
    case 'rfm':
      return rfmScoreSql(id, tenant, at, program.rfm);
  }
}

/** One member's qualification score at `at`. */
export async function memberScore(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  program: Pick<Program, 'qualificationModel' | 'rfm'>,
  at: Date,
): Promise<number> {
  const rows = await tx.$queryRaw<{ score: bigint | number | null }[]>`
    SELECT ${qualificationScoreSql(program, at)} AS score FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${memberId}`;
  return Number(rows[0]?.score ?? 0);
}
