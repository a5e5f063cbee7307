import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { getProgram, type MemberDay, type Program } from '../program/index.ts';
import { getLadder, type Benefits, type Tier } from '../tiers/index.ts';
import { getActivePlans } from '../plans/index.ts';
import { mergeBenefits, type BenefitKey } from './merge-benefits.ts';

export interface EffectiveBenefits extends Benefits {
  tierCode: string | null;
  tierName: string | null;
  planCode: string | null;
  planName: string | null;
  /** Member day in force for this member: the tier's (or plan's) own, else the program's. */
  memberDay: MemberDay | null;
  /** Benefits the paid plan made better than the tier's. */
  fromPlan: Partial<Record<BenefitKey, boolean>>;
}

/** Effective benefits from already-loaded parts: tier, plan (if in force) and program. Pure. */
export function effectiveBenefitsOf(tier: Tier | null, plan: { code: string; name: string; benefits: Benefits } | null, program: Pick<Program, 'earn'>): EffectiveBenefits {
  const { benefits, fromPlan } = mergeBenefits(tier?.benefits ?? {}, plan?.benefits ?? null);
  return {
    ...benefits,
    tierCode: tier?.code ?? null,
    tierName: tier?.name ?? null,
    planCode: plan?.code ?? null,
    planName: plan?.name ?? null,
    memberDay: benefits.memberDay ?? program.earn.memberDay ?? null,
    fromPlan,
  };
}

/**
 * The benefits a member has at `at`: the better of each from their tier and their paid plan
 * in force, with the program-wide member day as the fallback. A guest (null) has none.
 */
export async function getEffectiveBenefits(tx: Tx, ctx: TenantContext, memberId: string | null, at = new Date()): Promise<EffectiveBenefits> {
  const program = await getProgram(tx, ctx);
  if (!memberId) return { tierCode: null, tierName: null, planCode: null, planName: null, memberDay: null, fromPlan: {} };
  const [ladder, m, plans] = await Promise.all([
    getLadder(tx, ctx),
    tx.$queryRaw<{ tierCode: string }[]>`SELECT tier_code AS "tierCode" FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${memberId}`.then((r) => r[0]),
    getActivePlans(tx, ctx, [memberId], at),
  ]);
  if (!m) throw notFound('Member');
  const plan = plans.get(memberId)?.plan ?? null;
  return effectiveBenefitsOf(ladder.find((t) => t.code === m.tierCode) ?? null, plan, program);
}
