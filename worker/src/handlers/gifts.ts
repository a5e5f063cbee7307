import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { creditPoints } from '@unionpoint/core/points';
import { grantKeepTierGifts } from '@unionpoint/core/retention';
import { recordAudit } from '@unionpoint/core/audit';
import type { HandlerMap } from '../runtime.ts';

export const KEEP_TIER_GIFT_KIND = 'keep_tier_gift';

export const giftHandlers: HandlerMap = {
  /** Daily: keep-tier gifts, points credited through the points ledger (lot, balance, entry). */
  'gifts.keep-tier': async (payload, ctx) =>
    withTenant(
      ctx.db.prisma,
      payload.tenantId,
      (tx) =>
        grantKeepTierGifts(tx, systemContext(payload.tenantId, 'gifts.keep-tier'), async (t, c, gift) => {
          await creditPoints(t, c, {
            memberId: gift.memberId,
            points: gift.points,
            kind: KEEP_TIER_GIFT_KIND,
            reason: `Kept ${gift.tierCode}`,
            reference: gift.tierCode,
            idempotencyKey: gift.idempotencyKey,
          });
          await recordAudit(t, c, { action: 'points.keep_tier_gift', targetType: 'member', targetId: gift.memberId, after: gift });
        }),
      { timeoutMs: 120_000 },
    ),
};
