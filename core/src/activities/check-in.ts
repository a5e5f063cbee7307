import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { addDays, localDate } from '../shared/time.ts';
import { earnPoints, PointsKind } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import { dailyUsage } from './daily-usage.ts';
import type { CheckInResult } from './activities.contract.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { countTaskEvent } from '../tasks/index.ts';
import { applyUpgrade } from '../tiers/index.ts';

/** Streak reward: rewards[streak − 1], the last value once the streak is longer than the list. */
export function checkInReward(rewards: readonly number[], streak: number): number {
  return rewards[Math.min(streak, rewards.length) - 1] ?? 0;
}

/**
 * Daily check-in on the member's local day (tenant time zone): a second one that day → 422
 * already_checked_in. The streak continues from yesterday's check-in, else restarts at 1;
 * points follow program.checkIn.rewards, cut to the daily points cap (none when flagged).
 * Takes the member lock itself (the target is a path reference or a member id).
 */
export async function checkIn(tx: Tx, ctx: TenantContext, target: MemberTarget, options: { now?: Date } = {}): Promise<CheckInResult> {
  const memberId = await lockTargetMember(tx, ctx, target);
  const now = options.now ?? new Date();
  const program = await getProgram(tx, ctx);
  const today = localDate(now, program.timezone);
  const last = await tx.checkIn.findFirst({
    where: { tenantId: ctx.tenantId, memberId },
    orderBy: { localDate: 'desc' },
    select: { localDate: true, streak: true },
  });
  if (last && last.localDate >= today) throw new AppError('already_checked_in', `Already checked in on ${last.localDate}`);
  const streak = last && last.localDate === addDays(today, -1) ? last.streak + 1 : 1;
  const member = await tx.member.findUniqueOrThrow({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } },
    select: { flagged: true },
  });
  const used = await dailyUsage(tx, ctx, memberId, today);
  const points = member.flagged
    ? 0
    : Math.max(0, Math.min(checkInReward(program.checkIn.rewards, streak), program.caps.activityPointsPerDay - used.points));
  const id = newId('chk');
  await tx.checkIn.create({
    data: { tenantId: ctx.tenantId, id, memberId, localDate: today, streak, pointsAwarded: points },
  });
  if (points > 0) {
    await earnPoints(
      tx,
      ctx,
      { memberId, points, kind: PointsKind.CheckIn, reason: `check-in day ${streak}`, reference: today, idempotencyKey: today, at: now, program },
      { source: PointsKind.CheckIn, streak },
    );
  }
  // The check-in counts for the check_in tasks (e.g. "check in 5 days this week").
  const tasks = await countTaskEvent(tx, ctx, program, { memberId, event: 'check_in', source: id, at: now, reference: today });
  if (tasks.growth > 0) await applyUpgrade(tx, ctx, memberId, { at: now, reason: 'task' });
  return { streak, pointsAwarded: points, localDate: today };
}
