// The typed API client, generated from the API's OpenAPI document (see scripts/gen-api.mts).
import createClient from 'openapi-fetch';
import type { paths } from './api-types';

export type Api = ReturnType<typeof createClient<paths>>;
export type { paths, components } from './api-types';
export { enumValues } from './api-types';
export type Schemas = import('./api-types').components['schemas'];

/** A problem+json answer from the API, thrown by unwrap(). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail);
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a call, or an ApiError with the problem's code and detail. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.response.ok) return r.data as T;
  const p = (r.error ?? {}) as { code?: string; detail?: string; title?: string; errors?: { path: string; message: string }[] };
  throw new ApiError(r.response.status, p.code ?? 'error', p.detail ?? p.title ?? r.response.statusText, p.errors ?? []);
}

/** Client for the browser: same origin (the web server proxies /v1/*), with the CSRF header. */
export function browserApi(csrfToken: string): Api {
  const origin = typeof window === 'undefined' ? 'http://localhost' : window.location.origin;
  return createClient<paths>({ baseUrl: origin, headers: { 'X-CSRF-Token': csrfToken }, credentials: 'same-origin' });
}
