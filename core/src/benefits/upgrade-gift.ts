import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { issueCoupon } from '../coupons/index.ts';
import type { TierReached } from '../tiers/index.ts';

/** Records a once-only gift; false when this member already had it (the unique key says so). */
export async function claimGift(tx: Tx, ctx: TenantContext, memberId: string, kind: 'birthday' | 'upgrade', key: string, at: Date): Promise<boolean> {
  const claimed = await tx.$executeRaw`
    INSERT INTO gift_grants (tenant_id, id, member_id, kind, key, created_at)
    VALUES (${ctx.tenantId}, ${newId('gft')}, ${memberId}, ${kind}, ${key}, ${at}::timestamptz)
    ON CONFLICT DO NOTHING`;
  return claimed === 1;
}

/**
 * Upgrade gift: the tier's coupon templates, the first time the member reaches that tier
 * (a member who drops and climbs back gets nothing more). A template out of stock or archived is skipped
 * rather than failing the order that lifted the member.
 */
export async function grantUpgradeGift(tx: Tx, ctx: TenantContext, event: TierReached): Promise<number> {
  const ids = event.tier.benefits.upgradeGift?.couponTemplateIds ?? [];
  if (!ids.length) return 0;
  if (!(await claimGift(tx, ctx, event.memberId, 'upgrade', event.tier.code, event.at))) return 0;
  let issued = 0;
  for (const templateRef of ids) {
    try {
      await issueCoupon(tx, ctx, event.memberId, { templateRef, source: 'upgrade', sourceRef: event.tier.code, at: event.at });
      issued++;
    } catch (e) {
      if (!(e instanceof AppError && (e.code === 'out_of_stock' || e.code === 'archived' || e.code === 'not_found'))) throw e;
    }
  }
  return issued;
}
