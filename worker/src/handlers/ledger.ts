import { withTenant } from '@unionpoint/db';
import { AppError, localParts, systemContext } from '@unionpoint/core';
import { getProgram } from '@unionpoint/core/program';
import { expirePoints, notifyExpiringPoints } from '@unionpoint/core/points';
import { grantMonthlyShoppingBonus } from '@unionpoint/core/orders';
import type { HandlerMap } from '../handler-types.ts';

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
   * member and month, so the days after the grant day add nothing). Before this month's grant
   * day the month before last is granted instead: nothing new, unless the worker missed every
   * day from that month's grant day to the end of the month (its bonus is caught up then).
   */
  'ledger.monthly-bonus': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'ledger.monthly-bonus');
    const now = ctx.now();
    const grant = (month?: string) =>
      withTenant(ctx.db.prisma, payload.tenantId, (tx) => grantMonthlyShoppingBonus(tx, c, { now, ...(month ? { month } : {}) }), { timeoutMs: 120_000 });
    try {
      return await grant();
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'business_rule')) throw error;
      const { timezone } = await withTenant(ctx.db.prisma, payload.tenantId, (tx) => getProgram(tx, c));
      const local = localParts(now, timezone);
      const index = local.year * 12 + (local.month - 1) - 2;
      return { ...(await grant(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`)), catchUp: true };
    }
  },
};
