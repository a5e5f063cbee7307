import { withTenant } from '@unionpoint/db';
import { localDate, systemContext } from '@unionpoint/core';
import { issueBenefitPacks } from '@unionpoint/core/benefits';
import { notifyExpiringPlans } from '@unionpoint/core/plans';
import { getProgram } from '@unionpoint/core/program';
import type { HandlerMap } from '../handler-types.ts';

export const benefitHandlers: HandlerMap = {
  /**
   * Daily: the coupon packs of the periods that are current (a period that started since the
   * last run, and any member still without theirs), in member-id batches of one transaction
   * each. A rerun or a run after a crash issues only what is missing (unique pack key).
   */
  'benefits.packs': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'benefits.packs');
    const now = ctx.now();
    let after: string | null = null;
    let packs = 0;
    let coupons = 0;
    for (;;) {
      const r = await withTenant(ctx.db.prisma, payload.tenantId, (tx) => issueBenefitPacks(tx, c, { at: now, afterMemberId: after, limit: ctx.config.packBatchSize }), { timeoutMs: 120_000 });
      packs += r.packs;
      coupons += r.coupons;
      if (r.lastMemberId === null) break;
      after = r.lastMemberId;
    }
    return { packs, coupons };
  },
  /** Daily: plan.expiring for the plans that end 7 local days from today. */
  'plans.expiring': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'plans.expiring');
    const now = ctx.now();
    return withTenant(ctx.db.prisma, payload.tenantId, async (tx) => {
      const { timezone } = await getProgram(tx, c);
      return notifyExpiringPlans(tx, c, { date: localDate(now, timezone), timezone, at: now });
    });
  },
};
