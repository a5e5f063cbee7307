import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, ERROR_STATUS, isIntegerOverflow, type ErrorCode, type FieldError } from '@unionpoint/core';
import { isDatabaseUnavailable, UndefinedTenantFilterError } from '@unionpoint/db';

const TITLES: Partial<Record<ErrorCode, string>> = {
  validation_failed: 'Validation failed',
  malformed_json: 'Malformed JSON',
  unauthenticated: 'Unauthenticated',
  forbidden: 'Forbidden',
  tenant_suspended: 'Tenant suspended',
  not_found: 'Not found',
  conflict: 'Conflict',
  idempotency_conflict: 'Idempotency key reused',
  idempotency_in_progress: 'Request in progress',
  payload_too_large: 'Payload too large',
  limit_exceeded: 'Limit exceeded',
  last_owner: 'Last owner',
  link_invalid: 'Link invalid',
  quota_exhausted: 'Quota exhausted',
  not_entitled: 'Not entitled',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal server error',
};

export function zodToFieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || (prefix ?? ''),
    message: i.message,
  }));
}

export function sendProblem(
  res: Response,
  code: ErrorCode,
  detail: string,
  extra: { errors?: FieldError[] | undefined; headers?: Record<string, string>; [k: string]: unknown } = {},
): void {
  const status = ERROR_STATUS[code];
  const { headers, errors, ...rest } = extra;
  for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://docs.unionpoint.dev/errors/${code}`,
        title: TITLES[code] ?? code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
        status,
        code,
        detail,
        ...(errors && errors.length ? { errors } : {}),
        requestId: res.getHeader('x-request-id'),
        ...rest,
      }),
    );
}

/** The one place errors become responses. A 500 says nothing of internals but a request id. */
export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof AppError) return sendProblem(res, err.code, err.detail, { errors: err.errors, ...(err.extra ?? {}) });
  if (err instanceof z.ZodError) return sendProblem(res, 'validation_failed', 'The request did not validate', { errors: zodToFieldErrors(err) });
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (e?.type === 'entity.too.large') return sendProblem(res, 'payload_too_large', 'The request body is larger than 1 MiB');
  if (e?.type === 'entity.parse.failed') return sendProblem(res, 'malformed_json', 'The request body is not valid JSON');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return sendProblem(res, 'unsupported_media_type', 'Only UTF-8 JSON is accepted');
  if ((e?.status ?? e?.statusCode) === 400) {
    return sendProblem(res, 'validation_failed', 'The request could not be read (bad URL encoding?)', { errors: [{ path: 'path', message: 'Invalid percent-encoding' }] });
  }
  // A write would take a balance, total or counter past 2³¹−1 (the transaction rolled back).
  if (isIntegerOverflow(err)) return sendProblem(res, 'limit_exceeded', 'The change would take a value past the largest allowed (2147483647)');
  // Prisma could not start the transaction in time (pool exhausted under a burst): retryable.
  if ((err as { code?: string })?.code === 'P2028') {
    req.log?.warn({ err }, 'transaction could not start in time');
    return sendProblem(res, 'unavailable', 'The service is busy; retry shortly', { headers: { 'Retry-After': '1' } });
  }
  // The database went away (restart, failover, network): nothing is known to have committed,
  // and a retry (idempotent by externalId, reference or Idempotency-Key) is the way on.
  if (isDatabaseUnavailable(err)) {
    req.log?.warn({ err }, 'database unavailable');
    return sendProblem(res, 'unavailable', 'The database is unavailable; retry shortly', { headers: { 'Retry-After': '1' } });
  }
  if (err instanceof UndefinedTenantFilterError) req.log?.error({ err }, 'tenant guard refused a query');
  else req.log?.error({ err }, 'unhandled error');
  sendProblem(res, 'internal', 'Something went wrong on our side. Quote the request id when you contact support.');
};
