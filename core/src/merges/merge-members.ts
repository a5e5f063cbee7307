import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound, forbidden } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { lockMember } from '../identities/index.ts';
import { getMemberView, type MemberDto } from '../members/index.ts';
import { issueMemberBenefitPacks, mergeEntitlements } from '../benefits/index.ts';
import { mergeCoupons } from '../coupons/index.ts';
import { changeGrowth, GrowthKind } from '../growth/index.ts';
import { mergeIdentities } from '../identities/index.ts';
import { mergeOrders } from '../orders/index.ts';
import { mergeMemberPlan } from '../plans/index.ts';
import { mergePoints } from '../points/index.ts';
import { applyUpgrade, getLadder, moveTier } from '../tiers/index.ts';

/**
 * Merges `fromUnionId` into the member `survivorId` (two unionIds that are one person), in one
 * transaction:
 * - identities, orders, coupons, the paid plan, entitlement uses and coupon packs and the
 *   remaining points lots move to the survivor;
 * - the points balance and growth value move by a `merge_out` entry on the merged member and a
 *   `merge_in` entry on the survivor (ledgers are insert-only, so history stays where it
 *   happened and both ledgers still sum to their balances); a debt on either side is repaid
 *   from the moved lots, oldest first;
 * - the survivor keeps the higher of the two tiers, then the upgrade rule runs on the new growth;
 * - the merged member becomes a tombstone whose unionId resolves to the survivor.
 * Audited as `member.merged`.
 */
export async function mergeMembers(tx: Tx, ctx: TenantContext, survivorId: string, fromUnionId: string): Promise<MemberDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot merge members');
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

  const select = { id: true, unionId: true, pointsBalance: true, growth: true, tierCode: true, trialUntil: true, flagged: true } as const;
  const [survivor, merged] = await Promise.all([
    tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: survivorId } }, select }),
    tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: source.id } }, select }),
  ]);
  const at = new Date();
  const t = ctx.tenantId;

  // Each move through the module that owns the rows.
  await mergeIdentities(tx, ctx, merged.id, survivor.id);
  await mergeOrders(tx, ctx, merged.id, survivor.id);
  await mergeCoupons(tx, ctx, merged.id, survivor.id);
  await mergeMemberPlan(tx, ctx, merged.id, survivor.id);
  await mergeEntitlements(tx, ctx, merged.id, survivor.id);
  const points = await mergePoints(tx, ctx, merged, survivor, at);

  // Growth: the same transfer through the growth ledger.
  if (merged.growth > 0) {
    await changeGrowth(tx, ctx, { memberId: merged.id, delta: -merged.growth, kind: GrowthKind.MergeOut, reference: survivor.unionId, idempotencyKey: survivor.id, at });
    await changeGrowth(tx, ctx, { memberId: survivor.id, delta: merged.growth, kind: GrowthKind.MergeIn, reference: merged.unionId, idempotencyKey: merged.id, at });
  }

  // Tier: the better of the two, then whatever the combined growth qualifies for.
  const ladder = await getLadder(tx, ctx);
  const tierOf = (code: string) => ladder.find((x) => x.code === code) ?? null;
  const rank = (code: string) => tierOf(code)?.rank ?? -1;
  if (rank(merged.tierCode) > rank(survivor.tierCode)) {
    await moveTier(
      tx,
      ctx,
      { memberId: survivor.id, from: tierOf(survivor.tierCode), to: tierOf(merged.tierCode)!, reason: 'merge', at, trialUntil: survivor.trialUntil },
      { announce: false },
    );
  }
  await applyUpgrade(tx, ctx, survivor.id, { at, reason: 'merge' });
  // The survivor's packs of its tier and plan now: those either member received this period
  // moved above, so only what neither had is issued.
  await issueMemberBenefitPacks(tx, ctx, survivor.id, at);

  await tx.member.update({ where: { tenantId_id: { tenantId: t, id: merged.id } }, data: { mergedIntoId: survivor.id, mergedAt: at } });
  // Members merged earlier into the merged one now alias the survivor directly.
  await tx.$executeRaw`UPDATE members SET merged_into_id = ${survivor.id} WHERE tenant_id = ${t} AND merged_into_id = ${merged.id}`;
  await recordAudit(tx, ctx, {
    action: 'member.merged',
    targetType: 'member',
    targetId: survivor.id,
    before: { survivor: auditedSide(survivor), merged: auditedSide(merged) },
    after: { survivorId: survivor.id, pointsBalance: points.balance, growth: survivor.growth + merged.growth },
  });
  return getMemberView(tx, ctx, survivor.id);
}

function auditedSide<T extends { trialUntil: Date | null }>(side: T): Omit<T, 'trialUntil'> {
  const { trialUntil: _trial, ...rest } = side;
  return rest;
}
