import { grantUpgradeGift, issueBenefitPacksFor, issueMemberBenefitPacks, memberBenefitsExtension } from '../benefits/index.ts';
import { installMemberViewExtensions } from '../members/index.ts';
import { installPlanChangedHooks } from '../plans/index.ts';
import { expiringSoonExtension } from '../points/index.ts';
import { installTierReachedHooks, installTiersMovedHooks } from '../tiers/index.ts';

export { ExtensionsNotRegisteredError } from '../shared/extensions.ts';

/**
 * Wires the behaviour lower modules take from higher ones, explicitly: the member view's
 * extension columns (points: expiring lots; benefits: plan and effective benefits) and the
 * tier-reached hook (benefits: upgrade gifts and the new tier's coupon packs), the tiers-moved
 * hook of set-based moves (benefits: the moved members' coupon packs, set-based), and the
 * plan-changed hook (benefits: the plan's coupon packs on subscribe, trial and renew). Every process calls it once at start (api's
 * createApp, the worker, the seed, bench and test harnesses); calling it again changes nothing.
 * Order intake calls coupons and benefit usage directly (orders sits above both), so nothing
 * else needs wiring. Without it, member views and tier moves throw ExtensionsNotRegisteredError.
 */
export function registerCoreExtensions(): void {
  installMemberViewExtensions([expiringSoonExtension, memberBenefitsExtension]);
  installTierReachedHooks([
    async (tx, ctx, event) => {
      await grantUpgradeGift(tx, ctx, event);
      // A member who becomes entitled mid-period gets the current period's coupon packs at once.
      await issueMemberBenefitPacks(tx, ctx, event.memberId, event.at);
    },
  ]);
  // Set-based moves (a ladder change, a retention batch): the moved members' packs at once, one statement.
  installTiersMovedHooks([(tx, ctx, event) => issueBenefitPacksFor(tx, ctx, event.members, event.at).then(() => undefined)]);
  installPlanChangedHooks([
    async (tx, ctx, event) => {
      if (event.action !== 'cancel') await issueMemberBenefitPacks(tx, ctx, event.memberId, event.at);
    },
  ]);
}
