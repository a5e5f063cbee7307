export { getEffectiveBenefits, effectiveBenefitsOf } from './effective-benefits.ts';
export type { EffectiveBenefits } from './effective-benefits.ts';
export { mergeBenefits } from './merge-benefits.ts';
export type { BenefitKey } from './merge-benefits.ts';
export { grantBirthdayGifts } from './grant-birthday-gifts.ts';
export { grantUpgradeGift } from './upgrade-gift.ts';
export { memberBenefitsExtension } from './member-view-benefits.ts';
export { recordBenefitUsage } from './record-benefit-usage.ts';
export { grantKeepTierGiftPoints } from './grant-keep-tier-gift-points.ts';
