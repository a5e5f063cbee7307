import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { isRealDate } from '../shared/time.ts';
import { recordAudit } from '../audit/index.ts';
import { issueCoupon } from '../coupons/index.ts';
import { lockMember } from '../identities/index.ts';
import { earnPoints, PointsKind } from '../points/index.ts';
import { getLadder } from '../tiers/index.ts';
import { claimGift } from './upgrade-gift.ts';

/**
 * Birthday gifts for the tenant's local `date` (YYYY-MM-DD in the tenant's time zone; the
 * worker schedules it daily): members born on that day (29 February birthdays on 28 February
 * in other years) whose tier has a birthday gift get its points and/or coupon, once per local
 * year whatever the number of runs (gift_grants unique key).
 */
export async function grantBirthdayGifts(tx: Tx, ctx: TenantContext, date: string, at = new Date()): Promise<{ granted: number }> {
  if (!isRealDate(date)) throw new AppError('validation_failed', 'date must be YYYY-MM-DD', { errors: [{ path: 'date', message: 'Invalid date' }] });
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const ladder = await getLadder(tx, ctx);
  const gifting = ladder.filter((t) => t.benefits.birthdayGift && (t.benefits.birthdayGift.points || t.benefits.birthdayGift.couponTemplateId));
  if (!gifting.length) return { granted: 0 };
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const alsoLeapDay = month === 2 && day === 28 && !leap;
  const members = await tx.$queryRaw<{ id: string; tier_code: string }[]>`
    SELECT id, tier_code FROM members
    WHERE tenant_id = ${ctx.tenantId} AND tier_code = ANY(${gifting.map((t) => t.code)}) AND birthday IS NOT NULL
      AND ((extract(month FROM birthday) = ${month} AND extract(day FROM birthday) = ${day})
           OR (${alsoLeapDay} AND extract(month FROM birthday) = 2 AND extract(day FROM birthday) = 29))
    ORDER BY id`;
  let granted = 0;
  for (const m of members) {
    const gift = gifting.find((t) => t.code === m.tier_code)!.benefits.birthdayGift!;
    if (!(await claimGift(tx, ctx, m.id, 'birthday', String(year), at))) continue;
    if (gift.points) {
      // Balance changes take the member lock first; the ledger key makes a retry a no-op too.
      await lockMember(tx, ctx, m.id);
      const entry = await earnPoints(
        tx,
        ctx,
        { memberId: m.id, points: gift.points, kind: PointsKind.BirthdayGift, reason: `birthday ${year}`, reference: String(year), idempotencyKey: `birthday:${year}`, at },
        { source: PointsKind.BirthdayGift },
      );
      await recordAudit(tx, ctx, { action: 'points.birthday_gift', targetType: 'member', targetId: m.id, before: { balance: entry.balanceAfter - gift.points }, after: { balance: entry.balanceAfter } });
    }
    if (gift.couponTemplateId) {
      try {
        await issueCoupon(tx, ctx, m.id, { templateRef: gift.couponTemplateId, source: 'birthday', sourceRef: String(year), at });
      } catch (e) {
        if (!(e instanceof AppError && (e.code === 'out_of_stock' || e.code === 'archived' || e.code === 'not_found'))) throw e;
      }
    }
    granted++;
  }
  return { granted };
}
