import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { assertInt } from '../shared/money.ts';
import { allocateFifo } from './points-math.ts';
import type { PointsChange, PointsEntryRow } from './credit-points.ts';

/**
 * How a debit larger than the balance is handled:
 * - `strict`: refused with 422 insufficient_points (redeem, exchange, negative adjustment);
 * - `debt`: the balance may go negative (refund clawback under the `debt` policy);
 * - `cap`: takes at most the balance (refund clawback under `cap_at_balance`).
 */
export type DebitMode = 'strict' | 'debt' | 'cap';

/**
 * Takes points from a member: consumes lots oldest first (FIFO; `preferEntryId` names a lot to
 * drain first, e.g. the order's own lot on a clawback), writes one ledger entry and the cached
 * balance. Returns the entry (null when nothing was taken) and the points actually taken. The
 * caller holds the member lock.
 */
export async function debitPoints(
  tx: Tx,
  ctx: TenantContext,
  change: PointsChange & { points: number; mode: DebitMode; preferEntryId?: string | null | undefined },
): Promise<{ taken: number; entry: PointsEntryRow | null; balance: number }> {
  assertInt(change.points, 'points');
  if (change.points <= 0) throw new RangeError('debit must be positive');
  const member = await tx.member.findUniqueOrThrow({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: change.memberId } },
    select: { pointsBalance: true },
  });
  const balance = member.pointsBalance;
  let taken = change.points;
  if (change.points > balance) {
    if (change.mode === 'strict') {
      throw new AppError('insufficient_points', `The balance is ${Math.max(balance, 0)} points, ${change.points} needed`, {
        extra: { balance, requested: change.points },
      });
    }
    if (change.mode === 'cap') taken = Math.max(balance, 0);
  }
  if (taken === 0) return { taken: 0, entry: null, balance };
  const lots = await tx.pointsLot.findMany({
    where: { tenantId: ctx.tenantId, memberId: change.memberId, remaining: { gt: 0 } },
    orderBy: [{ earnedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, remaining: true, entryId: true },
  });
  if (change.preferEntryId) {
    const i = lots.findIndex((l) => l.entryId === change.preferEntryId);
    if (i > 0) lots.unshift(...lots.splice(i, 1));
  }
  // What the lots cannot cover is debt: possible only when taken > balance (mode `debt`).
  const { takes } = allocateFifo(lots, taken);
  const byId = new Map(lots.map((l) => [l.id, l.remaining]));
  for (const t of takes) {
    await tx.pointsLot.update({
      where: { tenantId_id: { tenantId: ctx.tenantId, id: t.id } },
      data: { remaining: byId.get(t.id)! - t.take },
    });
  }
  const balanceAfter = balance - taken;
  const id = newId('ple');
  await tx.pointsEntry.create({
    data: {
      tenantId: ctx.tenantId,
      id,
      memberId: change.memberId,
      storeId: change.storeId ?? null,
      delta: -taken,
      kind: change.kind,
      reason: change.reason ?? null,
      reference: change.reference ?? null,
      idempotencyKey: change.idempotencyKey ?? null,
      orderRef: change.orderRef ?? null,
      balanceAfter,
      at: change.at ?? new Date(),
      createdAt: new Date(),
    },
  });
  await tx.member.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: change.memberId } },
    data: { pointsBalance: balanceAfter },
  });
  return { taken, entry: { id, delta: -taken, balanceAfter, expiresAt: null }, balance: balanceAfter };
}
