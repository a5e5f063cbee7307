import { withTenant } from '@unionpoint/db';
import { localDate, systemContext } from '@unionpoint/core';
import { grantBirthdayGifts, grantKeepTierGiftPoints } from '@unionpoint/core/benefits';
import { expireTrials } from '@unionpoint/core/tiers';
import { getProgram } from '@unionpoint/core/program';
import type { HandlerMap } from '../handler-types.ts';

export const giftHandlers: HandlerMap = {
  /** Daily: birthday gifts for the tenant's local date (once a year per member). */
  'gifts.birthday': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'gifts.birthday');
    const now = ctx.now();
    return withTenant(
      ctx.db.prisma,
      payload.tenantId,
      async (tx) => grantBirthdayGifts(tx, c, localDate(now, (await getProgram(tx, c)).timezone), now),
      { timeoutMs: 120_000 },
    );
  },
  /** Daily: ends the trials that are over, in bounded transactions. */
  'gifts.trial-expiry': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'gifts.trial-expiry');
    const now = ctx.now();
    let ended = 0;
    for (let round = 0; round < 1000; round++) {
      const r = await withTenant(ctx.db.prisma, payload.tenantId, (tx) => expireTrials(tx, c, now, 500), { timeoutMs: 120_000 });
      ended += r.ended + r.kept;
      if (r.ended + r.kept < 500) break;
    }
    return { ended };
  },
  /** Daily: keep-tier gifts, their points through the points ledger (see grantKeepTierGiftPoints). */
  'gifts.keep-tier': async (payload, ctx) =>
    withTenant(ctx.db.prisma, payload.tenantId, (tx) => grantKeepTierGiftPoints(tx, systemContext(payload.tenantId, 'gifts.keep-tier'), ctx.now()), { timeoutMs: 120_000 }),
};
