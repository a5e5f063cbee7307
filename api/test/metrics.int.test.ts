// /metrics: after real requests the series exist with their labels and the counts those requests
// made (this app's registry counts only this file's requests): per route template, never per raw
// URL; errors by status and class; the pool's connections and checkout waits. METRICS_TOKEN
// guards the endpoint; production without a token does not serve it.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
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

  it('counts a request whose client leaves before the answer as 499, once, even when its handler finishes later', async () => {
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'M-lock' })).status).toBe(201);
    const server = api.app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    // The member's row locked elsewhere: the points adjustment waits for it.
    const lock = await api.db.pool.connect();
    try {
      const { port } = server.address() as AddressInfo;
      await lock.query('BEGIN');
      // By the tenant too: on Citus a row lock must name the shard key.
      await lock.query(`SELECT id FROM members WHERE tenant_id = $1 AND union_id = 'M-lock' FOR UPDATE`, [t.id]);
      const body = JSON.stringify({ delta: 5, reason: 'left', reference: 'metrics-499' });
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /v1/members/M-lock/points/adjust HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${t.auth.Authorization}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      const route = { method: 'POST', route: '/v1/members/:member/points/adjust' };
      const waitFor = async (done: (series: ReturnType<typeof parse>) => boolean) => {
        for (let i = 0; i < 100; i++) {
          const series = parse((await api.http.get('/metrics')).text);
          if (done(series)) return series;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error('the metrics never showed it');
      };
      // In flight: the waiting request and the /metrics request reading it.
      await waitFor((series) => value(series, 'unionpoint_http_requests_in_flight', {}) === 2);
      socket.destroy();
      const left = await waitFor((series) => value(series, 'unionpoint_http_requests_total', { ...route, status: '499' }) !== undefined);
      expect(value(left, 'unionpoint_http_requests_total', { ...route, status: '499' })).toBe(1);
      expect(value(left, 'unionpoint_http_requests_in_flight', {})).toBe(1);
      // The handler goes on once the row is free; its answer finds no client and is not counted again.
      await lock.query('COMMIT');
      await waitFor(() => true);
      let credited = 0;
      for (let i = 0; i < 100 && credited === 0; i++) {
        const { rows } = await api.db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM points_ledger WHERE tenant_id = $1 AND reference = 'metrics-499'`,
          [t.id],
        );
        credited = rows[0]!.n;
        if (credited === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(credited).toBe(1);
      await waitFor((series) => value(series, 'unionpoint_http_requests_in_flight', {}) === 1);
      const after = parse((await api.http.get('/metrics')).text);
      expect(value(after, 'unionpoint_http_requests_total', { ...route, status: '499' })).toBe(1);
      const statuses = after
        .filter((x) => x.name === 'unionpoint_http_requests_total' && x.labels.route === route.route)
        .map((x) => x.labels.status);
      expect(statuses).toEqual(['499']);
    } finally {
      await lock.query('ROLLBACK');
      lock.release();
      server.close();
    }
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
