import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId, newIdSql } from '../shared/ids.ts';
import { assertInt } from '../shared/money.ts';
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
 * drain first, e.g. the order's own lot on a clawback), records which lot gave what
 * (`points_lot_uses`, with the lot's store and the debit's), writes one ledger entry and the
 * cached balance. Returns the entry (null when nothing was taken) and the points actually
 * taken. The caller holds the member lock.
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
  const balanceAfter = balance - taken;
  const id = newId('ple');
  const at = change.at ?? new Date();
  await queryBatch(tx, debitLotsSql(ctx, { ...change, entryId: id, taken, balanceAfter, at }));
  return { taken, entry: { id, delta: -taken, balanceAfter, expiresAt: null }, balance: balanceAfter };
}

/**
 * The debit as three statements of one round trip: the FIFO allocation of allocateFifo()
 * (points-math.ts) in SQL — each live lot, oldest first (the preferred lot before all), gives
 * what the lots before it did not cover. First the entry; then one use row per lot touched,
 * allocated from the lots as they stand; then the lots' decrement by the same allocation and
 * the cached balance. What the lots cannot cover (possible only when `taken` exceeds the
 * balance, mode `debt`) is debt. The caller's member lock keeps the lots as the statements read
 * them. Split so that each statement stays on the tenant's shard on Citus with row-level
 * security kept: the uses are an INSERT … SELECT taking tenant_id from the lot rows (never from
 * a CTE or a parameter, which Citus copies through the coordinator), with seeded ids.
 */
function debitLotsSql(
  ctx: TenantContext,
  d: PointsChange & { entryId: string; taken: number; balanceAfter: number; at: Date; preferEntryId?: string | null | undefined },
): Prisma.Sql[] {
  const t = ctx.tenantId;
  const storeId = d.storeId ?? null;
  // The live lots in the order they give, each with what the lots before it hold.
  const lots = Prisma.sql`
      SELECT tenant_id, id, remaining, store_id,
             sum(remaining) OVER (ORDER BY entry_id IS NOT DISTINCT FROM ${d.preferEntryId ?? null}::text DESC, earned_at, id) - remaining AS before
      FROM points_lots WHERE tenant_id = ${t} AND member_id = ${d.memberId} AND remaining > 0`;
  const entry = Prisma.sql`
    INSERT INTO points_ledger (tenant_id, id, member_id, store_id, delta, kind, reason, reference, idempotency_key, order_ref, balance_after, at, created_at)
    VALUES (${t}, ${d.entryId}, ${d.memberId}, ${storeId}::text, ${-d.taken}::int, ${d.kind}, ${d.reason ?? null}::text, ${d.reference ?? null}::text,
            ${d.idempotencyKey ?? null}::text, ${d.orderRef ?? null}::text, ${d.balanceAfter}::int, ${d.at}::timestamptz, ${new Date()}::timestamptz)`;
  const uses = Prisma.sql`
    INSERT INTO points_lot_uses (tenant_id, id, lot_id, entry_id, member_id, kind, points, issued_store_id, redeemed_store_id, at)
    SELECT l.tenant_id, ${newIdSql('plu', d.at, Prisma.sql`${d.entryId}::text || '.' || l.id`)}, l.id, ${d.entryId}, ${d.memberId}, ${d.kind},
           LEAST(l.remaining, ${d.taken}::int - l.before), l.store_id, ${storeId}::text, ${d.at}::timestamptz
    FROM (${lots}) l WHERE ${d.taken}::int - l.before > 0`;
  const decrement = Prisma.sql`
    WITH lots AS (${lots}), takes AS (
      SELECT id, LEAST(remaining, ${d.taken}::int - before) AS take FROM lots WHERE ${d.taken}::int - before > 0
    ), dec AS (
      UPDATE points_lots p SET remaining = p.remaining - takes.take
      FROM takes WHERE p.tenant_id = ${t} AND p.id = takes.id
    )
    UPDATE members SET points_balance = ${d.balanceAfter}::int, updated_at = now()
    WHERE tenant_id = ${t} AND id = ${d.memberId}`;
  return [entry, uses, decrement];
}
