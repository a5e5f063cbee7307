import type { Tx } from '@unionpoint/db';
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
