import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { toPlanDto } from './plan-dto.ts';
import type { PlanDto } from './plans.contract.ts';

export interface ActivePlan {
  memberId: string;
  status: string;
  until: Date;
  plan: PlanDto;
}

/** The plans in force at `at` for a page of members, in one query (benefits last until `until`). */
export async function getActivePlans(tx: Tx, ctx: TenantContext, memberIds: string[], at = new Date()): Promise<Map<string, ActivePlan>> {
  if (!memberIds.length) return new Map();
  // Raw SQL: this runs in every member view and effective-benefits read (hot paths); the ORM
  // would compile the query and its include on each call.
  const rows = await tx.$queryRaw<
    { memberId: string; status: string; until: Date; id: string; code: string; name: string; priceCents: number; period: string; trialDays: number; benefits: unknown; archivedAt: Date | null; createdAt: Date }[]
  >`
    SELECT mp.member_id AS "memberId", mp.status, mp.until,
           p.id, p.code, p.name, p.price_cents AS "priceCents", p.period, p.trial_days AS "trialDays", p.benefits, p.archived_at AS "archivedAt", p.created_at AS "createdAt"
    FROM member_plans mp JOIN plans p ON p.tenant_id = mp.tenant_id AND p.id = mp.plan_id
    WHERE mp.tenant_id = ${ctx.tenantId} AND mp.member_id = ANY(${memberIds}::text[]) AND mp.until > ${at}::timestamptz`;
  return new Map(rows.map((r) => [r.memberId, { memberId: r.memberId, status: r.status, until: r.until, plan: toPlanDto(r) }]));
}

/**
 * The plan in force at `at` for the member whose tenant and id the two expressions name, as a
 * JSON scalar subquery (NULL without one): for reads that take it along with the member row.
 */
export function activePlanSql(tenantId: Prisma.Sql, memberId: Prisma.Sql, at: Date): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('memberId', mp.member_id, 'status', mp.status, 'until', mp.until, 'id', p.id, 'code', p.code, 'name', p.name,
                            'priceCents', p.price_cents, 'period', p.period, 'trialDays', p.trial_days, 'benefits', p.benefits,
                            'archivedAt', p.archived_at, 'createdAt', p.created_at)
                     FROM member_plans mp JOIN plans p ON p.tenant_id = mp.tenant_id AND p.id = mp.plan_id
                     WHERE mp.tenant_id = ${tenantId} AND mp.member_id = ${memberId} AND mp.until > ${at}::timestamptz)`;
}

/** What activePlanSql returned, as getActivePlans gives it. */
export function activePlanOf(value: unknown): ActivePlan | null {
  if (value === null || value === undefined) return null;
  const r = (typeof value === 'string' ? JSON.parse(value) : value) as {
    memberId: string;
    status: string;
    until: string;
    archivedAt: string | null;
    createdAt: string;
  } & Record<string, unknown>;
  const until = new Date(r.until);
  return {
    memberId: r.memberId,
    status: r.status,
    until,
    plan: toPlanDto({
      ...(r as unknown as Parameters<typeof toPlanDto>[0]),
      archivedAt: r.archivedAt ? new Date(r.archivedAt) : null,
      createdAt: new Date(r.createdAt),
    }),
  };
}
