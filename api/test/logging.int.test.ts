import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import supertest from 'supertest';
import { createApp } from '../src/index.ts';
import { LOG_REDACT_PATHS } from '../src/http/logging.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
});
afterAll(() => api.close());

function capture(level: string) {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logger = pino({ level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, sink);
  const config = { ...(api.app.locals.deps.config as object), logLevel: level } as never;
  return { lines, http: supertest(createApp({ db: api.db, redis: api.redis, config, logger })) };
}

it('request logs never contain API keys or session cookies, even in full detail', async () => {
  for (const level of ['info', 'debug']) {
    const { lines, http } = capture(level);
    expect((await http.get('/v1/members').set(t.auth)).status).toBe(200);
    const login = await http.post('/v1/auth/login').send({ email: t.owner.email, password: t.owner.password });
    await http.get('/v1/auth/me').set('Cookie', login.headers['set-cookie']![0]!.split(';')[0]!);
    const log = lines.join('');
    expect(log).toContain('/v1/members');
    expect(log).not.toContain(t.key);
    expect(log).not.toMatch(/up\.sid=s%3A/);
    if (level === 'debug') expect(log).toContain('[redacted]');
  }
});

it('logs one short line per request at info (method, path, status, ms), the full request at debug', async () => {
  const info = capture('info');
  expect((await info.http.get('/v1/members?q=secret-search').set(t.auth)).status).toBe(200);
  expect((await info.http.get('/v1/members/nobody').set(t.auth)).status).toBe(404);
  const entries = info.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(entries.map((e) => e.msg)).toEqual([
    expect.stringMatching(/^GET \/v1\/members 200 \d+ms$/),
    expect.stringMatching(/^GET \/v1\/members\/nobody 404 \d+ms$/),
  ]);
  for (const e of entries) {
    expect(e.req).toBeUndefined();
    expect(e.res).toBeUndefined();
    expect(e.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(e).length).toBeLessThan(300);
  }
  expect(info.lines.join('')).not.toContain('secret-search');

  const debug = capture('debug');
  expect((await debug.http.get('/v1/members').set(t.auth)).status).toBe(200);
  const line = debug.lines
    .map((l) => JSON.parse(l) as { msg: string; req?: { headers?: Record<string, string> }; res?: { statusCode: number } })
    .find((e) => e.msg?.startsWith('GET /v1/members'));
  expect(line?.req?.headers?.authorization).toBe('[redacted]');
  expect(line?.res?.statusCode).toBe(200);
});

it('a silent logger writes nothing and the request still carries its id (given or generated)', async () => {
  const { lines, http } = capture('silent');
  const given = await http.get('/v1/members').set(t.auth).set('X-Request-Id', 'req-silent-1');
  expect(given.status).toBe(200);
  expect(given.headers['x-request-id']).toBe('req-silent-1');
  const generated = await http.get('/v1/nope').set(t.auth);
  expect(generated.status).toBe(404);
  expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(lines).toEqual([]);
});
