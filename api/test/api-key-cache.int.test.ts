// The API-key cache across two API instances sharing one database, each with its own cache
// and its own LISTEN listener, as two production processes would run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import supertest from 'supertest';
import { hashApiKey } from '@unionpoint/core/auth';
import { ApiKeyCache, createApp, startConfigListener } from '../src/index.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
const logger = pino({ level: 'silent' });
const cacheA = new ApiKeyCache();
const cacheB = new ApiKeyCache();
let httpA: ReturnType<typeof supertest>;
let httpB: ReturnType<typeof supertest>;
let listeners: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  api = await startTestApi();
  const deps = api.app.locals.deps;
  httpA = supertest(createApp({ db: api.db, redis: api.redis, config: deps.config, logger, apiKeyCache: cacheA }));
  httpB = supertest(createApp({ db: api.db, redis: api.redis, config: deps.config, logger, apiKeyCache: cacheB }));
  listeners = [await startConfigListener(api.db, logger, { apiKeyCache: cacheA }), await startConfigListener(api.db, logger, { apiKeyCache: cacheB })];
});
afterAll(async () => {
  for (const l of listeners) await l.close();
  await api.close();
});

const warm = async (t: TestTenant) => {
  expect((await httpA.get('/v1/tiers').set(t.auth)).status).toBe(200);
  expect(cacheA.get(hashApiKey(t.key))?.tenantId).toBe(t.id);
};

/**
 * The other instance's change reaches this one through LISTEN: Postgres delivers the
 * notification to the listening connection right after the commit, asynchronously to the
 * changing request's response. Waits (bounded) until this instance has dropped the entry.
 */
async function untilDropped(cache: ApiKeyCache, key: string) {
  const hash = hashApiKey(key);
  for (let i = 0; i < 500 && cache.get(hash); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cache.get(hash)).toBeUndefined();
}

describe('API-key cache', () => {
  it('caches a resolved key while the listener runs, and serves it without reading', async () => {
    const t = await api.createTenant();
    await warm(t);
    // A cached key keeps working; the entry is what the database said.
    expect((await httpA.get('/v1/tiers').set(t.auth)).status).toBe(200);
    expect(cacheA.get(hashApiKey(t.key))).toMatchObject({ tenantId: t.id, tenantStatus: 'active' });
  });

  it('a key revoked through another instance fails on this one as soon as the notification arrives (401)', async () => {
    const t = await api.createTenant();
    const created = await httpA.post('/v1/api-keys').set(t.auth).send({ name: 'doomed' });
    expect(created.status).toBe(201);
    const doomed = { ...t, key: created.body.key as string, auth: { Authorization: `Bearer ${created.body.key}` } };
    await warm(doomed);
    expect((await httpB.delete(`/v1/api-keys/${created.body.id}`).set(t.auth)).status).toBe(200);
    await untilDropped(cacheA, doomed.key);
    const res = await httpA.get('/v1/tiers').set(doomed.auth);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    // The revoking instance refuses it too, and the tenant's other key still works.
    expect((await httpB.get('/v1/tiers').set(doomed.auth)).status).toBe(401);
    expect((await httpA.get('/v1/tiers').set(t.auth)).status).toBe(200);
  });

  it('a tenant suspended through another instance gets 403 as soon as the notification arrives, and works again once reactivated', async () => {
    const t = await api.createTenant();
    await warm(t);
    expect((await httpB.post(`/v1/platform/tenants/${t.id}/suspend`).set(api.platform)).status).toBe(200);
    await untilDropped(cacheA, t.key);
    const res = await httpA.get('/v1/tiers').set(t.auth);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('tenant_suspended');
    expect((await httpB.post(`/v1/platform/tenants/${t.id}/reactivate`).set(api.platform)).status).toBe(200);
    await untilDropped(cacheA, t.key);
    expect((await httpA.get('/v1/tiers').set(t.auth)).status).toBe(200);
  });

  it('a key revoked on this instance fails at once here', async () => {
    const t = await api.createTenant();
    const created = await httpA.post('/v1/api-keys').set(t.auth).send({ name: 'local' });
    const auth = { Authorization: `Bearer ${created.body.key}` };
    expect((await httpA.get('/v1/tiers').set(auth)).status).toBe(200);
    expect((await httpA.delete(`/v1/api-keys/${created.body.id}`).set(t.auth)).status).toBe(200);
    expect((await httpA.get('/v1/tiers').set(auth)).status).toBe(401);
  });

  it('unknown keys are never cached', async () => {
    const before = cacheA.size;
    expect((await httpA.get('/v1/tiers').set({ Authorization: 'Bearer up_doesnotexist' })).status).toBe(401);
    expect(cacheA.size).toBe(before);
  });

  it('without a listener nothing is trusted or stored', async () => {
    const t = await api.createTenant();
    const cold = new ApiKeyCache();
    const http = supertest(createApp({ db: api.db, redis: api.redis, config: api.app.locals.deps.config, logger, apiKeyCache: cold }));
    expect((await http.get('/v1/tiers').set(t.auth)).status).toBe(200);
    expect(cold.trusted).toBe(false);
    expect(cold.size).toBe(0);
  });

  it('a keyed request without a cookie skips the session machinery: no session cookie is set', async () => {
    const t = await api.createTenant();
    const res = await httpA.get('/v1/tiers').set(t.auth);
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('member tokens in the same cache', () => {
  it('are cached while the listener runs, and a revocation on one instance ends them on both at once (401)', async () => {
    const t = await api.createTenant();
    await httpA.post('/v1/members').set(t.auth).send({ unionId: 'cached' }).expect(201);
    const opened = await httpA.post('/v1/members/cached/sessions').set(t.auth).send({});
    const token = opened.body.token as string;
    const auth = { Authorization: `Bearer ${token}` };
    expect((await httpA.get('/v1/me').set(auth)).status).toBe(200);
    expect((await httpB.get('/v1/me').set(auth)).status).toBe(200);
    expect(cacheA.get(hashApiKey(token))).toMatchObject({ tenantId: t.id, sessionId: expect.any(String) });
    expect(cacheB.get(hashApiKey(token))).toMatchObject({ tenantId: t.id });
    expect((await httpA.delete('/v1/members/cached/sessions').set(t.auth)).status).toBe(204);
    // The instance that revoked dropped its entry at commit; the other on the notification.
    expect(cacheA.get(hashApiKey(token))).toBeUndefined();
    expect((await httpA.get('/v1/me').set(auth)).status).toBe(401);
    await untilDropped(cacheB, token);
    expect((await httpB.get('/v1/me').set(auth)).status).toBe(401);
  });
});
