import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, forbidden } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { getProgram } from '../program/index.ts';
import { getLadder } from './ladder.ts';
import { moveTier } from './move-tier.ts';

export const TRIAL_STARTED = 'trial_started';
export const TRIAL_ENDED = 'trial_ended';
const DAY_MS = 86_400_000;

/**
 * Gives a member a trial of a higher tier for program.trial.days (default 7): the tier given,
 * else program.trial.tierCode, else the next tier up. Once per member; the tier must be above
 * theirs. expireTrials() reverts it when it ends unless they qualified meanwhile.
 */
export async function startTrial(tx: Tx, ctx: TenantContext, target: MemberTarget, input: { tierCode?: string | undefined; days?: number | undefined }, at = new Date()) {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot start tier trials');
  const memberId = await lockTargetMember(tx, ctx, target);
  const [ladder, program] = await Promise.all([getLadder(tx, ctx), getProgram(tx, ctx)]);
  const member = await tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { tierCode: true } });
  const current = ladder.find((t) => t.code === member.tierCode) ?? null;
  const code = input.tierCode ?? program.trial.tierCode ?? ladder.find((t) => t.rank > (current?.rank ?? -1))?.code;
  const to = ladder.find((t) => t.code === code);
  if (!to) throw new AppError('validation_failed', 'No tier to try', { errors: [{ path: 'tierCode', message: code ? 'Unknown tier' : 'The member is on the top tier' }] });
  if (current && to.rank <= current.rank) throw new AppError('business_rule', 'A trial must be of a tier above the member’s');
  const earlier = await tx.tierChange.findFirst({ where: { tenantId: ctx.tenantId, memberId, reason: TRIAL_STARTED }, select: { id: true } });
  if (earlier) throw new AppError('business_rule', 'This member has already had a trial');
  const trialUntil = new Date(at.getTime() + (input.days ?? program.trial.days) * DAY_MS);
  await moveTier(tx, ctx, { memberId, from: current, to, reason: TRIAL_STARTED, at, trialUntil });
  await recordAudit(tx, ctx, { action: 'member.trial_started', targetType: 'member', targetId: memberId, before: { tier: current?.code }, after: { tier: to.code, trialUntil } });
  return { tierCode: to.code, trialUntil, memberId };
}

/**
 * The onboarding trial (program.onboarding): a new member gets `tierCode` for `days` at
 * enrolment, whoever enrols them (a till included: it is the program's rule, not a staff
 * action). Nothing happens when the tier is unknown or not above the member's. The caller holds
 * the member row (it has just been created in this transaction).
 */
export async function startOnboardingTrial(tx: Tx, ctx: TenantContext, memberId: string, input: { tierCode: string; days: number }, at: Date): Promise<boolean> {
  const ladder = await getLadder(tx, ctx);
  const member = await tx.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: ctx.tenantId, id: memberId } }, select: { tierCode: true } });
  const current = ladder.find((t) => t.code === member.tierCode) ?? null;
  const to = ladder.find((t) => t.code === input.tierCode);
  if (!to || (current && to.rank <= current.rank)) return false;
  await moveTier(tx, ctx, { memberId, from: current, to, reason: TRIAL_STARTED, at, trialUntil: new Date(at.getTime() + input.days * DAY_MS) });
  return true;
}
