export * from './retention.contract.ts';
export { periodContaining, periodAt, nextPeriod, previousPeriod } from './period.ts';
export type { Period, RetentionPeriodKind } from './period.ts';
export { previewRetention } from './preview-retention.ts';
export { queueRetentionRun, listRetentionRuns, getRetentionRun } from './retention-runs.ts';
export { processRetentionRun, unsafeFindRunnableRetentionRuns } from './process-retention-run.ts';
export type { ProcessRunOptions, RunOutcome } from './process-retention-run.ts';
export { closeRetentionPeriod } from './close-retention-period.ts';
export { warnMembersAtRisk } from './warn-members-at-risk.ts';
