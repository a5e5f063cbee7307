import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { changeGrowth, GrowthKind } from '../growth/index.ts';
import { lockMember, resolveMemberId, type MemberRef } from '../identities/index.ts';
import { creditPoints, debitPoints, PointsKind } from '../points/index.ts';
import type { Program } from '../program/index.ts';
import { applyUpgrade } from '../tiers/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { countTaskEvent, issueTaskCoupon } from './count-task-event.ts';
import { revokeTaskSource } from './revoke-task-source.ts';
import { revokeCoupons } from '../coupons/index.ts';

/**
 * What order intake reads with its lock to decide whether an order may complete a referral:
 * the member's inviter (through merges: a merged inviter's survivor) and whether a referral
 * row exists already. A SELECT list fragment over `m` (the member row).
 */
export function referralStateSql(): Prisma.Sql {
  return Prisma.sql`
    (SELECT COALESCE(i.merged_into_id, i.id) FROM members i WHERE i.tenant_id = m.tenant_id AND i.id = m.referred_by_id) AS inviter_id,
    EXISTS (SELECT 1 FROM referrals r WHERE r.tenant_id = m.tenant_id AND r.invitee_id = m.id) AS referral_done`;
}

/** True when an order of `amountCents` qualifies to complete the referral (minFirstOrderCents, at least 1). */
export function qualifiesForReferral(program: Program, amountCents: number): boolean {
  return amountCents >= Math.max(1, program.referral.minFirstOrderCents);
}

/**
 * Completes the referral of an invitee whose first qualifying order this is, in the order's
 * transaction (docs/rules.md §15): the inviter gets referral.inviterPoints and inviterGrowth
 * (then the upgrade rule), the invitee the welcome coupon (referral.inviteeCouponTemplateCode,
 * none when out of stock), the inviter's referral_completed tasks count it, and
 * referral.completed is emitted. Once per invitee (the row's primary key). A referral to
 * oneself (after merges) or along a cycle is refused: nothing happens. The caller holds the
 * invitee's lock; the inviter's is taken here (always invitee first, and the referral graph has
 * no cycle, so two such orders never wait on each other in a circle).
 */
export async function completeReferral(
  tx: Tx,
  ctx: TenantContext,
  input: { inviteeId: string; inviterId: string; orderId: string; storeId: string; at: Date; program: Program },
): Promise<boolean> {
  const { inviteeId, inviterId, program, at } = input;
  if (inviteeId === inviterId || (await referralCycle(tx, ctx, inviteeId, inviterId))) return false;
  await lockMember(tx, ctx, inviterId);
  const inserted = await tx.$queryRaw<{ invitee_id: string }[]>`
    INSERT INTO referrals (tenant_id, invitee_id, inviter_id, status, order_id, completed_at)
    VALUES (${ctx.tenantId}, ${inviteeId}, ${inviterId}, 'completed', ${input.orderId}, ${at}::timestamptz)
    ON CONFLICT DO NOTHING RETURNING invitee_id`;
  if (inserted.length === 0) return false;
  const key = `referral:${inviteeId}`;
  const r = program.referral;
  const inviter = await tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: inviterId } }, select: { flagged: true, unionId: true } });
  const points = inviter.flagged ? 0 : r.inviterPoints;
  if (points > 0) {
    await creditPoints(tx, ctx, { memberId: inviterId, points, kind: PointsKind.Referral, reason: 'referral completed', reference: key, idempotencyKey: key, at, program });
  }
  let growthRose = false;
  if (r.inviterGrowth > 0) {
    await changeGrowth(tx, ctx, { memberId: inviterId, delta: r.inviterGrowth, kind: GrowthKind.Referral, reason: 'referral completed', reference: key, idempotencyKey: key, at });
    growthRose = true;
  }
  const couponId = r.inviteeCouponTemplateCode ? await issueTaskCoupon(tx, ctx, inviteeId, r.inviteeCouponTemplateCode, key, at, 'referral') : null;
  await tx.$executeRaw`UPDATE referrals SET inviter_points = ${points}::int, inviter_growth = ${r.inviterGrowth}::int, invitee_coupon_id = ${couponId}
                       WHERE tenant_id = ${ctx.tenantId} AND invitee_id = ${inviteeId}`;
  const tasks = await countTaskEvent(tx, ctx, program, { memberId: inviterId, event: 'referral_completed', source: key, at, reference: key });
  if (growthRose || tasks.growth > 0) await applyUpgrade(tx, ctx, inviterId, { at, reason: 'referral' });
  await emitEvent(tx, ctx, {
    type: 'referral.completed',
    memberId: inviterId,
    at,
    data: { inviterId, inviteeId, orderId: input.orderId, inviterPoints: points, inviterGrowth: r.inviterGrowth, inviteeCouponId: couponId },
  });
  return true;
}

