import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { returnOrderCoupons } from '../coupons/index.ts';
import { changeGrowth, GrowthKind } from '../growth/index.ts';
import { requestHash } from '../idempotency/index.ts';
import { lockMember } from '../identities/index.ts';
import { getMemberView } from '../members/index.ts';
import { creditPoints, debitPoints, orderRef, refundClawbackStep, refundKeep, PointsKind } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { toOrderRef } from './order-dto.ts';
import { revokeReferralForOrder, revokeTaskSource } from '../tasks/index.ts';
import { flagIfRefundAbuse } from './flag-if-refund-abuse.ts';
import type { CreateRefundInput, CreateRefundResult } from './orders.contract.ts';


/**
 * A refund of an order, idempotent by refundId (same body → 200 with the first response,
 * another body → 409). After refunds totalling R of an order of amount A that earned P, the
 * member keeps floor(P × (A − R) / A): this refund takes back the drop, from the order's own lot
 * first, then FIFO; under `debt` the balance may go negative, under `cap_at_balance` it stops at
 * zero. Growth follows the same rule. Points redeemed against the order come back in the same
 * proportion. Cumulative refunds above the amount → 422 refund_exceeds_order.
 */
export async function refundOrder(
  tx: Tx,
  ctx: TenantContext,
  externalId: string,
  input: CreateRefundInput,
): Promise<{ status: 200 | 201; body: CreateRefundResult }> {
  const storeId = (await resolveStoreId(tx, ctx, input.storeId, true))!;
  const key = { tenantId_storeId_externalId: { tenantId: ctx.tenantId, storeId, externalId } };
  const found = await tx.order.findUnique({ where: key, select: { memberId: true } });
  if (!found) throw notFound('Order');
  // Every balance change of the member serialises here, so concurrent refunds of one order too.
  await lockMember(tx, ctx, found.memberId);
  const order = await tx.order.findUniqueOrThrow({ where: key });
  const hash = requestHash('POST', '/v1/orders/refunds', { externalId, storeId, refundId: input.refundId, amountCents: input.amountCents, ...(input.refundedAt ? { refundedAt: input.refundedAt } : {}) });
  const existing = await tx.orderRefund.findUnique({
    where: { tenantId_orderId_refundId: { tenantId: ctx.tenantId, orderId: order.id, refundId: input.refundId } },
    select: { requestHash: true, response: true },
  });
  if (existing) {
    if (existing.requestHash !== hash) throw new AppError('idempotency_conflict', 'This refundId was already used with a different body');
    return { status: 200, body: existing.response as CreateRefundResult };
  }
  const before = order.refundedCents;
  const after = before + input.amountCents;
  if (after > order.amountCents) {
    throw new AppError('refund_exceeds_order', `Refunds would total ${after}, above the order amount ${order.amountCents}`, {
      extra: { amountCents: order.amountCents, refundedCents: before },
    });
  }
  const program = await getProgram(tx, ctx);
  const now = new Date();
  // Event time (API.md "Refund time"): default now, never in the future or before the order.
  const refundedAt = input.refundedAt ? new Date(input.refundedAt) : now;
  if (refundedAt > now) throw new AppError('validation_failed', 'refundedAt is in the future', { errors: [{ path: 'refundedAt', message: 'must not be in the future' }] });
  if (refundedAt < order.completedAt) throw new AppError('validation_failed', 'refundedAt is before the order completed', { errors: [{ path: 'refundedAt', message: 'must not be before the order completed' }] });
  const refundRowId = newId('rfd');
  const memberId = order.memberId;
  const common = { memberId, storeId, reference: input.refundId, idempotencyKey: refundRowId, program, at: refundedAt };

  const pointsDue = refundClawbackStep(order.pointsEarned, order.amountCents, before, after);
  let pointsClawedBack = 0;
  if (pointsDue > 0) {
    const earnEntry = await tx.pointsEntry.findUnique({
      where: {
        tenantId_memberId_kind_idempotencyKey: { tenantId: ctx.tenantId, memberId, kind: PointsKind.OrderEarn, idempotencyKey: order.id },
      },
      select: { id: true },
    });
    const r = await debitPoints(tx, ctx, {
      ...common,
      points: pointsDue,
      kind: PointsKind.RefundClawback,
      reason: `refund of order ${externalId}`,
      mode: program.refunds.clawback === 'debt' ? 'debt' : 'cap',
      preferEntryId: earnEntry?.id,
    });
    pointsClawedBack = r.taken;
  }

  // A fully refunded order no longer counts for tasks: each window it counted in is recounted
  // and one that falls below its target loses its reward (the first-order bonus among them,
  // under the same clawback policy; the window is closed, so the task stays done). The
  // referral it completed is revoked.
  const status = after === order.amountCents ? 'refunded' : 'partially_refunded';
  let taskGrowthClawedBack = 0;
  if (status === 'refunded') {
    const at = refundedAt;
    const taken = await revokeTaskSource(tx, ctx, { memberId, source: order.id, storeId, reference: input.refundId, program, at, reason: `order ${externalId} fully refunded` });
    pointsClawedBack += taken.points;
    taskGrowthClawedBack = taken.growth;
    await revokeReferralForOrder(tx, ctx, { inviteeId: memberId, orderId: order.id, at, program, reference: input.refundId });
  }

  const growthDue = refundClawbackStep(order.growthEarned, order.amountCents, before, after);
  let growthClawedBack = 0;
  if (growthDue > 0) {
    const g = await changeGrowth(tx, ctx, {
      ...common,
      delta: -growthDue,
      kind: GrowthKind.RefundClawback,
      reason: `refund of order ${externalId}`,
    });
    growthClawedBack = -g.applied;
  }
  growthClawedBack += taskGrowthClawedBack;

  // Points redeemed against this order come back in the refund's proportion.
  const redeemed = await tx.pointsEntry.aggregate({
    where: { tenantId: ctx.tenantId, memberId, kind: PointsKind.Redeem, orderRef: orderRef(storeId, externalId) },
    _sum: { delta: true },
  });
  const redeemedTotal = -(redeemed._sum.delta ?? 0);
  const returnTarget = redeemedTotal - refundKeep(redeemedTotal, order.amountCents, after);
  const pointsReturned = Math.max(returnTarget - order.redeemReturned, 0);
  if (pointsReturned > 0) {
    await creditPoints(tx, ctx, {
      ...common,
      points: pointsReturned,
      kind: PointsKind.RedeemRefund,
      reason: `redeemed points returned by refund of order ${externalId}`,
    });
  }

  const updated = await tx.order.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: order.id } },
    data: {
      refundedCents: after,
      status,
      pointsClawbackDue: { increment: pointsDue },
      growthClawbackDue: { increment: growthDue },
      redeemReturned: { increment: pointsReturned },
    },
  });
  // A full refund gives the order's coupons back.
  if (status === 'refunded') await returnOrderCoupons(tx, ctx, updated.id);
  await flagIfRefundAbuse(tx, ctx, memberId, { now, program });
  await emitEvent(tx, ctx, {
    type: 'order.refunded',
    memberId,
    data: {
      orderId: order.id,
      externalId,
      storeId,
      memberId,
      refundId: input.refundId,
      amountCents: input.amountCents,
      refundedCents: after,
      status,
      pointsClawedBack,
      growthClawedBack,
      pointsReturned,
    },
  });
  const body: CreateRefundResult = {
    pointsClawedBack,
    growthClawedBack,
    pointsReturned,
    order: toOrderRef(updated),
    member: await getMemberView(tx, ctx, memberId),
  };
  await tx.orderRefund.create({
    data: {
      tenantId: ctx.tenantId,
      id: refundRowId,
      orderId: order.id,
      refundId: input.refundId,
      amountCents: input.amountCents,
      pointsClawedBack,
      growthClawedBack,
      pointsReturned,
      requestHash: hash,
      response: body as object,
      createdAt: refundedAt,
    },
  });
  return { status: 201, body };
}
