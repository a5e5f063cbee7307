import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { conflict, forbidden } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { toPlanDto } from './plan-dto.ts';
import type { PlanDto, PlanInput } from './plans.contract.ts';

/** Creates a paid plan (audited); a taken code is 409. */
export async function createPlan(tx: Tx, ctx: TenantContext, input: PlanInput): Promise<PlanDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot create plans');
  const existing = await tx.plan.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: input.code } }, select: { id: true } });
  if (existing) throw conflict(`Plan ${input.code} exists`);
  const row = await tx.plan.create({
    data: {
      tenantId: ctx.tenantId,
      id: newId('pln'),
      code: input.code,
      name: input.name,
      priceCents: input.priceCents,
      period: input.period,
      trialDays: input.trialDays ?? 0,
      benefits: input.benefits as object,
    },
  });
  const dto = toPlanDto(row);
  await recordAudit(tx, ctx, { action: 'plan.created', targetType: 'plan', targetId: row.id, after: dto });
  return dto;
}
