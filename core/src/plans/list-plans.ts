import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { toPlanDto } from './plan-dto.ts';
import type { PlanDto } from './plans.contract.ts';

/** The plans of the tenant (a short list), by code; archived ones only with `includeArchived`. */
export async function listPlans(tx: Tx, ctx: TenantContext, query: { includeArchived?: boolean } = {}): Promise<PlanDto[]> {
  const rows = await tx.plan.findMany({ where: { tenantId: ctx.tenantId, ...(query.includeArchived ? {} : { archivedAt: null }) }, orderBy: { code: 'asc' } });
  return rows.map(toPlanDto);
}
