/**
 * Every business refusal is an AppError with a stable `code`. The API maps codes to HTTP
 * statuses with one table (ERROR_STATUS) and writes RFC 9457 problem+json.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  malformed_request: 400,
  unauthenticated: 401,
  session_expired: 401,
  forbidden: 403,
  tenant_suspended: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  idempotency_in_progress: 409,
  stale_preview: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  insufficient_points: 422,
  refund_exceeds_order: 422,
  exclusive_item: 422,
  coupon_not_applicable: 422,
  already_checked_in: 422,
  out_of_stock: 422,
  archived: 422,
  business_rule: 422,
  limit_exceeded: 422,
  last_owner: 422,
  link_invalid: 422,
  quota_exhausted: 422,
  not_entitled: 422,
  not_open: 422,
  full: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, detail: string, options: { errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
    this.extra = options.extra;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const conflict = (detail: string) => new AppError('conflict', detail);
export const forbidden = (detail: string) => new AppError('forbidden', detail);
export const validationFailed = (errors: FieldError[], detail = 'The request did not validate') =>
  new AppError('validation_failed', detail, { errors });

/** Postgres / Prisma unique violation, across the driver adapter's error shapes. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string; originalCode?: string; kind?: string } } | null;
  if (!e) return false;
  if (e.code === 'P2002' || e.code === '23505') return true;
  const cause = e.cause;
  return cause?.code === '23505' || cause?.originalCode === '23505' || cause?.kind === 'UniqueConstraintViolation';
}

/**
 * A value past a Postgres `integer` column (a balance or total pushed over 2³¹−1): Prisma's
 * P2020, or SQLSTATE 22003 from raw SQL, across the driver adapter's error shapes.
 */
export function isIntegerOverflow(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string; originalCode?: string; kind?: string } } | null;
  if (!e) return false;
  if (e.code === 'P2020' || e.code === '22003') return true;
  const cause = e.cause;
  return cause?.code === '22003' || cause?.originalCode === '22003';
}
