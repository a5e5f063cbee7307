import { withTenant } from '@unionpoint/db';
import { AppError, systemContext } from '@unionpoint/core';
import { expirePoints, notifyExpiringPoints } from '@unionpoint/core/points';
import { grantMonthlyShoppingBonus } from '@unionpoint/core/orders';
import type { HandlerMap } from '../runtime.ts';

/** Repeats a bounded use case, one transaction per call, while it reports more work. */
async function drain(step: () => Promise<{ more: boolean }>, maxRounds = 1000): Promise<number> {
  let rounds = 0;
  while (rounds < maxRounds) {
    rounds++;
    if (!(await step()).more) break;
  }
  return rounds;
}

export const ledgerHandlers: HandlerMap = {
  /** Daily: burns expired lots (the ledger's expiry sweep), in bounded transactions. */
  'ledger.expire-points': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'ledger.expire-points');
    const now = ctx.now();
    const rounds = await drain(() => withTenant(ctx.db.prisma, payload.tenantId, (tx) => expirePoints(tx, c, { now }), { timeoutMs: 120_000 }));
    return { rounds };
  },
  /** Daily: points.expiring 30 days ahead, once per lot. */
  'ledger.points-expiring': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'ledger.points-expiring');
    const now = ctx.now();
    const rounds = await drain(() => withTenant(ctx.db.prisma, payload.tenantId, (tx) => notifyExpiringPoints(tx, c, { now }), { timeoutMs: 120_000 }));
    return { rounds };
  },
  /**
   * Daily: the monthly shopping bonus for last month, from its grant day on (idempotent per
   * member and month, so the days after the grant day add nothing).
   */
  'ledger.monthly-bonus': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'ledger.monthly-bonus');
    try {
      const now = ctx.now();
      return await withTenant(ctx.db.prisma, payload.tenantId, (tx) => grantMonthlyShoppingBonus(tx, c, { now }), { timeoutMs: 120_000 });
    } catch (error) {
      // Before this month's grant day: nothing to do yet.
      if (error instanceof AppError && error.code === 'business_rule') return { skipped: true };
      throw error;
    }
  },
};
