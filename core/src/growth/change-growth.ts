import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { assertInt } from '../shared/money.ts';

export interface GrowthChange {
  memberId: string;
  delta: number;
  kind: string;
  storeId?: string | null | undefined;
  reason?: string | null | undefined;
  reference?: string | null | undefined;
  /** Unique per member and kind (order id, activity reference, month ...). */
  idempotencyKey?: string | null | undefined;
  at?: Date | undefined;
}

/**
 * Changes a member's growth value: one ledger entry and the cached members.growth, in the
 * caller's transaction (the caller holds the member lock and calls applyUpgrade after a rise).
 * Growth never goes below zero: a clawback larger than the value takes the value. Returns the
 * change actually applied (0 writes nothing).
 */
export async function changeGrowth(tx: Tx, ctx: TenantContext, change: GrowthChange): Promise<{ applied: number; value: number }> {
  assertInt(change.delta, 'delta');
  const member = await tx.member.findUniqueOrThrow({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: change.memberId } },
    select: { growth: true },
  });
  const applied = change.delta < 0 ? -Math.min(-change.delta, Math.max(member.growth, 0)) : change.delta;
  if (applied === 0) return { applied: 0, value: member.growth };
  const value = member.growth + applied;
  await tx.growthEntry.create({
    data: {
      tenantId: ctx.tenantId,
      id: newId('gle'),
      memberId: change.memberId,
      storeId: change.storeId ?? null,
      delta: applied,
      kind: change.kind,
      reason: change.reason ?? null,
      reference: change.reference ?? null,
      idempotencyKey: change.idempotencyKey ?? null,
      balanceAfter: value,
      at: change.at ?? new Date(),
    },
  });
  await tx.member.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: change.memberId } }, data: { growth: value } });
  return { applied, value };
}
