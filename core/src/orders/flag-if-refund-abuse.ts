import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { BPS } from '../shared/money.ts';
import { recordAudit } from '../audit/index.ts';
import type { Program } from '../program/index.ts';

/**
 * Anti-abuse: a member with at least flagMinOrders orders completed in the last flagWindowDays,
 * whose refunds on them exceed flagThresholdBps of their amount, is flagged (earns no points
 * until cleared). Audited. The caller holds the member lock.
 */
export async function flagIfRefundAbuse(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  options: { now: Date; program: Program },
): Promise<boolean> {
  const r = options.program.refunds;
  const since = new Date(options.now.getTime() - r.flagWindowDays * 86_400_000);
  const agg = await tx.order.aggregate({
    where: { tenantId: ctx.tenantId, memberId, completedAt: { gte: since } },
    _count: { _all: true },
    _sum: { amountCents: true, refundedCents: true },
  });
  const orders = agg._count._all;
  const amount = agg._sum.amountCents ?? 0;
  const refunded = agg._sum.refundedCents ?? 0;
  // refunded / amount > threshold / 10000, compared exactly in integers.
  if (orders < r.flagMinOrders || BigInt(refunded) * BigInt(BPS) <= BigInt(amount) * BigInt(r.flagThresholdBps)) return false;
  const flagged = await tx.member.updateMany({
    where: { tenantId: ctx.tenantId, id: memberId, flagged: false },
    data: { flagged: true, flaggedAt: options.now },
  });
  if (flagged.count === 0) return false;
  await recordAudit(tx, ctx, {
    action: 'member.flagged',
    targetType: 'member',
    targetId: memberId,
    before: { flagged: false },
    after: { flagged: true, reason: 'refunds', orders, amountCents: amount, refundedCents: refunded, windowDays: r.flagWindowDays },
  });
  return true;
}
