import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { lockMember } from '../identities/index.ts';
import { getMemberView, type MemberDto } from '../members/index.ts';
import { changeGrowth } from '../growth/index.ts';
import { applyUpgrade, getLadder } from '../tiers/index.ts';

export const MERGE_OUT_KIND = 'merge_out';
export const MERGE_IN_KIND = 'merge_in';

/**
 * Merges `fromUnionId` into the member `survivorId` (two unionIds that are one person), in one
 * transaction:
 * - identities, orders and the remaining points lots move to the survivor;
 * - the points balance and growth value move by a `merge_out` entry on the merged member and a
 *   `merge_in` entry on the survivor (ledgers are insert-only, so history stays where it
 *   happened and both ledgers still sum to their balances); a debt on either side is repaid
 *   from the moved lots, oldest first;
 * - the survivor keeps the higher of the two tiers, then the upgrade rule runs on the new growth;
 * - the merged member becomes a tombstone whose unionId resolves to the survivor.
 * Audited as `member.merged`.
 */
export async function mergeMembers(tx: Tx, ctx: TenantContext, survivorId: string, fromUnionId: string): Promise<MemberDto> {
  const source = await tx.member.findUnique({
    where: { tenantId_unionId: { tenantId: ctx.tenantId, unionId: fromUnionId } },
    select: { id: true, mergedIntoId: true },
  });
  if (!source) throw notFound('Member to merge');
  if (source.id === survivorId || source.mergedIntoId === survivorId) {
    throw new AppError('business_rule', 'A member cannot be merged into itself');
  }
  if (source.mergedIntoId) throw new AppError('business_rule', 'That member was already merged into another member');
  // Lock both rows in a fixed order so that two opposite merges cannot deadlock.
  for (const id of [survivorId, source.id].sort()) await lockMember(tx, ctx, id);

  const select = { id: true, unionId: true, pointsBalance: true, growth: true, tierCode: true, flagged: true } as const;
  const [survivor, merged] = await Promise.all([
    tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: survivorId } }, select }),
    tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: source.id } }, select }),
  ]);
  const at = new Date();
  const t = ctx.tenantId;

  await tx.$executeRaw`UPDATE identities SET member_id = ${survivor.id} WHERE tenant_id = ${t} AND member_id = ${merged.id}`;
  await tx.$executeRaw`UPDATE orders SET member_id = ${survivor.id} WHERE tenant_id = ${t} AND member_id = ${merged.id}`;
  await tx.$executeRaw`UPDATE points_lots SET member_id = ${survivor.id} WHERE tenant_id = ${t} AND member_id = ${merged.id}`;
  await tx.$executeRaw`UPDATE coupons SET member_id = ${survivor.id} WHERE tenant_id = ${t} AND member_id = ${merged.id}`;
  // A paid plan (at most one per member) follows the person: the survivor keeps the one that
  // runs longer.
  await tx.$executeRaw`
    WITH src AS (DELETE FROM member_plans WHERE tenant_id = ${t} AND member_id = ${merged.id} RETURNING plan_id, status, until, started_at)
    INSERT INTO member_plans (tenant_id, member_id, plan_id, status, until, started_at, updated_at)
    SELECT ${t}, ${survivor.id}, plan_id, status, until, started_at, now() FROM src
    ON CONFLICT (tenant_id, member_id) DO UPDATE
      SET plan_id = EXCLUDED.plan_id, status = EXCLUDED.status, until = EXCLUDED.until, started_at = EXCLUDED.started_at, updated_at = now()
      WHERE member_plans.until < EXCLUDED.until`;

  // Points: move the balance by two entries, then trim the survivor's lots so that
  // sum(remaining) = max(balance, 0) holds again (a debt on either side is repaid from lots).
  const moved = merged.pointsBalance;
  if (moved !== 0) {
    const newBalance = survivor.pointsBalance + moved;
    await tx.$executeRaw`
      INSERT INTO points_ledger (tenant_id, id, member_id, delta, kind, reason, reference, idempotency_key, balance_after, at, created_at)
      VALUES (${t}, ${newId('ple')}, ${merged.id}, ${-moved}::int, ${MERGE_OUT_KIND}, 'merged into another member', ${survivor.unionId}, ${survivor.id}, 0, ${at}, ${at}),
             (${t}, ${newId('ple')}, ${survivor.id}, ${moved}::int, ${MERGE_IN_KIND}, 'merged from another member', ${merged.unionId}, ${merged.id}, ${newBalance}::int, ${at}, ${at})`;
    await tx.$executeRaw`UPDATE members SET points_balance = 0 WHERE tenant_id = ${t} AND id = ${merged.id}`;
    await tx.$executeRaw`UPDATE members SET points_balance = ${newBalance}::int WHERE tenant_id = ${t} AND id = ${survivor.id}`;
  }
  const lots = await tx.pointsLot.findMany({
    where: { tenantId: t, memberId: survivor.id, remaining: { gt: 0 } },
    orderBy: [{ earnedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, remaining: true },
  });
  let excess = lots.reduce((s, l) => s + l.remaining, 0) - Math.max(survivor.pointsBalance + moved, 0);
  for (const lot of lots) {
    if (excess <= 0) break;
    const take = Math.min(lot.remaining, excess);
    await tx.pointsLot.update({ where: { tenantId_id: { tenantId: t, id: lot.id } }, data: { remaining: lot.remaining - take } });
    excess -= take;
  }

  // Growth: the same transfer through the growth ledger.
  if (merged.growth > 0) {
    await changeGrowth(tx, ctx, { memberId: merged.id, delta: -merged.growth, kind: MERGE_OUT_KIND, reference: survivor.unionId, idempotencyKey: survivor.id, at });
    await changeGrowth(tx, ctx, { memberId: survivor.id, delta: merged.growth, kind: MERGE_IN_KIND, reference: merged.unionId, idempotencyKey: merged.id, at });
  }

  // Tier: the better of the two, then whatever the combined growth qualifies for.
  const ladder = await getLadder(tx, ctx);
  const rank = (code: string) => ladder.find((x) => x.code === code)?.rank ?? -1;
  if (rank(merged.tierCode) > rank(survivor.tierCode)) {
    await tx.member.update({ where: { tenantId_id: { tenantId: t, id: survivor.id } }, data: { tierCode: merged.tierCode, tierSince: at } });
    await tx.tierChange.create({
      data: { tenantId: t, id: newId('tch'), memberId: survivor.id, fromCode: survivor.tierCode, toCode: merged.tierCode, reason: 'merge', at },
    });
  }
  await applyUpgrade(tx, ctx, survivor.id, { at, reason: 'merge' });

  await tx.member.update({
    where: { tenantId_id: { tenantId: t, id: survivor.id } },
    data: { flagged: survivor.flagged || merged.flagged },
  });
  await tx.member.update({ where: { tenantId_id: { tenantId: t, id: merged.id } }, data: { mergedIntoId: survivor.id, mergedAt: at } });
  // Members merged earlier into the merged one now alias the survivor directly.
  await tx.$executeRaw`UPDATE members SET merged_into_id = ${survivor.id} WHERE tenant_id = ${t} AND merged_into_id = ${merged.id}`;
  await recordAudit(tx, ctx, {
    action: 'member.merged',
    targetType: 'member',
    targetId: survivor.id,
    before: { survivor, merged },
    after: { survivorId: survivor.id, pointsBalance: survivor.pointsBalance + moved, growth: survivor.growth + merged.growth },
  });
  return getMemberView(tx, ctx, survivor.id);
}
