import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { getProgram } from '../program/index.ts';
import { lockMember } from '../identities/index.ts';
import { getLadder } from './ladder.ts';
import { memberScore } from './member-score.ts';
import { moveTier } from './move-tier.ts';
import { tierForScore } from './qualification.ts';
import { TRIAL_ENDED, TRIAL_STARTED } from './start-trial.ts';

/**
 * Ends every trial whose end is at or before `now` (the worker schedules this): a member who
 * qualified meanwhile keeps the tier (or the higher one the model gives); the others go back
 * to the higher of the tier they had before the trial and the one the model gives them now.
 * Idempotent: a finished trial has no trialUntil.
 */
export async function expireTrials(tx: Tx, ctx: TenantContext, now = new Date(), limit = 500): Promise<{ ended: number; kept: number }> {
  const due = await tx.member.findMany({
    where: { tenantId: ctx.tenantId, trialUntil: { lte: now } },
    select: { id: true },
    orderBy: { trialUntil: 'asc' },
    take: limit,
  });
  if (!due.length) return { ended: 0, kept: 0 };
  const [ladder, program] = await Promise.all([getLadder(tx, ctx), getProgram(tx, ctx)]);
  let ended = 0;
  let kept = 0;
  for (const { id } of due) {
    await lockMember(tx, ctx, id);
    const m = await tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id } }, select: { tierCode: true, trialUntil: true } });
    if (!m.trialUntil || m.trialUntil > now) continue;
    const current = ladder.find((t) => t.code === m.tierCode) ?? ladder[0]!;
    const earned = tierForScore(ladder, program.qualificationModel, await memberScore(tx, ctx, id, program, m.trialUntil));
    if (earned.rank >= current.rank) {
      if (earned.rank > current.rank) await moveTier(tx, ctx, { memberId: id, from: current, to: earned, reason: 'upgrade', at: m.trialUntil, trialUntil: null });
      else await tx.member.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id } }, data: { trialUntil: null } });
      kept++;
      continue;
    }
    const start = await tx.tierChange.findFirst({ where: { tenantId: ctx.tenantId, memberId: id, reason: TRIAL_STARTED }, orderBy: { at: 'desc' }, select: { fromCode: true } });
    const before = ladder.find((t) => t.code === start?.fromCode) ?? ladder[0]!;
    const to = before.rank > earned.rank ? before : earned;
    await moveTier(tx, ctx, { memberId: id, from: current, to, reason: TRIAL_ENDED, at: m.trialUntil, trialUntil: null });
    ended++;
  }
  return { ended, kept };
}
