import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { toPlanDto } from './plan-dto.ts';
import type { PlanDto, PlanPatch } from './plans.contract.ts';

async function lockPlan(tx: Tx, ctx: TenantContext, code: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM plans WHERE tenant_id = ${ctx.tenantId} AND code = ${code} FOR UPDATE`;
  if (!rows[0]) throw notFound(`Plan ${code}`);
  return tx.plan.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: rows[0].id } } });
}

/**
 * Partial update of a plan (the code is immutable), audited with before and after. Price and
 * period apply from the next subscribe or renew (a running period keeps its `until`); the
 * benefits apply to current subscribers at once, as they are read live.
 */
export async function updatePlan(tx: Tx, ctx: TenantContext, code: string, patch: PlanPatch): Promise<PlanDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change plans');
  const row = await lockPlan(tx, ctx, code);
  const updated = await tx.plan.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: row.id } },
    data: {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.priceCents !== undefined ? { priceCents: patch.priceCents } : {}),
      ...(patch.period !== undefined ? { period: patch.period } : {}),
      ...(patch.trialDays !== undefined ? { trialDays: patch.trialDays } : {}),
      ...(patch.benefits !== undefined ? { benefits: patch.benefits as object } : {}),
    },
  });
  const before = toPlanDto(row);
  const after = toPlanDto(updated);
  await recordAudit(tx, ctx, { action: 'plan.updated', targetType: 'plan', targetId: row.id, before, after });
  return after;
}

/**
 * Archives a plan (DELETE): no new subscriptions or trials (422 archived); members who hold it
 * keep its benefits until their period ends and may renew or cancel. Idempotent; audited.
 */
export async function archivePlan(tx: Tx, ctx: TenantContext, code: string, at = new Date()): Promise<PlanDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change plans');
  const row = await lockPlan(tx, ctx, code);
  if (row.archivedAt) return toPlanDto(row);
  const updated = await tx.plan.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: row.id } }, data: { archivedAt: at } });
  const dto = toPlanDto(updated);
  await recordAudit(tx, ctx, { action: 'plan.archived', targetType: 'plan', targetId: row.id, before: toPlanDto(row), after: dto });
  return dto;
}
