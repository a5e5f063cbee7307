// Response headers of the member center (/m/<tenant>): it may be framed only by the origins the
// tenant lists in its branding (CSP frame-ancestors, read from the API's public
// GET /v1/member-center/:tenantId and kept a minute per process), and it never sends a Referer.
import { NextResponse, type NextRequest } from 'next/server';
import { apiUrl } from '@/lib/upstream';

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; origins: string[] }>();
const ORIGIN = /^https:\/\/[a-z0-9.-]+(?::\d{1,5})?$/;

async function frameAncestors(tenant: string): Promise<string[]> {
  const hit = cache.get(tenant);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.origins;
  let origins: string[] = [];
  try {
    const r = await fetch(`${apiUrl()}/v1/member-center/${encodeURIComponent(tenant)}`, { cache: 'no-store', signal: AbortSignal.timeout(2000) });
    if (r.ok) origins = (((await r.json()) as { frameAncestors?: string[] }).frameAncestors ?? []).filter((o) => ORIGIN.test(o));
  } catch {
    // The API did not answer: frame-ancestors 'self' only, until it does.
  }
  cache.set(tenant, { at: Date.now(), origins });
  if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
  return origins;
}

export async function proxy(request: NextRequest) {
  const tenant = request.nextUrl.pathname.split('/')[2] ?? '';
  const origins = /^ten_[1-9A-HJ-NP-Za-km-z]{1,40}$/.test(tenant) ? await frameAncestors(tenant) : [];
  const res = NextResponse.next();
  res.headers.set('Content-Security-Policy', `frame-ancestors 'self'${origins.map((o) => ` ${o}`).join('')}`);
  res.headers.set('Referrer-Policy', 'no-referrer');
  res.headers.set('Cache-Control', 'no-store');
  return res;
}

export const config = { matcher: '/m/:path*' };
