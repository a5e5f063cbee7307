import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { assertInt } from '../shared/money.ts';
import { getProgram, type Program } from '../program/index.ts';
import { lotExpiresAt, splitCredit } from './points-math.ts';

export interface PointsChange {
  memberId: string;
  storeId?: string | null | undefined;
  kind: string;
  reason?: string | null | undefined;
  reference?: string | null | undefined;
  /** Unique per member and kind: a second entry with the same key is refused by the database. */
  idempotencyKey?: string | null | undefined;
  orderRef?: string | null | undefined;
  /** Event time (default now): decides the lot's expiry. */
  at?: Date | undefined;
  /** The caller's already-loaded program, to save a read. */
  program?: Program | undefined;
}

export interface PointsEntryRow {
  id: string;
  delta: number;
  balanceAfter: number;
  expiresAt: Date | null;
}

/**
 * Adds points to a member: one ledger entry, one lot (expiring per program.expiry), and the
 * cached balance, in the caller's transaction. A negative balance (debt) is repaid first: the
 * lot keeps only what is left after the repayment. The caller holds the member lock
 * (lockMember / resolveMemberId forUpdate).
 */
export async function creditPoints(tx: Tx, ctx: TenantContext, change: PointsChange & { points: number }): Promise<PointsEntryRow> {
  assertInt(change.points, 'points');
  if (change.points <= 0) throw new RangeError('credit must be positive');
  const at = change.at ?? new Date();
  const program = change.program ?? (await getProgram(tx, ctx));
  const member = await tx.member.findUniqueOrThrow({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: change.memberId } },
    select: { pointsBalance: true },
  });
  const { remaining } = splitCredit(member.pointsBalance, change.points);
  const balanceAfter = member.pointsBalance + change.points;
  const expiresAt = lotExpiresAt(at, program.expiry.months, program.timezone);
  const entryId = newId('ple');
  await tx.pointsEntry.create({
    data: {
      tenantId: ctx.tenantId,
      id: entryId,
      memberId: change.memberId,
      storeId: change.storeId ?? null,
      delta: change.points,
      kind: change.kind,
      reason: change.reason ?? null,
      reference: change.reference ?? null,
      idempotencyKey: change.idempotencyKey ?? null,
      orderRef: change.orderRef ?? null,
      balanceAfter,
      expiresAt,
      at,
    },
  });
  await tx.pointsLot.create({
    data: { tenantId: ctx.tenantId, id: newId('lot'), memberId: change.memberId, entryId, points: change.points, remaining, earnedAt: at, expiresAt },
  });
  await tx.member.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: change.memberId } },
    data: { pointsBalance: balanceAfter },
  });
  return { id: entryId, delta: change.points, balanceAfter, expiresAt };
}
