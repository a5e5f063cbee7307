import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { getProgram } from '../program/index.ts';
import { getLadder } from './ladder.ts';
import { memberScore } from './member-score.ts';
import { moveTier } from './move-tier.ts';
import { tierForScore } from './qualification.ts';

export interface TierMove {
  from: string;
  to: string;
}

/**
 * Upgrade rule, called after any event that may lift a member (order, activity, adjustment):
 * moves the member up at once when the qualification model (growth value, rolling 365-day
 * spend, or RFM score at `at`) puts them above their tier, never down (downgrades happen only
 * through retention or a manual change). A member on trial who now qualifies for the trial
 * tier keeps it: the trial ends as earned. Records the change at event time and emits
 * member.tier_changed. The caller holds the member row lock.
 */
export async function applyUpgrade(tx: Tx, ctx: TenantContext, memberId: string, options: { at: Date; reason: string }): Promise<TierMove | null> {
  // Hot path (every order with growth): one raw read, no ORM query compilation.
  const [member] = await tx.$queryRaw<{ tierCode: string; trialUntil: Date | null }[]>`
    SELECT tier_code AS "tierCode", trial_until AS "trialUntil" FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${memberId}`;
  if (!member) throw notFound('Member');
  const [ladder, program] = await Promise.all([getLadder(tx, ctx), getProgram(tx, ctx)]);
  const current = ladder.find((t) => t.code === member.tierCode);
  if (!current) return null;
  const score = await memberScore(tx, ctx, memberId, program, options.at);
  const target = tierForScore(ladder, program.qualificationModel, score);
  if (member.trialUntil && target.rank === current.rank) {
    await tx.member.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, data: { trialUntil: null } });
    return null;
  }
  if (target.rank <= current.rank) return null;
  await moveTier(tx, ctx, { memberId, from: current, to: target, reason: options.reason, at: options.at, trialUntil: null });
  return { from: current.code, to: target.code };
}
