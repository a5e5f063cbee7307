// The domain. api/ and worker/ import modules through their index (e.g. '@unionpoint/core/members');
// this root re-exports what almost every caller needs.
export * from './shared/errors.ts';
export * from './shared/error-docs.ts';
export * from './shared/context.ts';
export * from './shared/pagination.ts';
export * from './shared/money.ts';
export * from './shared/time.ts';
export { newId, base58 } from './shared/ids.ts';
export { z, isCleanText, CLEAN_TEXT_MESSAGE, INT4_MAX, isInTimestampRange, rfc3339 } from './shared/zod.ts';
export { attachLocalCaches } from './shared/config-cache.ts';
export { markReplicaRead, isReplicaRead, PrimaryRequiredError } from './shared/replica-read.ts';
export type { LocalCaches } from './shared/config-cache.ts';
