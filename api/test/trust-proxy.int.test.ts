// The login limit counts per client IP. Behind the dashboard's /v1 forwarder (or a load
// balancer) the socket's address is the proxy's, so the client is the X-Forwarded-For the proxy
// sends — trusted only when TRUST_PROXY says which hops may send it. Without TRUST_PROXY a
// client's own X-Forwarded-For is ignored (it cannot pick a fresh address per guess).
import { randomInt } from 'node:crypto';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import { LOGIN_LIMITS } from '../src/http/login-limit.ts';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ trustProxy: 'loopback' });
});
afterAll(() => api?.close());

// Addresses of this run only: the limiter's counters live in the shared Redis for 15 minutes.
const address = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function guess(http: ReturnType<typeof supertest>, email: string, forwardedFor: string) {
  return http.post('/v1/auth/login').set('X-Forwarded-For', forwardedFor).send({ email, password: 'not the password' });
}

describe('login limit per client behind a proxy', () => {
  it('with TRUST_PROXY=loopback the limit is per forwarded client: another client is not blocked by the first', async () => {
    const t = await api.createTenant();
    const [a, b] = [address(), address()];
    for (let i = 0; i < LOGIN_LIMITS.perEmailAndIp; i++) expect((await guess(api.http, t.owner.email, a)).status).toBe(401);
    const blocked = await guess(api.http, t.owner.email, a);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('rate_limited');
    // The proxy appends its client: the right-most untrusted address is the one that counts.
    expect((await guess(api.http, t.owner.email, `198.51.100.7, ${a}`)).status).toBe(429);
    expect((await guess(api.http, t.owner.email, b)).status).toBe(401);
    const ok = await api.http.post('/v1/auth/login').set('X-Forwarded-For', b).send({ email: t.owner.email, password: t.owner.password });
    expect(ok.status).toBe(200);
  });

  it('without TRUST_PROXY a spoofed X-Forwarded-For is ignored: every guess counts for the socket address', async () => {
    const app = createApp({ db: api.db, redis: api.redis, config: { ...api.app.locals.deps.config, trustProxy: false }, logger: pino({ level: 'silent' }) });
    const http = supertest(app);
    const t = await api.createTenant();
    // A fresh spoofed address per guess does not reset the count.
    for (let i = 0; i < LOGIN_LIMITS.perEmailAndIp; i++) expect((await guess(http, t.owner.email, address())).status).toBe(401);
    expect((await guess(http, t.owner.email, address())).status).toBe(429);
    // The trusting app sees the forwarded address instead, a client of its own.
    expect((await guess(api.http, t.owner.email, address())).status).toBe(401);
  });
});
