export { getAnalyticsSummary } from './get-analytics-summary.ts';
export * from './analytics.contract.ts';
