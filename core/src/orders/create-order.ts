import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { BPS } from '../shared/money.ts';
import { localParts } from '../shared/time.ts';
import { getEffectiveBenefits } from '../benefits/index.ts';
import { changeGrowth } from '../growth/index.ts';
import { requestHash } from '../idempotency/index.ts';
import { resolveMemberId } from '../identities/index.ts';
import { getMemberView } from '../members/index.ts';
import { creditPoints, orderEarnPoints, purchaseGrowth } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import { applyUpgrade } from '../tiers/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { completedHooks } from './order-hooks.ts';
import { toOrderRef } from './order-dto.ts';
import type { CreateOrderInput, CreateOrderResult } from './orders.contract.ts';

export const ORDER_EARN_KIND = 'earn_order';
export const FIRST_ORDER_KIND = 'task_first_order';

/**
 * Order intake, one transaction at event time `completedAt` (default now), idempotent by
 * (store, externalId): the same body again → 200 with the first response; another body → 409.
 * Points = floor(amount units × earn.pointsPerUnit × tier multiplier × member-day multiplier)
 * (none for a flagged member); growth = floor(amount units × growthRules.purchasePerUnit);
 * the member's first order adds the first-order task points. Then the upgrade rule, the
 * registered order hooks, and order.completed / points.earned in the outbox.
 */
export async function createOrder(tx: Tx, ctx: TenantContext, input: CreateOrderInput): Promise<{ status: 200 | 201; body: CreateOrderResult }> {
  const storeId = (await resolveStoreId(tx, ctx, input.storeId, true))!;
  const memberId = await resolveMemberId(tx, ctx, { ref: input.member, storeId }, { forUpdate: true });
  const hash = requestHash('POST', '/v1/orders', { ...input, storeId });
  const existing = await tx.order.findUnique({
    where: { tenantId_storeId_externalId: { tenantId: ctx.tenantId, storeId, externalId: input.externalId } },
    select: { requestHash: true, response: true },
  });
  if (existing) return replay(existing, hash);

  const at = input.completedAt ? new Date(input.completedAt) : new Date();
  const [program, benefits, member, previous] = await Promise.all([
    getProgram(tx, ctx),
    getEffectiveBenefits(tx, ctx, memberId),
    tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { flagged: true } }),
    tx.order.findFirst({ where: { tenantId: ctx.tenantId, memberId }, select: { id: true } }),
  ]);
  const memberDay = benefits.memberDay;
  const isMemberDay = !!memberDay && memberDay.weekdays.includes(localParts(at, program.timezone).weekday);
  const earned = member.flagged
    ? 0
    : orderEarnPoints(input.amountCents, program.earn.pointsPerUnit, benefits.pointsMultiplierBps ?? BPS, isMemberDay ? memberDay.pointsMultiplierBps : BPS);
  const growth = purchaseGrowth(input.amountCents, program.growthRules.purchasePerUnit);
  const bonus = !previous && !member.flagged ? program.tasks.firstOrder : 0;

  const orderId = newId('ord');
  // ON CONFLICT DO NOTHING: a concurrent intake of the same order for another member ref waits
  // on the unique index and then finds the winner's row.
  const inserted = await tx.order.createMany({
    data: [
      {
        tenantId: ctx.tenantId,
        id: orderId,
        storeId,
        externalId: input.externalId,
        memberId,
        amountCents: input.amountCents,
        completedAt: at,
        status: 'completed',
        items: (input.items ?? []) as object,
        couponCodes: (input.couponCodes ?? []) as object,
        appliedBenefits: (input.appliedBenefits ?? []) as object,
        requestHash: hash,
        pointsEarned: earned,
        bonusPoints: bonus,
        growthEarned: growth,
        response: {},
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) {
    const winner = await tx.order.findUniqueOrThrow({
      where: { tenantId_storeId_externalId: { tenantId: ctx.tenantId, storeId, externalId: input.externalId } },
      select: { requestHash: true, response: true },
    });
    return replay(winner, hash);
  }

  const base = { memberId, storeId, at, program, reference: input.externalId };
  let balance: number | null = null;
  if (earned > 0) {
    balance = (await creditPoints(tx, ctx, { ...base, points: earned, kind: ORDER_EARN_KIND, reason: 'order', idempotencyKey: orderId })).balanceAfter;
  }
  if (bonus > 0) {
    balance = (await creditPoints(tx, ctx, { ...base, points: bonus, kind: FIRST_ORDER_KIND, reason: 'first order task', idempotencyKey: 'first_order' })).balanceAfter;
  }
  if (growth > 0) {
    await changeGrowth(tx, ctx, { memberId, storeId, at, delta: growth, kind: 'purchase', reason: 'order', reference: input.externalId, idempotencyKey: orderId });
    await applyUpgrade(tx, ctx, memberId, { at, reason: 'order' });
  }
  const order = {
    id: orderId,
    storeId,
    externalId: input.externalId,
    memberId,
    amountCents: input.amountCents,
    refundedCents: 0,
    completedAt: at,
    status: 'completed',
    couponCodes: input.couponCodes ?? [],
    appliedBenefits: input.appliedBenefits ?? [],
  };
  for (const hook of completedHooks) await hook(tx, ctx, { order, input, at });

  await emitEvent(tx, ctx, {
    type: 'order.completed',
    memberId,
    data: { orderId, externalId: input.externalId, storeId, memberId, amountCents: input.amountCents, completedAt: at.toISOString(), pointsAwarded: earned, growthAwarded: growth },
  });
  if (earned + bonus > 0) {
    await emitEvent(tx, ctx, {
      type: 'points.earned',
      memberId,
      data: { memberId, points: earned + bonus, orderPoints: earned, bonusPoints: bonus, balance, source: 'order', orderId, externalId: input.externalId },
    });
  }
  const body: CreateOrderResult = {
    order: toOrderRef(order),
    pointsAwarded: earned,
    bonusPointsAwarded: bonus,
    growthAwarded: growth,
    member: await getMemberView(tx, ctx, memberId),
  };
  await tx.order.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: orderId } }, data: { response: body as object } });
  return { status: 201, body };
}

function replay(existing: { requestHash: string; response: unknown }, hash: string): { status: 200; body: CreateOrderResult } {
  if (existing.requestHash !== hash) throw new AppError('idempotency_conflict', 'This externalId was already reported with a different body');
  return { status: 200, body: existing.response as CreateOrderResult };
}