/** Whether the inviter's own chain of inviters leads back to the invitee. */
async function referralCycle(tx: Tx, ctx: TenantContext, inviteeId: string, inviterId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ cycle: boolean }[]>`
    WITH RECURSIVE chain(id, depth) AS (
      SELECT ${inviterId}::text, 0
      UNION ALL
      SELECT m.referred_by_id, chain.depth + 1 FROM chain JOIN members m ON m.tenant_id = ${ctx.tenantId} AND m.id = chain.id
      WHERE m.referred_by_id IS NOT NULL AND chain.depth < 100
    )
    SELECT EXISTS (SELECT 1 FROM chain WHERE id = ${inviteeId}) AS cycle`;
  return rows[0]?.cycle ?? false;
}

/**
 * A full refund of the order that completed a referral revokes it: the inviter's points
 * (under the clawback policy) and growth are taken back, the referral no longer counts for the
 * inviter's tasks (a window that falls below its target loses its reward), the row becomes
 * `revoked`; the invitee's welcome coupon is revoked while unused (a used one stays used).
 * Returns whether it was revoked. The caller holds the invitee's lock.
 */
export async function revokeReferralForOrder(
  tx: Tx,
  ctx: TenantContext,
  input: { inviteeId: string; orderId: string; at: Date; program: Program; reference: string },
): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ inviter_id: string; inviter_points: number; inviter_growth: number; invitee_coupon_id: string | null }[]>`
    SELECT inviter_id, inviter_points, inviter_growth, invitee_coupon_id FROM referrals
    WHERE tenant_id = ${ctx.tenantId} AND invitee_id = ${input.inviteeId} AND order_id = ${input.orderId} AND status = 'completed'`;
  if (!row) return false;
  const inviterId = row.inviter_id;
  await lockMember(tx, ctx, inviterId);
  const key = `referral:${input.inviteeId}`;
  const reason = 'referral revoked: first order fully refunded';
  if (row.inviter_points > 0) {
    await debitPoints(tx, ctx, {
      memberId: inviterId,
      points: row.inviter_points,
      kind: PointsKind.RefundClawback,
      reason,
      reference: input.reference,
      idempotencyKey: key,
      program: input.program,
      mode: input.program.refunds.clawback === 'debt' ? 'debt' : 'cap',
    });
  }
  if (row.inviter_growth > 0) {
    await changeGrowth(tx, ctx, { memberId: inviterId, delta: -row.inviter_growth, kind: GrowthKind.RefundClawback, reason, reference: input.reference, idempotencyKey: key, at: input.at });
  }
  await revokeTaskSource(tx, ctx, { memberId: inviterId, source: key, reference: input.reference, program: input.program, at: input.at, reason });
  if (row.invitee_coupon_id) await revokeCoupons(tx, ctx, input.inviteeId, [row.invitee_coupon_id]);
  await tx.$executeRaw`UPDATE referrals SET status = 'revoked', revoked_at = ${input.at}::timestamptz WHERE tenant_id = ${ctx.tenantId} AND invitee_id = ${input.inviteeId}`;
  return true;
}

/** The members a member invited, newest first: pending until a first qualifying order, then completed (or revoked). */
export async function listReferrals(tx: Tx, ctx: TenantContext, target: MemberRef) {
  const inviterId = await resolveMemberId(tx, ctx, target);
  const rows = await tx.$queryRaw<{ union_id: string; created_at: Date; status: string | null; completed_at: Date | null }[]>`
    SELECT m.union_id, m.created_at, r.status, r.completed_at
    FROM members m LEFT JOIN referrals r ON r.tenant_id = m.tenant_id AND r.invitee_id = m.id
    WHERE m.tenant_id = ${ctx.tenantId} AND m.referred_by_id = ${inviterId} AND m.merged_into_id IS NULL
    ORDER BY m.created_at DESC, m.id DESC LIMIT 500`;
  return {
    data: rows.map((r) => ({
      unionId: r.union_id,
      joinedAt: r.created_at.toISOString(),
      status: (r.status ?? 'pending') as 'pending' | 'completed' | 'revoked',
      rewardedAt: r.completed_at?.toISOString() ?? null,
    })),
  };
}
