import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, forbidden } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import { earnPoints } from './credit-points.ts';
import { debitPoints } from './debit-points.ts';
import { toLedgerDto } from './list-ledger.ts';
import type { AdjustPointsInput } from './points.contract.ts';
import { PointsKind } from './points-kinds.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';

/**
 * Manual adjustment with a reason, audited with the actor. A positive delta is a new lot
 * (repaying debt first); a negative one consumes lots FIFO and may not take the balance below
 * zero (422 insufficient_points). Takes the member lock itself. With a `reference` it is
 * idempotent: a retry returns the first result and writes nothing; the reference with another
 * body → 409.
 */
export async function adjustPoints(
  tx: Tx,
  ctx: TenantContext,
  target: MemberTarget,
  input: AdjustPointsInput,
): Promise<{ result: { delta: number; balance: number; entry: ReturnType<typeof toLedgerDto> }; replayed: boolean }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot adjust points');
  const memberId = await lockTargetMember(tx, ctx, target);
  const storeId = await resolveStoreId(tx, ctx, input.storeId, false);
  if (input.reference !== undefined) {
    // Idempotent by reference: the entry's (member, kind, idempotency key) is unique, and the
    // member lock taken above serialises concurrent retries, so the second finds the first.
    const existing = await tx.pointsEntry.findUnique({
      where: { tenantId_memberId_kind_idempotencyKey: { tenantId: ctx.tenantId, memberId, kind: PointsKind.Adjust, idempotencyKey: input.reference } },
    });
    if (existing) {
      if (existing.delta !== input.delta || existing.reason !== input.reason || existing.storeId !== storeId) {
        throw new AppError('idempotency_conflict', 'This reference was used for another adjustment');
      }
      return { result: { delta: existing.delta, balance: existing.balanceAfter, entry: toLedgerDto(existing) }, replayed: true };
    }
  }
  const before = await tx.member.findUniqueOrThrow({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } },
    select: { pointsBalance: true },
  });
  const ref = input.reference ?? null;
  const change = { memberId, storeId, kind: PointsKind.Adjust, reason: input.reason, reference: ref, idempotencyKey: ref };
  const entry =
    input.delta > 0
      ? await earnPoints(tx, ctx, { ...change, points: input.delta }, { source: PointsKind.Adjust, reason: input.reason })
      : (await debitPoints(tx, ctx, { ...change, points: -input.delta, mode: 'strict' })).entry!;
  const row = await tx.pointsEntry.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: entry.id } } });
  await recordAudit(tx, ctx, {
    action: 'points.adjusted',
    targetType: 'member',
    targetId: memberId,
    before: { pointsBalance: before.pointsBalance },
    after: { pointsBalance: entry.balanceAfter, delta: input.delta, reason: input.reason, entryId: entry.id },
  });
  return { result: { delta: input.delta, balance: entry.balanceAfter, entry: toLedgerDto(row) }, replayed: false };
}
