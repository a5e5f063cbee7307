import { withTenant } from '@unionpoint/db';
import { localDate, systemContext } from '@unionpoint/core';
import { grantBirthdayGifts } from '@unionpoint/core/benefits';
import { expireTrials } from '@unionpoint/core/tiers';
import { getProgram } from '@unionpoint/core/program';
import { creditPoints } from '@unionpoint/core/points';
import { grantKeepTierGifts } from '@unionpoint/core/retention';
import { recordAudit } from '@unionpoint/core/audit';
import { emitEvent } from '@unionpoint/core/webhooks';
import type { HandlerMap } from '../handler-types.ts';

export const KEEP_TIER_GIFT_KIND = 'keep_tier_gift';

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
  /** Daily: keep-tier gifts, points credited through the points ledger (lot, balance, entry) and announced as points.earned. */
  'gifts.keep-tier': async (payload, ctx) => {
    const now = ctx.now();
    return withTenant(
      ctx.db.prisma,
      payload.tenantId,
      (tx) =>
        grantKeepTierGifts(
          tx,
          systemContext(payload.tenantId, 'gifts.keep-tier'),
          async (t, c, gift) => {
            const entry = await creditPoints(t, c, {
              memberId: gift.memberId,
              points: gift.points,
              kind: KEEP_TIER_GIFT_KIND,
              reason: `Kept ${gift.tierCode}`,
              reference: gift.tierCode,
              idempotencyKey: gift.idempotencyKey,
              at: now,
            });
            // Like every other points source, the gift is announced as points.earned.
            await emitEvent(t, c, {
              type: 'points.earned',
              memberId: gift.memberId,
              data: { memberId: gift.memberId, points: gift.points, balance: entry.balanceAfter, source: KEEP_TIER_GIFT_KIND },
            });
            await recordAudit(t, c, { action: 'points.keep_tier_gift', targetType: 'member', targetId: gift.memberId, after: gift });
          },
          now,
        ),
      { timeoutMs: 120_000 },
    );
  },
};
