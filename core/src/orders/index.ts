export { createOrder } from './create-order.ts';
export { refundOrder } from './refund-order.ts';
export { flagIfRefundAbuse } from './flag-if-refund-abuse.ts';
export { clearMemberFlag } from './clear-member-flag.ts';
export { grantMonthlyShoppingBonus, grantDueMonthlyShoppingBonus } from './grant-monthly-shopping-bonus.ts';
export * from './orders.contract.ts';
export { mergeOrders } from './merge-orders.ts';
export { insertImportedOrdersSql, existingOrdersSql, memberOrderHistorySql } from './history-orders.ts';
export type { ImportedOrder, ImportedRefund } from './history-orders.ts';
