// Hostile input at the edges the route contracts do not see alone: crafted cursors, strings
// Postgres cannot store, integers past a Postgres `integer`, out-of-range years, and requests
// Node's HTTP parser refuses. Each is a 4xx problem+json that changes nothing.
import { connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../src/index.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
let server: Server;
let port: number;

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  await api.http.post('/v1/members').set(t.auth).send({ unionId: 'alice', openId: 'o-alice', storeId: t.stores[0]!.id }).expect(201);
  await api.http.post('/v1/members').set(t.auth).send({ unionId: 'bob', openId: 'o-bob', storeId: t.stores[0]!.id }).expect(201);
  server = listen(api.app, 0);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await api.close();
});

const problem = (res: { status: number; headers: Record<string, string>; body: { code?: string } }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe(code);
};
const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('strings Postgres cannot store', () => {
  it.each([
    ['a NUL in a path parameter', () => api.http.get('/v1/members/%00').set(t.auth)],
    ['a NUL in a path parameter without a dedicated rule', () => api.http.delete('/v1/api-keys/a%00b').set(t.auth)],
    ['a NUL in a query field', () => api.http.get('/v1/members?q=a%00b').set(t.auth)],
    ['a NUL in the merge source', () => api.http.post('/v1/members/alice/merge').set(t.auth).send({ fromUnionId: 'b\u0000ob' })],
    ['a NUL in the trial tier code', () => api.http.patch('/v1/program').set(t.auth).send({ trial: { tierCode: '\u0000' } })],
    ['a lone surrogate in a body string', () => api.http.post('/v1/members').set(t.auth).set('Content-Type', 'application/json').send('{"unionId":"x\\ud800","openId":"o","storeId":"s"}')],
    ['a lone surrogate in an object key', () => api.http.patch('/v1/program').set(t.auth).set('Content-Type', 'application/json').send('{"\\udc00":1}')],
    ['a lone surrogate in a path parameter', () => api.http.get('/v1/members/%ED%A0%80').set(t.auth)],
  ])('%s → 400', async (_name, send) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toMatch(/^(validation_failed|malformed_json)$/);
  });
});

describe('crafted cursors', () => {
  it.each([
    ['a NUL id', cursor(['2026-01-01T00:00:00.000Z', '\u0000'])],
    ['a lone surrogate id', cursor(['2026-01-01T00:00:00.000Z', '\ud800'])],
    ['year −100000', cursor(['-100000-01-01T00:00:00.000Z', 'x'])],
    ['year +275760', cursor(['+275760-09-13T00:00:00.000Z', 'x'])],
    ['year 0000', cursor(['0000-01-01T00:00:00.000Z', 'x'])],
    ['a number for the id', cursor(['2026-01-01T00:00:00.000Z', 12])],
    ['an object', cursor({ at: '2026-01-01T00:00:00.000Z', id: 'x' })],
    ['three elements', cursor(['2026-01-01T00:00:00.000Z', 'x', 'y'])],
  ])('%s → 400 on every list route', async (_name, c) => {
    for (const path of ['/v1/members', '/v1/audit', '/v1/api-keys', '/v1/stores', '/v1/rewards', '/v1/coupon-templates', '/v1/webhooks', '/v1/retention/runs', '/v1/members/alice/ledger', '/v1/members/alice/coupons', '/v1/members/alice/tier-history']) {
      const res = await api.http.get(`${path}?cursor=${c}`).set(t.auth);
      expect(`${path} ${res.status}`).toBe(`${path} 400`);
      problem(res, 400, 'validation_failed');
    }
  });
  it('a cursor the API wrote still pages', async () => {
    const first = await api.http.get('/v1/members?limit=1').set(t.auth).expect(200);
    expect(first.body.nextCursor).toBeTruthy();
    const next = await api.http.get(`/v1/members?limit=1&cursor=${first.body.nextCursor}`).set(t.auth).expect(200);
    expect(next.body.data).toHaveLength(1);
    expect(next.body.data[0].unionId).not.toBe(first.body.data[0].unionId);
  });
});

describe('integers and times', () => {
  it('refuses body integers past 2³¹−1 with 400', async () => {
    const order = await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'big', member: 'alice', storeId: t.stores[0]!.id, amountCents: 2_147_483_648 });
    problem(order, 400, 'validation_failed');
    const review = await api.http
      .post('/v1/members/alice/activities')
      .set(t.auth)
      .send({ type: 'review', reference: 'r-big', itemPriceCents: 4_294_967_296 });
    problem(review, 400, 'validation_failed');
    expect(await api.db.prisma.order.count({ where: { tenantId: t.id } })).toBe(0);
  });

  it('a change that would push a balance past 2³¹−1 is 422 limit_exceeded and changes nothing', async () => {
    for (let i = 0; i < 2; i++) {
      await api.http.post('/v1/members/bob/points/adjust').set(t.auth).send({ delta: 1_000_000_000, reason: `top up ${i}` }).expect(201);
    }
    const entries = await api.db.prisma.pointsEntry.count({ where: { tenantId: t.id } });
    const res = await api.http.post('/v1/members/bob/points/adjust').set(t.auth).send({ delta: 1_000_000_000, reason: 'one too many' });
    problem(res, 422, 'limit_exceeded');
    const bob = await api.http.get('/v1/members/bob').set(t.auth).expect(200);
    expect(bob.body.points.balance).toBe(2_000_000_000);
    expect(await api.db.prisma.pointsEntry.count({ where: { tenantId: t.id } })).toBe(entries);
  });

  it.each(['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '-100000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z'])('refuses the event time %s with 400', async (at) => {
    const res = await api.http.post('/v1/orders').set(t.auth).send({ externalId: `o-${at}`, member: 'alice', storeId: t.stores[0]!.id, amountCents: 100, completedAt: at });
    problem(res, 400, 'validation_failed');
  });
  it('refuses the local date 0000-01-01 with 400', async () => {
    problem(await api.http.post('/v1/retention/preview').set(t.auth).send({ periodEnd: '0000-01-01' }), 400, 'validation_failed');
  });
});

/** Sends raw bytes and reads the whole answer (the server closes the connection after it). */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let out = '';
    socket.on('data', (d) => (out += d.toString('utf8')));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('requests the HTTP parser refuses', () => {
  it('oversized headers → 431 problem+json', async () => {
    const out = await raw(`GET /v1/members HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 431 /);
    expect(out).toMatch(/Content-Type: application\/problem\+json/i);
    expect(JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, code: 'headers_too_large' });
  });
  it('an invalid header → 400 problem+json', async () => {
    const out = await raw('GET /v1/members HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect(out).toMatch(/Content-Type: application\/problem\+json/i);
    expect(JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'malformed_request' });
  });
});
