import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
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
  // Two statements of one round trip, both allocating from the lots as they stand: the uses (an
  // INSERT … SELECT taking tenant_id from the lot rows, with seeded ids, so that on Citus it
  // stays on the tenant's shard with RLS kept), then the lots' decrement.
  const excessLots = Prisma.sql`
      SELECT tenant_id, id, remaining, store_id, total_excess - before AS need FROM (
        SELECT tenant_id, id, remaining, store_id, sum(remaining) OVER (ORDER BY earned_at, id) - remaining AS before,
               sum(remaining) OVER () - GREATEST(${balance}::int, 0) AS total_excess
        FROM points_lots WHERE tenant_id = ${t} AND member_id = ${to.id} AND remaining > 0
      ) l WHERE total_excess - before > 0`;
  await queryBatch(tx, [
    Prisma.sql`
      INSERT INTO points_lot_uses (tenant_id, id, lot_id, entry_id, member_id, kind, points, issued_store_id, redeemed_store_id, at)
      SELECT e.tenant_id, ${newIdSql('plu', at, Prisma.sql`${mergeInId}::text || '.' || e.id`)}, e.id, ${mergeInId}, ${to.id}, ${PointsKind.MergeIn},
             LEAST(e.remaining, e.need), e.store_id, NULL, ${at}::timestamptz
      FROM (${excessLots}) e`,
    Prisma.sql`
      WITH takes AS (SELECT e.id, LEAST(e.remaining, e.need) AS take FROM (${excessLots}) e)
      UPDATE points_lots p SET remaining = p.remaining - takes.take
      FROM takes
      WHERE p.tenant_id = ${t} AND p.id = takes.id`,
  ]);
  return { balance };
}
