// Calls for API routes that the contract (API.md) defines but that this API build does not
// serve yet, so they are not in the generated types. Each page moves to the typed client as
// soon as `npm run gen:api` picks its routes up. A 404 "No route" renders as "not available".
import { ApiError } from './api';

export async function pendingCall<T>(
  csrfToken: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const data = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; errors?: { path: string; message: string }[] };
    throw new ApiError(res.status, p.code ?? 'error', p.detail ?? res.statusText, p.errors ?? []);
  }
  return data as T;
}
