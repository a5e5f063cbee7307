import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId, newIdSql } from '../shared/ids.ts';
import { PointsKind } from './points-kinds.ts';

interface MergeSide {
  id: string;
  unionId: string;
  pointsBalance: number;
}

/**
 * A member merge, points side: the remaining lots of `from` move to `to` (each keeps its
 * store, so what the survivor spends later is settled with the store that issued it); the balance moves by
 * a `merge_out` entry on `from` and a `merge_in` entry on `to` (the ledgers are insert-only, so
 * history stays where it happened and both still sum to their balances); then the survivor's
 * lots are trimmed, oldest first, so that sum(remaining) = max(balance, 0) holds again (a debt
 * on either side is repaid from the lots). Set-based; the caller holds both row locks.
 * Returns the survivor's balance.
 */
export async function mergePoints(tx: Tx, ctx: TenantContext, from: MergeSide, to: MergeSide, at: Date): Promise<{ balance: number }> {
  const t = ctx.tenantId;
  await tx.$executeRaw`UPDATE points_lots SET member_id = ${to.id} WHERE tenant_id = ${t} AND member_id = ${from.id}`;
  const moved = from.pointsBalance;
  const balance = to.pointsBalance + moved;
  const mergeInId = newId('ple');
  if (moved !== 0) {
    await tx.$executeRaw`
      WITH e AS (
        INSERT INTO points_ledger (tenant_id, id, member_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
        VALUES (${t}, ${newId('ple')}, ${from.id}, ${-moved}::int, ${PointsKind.MergeOut}, 'merged into another member', ${to.unionId}, ${to.id}, 0, ${at}, ${at}),
               (${t}, ${mergeInId}, ${to.id}, ${moved}::int, ${PointsKind.MergeIn}, 'merged from another member', ${from.unionId}, ${from.id}, ${balance}::int, ${at}, ${at})
        RETURNING member_id, balance_after
      )
      UPDATE members SET points_balance = e.balance_after, updated_at = now()
      FROM e WHERE members.tenant_id = ${t} AND members.id = e.member_id`;
  }
  // A trim happens only when a debt meets lots, so only when a balance moved (`moved` ≠ 0):
  // lots sum to max(balance, 0) on each side before the merge.
  if (moved === 0) return { balance };
  // Each lot gives up what of the excess the older lots did not cover; what it gives is a use
  // of the lot by the merge_in entry (a debt repaid, not settled between stores).
  await tx.$executeRaw`
    WITH lots AS (
      SELECT id, remaining, store_id, sum(remaining) OVER (ORDER BY earned_at, id) - remaining AS before
      FROM points_lots WHERE tenant_id = ${t} AND member_id = ${to.id} AND remaining > 0
    ), excess AS (
      SELECT COALESCE(sum(remaining), 0) - GREATEST(${balance}::int, 0) AS n FROM lots
    ), takes AS (
      SELECT l.id, l.store_id, LEAST(l.remaining, excess.n - l.before) AS take
      FROM lots l, excess WHERE excess.n - l.before > 0
    ), uses AS (
      INSERT INTO points_lot_uses (tenant_id, id, lot_id, entry_id, member_id, kind, points, issued_store_id, redeemed_store_id, at)
      SELECT ${t}, ${newIdSql('plu', at)}, takes.id, ${mergeInId}, ${to.id}, ${PointsKind.MergeIn}, takes.take, takes.store_id, NULL, ${at}::timestamptz
      FROM takes
    )
    UPDATE points_lots p SET remaining = p.remaining - takes.take
    FROM takes
    WHERE p.tenant_id = ${t} AND p.id = takes.id`;
  return { balance };
}
