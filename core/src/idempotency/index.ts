export { claimIdempotencyKey, storeIdempotentResponse, findIdempotencyRecord, requestHash, canonicalJson, IDEMPOTENCY_TTL_MS } from './idempotency.ts';
export type { IdempotencyRecord } from './idempotency.ts';
