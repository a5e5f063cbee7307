export { PointsKind } from './points-kinds.ts';
export { creditPoints, creditPointsSql, earnPoints, pointsEarnedEvent } from './credit-points.ts';
export type { PointsChange, PointsEntryRow, EarnedDetails } from './credit-points.ts';
export { debitPoints } from './debit-points.ts';
export { mergePoints } from './merge-points.ts';
export type { DebitMode } from './debit-points.ts';
export { redeemPoints, orderRef } from './redeem-points.ts';
export { adjustPoints } from './adjust-points.ts';
export { expirePoints } from './expire-points.ts';
export { notifyExpiringPoints, EXPIRING_NOTICE_DAYS } from './notify-expiring-points.ts';
export { listLedger, toLedgerDto } from './list-ledger.ts';
export { verifyLedger } from './verify-ledger.ts';
export * from './points-math.ts';
export { PointsModel } from './points-model.ts';
export type { ModelLot } from './points-model.ts';
export * from './points.contract.ts';
// points.expiringSoon in every member view, one batched query per page (installed by registerCoreExtensions).
export { expiringSoonExtension } from './expiring-soon.ts';
