export { createOrder, ORDER_EARN_KIND, FIRST_ORDER_KIND } from './create-order.ts';
export { refundOrder, REFUND_CLAWBACK_KIND, REDEEM_REFUND_KIND } from './refund-order.ts';
export { flagIfRefundAbuse } from './flag-if-refund-abuse.ts';
export { clearMemberFlag } from './clear-member-flag.ts';
export { grantMonthlyShoppingBonus, grantDueMonthlyShoppingBonus, MONTHLY_SHOPPING_KIND } from './grant-monthly-shopping-bonus.ts';
export * from './orders.contract.ts';
