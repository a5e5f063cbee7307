import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, forbidden } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { toRewardDto } from './reward-dto.ts';
import type { RewardDto, RewardInput } from './rewards.contract.ts';

/** The id of a coupon template a reward may issue: unknown or archived is 400 on couponTemplateCode. */
export async function offeredTemplateId(tx: Tx, ctx: TenantContext, code: string): Promise<string> {
  const t = await tx.couponTemplate.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code } }, select: { id: true, archivedAt: true } });
  if (!t) throw new AppError('validation_failed', 'Unknown coupon template', { errors: [{ path: 'couponTemplateCode', message: 'No such template' }] });
  if (t.archivedAt) throw new AppError('validation_failed', 'Archived coupon template', { errors: [{ path: 'couponTemplateCode', message: 'This template is archived' }] });
  return t.id;
}

/** Adds a reward to the catalogue (audited); a taken code is 409, an unknown template 400. */
export async function createReward(tx: Tx, ctx: TenantContext, input: RewardInput): Promise<RewardDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the rewards catalogue');
  if (await tx.reward.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: input.code } }, select: { id: true } })) {
    throw conflict(`Reward ${input.code} exists`);
  }
  let templateId: string | null = null;
  if (input.couponTemplateCode) {
    templateId = await offeredTemplateId(tx, ctx, input.couponTemplateCode);
  }
  const row = await tx.reward.create({
    data: { tenantId: ctx.tenantId, id: newId('rwd'), code: input.code, name: input.name, pointsCost: input.pointsCost, couponTemplateId: templateId, stock: input.stock ?? null },
    include: { template: { select: { code: true } } },
  });
  const dto = toRewardDto(row);
  await recordAudit(tx, ctx, { action: 'reward.created', targetType: 'reward', targetId: row.id, after: dto });
  return dto;
}
