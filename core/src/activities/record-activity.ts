import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { localDate } from '../shared/time.ts';
import { changeGrowth } from '../growth/index.ts';
import { requestHash } from '../idempotency/index.ts';
import { earnPoints, PointsKind } from '../points/index.ts';
import { getProgram, type Program } from '../program/index.ts';
import { applyUpgrade } from '../tiers/index.ts';
import { dailyUsage } from './daily-usage.ts';
import type { RecordActivityInput, RecordActivityResult } from './activities.contract.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';

/**
 * Records a member activity, idempotent by reference (same body → 200 with the first result,
 * another body → 409), and awards by the program's growth rules:
 * - login: first of the local day only (tenant time zone);
 * - review: items priced ≥ reviewMinItemPriceCents;
 * - photo_review: the first photoReviewsPerItem photo reviews of an item (by itemSku);
 * - share: growthRules.share;
 * - profile_completed: the one-time task points (tasks.profileCompleted).
 * Awards are cut to what is left of the member's daily caps (0 when a cap or rule gives
 * nothing); a flagged member earns no points. Takes the member lock itself.
 */
export async function recordActivity(
  tx: Tx,
  ctx: TenantContext,
  target: MemberTarget,
  input: RecordActivityInput,
  options: { now?: Date } = {},
): Promise<{ status: 200 | 201; body: RecordActivityResult }> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const hash = requestHash('POST', 'activities', input);
  const existing = await tx.activity.findUnique({
    where: { tenantId_memberId_reference: { tenantId: ctx.tenantId, memberId, reference: input.reference } },
    select: { requestHash: true, growthAwarded: true, pointsAwarded: true },
  });
  if (existing) {
    if (existing.requestHash !== hash) throw new AppError('idempotency_conflict', 'This reference was already used for another activity');
    return { status: 200, body: { growthAwarded: existing.growthAwarded, pointsAwarded: existing.pointsAwarded } };
  }
  const now = options.now ?? new Date();
  const [program, member] = await Promise.all([
    getProgram(tx, ctx),
    tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { flagged: true } }),
  ]);
  const day = localDate(now, program.timezone);
  const rule = await ruleAward(tx, ctx, memberId, input, program, day);
  const used = await dailyUsage(tx, ctx, memberId, day);
  const growth = Math.max(0, Math.min(rule.growth, program.caps.activityGrowthPerDay - used.growth));
  const points = member.flagged ? 0 : Math.max(0, Math.min(rule.points, program.caps.activityPointsPerDay - used.points));
  const id = newId('act');
  await tx.activity.create({
    data: {
      tenantId: ctx.tenantId,
      id,
      memberId,
      type: input.type,
      reference: input.reference,
      itemSku: input.itemSku ?? null,
      itemPriceCents: input.itemPriceCents ?? null,
      localDate: day,
      growthAwarded: growth,
      pointsAwarded: points,
      requestHash: hash,
    },
  });
  if (growth > 0) {
    await changeGrowth(tx, ctx, {
      memberId,
      delta: growth,
      kind: input.type,
      reason: input.type,
      reference: input.reference,
      idempotencyKey: id,
      at: now,
    });
    await applyUpgrade(tx, ctx, memberId, { at: now, reason: input.type });
  }
  if (points > 0) {
    const kind = input.type === 'profile_completed' ? PointsKind.ProfileTask : PointsKind.Activity;
    await earnPoints(
      tx,
      ctx,
      { memberId, points, kind, reason: input.type, reference: input.reference, idempotencyKey: id, at: now, program },
      { source: input.type, reference: input.reference },
    );
  }
  return { status: 201, body: { growthAwarded: growth, pointsAwarded: points } };
}

async function ruleAward(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  input: RecordActivityInput,
  program: Program,
  day: string,
): Promise<{ growth: number; points: number }> {
  const g = program.growthRules;
  switch (input.type) {
    case 'login': {
      const earlier = await tx.activity.findFirst({
        where: { tenantId: ctx.tenantId, memberId, type: 'login', localDate: day },
        select: { id: true },
      });
      return { growth: earlier ? 0 : g.dailyLogin, points: 0 };
    }
    case 'review':
      return { growth: (input.itemPriceCents ?? 0) >= g.reviewMinItemPriceCents ? g.review : 0, points: 0 };
    case 'photo_review': {
      if (!input.itemSku) return { growth: g.photoReview, points: 0 };
      // The item's first N photo reviews earn (tenant-wide, revoked ones excluded).
      const before = await tx.activity.count({
        where: { tenantId: ctx.tenantId, type: 'photo_review', itemSku: input.itemSku, revokedAt: null },
      });
      return { growth: before < g.photoReviewsPerItem ? g.photoReview : 0, points: 0 };
    }
    case 'share':
      return { growth: g.share, points: 0 };
    case 'profile_completed': {
      const done = await tx.activity.findFirst({
        where: { tenantId: ctx.tenantId, memberId, type: 'profile_completed' },
        select: { id: true },
      });
      return { growth: 0, points: done ? 0 : program.tasks.profileCompleted };
    }
  }
}
