import { Prisma } from '@unionpoint/db';
import type { MemberViewExtension } from '../members/index.ts';
import { activePlanOf, activePlanSql } from '../plans/index.ts';
import { withBenefitAliases } from '../tiers/index.ts';
import { mergeBenefits } from './merge-benefits.ts';

/**
 * Member view extension: `plan` and the effective `benefits` (tier merged with the plan in
 * force), from the plan read along with the member row.
 */
export const memberBenefitsExtension: MemberViewExtension = {
  column: (_ctx, at) => activePlanSql(Prisma.sql`m.tenant_id`, Prisma.sql`m.id`, at),
  apply(member, value, ladder) {
    const tier = ladder.find((t) => t.code === member.tier.code);
    const active = activePlanOf(value);
    member.plan = active ? { code: active.plan.code, name: active.plan.name, until: active.until.toISOString() } : null;
    member.benefits = withBenefitAliases(mergeBenefits(tier?.benefits ?? {}, active?.plan.benefits ?? null).benefits);
  },
};
