import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { recordAudit } from '../audit/index.ts';
import { earnPoints, PointsKind } from '../points/index.ts';
import { grantKeepTierGifts } from '../retention/index.ts';

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
      await earnPoints(
        t,
        c,
        {
          memberId: gift.memberId,
          points: gift.points,
          kind: PointsKind.KeepTierGift,
          reason: `Kept ${gift.tierCode}`,
          reference: gift.tierCode,
          idempotencyKey: gift.idempotencyKey,
          at: now,
        },
        { source: PointsKind.KeepTierGift },
      );
      await recordAudit(t, c, { action: 'points.keep_tier_gift', targetType: 'member', targetId: gift.memberId, after: gift });
    },
    now,
  );
}
