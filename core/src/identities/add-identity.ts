import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { resolveStoreId } from '../stores/index.ts';

/**
 * Binds an openId in a store to a member. An openId is unique per store: bound to this member
 * already → no change (created = false); bound to another member of the tenant → 409.
 */
export async function bindIdentity(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  input: { storeId?: string | null | undefined; openId: string },
): Promise<{ storeId: string; openId: string; created: boolean }> {
  const storeId = await resolveStoreId(tx, ctx, input.storeId, true);
  if (!storeId) throw new AppError('validation_failed', 'storeId is required', { errors: [{ path: 'storeId', message: 'Required' }] });
  const existing = await tx.identity.findUnique({
    where: { tenantId_storeId_openId: { tenantId: ctx.tenantId, storeId, openId: input.openId } },
  });
  if (existing) {
    if (existing.memberId !== memberId) throw conflict('This openId is already bound to another member in this store');
    return { storeId, openId: input.openId, created: false };
  }
  // ON CONFLICT DO NOTHING keeps the transaction usable when a concurrent bind wins the race.
  const inserted = await tx.identity.createMany({
    data: [{ tenantId: ctx.tenantId, id: newId('idn'), memberId, storeId, openId: input.openId }],
    skipDuplicates: true,
  });
  if (inserted.count === 0) {
    const winner = await tx.identity.findUnique({
      where: { tenantId_storeId_openId: { tenantId: ctx.tenantId, storeId, openId: input.openId } },
    });
    if (winner && winner.memberId !== memberId) throw conflict('This openId is already bound to another member in this store');
    return { storeId, openId: input.openId, created: false };
  }
  return { storeId, openId: input.openId, created: true };
}
