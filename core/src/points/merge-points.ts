import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { PointsKind } from './points-kinds.ts';

interface MergeSide {
  id: string;
  unionId: string;
  pointsBalance: number;
}

/**
 * A member merge, points side: the remaining lots of `from` move to `to`; the balance moves by
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
  if (moved !== 0) {
    await tx.$executeRaw`
      WITH e AS (
        INSERT INTO points_ledger (tenant_id, id, member_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
        VALUES (${t}, ${newId('ple')}, ${from.id}, ${-moved}::int, ${PointsKind.MergeOut}, 'merged into another member', ${to.unionId}, ${to.id}, 0, ${at}, ${at}),
               (${t}, ${newId('ple')}, ${to.id}, ${moved}::int, ${PointsKind.MergeIn}, 'merged from another member', ${from.unionId}, ${from.id}, ${balance}::int, ${at}, ${at})
        RETURNING member_id, balance_after
      )
      UPDATE members SET points_balance = e.balance_after, updated_at = now()
      FROM e WHERE members.tenant_id = ${t} AND members.id = e.member_id`;
  }
  // Each lot gives up what of the excess the older lots did not cover.
  await tx.$executeRaw`
    WITH lots AS (
      SELECT id, remaining, sum(remaining) OVER (ORDER BY earned_at, id) - remaining AS before
      FROM points_lots WHERE tenant_id = ${t} AND member_id = ${to.id} AND remaining > 0
    ), excess AS (
      SELECT COALESCE(sum(remaining), 0) - GREATEST(${balance}::int, 0) AS n FROM lots
    )
    UPDATE points_lots p SET remaining = p.remaining - LEAST(l.remaining, excess.n - l.before)
    FROM lots l, excess
    WHERE p.tenant_id = ${t} AND p.id = l.id AND excess.n - l.before > 0`;
  return { balance };
}
