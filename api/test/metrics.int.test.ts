// /metrics: after real requests the series exist with their labels and the counts those requests
// made (this app's registry counts only this file's requests): per route template, never per raw
// URL; errors by status and class; the pool's connections and checkout waits. METRICS_TOKEN
// guards the endpoint; production without a token does not serve it.
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, loadConfig } from '../src/index.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
});
afterAll(async () => api?.close());

/** `name{a="x",b="y"} 3` lines of the exposition, as {name, labels, value}. */
function parse(text: string) {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(l);
      if (!m) throw new Error(`unparsable line ${l}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

function value(series: ReturnType<typeof parse>, name: string, labels: Record<string, string>): number | undefined {
  return series.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('GET /metrics', () => {
  it('counts requests, latency and errors per route template, and reports the pool', async () => {
    for (const unionId of ['M-1', 'M-2', 'M-3'])
      expect((await api.http.post('/v1/members').set(t.auth).send({ unionId })).status).toBe(201);
    expect((await api.http.get('/v1/members/M-1').set(t.auth)).status).toBe(200);
    expect((await api.http.get('/v1/members/M-2').set(t.auth)).status).toBe(200);
    expect((await api.http.get('/v1/members/nobody').set(t.auth)).status).toBe(404);
    expect((await api.http.get('/v1/no-such-route').set(t.auth)).status).toBe(404);

    const res = await api.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const series = parse(res.text);

    expect(value(series, 'unionpoint_http_requests_total', { method: 'POST', route: '/v1/members', status: '201' })).toBe(3);
    expect(value(series, 'unionpoint_http_requests_total', { method: 'GET', route: '/v1/members/:member', status: '200' })).toBe(2);
    expect(value(series, 'unionpoint_http_requests_total', { method: 'GET', route: '/v1/members/:member', status: '404' })).toBe(1);
    expect(value(series, 'unionpoint_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    // Raw URLs never become labels.
    expect(series.some((s) => Object.values(s.labels).some((v) => v.includes('M-1') || v.includes('nobody')))).toBe(false);

    expect(value(series, 'unionpoint_http_request_duration_seconds_count', { method: 'GET', route: '/v1/members/:member' })).toBe(3);
    expect(
      value(series, 'unionpoint_http_request_duration_seconds_bucket', { method: 'GET', route: '/v1/members/:member', le: '+Inf' }),
    ).toBe(3);
    expect(value(series, 'unionpoint_http_request_duration_seconds_sum', { method: 'GET', route: '/v1/members/:member' })).toBeGreaterThan(
      0,
    );

    expect(
      value(series, 'unionpoint_http_request_errors_total', {
        method: 'GET',
        route: '/v1/members/:member',
        status: '404',
        class: 'client',
      }),
    ).toBe(1);
    expect(value(series, 'unionpoint_http_request_errors_total', { method: 'POST', route: '/v1/members' })).toBeUndefined();

    // The pool: every checkout was timed; its size is the createDb max.
    expect(value(series, 'unionpoint_db_pool_acquire_seconds_count', { pool: 'main', result: 'ok' })).toBeGreaterThanOrEqual(6);
    expect(value(series, 'unionpoint_db_pool_max_connections', { pool: 'main' })).toBe(6);
    for (const state of ['in_use', 'idle', 'waiting'])
      expect(value(series, 'unionpoint_db_pool_connections', { pool: 'main', state })).toBeGreaterThanOrEqual(0);
    expect(value(series, 'unionpoint_http_requests_in_flight', {})).toBe(1); // this scrape
    expect(series.every((s) => s.labels.service === 'api')).toBe(true);
  });

  it('wants the bearer token when METRICS_TOKEN is set, and is not served in production without one', async () => {
    const base = { db: api.db, redis: null, logger: pino({ level: 'silent' }) };
    const guarded = supertest(
      createApp({ ...base, config: { ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', metricsToken: 'scrape-secret' } }),
    );
    expect((await guarded.get('/metrics')).status).toBe(401);
    expect((await guarded.get('/metrics').set('Authorization', 'Bearer wrong-secret')).status).toBe(401);
    const ok = await guarded.get('/metrics').set('Authorization', 'Bearer scrape-secret');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('unionpoint_http_requests_total');

    const production = supertest(
      createApp({ ...base, config: { ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', production: true } }),
    );
    expect((await production.get('/metrics')).status).toBe(404);
    const internalPort = supertest(
      createApp({ ...base, config: { ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', metricsPort: 9464 } }),
    );
    expect((await internalPort.get('/metrics')).status).toBe(404);
  });
});
