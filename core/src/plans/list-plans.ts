import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { toPlanDto } from './plan-dto.ts';
import type { PlanDto } from './plans.contract.ts';

/** Every plan of the tenant (a short list), by code. */
export async function listPlans(tx: Tx, ctx: TenantContext): Promise<PlanDto[]> {
  const rows = await tx.plan.findMany({ where: { tenantId: ctx.tenantId }, orderBy: { code: 'asc' } });
  return rows.map(toPlanDto);
}
