// Redis faults seen by the API, on a private redis-server (the shared one is never touched):
// frozen (SIGSTOP) the API still answers within a bound (limits fall back to memory); down or
// frozen, login attempts are still limited (an in-process count beside the Redis one) and the
// 429 comes before the password is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import supertest from 'supertest';
import { createApp, loadConfig } from '../../src/index.ts';
import { connectApiRedis, type ApiRedis } from '../../src/http/redis.ts';
import { PLATFORM_KEY, startTestApi, type TestApi, type TestTenant } from '../harness.ts';
import { startPrivateRedis, type PrivateRedis } from './private-redis.ts';

// Bounds for a machine under load (several test files at once on 2 cores); a request waiting
// on the frozen Redis would never answer at all.
const BOUND_MS = 1000;
const BURST_BOUND_MS = 5000;
let api: TestApi;
let redis: PrivateRedis;
let tenant: TestTenant;
const clients: ApiRedis[] = [];

/** An API process on the private Redis, with the production client options, once connected. */
async function apiProcess() {
  const client = connectApiRedis(redis.url);
  client.on('error', () => {});
  clients.push(client);
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  const config = { ...loadConfig({ NODE_ENV: 'test' }), platformApiKey: PLATFORM_KEY, logLevel: 'silent', rateLimitPerMinute: 100_000, trustProxy: true };
  return supertest(createApp({ db: api.db, redis: client, config, logger: pino({ level: 'silent' }) }));
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; res: T }> {
  const t0 = performance.now();
  const res = await fn();
  return { ms: performance.now() - t0, res };
}

const login = (http: ReturnType<typeof supertest>, ip: string, email: string, password: string) =>
  http.post('/v1/auth/login').set('X-Forwarded-For', ip).timeout(15_000).send({ email, password });

beforeAll(async () => {
  api = await startTestApi();
  redis = await startPrivateRedis();
  tenant = await api.createTenant();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
  await api?.close();
});

describe('a frozen Redis', () => {
  it('never holds up API requests: each answers within the bound, and /readyz reports redis down with 200', async () => {
    const http = await apiProcess();
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { ms, res } = await timed(() => http.get('/v1/stores').set(tenant.auth));
      expect(res.status).toBe(200);
      baseline.push(ms);
    }
    // 1 s, or five times the slowest answer with Redis up when the machine is that loaded.
    const bound = Math.max(BOUND_MS, 5 * Math.max(...baseline));
    redis.freeze();
    try {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const { ms, res } = await timed(() => http.get('/v1/stores').set(tenant.auth).timeout(5000));
        expect(res.status).toBe(200);
        times.push(ms);
      }
      const burst = await timed(() => Promise.all(Array.from({ length: 20 }, () => http.get('/v1/stores').set(tenant.auth).timeout(10_000))));
      expect(burst.res.map((r) => r.status)).toEqual(Array(20).fill(200));
      const ready = await timed(() => http.get('/readyz').timeout(5000));
      expect(ready.res.status).toBe(200);
      expect(ready.res.body.checks).toEqual({ postgres: 'ok', redis: 'down' });
      console.log(
        `[faults] frozen Redis: 20 sequential GET /v1/stores max ${Math.max(...times).toFixed(0)} ms (Redis up: ${Math.max(...baseline).toFixed(0)} ms), 20 concurrent in ${burst.ms.toFixed(0)} ms, /readyz ${ready.ms.toFixed(0)} ms`,
      );
      expect(Math.max(...times)).toBeLessThan(bound);
      expect(burst.ms).toBeLessThan(BURST_BOUND_MS);
      expect(ready.ms).toBeLessThan(bound);
    } finally {
      redis.thaw();
    }
    expect((await http.get('/v1/stores').set(tenant.auth).timeout(5000)).status).toBe(200);
  });
});

describe('login attempts', () => {
  it('are refused with 429 past 10 per email and IP, before the password is checked, shared by API processes', async () => {
    const a = await apiProcess();
    const b = await apiProcess();
    const { email, password } = tenant.owner;
    const wrong: number[] = [];
    // Split over two API processes: the Redis count is shared.
    for (let i = 0; i < 10; i++) {
      const { ms, res } = await timed(() => login(i % 2 ? b : a, '10.0.0.1', email, 'wrong password'));
      expect(res.status).toBe(401);
      wrong.push(ms);
    }
    const limited: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { ms, res } = await timed(() => login(i % 2 ? b : a, '10.0.0.1', email, 'wrong password'));
      expect(res.status).toBe(429);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      limited.push(ms);
    }
    // The right password is refused too from that address: the limit is checked before it.
    expect((await login(a, '10.0.0.1', email, password)).status).toBe(429);
    // The owner is not locked out: from another address the login works (and clears the count).
    expect((await login(a, '10.0.0.2', email, password)).status).toBe(200);
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    console.log(`[faults] 30 wrong logins: 10 × 401 (password checked) avg ${avg(wrong).toFixed(0)} ms, 20 × 429 avg ${avg(limited).toFixed(0)} ms`);
  });

  it('stay limited with Redis frozen or down (the in-process count), each answer within the bound', async () => {
    const http = await apiProcess();
    const { email } = tenant.owner;
    for (let i = 0; i < 3; i++) expect((await login(http, '10.0.0.3', email, 'wrong password')).status).toBe(401);
    redis.freeze();
    const statuses: number[] = [];
    const times: number[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const { ms, res } = await timed(() => login(http, '10.0.0.3', email, 'wrong password'));
        statuses.push(res.status);
        times.push(ms);
      }
    } finally {
      redis.thaw();
    }
    await redis.kill();
    try {
      for (let i = 0; i < 15; i++) {
        const { ms, res } = await timed(() => login(http, '10.0.0.3', email, 'wrong password'));
        statuses.push(res.status);
        times.push(ms);
      }
    } finally {
      await redis.start();
    }
    // 3 + 7 wrong passwords are checked; the 11th attempt and every one after is 429.
    expect(statuses).toEqual([...Array(7).fill(401), ...Array(20).fill(429)]);
    const slowest = (status: number) => Math.max(...times.filter((_, i) => statuses[i] === status));
    console.log(`[faults] 30 wrong logins with Redis frozen then down: slowest 401 (argon2) ${slowest(401).toFixed(0)} ms, slowest 429 ${slowest(429).toFixed(0)} ms`);
    expect(slowest(429)).toBeLessThan(BOUND_MS);
    // A checked password (argon2 at 64 MiB) is slow under load, but answers too.
    expect(slowest(401)).toBeLessThan(BOUND_MS * 10);
  });
});
