// Same-origin proxy for the API: the browser calls /v1/* here and the request is forwarded to
// API_URL with its cookie and CSRF header; Set-Cookie comes back unchanged, so the session
// cookie belongs to the dashboard's origin.
import type { NextRequest } from 'next/server';
import { apiUrl } from '@/lib/upstream';

export const dynamic = 'force-dynamic';

const FORWARD_REQUEST = ['cookie', 'content-type', 'x-csrf-token', 'idempotency-key', 'accept', 'x-request-id', 'accept-language'];
const FORWARD_RESPONSE = ['content-type', 'x-request-id', 'idempotent-replayed', 'retry-after', 'cache-control'];

async function forward(req: NextRequest, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await ctx.params;
  const target = `${apiUrl()}/v1/${path.map(encodeURIComponent).join('/')}${req.nextUrl.search}`;
  const headers = new Headers();
  for (const h of FORWARD_REQUEST) {
    const v = req.headers.get(h);
    if (v) headers.set(h, v);
  }
  // The client's address, for the API's per-IP login limit: Next's server sets X-Forwarded-For
  // to the socket's address when the request came without one, and keeps the one a proxy in
  // front of the dashboard sent. The API believes it only from the hops TRUST_PROXY names
  // (`loopback` when both run on one host, or a hop count); without it, every login through the
  // dashboard counts for the dashboard's own address.
  // The member center calls /v1/me with its member token; no other bearer is forwarded (the
  // dashboard authenticates by its cookie).
  const authorization = req.headers.get('authorization');
  if (authorization && /^Bearer upm_[1-9A-HJ-NP-Za-km-z]+$/.test(authorization)) headers.set('authorization', authorization);
  const forwardedFor = req.headers.get('x-forwarded-for');
  if (forwardedFor) headers.set('x-forwarded-for', forwardedFor);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  let upstream: Response;
  try {
    // The body is streamed through, never buffered: an import upload is up to 256 MiB.
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? req.body : undefined,
      duplex: 'half',
      redirect: 'manual',
      cache: 'no-store',
    } as RequestInit & { duplex: 'half' });
  } catch {
    return Response.json(
      { type: 'about:blank', title: 'Bad Gateway', status: 502, code: 'api_unavailable', detail: 'The API did not answer' },
      { status: 502, headers: { 'content-type': 'application/problem+json' } },
    );
  }
  const out = new Headers();
  for (const h of FORWARD_RESPONSE) {
    const v = upstream.headers.get(h);
    if (v) out.set(h, v);
  }
  for (const c of upstream.headers.getSetCookie()) out.append('set-cookie', c);
  return new Response(upstream.status === 204 || upstream.status === 304 ? null : upstream.body, { status: upstream.status, headers: out });
}

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
