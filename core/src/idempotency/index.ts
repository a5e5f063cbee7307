export { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestHash, canonicalJson, IDEMPOTENCY_TTL_MS } from './idempotency.ts';
export type { ClaimResult } from './idempotency.ts';
