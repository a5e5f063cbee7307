export { GrowthKind } from './growth-kinds.ts';
export { changeGrowth, changeGrowthSql } from './change-growth.ts';
export type { GrowthChange } from './change-growth.ts';
