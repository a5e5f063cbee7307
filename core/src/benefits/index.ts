import { registerMemberViewExtension } from '../members/index.ts';
import { onTierReached } from '../tiers/index.ts';
import { memberBenefitsExtension } from './member-view-benefits.ts';
import { grantUpgradeGift } from './upgrade-gift.ts';

export { getEffectiveBenefits, effectiveBenefitsOf } from './effective-benefits.ts';
export type { EffectiveBenefits } from './effective-benefits.ts';
export { mergeBenefits } from './merge-benefits.ts';
export type { BenefitKey } from './merge-benefits.ts';
export { grantBirthdayGifts } from './grant-birthday-gifts.ts';
export { grantUpgradeGift } from './upgrade-gift.ts';

// Loading this module wires benefits into the member view and upgrade gifts into tier moves.
registerMemberViewExtension(memberBenefitsExtension);
onTierReached(async (tx, ctx, event) => {
  await grantUpgradeGift(tx, ctx, event);
});
export { recordBenefitUsage } from './record-benefit-usage.ts';
