export { creditPoints, creditPointsSql } from './credit-points.ts';
export type { PointsChange, PointsEntryRow } from './credit-points.ts';
export { debitPoints } from './debit-points.ts';
export type { DebitMode } from './debit-points.ts';
export { redeemPoints, orderRef, REDEEM_KIND } from './redeem-points.ts';
export { adjustPoints } from './adjust-points.ts';
export { expirePoints, EXPIRE_KIND } from './expire-points.ts';
export { notifyExpiringPoints, EXPIRING_NOTICE_DAYS } from './notify-expiring-points.ts';
export { listLedger, toLedgerDto } from './list-ledger.ts';
export { verifyLedger } from './verify-ledger.ts';
export * from './points-math.ts';
export { PointsModel } from './points-model.ts';
export type { ModelLot } from './points-model.ts';
export * from './points.contract.ts';
// points.expiringSoon in every member view, one batched query per page (installed by registerCoreExtensions).
export { expiringSoonExtension } from './expiring-soon.ts';
