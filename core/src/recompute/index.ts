export * from './recompute.contract.ts';
export { requestRecomputePreview, requestRecomputeApply, getRecompute, replayRules, mergeGrowthRules } from './recompute-runs.ts';
export { processRecomputeRun, unsafeFindRunnableRecomputeRuns, previewBatchSql, mergeDiff } from './process-recompute-run.ts';
export type { ProcessRecomputeOptions, RecomputeOutcome, BatchDiff } from './process-recompute-run.ts';
export { replaySql } from './replay.sql.ts';
export type { ReplayRules } from './replay.sql.ts';
