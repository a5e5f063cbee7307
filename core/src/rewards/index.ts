export * from './rewards.contract.ts';
export { createReward } from './create-reward.ts';
export { listRewards } from './list-rewards.ts';
export { updateReward, archiveReward } from './update-reward.ts';
export { exchangeReward } from './exchange-reward.ts';
