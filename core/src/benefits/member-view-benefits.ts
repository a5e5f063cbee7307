import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { MemberDto } from '../members/index.ts';
import type { Tier } from '../tiers/index.ts';
import { getActivePlans } from '../plans/index.ts';
import { mergeBenefits } from './merge-benefits.ts';

/**
 * Member view extension: fills `plan` and the effective `benefits` (tier merged with the plan
 * in force) for a page of members with one query for the page.
 */
export async function fillMemberBenefits(tx: Tx, ctx: TenantContext, members: MemberDto[], ladder: Tier[]): Promise<void> {
  const plans = await getActivePlans(tx, ctx, members.map((m) => m.id));
  for (const m of members) {
    const tier = ladder.find((t) => t.code === m.tier.code);
    const active = plans.get(m.id);
    m.plan = active ? { code: active.plan.code, name: active.plan.name, until: active.until.toISOString() } : null;
    m.benefits = mergeBenefits(tier?.benefits ?? {}, active?.plan.benefits ?? null).benefits;
  }
}
