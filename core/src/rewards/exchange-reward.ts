import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { issueCoupon } from '../coupons/index.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { debitPoints, PointsKind } from '../points/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import type { ExchangeResult } from './rewards.contract.ts';

/**
 * Exchanges points for a reward in one transaction: the member lock first (balance changes
 * serialise per member), then one unit of stock with a guarded UPDATE (`stock > 0`, not
 * archived: parallel exchanges never oversell, 422 out_of_stock; an archived reward is 422
 * archived), then the points debit (strict: 422
 * insufficient_points rolls the stock back with everything else), then the coupon if the
 * reward is one. Audited; emits points.redeemed (and coupon.issued).
 */
export async function exchangeReward(tx: Tx, ctx: TenantContext, target: MemberTarget, rewardCode: string, input: { storeId?: string | undefined; reference?: string | undefined }, at = new Date()): Promise<ExchangeResult> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const reward = await tx.reward.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: rewardCode } } });
  if (!reward) throw notFound('Reward');
  const storeId = await resolveStoreId(tx, ctx, input.storeId, false);
  const taken = await tx.$executeRaw`
    UPDATE rewards SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - 1 END, exchanged = exchanged + 1
    WHERE tenant_id = ${ctx.tenantId} AND id = ${reward.id} AND (stock IS NULL OR stock > 0) AND archived_at IS NULL`;
  if (taken === 0) {
    const now = await tx.reward.findUnique({ where: { tenantId_id: { tenantId: ctx.tenantId, id: reward.id } }, select: { archivedAt: true } });
    if (now?.archivedAt) throw new AppError('archived', `Reward ${reward.code} is archived`);
    throw new AppError('out_of_stock', `Reward ${reward.code} is out of stock`);
  }
  const debit = await debitPoints(tx, ctx, {
    memberId,
    storeId,
    points: reward.pointsCost,
    mode: 'strict',
    kind: PointsKind.Exchange,
    reason: `Reward ${reward.code}`,
    reference: input.reference ?? reward.code,
    at,
  });
  const coupon = reward.couponTemplateId ? await issueCoupon(tx, ctx, memberId, { templateRef: reward.couponTemplateId, source: 'exchange', sourceRef: reward.code, at }) : null;
  await emitEvent(tx, ctx, {
    type: 'points.redeemed',
    memberId,
    data: { memberId, points: reward.pointsCost, reward: reward.code, balance: debit.balance, reference: input.reference ?? null },
  });
  await recordAudit(tx, ctx, {
    action: 'reward.exchanged',
    targetType: 'member',
    targetId: memberId,
    before: { balance: debit.balance + reward.pointsCost },
    after: { balance: debit.balance, reward: reward.code, coupon: coupon?.code ?? null },
  });
  return { reward: reward.code, coupon, pointsSpent: reward.pointsCost, balance: debit.balance };
}
