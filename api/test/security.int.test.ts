// The shared security suite: every tenant route in the route table, including routes added
// later, is checked for authentication, revocation, suspension and key scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@unionpoint/core';
import { openMemberSession } from '@unionpoint/core/sessions';
import { withTenant } from '@unionpoint/db';
import { buildRoutes } from '../src/index.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

const routes = buildRoutes().list;
const tenantRoutes = routes.filter((r) => r.scope === 'tenant');
const platformRoutes = routes.filter((r) => r.scope === 'platform');
const memberRoutes = routes.filter((r) => r.scope === 'member');
const member = {} as Record<'revoked' | 'expired' | 'suspended', string>;

let api: TestApi;
let a: TestTenant;
let b: TestTenant;
let revokedKey: string;
let suspended: TestTenant;

const fill = (path: string, member = 'no-such-member') => path.replace(':member', encodeURIComponent(member)).replace(/:([A-Za-z]+)/g, 'x-$1');

function call(method: string, path: string, headers: Record<string, string>) {
  const req = (api.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path);
  return req.set(headers).send(method === 'get' || method === 'delete' ? undefined : {});
}

beforeAll(async () => {
  api = await startTestApi();
  [a, b, suspended] = await Promise.all([api.createTenant(), api.createTenant(), api.createTenant()]);
  const created = await api.http.post('/v1/api-keys').set(a.auth).send({ name: 'to revoke' });
  revokedKey = created.body.key;
  expect((await api.http.delete(`/v1/api-keys/${created.body.id}`).set(a.auth)).status).toBe(200);
  await api.http.post('/v1/members').set(a.auth).send({ unionId: 'alice', openId: 'o-alice', storeId: a.stores[0]!.id });
  // Member tokens: one revoked, one expired (opened in the past), one of a tenant suspended after.
  member.revoked = (await api.http.post('/v1/members/alice/sessions').set(a.auth).send({})).body.token;
  expect((await api.http.delete('/v1/members/alice/sessions').set(a.auth)).status).toBe(204);
  member.expired = (
    await withTenant(api.db.prisma, a.id, (tx) => openMemberSession(tx, systemContext(a.id, 'test'), { ref: 'alice' }, { ttlSeconds: 60 }, new Date('2026-01-01T00:00:00Z')))
  ).token;
  await api.http.post('/v1/members').set(suspended.auth).send({ unionId: 'sam' });
  member.suspended = (await api.http.post('/v1/members/sam/sessions').set(suspended.auth).send({})).body.token;
  expect((await api.http.post(`/v1/platform/tenants/${suspended.id}/suspend`).set(api.platform)).status).toBe(200);
});
afterAll(() => api.close());

describe.each(tenantRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s', (_name, route) => {
  const path = () => fill(route.path);
  const problem = (res: { status: number; headers: Record<string, string>; body: { code?: string; status?: number } }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  it('refuses a request without a key (401)', async () => {
    problem(await call(route.method, path(), {}), 401, 'unauthenticated');
  });
  it('refuses an unknown key (401)', async () => {
    problem(await call(route.method, path(), { Authorization: 'Bearer up_doesnotexist1234567890' }), 401, 'unauthenticated');
  });
  it('refuses a revoked key at once (401)', async () => {
    problem(await call(route.method, path(), { Authorization: `Bearer ${revokedKey}` }), 401, 'unauthenticated');
  });
  it("refuses a suspended tenant's key (403 tenant_suspended)", async () => {
    problem(await call(route.method, path(), suspended.auth), 403, 'tenant_suspended');
  });
  it('refuses the platform key (403)', async () => {
    problem(await call(route.method, path(), api.platform), 403, 'forbidden');
  });
  if (route.path.includes(':member') && route.method === 'get') {
    it("answers 404 for another tenant's member", async () => {
      const res = await call(route.method, fill(route.path, 'alice'), b.auth);
      problem(res, 404, 'not_found');
    });
  }
});

