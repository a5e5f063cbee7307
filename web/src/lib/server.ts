// Server-side helpers: the session check that every protected layout runs, and a client that
// forwards the visitor's session cookie to the API.
import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import createClient from 'openapi-fetch';
import type { paths } from './api-types';
import { apiUrl } from './upstream';
import { LOCALE_COOKIE, pickLocale, type Locale } from '@/i18n';

export const serverApi = cache(async () => {
  const cookie = (await headers()).get('cookie');
  return createClient<paths>({ baseUrl: apiUrl(), headers: cookie ? { cookie } : {}, cache: 'no-store' });
});

export type Session = {
  user: { id: string; email: string; role: 'platform_admin' | 'owner' | 'admin' | 'staff' | 'viewer'; tenantId: string | null; name: string | null; storeIds: string[] };
  csrfToken: string;
};

/** The logged-in user as the API sees it (one call per request), or null. */
export const getSession = cache(async (): Promise<Session | null> => {
  const api = await serverApi();
  try {
    const { data, response } = await api.GET('/v1/auth/me');
    return response.ok && data ? (data as Session) : null;
  } catch {
    return null;
  }
});

/** Redirects to /login without a session, and to the user's home when the role does not fit. */
export async function requireRole(roles: Session['user']['role'][]): Promise<Session> {
  const session = await getSession();
  if (!session) redirect('/login');
  if (!roles.includes(session.user.role)) redirect(session.user.role === 'platform_admin' ? '/platform' : '/');
  return session;
}

export const getLocale = cache(async (): Promise<Locale> => pickLocale((await cookies()).get(LOCALE_COOKIE)?.value));
