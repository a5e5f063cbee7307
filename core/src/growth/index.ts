export { GrowthKind } from './growth-kinds.ts';
export { changeGrowth, changeGrowthSql, changeGrowthRowsSql } from './change-growth.ts';
export type { GrowthChange, GrowthRowsChange } from './change-growth.ts';
export { growthEarnedSql } from './growth-earned.ts';
export { writeHistoryGrowthSql } from './history-growth.ts';
export type { HistoryGrowthEntry } from './history-growth.ts';
