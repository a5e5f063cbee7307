import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, forbidden } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { getLadder } from './ladder.ts';
import { moveTier } from './move-tier.ts';

/**
 * Manual tier change by the merchant (up or down), audited. Ends any trial. Setting the tier
 * the member already has changes nothing.
 */
export async function changeTier(tx: Tx, ctx: TenantContext, target: MemberTarget, input: { tierCode: string; reason: string }, at = new Date()): Promise<{ changed: boolean; memberId: string }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change tiers by hand');
  const memberId = await lockTargetMember(tx, ctx, target);
  const ladder = await getLadder(tx, ctx);
  const to = ladder.find((t) => t.code === input.tierCode);
  if (!to) throw new AppError('validation_failed', `No tier ${input.tierCode}`, { errors: [{ path: 'tierCode', message: 'Unknown tier' }] });
  const member = await tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { tierCode: true, trialUntil: true } });
  if (member.tierCode === to.code && !member.trialUntil) return { changed: false, memberId };
  const from = ladder.find((t) => t.code === member.tierCode) ?? null;
  await moveTier(tx, ctx, { memberId, from, to, reason: `manual: ${input.reason}`, at, trialUntil: null });
  await recordAudit(tx, ctx, {
    action: 'member.tier_changed',
    targetType: 'member',
    targetId: memberId,
    before: { tier: member.tierCode, trialUntil: member.trialUntil },
    after: { tier: to.code, reason: input.reason },
  });
  return { changed: true, memberId };
}
