export { changeGrowth, changeGrowthSql } from './change-growth.ts';
export type { GrowthChange } from './change-growth.ts';
export { growthEarnedSql } from './growth-earned.ts';
