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
import { countProfileCompleted, countTaskEvent, currentProfileFields } from '../tasks/index.ts';

/**
 * Records a member activity, idempotent by reference (same body → 200 with the first result,
 * another body → 409), and awards by the program's growth rules:
 * - login: first of the local day only (tenant time zone);
 * - review: items priced ≥ reviewMinItemPriceCents;
 * - photo_review: the first photoReviewsPerItem photo reviews of an item (by itemSku);
 * - share: growthRules.share;
 * - profile_completed: counts for the profile task (the built-in one gives tasks.profileCompleted
 *   points once) only when the profile actually holds tasks.profileRequiredFields.
 * Awards are cut to what is left of the member's daily caps (0 when a cap or rule gives
 * nothing); a flagged member earns no points. Then the activity counts for the tasks of its type
 * (a login only as the first of its local day), in the same transaction; `pointsAwarded` includes
 * the points of the tasks it completed. Takes the member lock itself.
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
    select: { requestHash: true, growthAwarded: true, pointsAwarded: true, taskPoints: true },
  });
  if (existing) {
    if (existing.requestHash !== hash) throw new AppError('idempotency_conflict', 'This reference was already used for another activity');
    return { status: 200, body: { growthAwarded: existing.growthAwarded, pointsAwarded: existing.pointsAwarded + existing.taskPoints } };
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
  // The tasks this activity counts for, before the row is written (its id is the source).
  const tasks =
    input.type === 'profile_completed'
      ? await countProfileCompleted(tx, ctx, program, memberId, await currentProfileFields(tx, ctx, memberId), now)
      : rule.counts
        ? await countTaskEvent(tx, ctx, program, { memberId, event: 'activity', activityType: input.type, source: id, at: now, reference: input.reference })
        : null;
  const taskPoints = tasks?.points ?? 0;
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
      taskPoints,
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
  }
  if (growth > 0 || (tasks?.growth ?? 0) > 0) await applyUpgrade(tx, ctx, memberId, { at: now, reason: input.type });
  if (points > 0) {
    const kind = PointsKind.Activity;
    await earnPoints(
      tx,
      ctx,
      { memberId, points, kind, reason: input.type, reference: input.reference, idempotencyKey: id, at: now, program },
      { source: input.type, reference: input.reference },
    );
  }
  return { status: 201, body: { growthAwarded: growth, pointsAwarded: points + taskPoints } };
}

async function ruleAward(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  input: RecordActivityInput,
  program: Program,
  day: string,
): Promise<{ growth: number; points: number; counts: boolean }> {
  const g = program.growthRules;
  switch (input.type) {
    case 'login': {
      const earlier = await tx.activity.findFirst({
        where: { tenantId: ctx.tenantId, memberId, type: 'login', localDate: day },
        select: { id: true },
      });
      return { growth: earlier ? 0 : g.dailyLogin, points: 0, counts: !earlier };
    }
    case 'review':
      return { growth: (input.itemPriceCents ?? 0) >= g.reviewMinItemPriceCents ? g.review : 0, points: 0, counts: true };
    case 'photo_review': {
      if (!input.itemSku) return { growth: g.photoReview, points: 0, counts: true };
      // The item's first N photo reviews earn (tenant-wide, revoked ones excluded).
      const before = await tx.activity.count({
        where: { tenantId: ctx.tenantId, type: 'photo_review', itemSku: input.itemSku, revokedAt: null },
      });
      return { growth: before < g.photoReviewsPerItem ? g.photoReview : 0, points: 0, counts: true };
    }
    case 'share':
      return { growth: g.share, points: 0, counts: true };
    case 'profile_completed':
      // Its reward is the profile task's (counted by the caller), not the activity's.
      return { growth: 0, points: 0, counts: false };
  }
}
