export { getLadder, toTier, tierRowData, tierForGrowth } from './ladder.ts';
export { DEFAULT_LADDER } from './default-ladder.ts';
export * from './tiers.contract.ts';
export { applyUpgrade } from './apply-upgrade.ts';
export type { TierMove } from './apply-upgrade.ts';
