import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { resolveStoreId } from '../stores/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { debitPoints } from './debit-points.ts';
import type { RedeemPointsInput, RedeemPointsResult } from './points.contract.ts';
import { PointsKind } from './points-kinds.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';


/** The key linking a redemption to an order: orders are unique per (store, externalId). */
export function orderRef(storeId: string | null, externalId: string): string {
  return `${storeId ?? '-'}:${externalId}`;
}

/**
 * Redeems points (FIFO over lots), idempotent by `reference`: a replay returns the first result;
 * the same reference with other points or order → 409. More than the balance → 422. With
 * `orderExternalId`, a refund of that order gives the points back in the refund's proportion.
 * Takes the member lock itself (the target is a path reference or a member id).
 */
export async function redeemPoints(
  tx: Tx,
  ctx: TenantContext,
  target: MemberTarget,
  input: RedeemPointsInput,
  at = new Date(),
): Promise<{ result: RedeemPointsResult; replayed: boolean }> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const storeId = await resolveStoreId(tx, ctx, input.storeId, false);
  const ref = input.orderExternalId ? orderRef(storeId, input.orderExternalId) : null;
  const existing = await tx.pointsEntry.findUnique({
    where: {
      tenantId_memberId_kind_idempotencyKey: { tenantId: ctx.tenantId, memberId, kind: PointsKind.Redeem, idempotencyKey: input.reference },
    },
    select: { delta: true, balanceAfter: true, orderRef: true },
  });
  if (existing) {
    if (-existing.delta !== input.points || existing.orderRef !== ref) {
      throw new AppError('idempotency_conflict', 'This reference was used for another redemption');
    }
    return { result: { redeemed: -existing.delta, balance: existing.balanceAfter }, replayed: true };
  }
  const r = await debitPoints(tx, ctx, {
    memberId,
    storeId,
    points: input.points,
    mode: 'strict',
    kind: PointsKind.Redeem,
    reason: input.orderExternalId ? `redeemed against order ${input.orderExternalId}` : 'redeemed',
    reference: input.reference,
    idempotencyKey: input.reference,
    orderRef: ref,
    at,
  });
  await emitEvent(tx, ctx, {
    type: 'points.redeemed',
    memberId,
    data: {
      memberId,
      points: r.taken,
      balance: r.balance,
      reference: input.reference,
      orderExternalId: input.orderExternalId ?? null,
      storeId,
    },
  });
  return { result: { redeemed: r.taken, balance: r.balance }, replayed: false };
}
