import type { ErrorCode } from './errors.ts';

/**
 * What each problem `code` means and what to do about it: the API serves one page per code at
 * `/docs/errors/<code>` (the `type` of every problem it answers), and docs/errors.md lists the
 * same table. A new code must be documented here (the Record type makes it a compile error).
 */
export interface ErrorDoc {
  /** The problem's `title`. */
  title: string;
  /** When the API answers it. */
  meaning: string;
  /** What the caller does next. */
  fix: string;
  /** Whether the same request may succeed later unchanged (the SDK retries these). */
  retryable: boolean;
}

export const ERROR_DOCS: Record<ErrorCode, ErrorDoc> = {
  validation_failed: {
    title: 'Validation failed',
    meaning:
      'A field of the body, query or path failed its contract. `errors[]` lists each field by path (`items.0.priceCents`) with the reason. Also answered for a string holding a NUL or an unpaired surrogate, a cursor the API did not write, an integer above 2147483647 and a time outside 1970–9999.',
    fix: 'Correct each field `errors[]` names, using the operation’s schema in the OpenAPI document (`/v1/openapi.json`), and send the request again. Nothing was written.',
    retryable: false,
  },
  malformed_json: {
    title: 'Malformed JSON',
    meaning: 'The body could not be parsed as JSON.',
    fix: 'Send a UTF-8 JSON body with `Content-Type: application/json`; check quoting and trailing commas.',
    retryable: false,
  },
  malformed_request: {
    title: 'Bad request',
    meaning: 'The request line or a header is not valid HTTP; the server answered before routing.',
    fix: 'Check the client’s HTTP library and any proxy in between: header names and values must be valid HTTP tokens and text.',
    retryable: false,
  },
  unauthenticated: {
    title: 'Unauthenticated',
    meaning: 'No key, an unknown or revoked key, no dashboard session, or a wrong email or password.',
    fix: 'Send `Authorization: Bearer up_…` with a live tenant key (the dashboard’s API keys page creates one; a key is shown once). A revoked key never works again: create a new one.',
    retryable: false,
  },
  forbidden: {
    title: 'Forbidden',
    meaning:
      'The key is valid but not allowed here: the platform key on a tenant route, a tenant key on a platform route, a store-bound key on a route that is not a till’s, or naming another store than its own. Each operation lists who may call it (`x-unionpoint-access`).',
    fix: 'Use a tenant-wide key for admin work (program, catalogue, webhooks, keys), or call with the store the key is bound to (omit `storeId`: it defaults to the key’s store).',
    retryable: false,
  },
  tenant_suspended: {
    title: 'Tenant suspended',
    meaning: 'The platform operator suspended this tenant; its keys and logins are refused until it is reactivated.',
    fix: 'Contact the platform operator. Nothing can be done with the tenant’s keys meanwhile.',
    retryable: false,
  },
  csrf_failed: {
    title: 'CSRF check failed',
    meaning: 'A dashboard-session request that changes state (logout included) came without the right `X-CSRF-Token` header.',
    fix: 'Read the token from `GET /v1/auth/me` (or the login response) and send it as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE. API keys need no token.',
    retryable: false,
  },
  not_found: {
    title: 'Not found',
    meaning:
      'No such thing in your tenant: an unknown member, store, order, template or route. Another tenant’s things are answered 404 too.',
    fix: 'Check the id or code in `detail`. A member is addressed by `unionId` or `openid:<openId>` (with a store-bound key or `?storeId=`); a store by its id `sto_…` or `code:<store code>` (`GET /v1/stores` lists both).',
    retryable: false,
  },
  conflict: {
    title: 'Conflict',
    meaning: 'A unique field is taken: a store code, a tenant slug, an openId bound to another member, a coupon or reward code.',
    fix: 'Choose another value, or read the existing one and use it.',
    retryable: false,
  },
  idempotency_conflict: {
    title: 'Idempotency key reused',
    meaning:
      'The `Idempotency-Key` header (or the business key: `externalId`, `refundId`, `reference`) was used before with a different body.',
    fix: 'Use a new key for a new request; resend the same body to read the first answer again.',
    retryable: false,
  },
  stale_preview: {
    title: 'Stale preview',
    meaning:
      'The recompute preview was made before the last change of the program or the tier ladder, so applying it could move members by settings nobody previewed.',
    fix: 'Ask for a new preview (`POST /v1/recompute/preview` with the same proposal), read it, and apply that one. `GET /v1/recompute/{id}` shows `stale: true` for a preview in this state.',
    retryable: false,
  },
  idempotency_in_progress: {
    title: 'Request in progress',
    meaning:
      'Reserved: a concurrent request with the same `Idempotency-Key` now waits for the first and replays its reply, so this is no longer answered.',
    fix: 'Retry with the same key and body; the first request’s answer is replayed.',
    retryable: true,
  },
  payload_too_large: {
    title: 'Payload too large',
    meaning: 'The body is over 1 MiB.',
    fix: 'Send smaller bodies: a cart holds at most 500 lines; bulk history goes through `POST /v1/imports`.',
    retryable: false,
  },
  unsupported_media_type: {
    title: 'Unsupported media type',
    meaning: 'The body is in a charset or encoding other than UTF-8.',
    fix: 'Send UTF-8 JSON (`Content-Type: application/json; charset=utf-8`).',
    retryable: false,
  },
  headers_too_large: {
    title: 'Request header fields too large',
    meaning: 'The request line and headers are over 16 KiB.',
    fix: 'Send fewer or shorter headers (a long cookie jar or query string is the usual cause).',
    retryable: false,
  },
  insufficient_points: {
    title: 'Insufficient points',
    meaning: 'The redemption or exchange asks for more points than the member’s balance.',
    fix: 'Read the balance (`GET /v1/members/:member`, `points.balance`) and redeem at most that; a quote (`POST /v1/quotes`) says how many points an order may take.',
    retryable: false,
  },
  refund_exceeds_order: {
    title: 'Refund exceeds order',
    meaning: 'The refunds of the order would add up to more than its amount.',
    fix: 'Refund at most the order amount minus what was refunded before (`refundedCents` of the order).',
    retryable: false,
  },
  exclusive_item: {
    title: 'Exclusive item',
    meaning: 'A cart line is exclusive to higher tiers and the member’s tier lacks that access.',
    fix: 'Remove the line, or show the member which tier gives access (`GET /v1/tiers`, `benefits.exclusiveAccess`).',
    retryable: false,
  },
  coupon_not_applicable: {
    title: 'Coupon not applicable',
    meaning: 'The coupon is not the member’s, was used, expired, is archived, or the cart is below its minimum spend.',
    fix: 'List the member’s usable coupons (`GET /v1/members/:member/coupons`) and check `minSpendCents` against the cart; the quote’s `refused` says which rule refused it.',
    retryable: false,
  },
  already_checked_in: {
    title: 'Already checked in',
    meaning: 'The member checked in already on this local day (the tenant’s time zone).',
    fix: 'Show the current streak; the next check-in is possible after local midnight.',
    retryable: false,
  },
  out_of_stock: {
    title: 'Out of stock',
    meaning: 'The reward or coupon template has no stock left.',
    fix: 'Raise the stock (`PATCH /v1/rewards/:code` or `/v1/coupon-templates/:code`) or offer something else.',
    retryable: false,
  },
  archived: {
    title: 'Archived',
    meaning: 'The coupon template, reward or plan is archived: no new grants, exchanges or subscriptions (what was issued keeps working).',
    fix: 'Use a live one (lists leave archived rows out unless `?includeArchived=true`).',
    retryable: false,
  },
  business_rule: {
    title: 'Business rule',
    meaning: 'Another business rule refused the request; `detail` says which.',
    fix: 'Read `detail`: it names the rule and what would satisfy it. Nothing was written.',
    retryable: false,
  },
  limit_exceeded: {
    title: 'Limit exceeded',
    meaning: 'The change would take a balance or total past 2147483647 (2³¹−1). Nothing was written.',
    fix: 'Split the change or correct the amount; balances and totals are 32-bit integers.',
    retryable: false,
  },
  session_expired: {
    title: 'Session expired',
    meaning: 'The member token (`upm_…`) is past its `expiresAt`.',
    fix: 'Open a new member session with your API key (`POST /v1/members/{member}/sessions`) and hand the new token to the member center; the center asks its host for one by `postMessage` when it gets this.',
    retryable: false,
  },
  last_owner: {
    title: 'Last owner',
    meaning: 'The change would leave the tenant without an active owner: removing, disabling or demoting the last one.',
    fix: 'Make another user owner first, then change this one.',
    retryable: false,
  },
  link_invalid: {
    title: 'Link invalid',
    meaning: 'The set-password token is unknown, already used or expired.',
    fix: 'Ask an owner or admin for a new link (`POST /v1/users/{id}/reset-password`).',
    retryable: false,
  },
  quota_exhausted: {
    title: 'Quota exhausted',
    meaning: 'The member has used every use of this benefit in the current period. Nothing was written.',
    fix: 'Wait for the next period (`periodEnd` of the entitlement), or grant a larger quota to the tier or plan.',
    retryable: false,
  },
  not_entitled: {
    title: 'Not entitled',
    meaning: 'Neither the member’s tier nor their plan grants this benefit now.',
    fix: 'Check `GET /v1/members/{member}/entitlements`; the benefit may belong to a higher tier or a paid plan.',
    retryable: false,
  },
  not_open: {
    title: 'Not open',
    meaning: 'The campaign is not open to the member’s tier yet, or it has closed; in a quote, an early-access line before the member’s tier start.',
    fix: 'Try again from the tier’s start time (`tierStarts` of the campaign), or leave the line out.',
    retryable: false,
  },
  full: {
    title: 'Full',
    meaning: 'Every seat of the campaign is taken.',
    fix: 'Nothing to fix: the campaign has no seat left.',
    retryable: false,
  },
  rate_limited: {
    title: 'Too many requests',
    meaning: 'The key’s per-minute budget is spent (or too many login attempts).',
    fix: 'Wait for the seconds in the `Retry-After` header, then send the same request again (with the same `Idempotency-Key`, a write happens once).',
    retryable: true,
  },
  unavailable: {
    title: 'Service unavailable',
    meaning: 'The service is overloaded or its database is briefly unavailable; nothing was committed.',
    fix: 'Retry after `Retry-After` with the same `Idempotency-Key`, `externalId` or `reference`: the write happens once.',
    retryable: true,
  },
  internal: {
    title: 'Internal server error',
    meaning: 'Our fault; the response says nothing of internals.',
    fix: 'Quote the `requestId` of the problem (also the `X-Request-Id` header) when you report it. A retry with the same idempotency key is safe.',
    retryable: false,
  },
};

/** The path of a code's page on the API's own origin. */
export const errorDocPath = (code: ErrorCode): string => `/docs/errors/${code}`;
