export {
  createImport,
  getImport,
  listImports,
  receiveImportData,
  unsafeFindRunnableImports,
  parseImportLine,
  ndjsonLines,
} from './imports.ts';
export type { StagedLine } from './imports.ts';
export { processImport } from './process-import.ts';
export type { ProcessImportOptions, ImportOutcome } from './process-import.ts';
export { replayOrders, replayBalances, emptyRows, LocalClock } from './replay.ts';
export type { MemberState, OrderRecord, BalanceRecord, ReplayRows } from './replay.ts';
export * from './imports.contract.ts';
