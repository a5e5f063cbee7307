import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { expirePoints, notifyExpiringPoints } from '@unionpoint/core/points';
import { grantDueMonthlyShoppingBonus } from '@unionpoint/core/orders';
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
  /** Daily: the monthly shopping bonus that is due, with its catch-up (see grantDueMonthlyShoppingBonus). */
  'ledger.monthly-bonus': async (payload, ctx) =>
    withTenant(ctx.db.prisma, payload.tenantId, (tx) => grantDueMonthlyShoppingBonus(tx, systemContext(payload.tenantId, 'ledger.monthly-bonus'), { now: ctx.now() }), {
      timeoutMs: 120_000,
    }),
};
