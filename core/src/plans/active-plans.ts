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
  const rows = await tx.memberPlan.findMany({
    where: { tenantId: ctx.tenantId, memberId: { in: memberIds }, until: { gt: at } },
    include: { plan: true },
  });
  return new Map(rows.map((r) => [r.memberId, { memberId: r.memberId, status: r.status, until: r.until, plan: toPlanDto(r.plan) }]));
}
