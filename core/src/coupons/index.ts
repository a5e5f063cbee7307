export * from './coupons.contract.ts';
export { createCouponTemplate } from './create-coupon-template.ts';
export { listCouponTemplates } from './list-coupon-templates.ts';
export { issueCoupon } from './issue-coupon.ts';
export { grantCoupon } from './grant-coupon.ts';
export { listMemberCoupons } from './list-member-coupons.ts';
export { loadCouponsForUse } from './load-coupons-for-use.ts';
export type { CouponForUse } from './load-coupons-for-use.ts';
