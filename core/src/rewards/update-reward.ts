import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { offeredTemplateId } from './create-reward.ts';
import { toRewardDto } from './reward-dto.ts';
import type { RewardDto, RewardPatch } from './rewards.contract.ts';

/** Locks the reward row, so a change serialises with exchanges (their guarded UPDATE takes the same row). */
async function lockReward(tx: Tx, ctx: TenantContext, code: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM rewards WHERE tenant_id = ${ctx.tenantId} AND code = ${code} FOR UPDATE`;
  if (!rows[0]) throw notFound(`Reward ${code}`);
  return tx.reward.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: rows[0].id } }, include: { template: { select: { code: true } } } });
}

/**
 * Partial update of a reward (the code is immutable), audited with before and after. A new
 * `pointsCost` applies to exchanges from now on; `stock` is how many may still be exchanged
 * (null = unlimited), past exchanges stay counted in `exchanged`; the coupon template must
 * exist and not be archived (400), null makes it goods handed out by the store.
 */
export async function updateReward(tx: Tx, ctx: TenantContext, code: string, patch: RewardPatch): Promise<RewardDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the rewards catalogue');
  const row = await lockReward(tx, ctx, code);
  const before = toRewardDto(row);
  let couponTemplateId: string | null | undefined;
  if (patch.couponTemplateCode === null) couponTemplateId = null;
  else if (patch.couponTemplateCode !== undefined && patch.couponTemplateCode !== before.couponTemplateCode) {
    couponTemplateId = await offeredTemplateId(tx, ctx, patch.couponTemplateCode);
  }
  const updated = await tx.reward.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: row.id } },
    data: {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.pointsCost !== undefined ? { pointsCost: patch.pointsCost } : {}),
      ...(couponTemplateId !== undefined ? { couponTemplateId } : {}),
      ...(patch.stock !== undefined ? { stock: patch.stock } : {}),
    },
    include: { template: { select: { code: true } } },
  });
  const after = toRewardDto(updated);
  await recordAudit(tx, ctx, { action: 'reward.updated', targetType: 'reward', targetId: row.id, before, after });
  return after;
}

/** Archives a reward (DELETE): no longer offered (exchange 422 archived); coupons it issued keep working. Idempotent; audited. */
export async function archiveReward(tx: Tx, ctx: TenantContext, code: string, at = new Date()): Promise<RewardDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the rewards catalogue');
  const row = await lockReward(tx, ctx, code);
  if (row.archivedAt) return toRewardDto(row);
  const updated = await tx.reward.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: row.id } }, data: { archivedAt: at }, include: { template: { select: { code: true } } } });
  const dto = toRewardDto(updated);
  await recordAudit(tx, ctx, { action: 'reward.archived', targetType: 'reward', targetId: row.id, before: toRewardDto(row), after: dto });
  return dto;
}
