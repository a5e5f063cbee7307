import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { emitEvent } from '../webhooks/index.ts';
import type { Tier } from './tiers.contract.ts';

export interface TierReached {
  memberId: string;
  tier: Tier;
  at: Date;
}
/** Called after a member moves up onto a tier (upgrade gifts hook here). */
export type TierReachedHook = (tx: Tx, ctx: TenantContext, event: TierReached) => Promise<void>;
const reachedHooks: TierReachedHook[] = [];
export function onTierReached(hook: TierReachedHook): void {
  reachedHooks.push(hook);
}

/**
 * Moves one member to another tier: updates the member, records the change at event time and
 * emits member.tier_changed, then runs the tier-reached hooks on a move up. The caller holds
 * the member row lock.
 */
export async function moveTier(
  tx: Tx,
  ctx: TenantContext,
  input: { memberId: string; from: Tier | null; to: Tier; reason: string; at: Date; trialUntil?: Date | null; protectedUntil?: Date | null },
): Promise<void> {
  await tx.member.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id: input.memberId } },
    data: {
      tierCode: input.to.code,
      tierSince: input.at,
      trialUntil: input.trialUntil ?? null,
      ...(input.protectedUntil !== undefined ? { protectedUntil: input.protectedUntil } : {}),
    },
  });
  await tx.tierChange.create({
    data: { tenantId: ctx.tenantId, id: newId('tch'), memberId: input.memberId, fromCode: input.from?.code ?? null, toCode: input.to.code, reason: input.reason, at: input.at },
  });
  await emitEvent(tx, ctx, {
    type: 'member.tier_changed',
    memberId: input.memberId,
    data: { memberId: input.memberId, from: input.from?.code ?? null, to: input.to.code, reason: input.reason, at: input.at.toISOString() },
  });
  if (!input.from || input.to.rank > input.from.rank) {
    for (const hook of reachedHooks) await hook(tx, ctx, { memberId: input.memberId, tier: input.to, at: input.at });
  }
}
