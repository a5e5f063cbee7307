import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { lockMember } from '../identities/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { PointsKind } from './points-kinds.ts';


/**
 * Expiry sweep for one tenant: burns what is left of every lot whose expiry has passed at `now`
 * (one `expire` entry per lot, keyed by the lot id, so a second run burns nothing) and emits
 * one points.expired per member. Processes at most `limit` lots per call; the caller repeats
 * while `more` is true (each call is its own transaction in the worker).
 */
export async function expirePoints(tx: Tx, ctx: TenantContext, options: { now?: Date; limit?: number } = {}) {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 500;
  const due = await tx.pointsLot.findMany({
    where: { tenantId: ctx.tenantId, expiresAt: { lt: now }, remaining: { gt: 0 } },
    orderBy: [{ memberId: 'asc' }, { earnedAt: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: { memberId: true },
  });
  const more = due.length > limit;
  const memberIds = [...new Set(due.slice(0, limit).map((l) => l.memberId))];
  let lotsExpired = 0;
  let pointsExpired = 0;
  for (const memberId of memberIds) {
    await lockMember(tx, ctx, memberId);
    // Re-read under the lock: a concurrent redeem may have consumed these lots meanwhile.
    const lots = await tx.pointsLot.findMany({
      where: { tenantId: ctx.tenantId, memberId, expiresAt: { lt: now }, remaining: { gt: 0 } },
      orderBy: [{ earnedAt: 'asc' }, { id: 'asc' }],
    });
    if (lots.length === 0) continue;
    const member = await tx.member.findUniqueOrThrow({
      where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } },
      select: { pointsBalance: true },
    });
    let balance = member.pointsBalance;
    let burned = 0;
    for (const lot of lots) {
      balance -= lot.remaining;
      burned += lot.remaining;
      const entryId = newId('ple');
      await tx.pointsEntry.create({
        data: {
          tenantId: ctx.tenantId,
          id: entryId,
          memberId,
          delta: -lot.remaining,
          kind: PointsKind.Expire,
          reason: 'lot expired',
          reference: lot.id,
          idempotencyKey: lot.id,
          balanceAfter: balance,
          expiresAt: lot.expiresAt,
          at: lot.expiresAt!,
          createdAt: new Date(),
        },
      });
      await tx.pointsLot.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: lot.id } }, data: { remaining: 0, expiredAt: now } });
      // The burn is a use of the lot like any debit's (at no store: expiry is not settled).
      await tx.pointsLotUse.create({
        data: {
          tenantId: ctx.tenantId,
          id: newId('plu'),
          lotId: lot.id,
          entryId,
          memberId,
          kind: PointsKind.Expire,
          points: lot.remaining,
          issuedStoreId: lot.storeId,
          redeemedStoreId: null,
          at: lot.expiresAt!,
        },
      });
    }
    await tx.member.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, data: { pointsBalance: balance } });
    await emitEvent(tx, ctx, {
      type: 'points.expired',
      memberId,
      data: { memberId, points: burned, balance, lots: lots.map((l) => l.id) },
    });
    lotsExpired += lots.length;
    pointsExpired += burned;
  }
  return { members: memberIds.length, lotsExpired, pointsExpired, more };
}
