export { recordActivity } from './record-activity.ts';
export { revokeActivity } from './revoke-activity.ts';
export { checkIn, checkInReward } from './check-in.ts';
export * from './activities.contract.ts';
