import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { creditPoints } from '../points/index.ts';
import { grantKeepTierGifts } from '../retention/index.ts';
import { emitEvent } from '../webhooks/index.ts';

export const KEEP_TIER_GIFT_KIND = 'keep_tier_gift';

/**
 * The daily keep-tier gift job's use case: retention chooses and records the gifts
 * (`grantKeepTierGifts`, under each member's lock); each gift's points are credited through
 * the points ledger (lot, balance, entry, keyed by member, stint and block, so a rerun credits
 * nothing), announced as points.earned like every other points source, and audited.
 */
export async function grantKeepTierGiftPoints(tx: Tx, ctx: TenantContext, now: Date): Promise<{ granted: number }> {
  return grantKeepTierGifts(
    tx,
    ctx,
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
      await emitEvent(t, c, {
        type: 'points.earned',
        memberId: gift.memberId,
        data: { memberId: gift.memberId, points: gift.points, balance: entry.balanceAfter, source: KEEP_TIER_GIFT_KIND },
      });
      await recordAudit(t, c, { action: 'points.keep_tier_gift', targetType: 'member', targetId: gift.memberId, after: gift });
    },
    now,
  );
}
