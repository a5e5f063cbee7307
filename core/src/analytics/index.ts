export { getAnalyticsSummary } from './get-analytics-summary.ts';
export { getAnalyticsTrends } from './get-analytics-trends.ts';
export * from './analytics.contract.ts';
export { ensureRfmSnapshot, rfmDayFor, RFM_SEGMENTS, type RfmSnapshot } from './rfm-snapshot.ts';
export { getSettlement, settlementCsv } from './get-settlement.ts';
