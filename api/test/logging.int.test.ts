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

it('request logs never contain API keys or session cookies', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logger = pino({ level: 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, sink);
  const config = { ...(api.app.locals.deps.config as object), logLevel: 'info' } as never;
  const http = supertest(createApp({ db: api.db, redis: api.redis, config, logger }));
  expect((await http.get('/v1/members').set(t.auth)).status).toBe(200);
  const login = await http.post('/v1/auth/login').send({ email: t.owner.email, password: t.owner.password });
  await http.get('/v1/auth/me').set('Cookie', login.headers['set-cookie']![0]!.split(';')[0]!);
  const log = lines.join('');
  expect(log).toContain('/v1/members');
  expect(log).not.toContain(t.key);
  expect(log).not.toMatch(/up\.sid=s%3A/);
  expect(log).toContain('[redacted]');
});
