import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { getProgram } from '../program/index.ts';
import { emitEvent } from '../webhooks/index.ts';
import { getLadder, tierForGrowth } from './ladder.ts';
import type { Tier } from './tiers.contract.ts';

export interface TierMove {
  from: string;
  to: string;
}

/**
 * Upgrade rule, called after any event that may lift a member (order, activity, adjustment):
 * moves the member up at once when the qualification model puts them above their tier, never
 * down (downgrades happen only through retention or a manual change). Records the change at
 * event time and emits member.tier_changed. The caller holds the member row lock.
 */
export async function applyUpgrade(tx: Tx, ctx: TenantContext, memberId: string, options: { at: Date; reason: string }): Promise<TierMove | null> {
  const member = await tx.member.findUniqueOrThrow({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } },
    select: { tierCode: true, growth: true },
  });
  const [ladder, program] = await Promise.all([getLadder(tx, ctx), getProgram(tx, ctx)]);
  const current = ladder.find((t) => t.code === member.tierCode);
  let target: Tier | null = null;
  if (program.qualificationModel === 'growth') target = tierForGrowth(ladder, member.growth);
  if (!target || !current || target.rank <= current.rank) return null;
  await tx.member.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } },
    data: { tierCode: target.code, tierSince: options.at },
  });
  await tx.tierChange.create({
    data: { tenantId: ctx.tenantId, id: newId('tch'), memberId, fromCode: current.code, toCode: target.code, reason: options.reason, at: options.at },
  });
  await emitEvent(tx, ctx, {
    type: 'member.tier_changed',
    memberId,
    data: { memberId, from: current.code, to: target.code, reason: options.reason, at: options.at.toISOString() },
  });
  return { from: current.code, to: target.code };
}
