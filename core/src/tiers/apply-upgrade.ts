import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { getProgram } from '../program/index.ts';
import { getLadder } from './ladder.ts';
import { qualificationScoreSql } from './member-score.ts';
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
export async function applyUpgrade(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  /** `known`: the member's tier, trial and growth as the caller (holding the lock) last wrote them. */
  options: { at: Date; reason: string; known?: { tierCode: string; trialUntil: Date | null; growth: number } },
): Promise<TierMove | null> {
  const [ladder, program] = await Promise.all([getLadder(tx, ctx), getProgram(tx, ctx)]);
  let member: { tierCode: string; trialUntil: Date | null; score: number };
  if (options.known && program.qualificationModel === 'growth') {
    member = { ...options.known, score: options.known.growth };
  } else {
    // Hot path (every order with growth): tier, trial and score in one raw read.
    const [row] = await tx.$queryRaw<{ tierCode: string; trialUntil: Date | null; score: bigint | number | null }[]>`
      SELECT m.tier_code AS "tierCode", m.trial_until AS "trialUntil", ${qualificationScoreSql(program, options.at)} AS score
      FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${memberId}`;
    if (!row) throw notFound('Member');
    member = { tierCode: row.tierCode, trialUntil: row.trialUntil, score: Number(row.score ?? 0) };
  }
  const current = ladder.find((t) => t.code === member.tierCode);
  if (!current) return null;
  const target = tierForScore(ladder, program.qualificationModel, member.score);
  if (member.trialUntil && target.rank === current.rank) {
    await tx.member.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, data: { trialUntil: null } });
    return null;
  }
  if (target.rank <= current.rank) return null;
  await moveTier(tx, ctx, { memberId, from: current, to: target, reason: options.reason, at: options.at, trialUntil: null });
  return { from: current.code, to: target.code };
}
