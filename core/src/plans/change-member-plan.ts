import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, forbidden } from '../shared/errors.ts';
import { extensionsNotRegistered } from '../shared/extensions.ts';
import { newId } from '../shared/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { lockTargetMember, type MemberTarget } from '../identities/index.ts';
import { emitEvent, type EventType } from '../webhooks/index.ts';
import type { MemberPlanInput } from './plans.contract.ts';

const DAY_MS = 86_400_000;

/** What a plan change did, for the hooks higher modules install (benefits: the current packs at once). */
export interface PlanChanged {
  memberId: string;
  planCode: string;
  action: MemberPlanInput['action'];
  at: Date;
}
export type PlanChangedHook = (tx: Tx, ctx: TenantContext, event: PlanChanged) => Promise<void>;
let planChangedHooks: readonly PlanChangedHook[] | null = null;
/** Sets the plan-changed hooks (replacing any before): only registerCoreExtensions calls it. */
export function installPlanChangedHooks(hooks: readonly PlanChangedHook[]): void {
  planChangedHooks = [...hooks];
}

const PLAN_EVENT: Record<MemberPlanInput['action'], EventType> = {
  subscribe: 'plan.subscribed',
  trial: 'plan.subscribed',
  renew: 'plan.renewed',
  cancel: 'plan.cancelled',
};

/** Adds one period in UTC calendar terms (a month from Jan 31 is the end of February). */
export function addPeriod(from: Date, period: 'month' | 'year'): Date {
  const d = new Date(from);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  if (period === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * What the storefront reports about a paid plan (payment is the storefront's): subscribe or
 * renew extends `until` by one period from the later of now and the current end; trial gives
 * trialDays once per member and plan; cancel stops renewal, the paid period runs out. An
 * archived plan is refused (422 archived) except to renew or cancel by a member whose period
 * of it still runs.
 * Idempotent by `reference`: the same reference again changes nothing (a different body with
 * it is 409). Audited.
 */
export async function changeMemberPlan(tx: Tx, ctx: TenantContext, target: MemberTarget, input: MemberPlanInput, at = new Date()): Promise<{ replayed: boolean; memberId: string }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change member plans');
  const memberId = await lockTargetMember(tx, ctx, target);
  const plan = await tx.plan.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: input.planCode } } });
  if (!plan) throw new AppError('validation_failed', 'Unknown plan', { errors: [{ path: 'planCode', message: 'No such plan' }] });
  const previous = await tx.planEvent.findUnique({ where: { tenantId_reference: { tenantId: ctx.tenantId, reference: input.reference } } });
  if (previous) {
    if (previous.memberId !== memberId || previous.planId !== plan.id || previous.action !== input.action) throw conflict('This reference was used for another plan change');
    return { replayed: true, memberId };
  }
  const current = await tx.memberPlan.findUnique({ where: { tenantId_memberId: { tenantId: ctx.tenantId, memberId } } });
  const activeSame = current && current.planId === plan.id && current.until > at ? current : null;
  // An archived plan takes no new subscribers or trials; a member whose period of it still runs may renew and cancel.
  if (plan.archivedAt && (input.action === 'trial' || (input.action !== 'cancel' && !activeSame))) {
    throw new AppError('archived', `Plan ${plan.code} is archived`);
  }
  let until: Date;
  let status: 'active' | 'trial' | 'cancelled';
  switch (input.action) {
    case 'subscribe':
    case 'renew': {
      // Another plan still running is replaced from now; the same plan extends from its end.
      const from = activeSame ? activeSame.until : at;
      until = addPeriod(from, plan.period as 'month' | 'year');
      status = 'active';
      break;
    }
    case 'trial': {
      if (plan.trialDays <= 0) throw new AppError('business_rule', `Plan ${plan.code} has no trial`);
      const tried = await tx.planEvent.findFirst({ where: { tenantId: ctx.tenantId, memberId, planId: plan.id, action: 'trial' }, select: { id: true } });
      if (tried) throw new AppError('business_rule', 'This member has already had a trial of this plan');
      if (activeSame) throw new AppError('business_rule', 'The member already has this plan');
      until = new Date(at.getTime() + plan.trialDays * DAY_MS);
      status = 'trial';
      break;
    }
    case 'cancel': {
      if (!activeSame) throw new AppError('business_rule', 'The member has no running subscription to this plan');
      until = activeSame.until;
      status = 'cancelled';
      break;
    }
  }
  await tx.memberPlan.upsert({
    where: { tenantId_memberId: { tenantId: ctx.tenantId, memberId } },
    create: { tenantId: ctx.tenantId, memberId, planId: plan.id, status, until, startedAt: at },
    update: { planId: plan.id, status, until, ...(activeSame ? {} : { startedAt: at }) },
  });
  await tx.planEvent.create({ data: { tenantId: ctx.tenantId, id: newId('ple'), memberId, planId: plan.id, action: input.action, reference: input.reference, until, createdAt: at } });
  await recordAudit(tx, ctx, {
    action: `plan.${input.action}`,
    targetType: 'member',
    targetId: memberId,
    before: current ? { planId: current.planId, status: current.status, until: current.until } : null,
    after: { plan: plan.code, status, until, reference: input.reference },
  });
  await emitEvent(tx, ctx, {
    type: PLAN_EVENT[input.action],
    memberId,
    data: { memberId, plan: plan.code, action: input.action, status, until: until.toISOString(), reference: input.reference },
    at,
  });
  for (const hook of planChangedHooks ?? extensionsNotRegistered('A plan change')) await hook(tx, ctx, { memberId, planCode: plan.code, action: input.action, at });
  return { replayed: false, memberId };
}