describe.each(platformRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s', (_name, route) => {
  it('refuses tenant keys (403) and missing keys (401)', async () => {
    expect((await call(route.method, fill(route.path), a.auth)).status).toBe(403);
    expect((await call(route.method, fill(route.path), {})).status).toBe(401);
    expect((await call(route.method, fill(route.path), { Authorization: 'Bearer wrong-platform-key' })).status).toBe(401);
  });
});

describe('store-bound keys', () => {
  it('act in their own store and are refused in another (403)', async () => {
    const [mall, shop] = a.stores;
    const bound = await api.http.post('/v1/api-keys').set(a.auth).send({ name: 'pos', storeId: shop!.id });
    expect(bound.status).toBe(201);
    const pos = { Authorization: `Bearer ${bound.body.key}` };
    // Defaults to its store: an openId enrolment without storeId lands in the shop.
    const enrol = await api.http.post('/v1/members').set(pos).send({ unionId: 'bob', openId: 'o-bob' });
    expect(enrol.status).toBe(201);
    expect(enrol.body.identities).toEqual([{ storeId: shop!.id, openId: 'o-bob' }]);
    expect((await api.http.get('/v1/members/openid:o-bob').set(pos)).status).toBe(200);
    const other = await api.http.get(`/v1/members/openid:o-alice?storeId=${mall!.id}`).set(pos);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('forbidden');
    const bind = await api.http.post('/v1/members/bob/identities').set(pos).send({ storeId: mall!.id, openId: 'x' });
    expect(bind.status).toBe(403);
    expect((await api.http.post('/v1/api-keys').set(pos).send({ name: 'escalate' })).status).toBe(403);
  });
});

describe('other tenants', () => {
  it("cannot see, bind or revoke another tenant's things", async () => {
    expect((await api.http.get('/v1/members/alice').set(b.auth)).status).toBe(404);
    expect((await api.http.get(`/v1/members/openid:o-alice?storeId=${a.stores[0]!.id}`).set(b.auth)).status).toBe(404);
    const keys = await api.http.get('/v1/api-keys').set(a.auth);
    const keyId = keys.body.data[0].id;
    expect((await api.http.delete(`/v1/api-keys/${keyId}`).set(b.auth)).status).toBe(404);
    expect((await api.http.post('/v1/members/alice/identities').set(b.auth).send({ storeId: b.stores[0]!.id, openId: 'y' })).status).toBe(404);
    const list = await api.http.get('/v1/members?q=alice').set(b.auth);
    expect(list.body.data).toEqual([]);
  });
});

describe.each(memberRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s', (_name, route) => {
  const path = () => fill(route.path);
  const problem = (res: { status: number; headers: Record<string, string>; body: { code?: string; status?: number } }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  it('refuses a request without a token (401)', async () => {
    problem(await call(route.method, path(), {}), 401, 'unauthenticated');
  });
  it('refuses an unknown member token (401)', async () => {
    problem(await call(route.method, path(), { Authorization: 'Bearer upm_doesnotexist1234567890' }), 401, 'unauthenticated');
  });
  it('refuses a revoked member token at once (401)', async () => {
    problem(await call(route.method, path(), { Authorization: `Bearer ${member.revoked}` }), 401, 'unauthenticated');
  });
  it('refuses an expired member token (401 session_expired)', async () => {
    problem(await call(route.method, path(), { Authorization: `Bearer ${member.expired}` }), 401, 'session_expired');
  });
  it("refuses a suspended tenant's member token (403 tenant_suspended)", async () => {
    problem(await call(route.method, path(), { Authorization: `Bearer ${member.suspended}` }), 403, 'tenant_suspended');
  });
  it('refuses API keys of any tenant and the platform key (403)', async () => {
    problem(await call(route.method, path(), a.auth), 403, 'forbidden');
    problem(await call(route.method, path(), b.auth), 403, 'forbidden');
    problem(await call(route.method, path(), api.platform), 403, 'forbidden');
  });
});
