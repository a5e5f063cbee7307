import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { createUser } from '@unionpoint/core/auth';
import { createApp } from '../src/index.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import pino from 'pino';

let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
});
afterAll(() => api.close());

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, 409 for another body', async () => {
    const key = { 'Idempotency-Key': 'store-create-1' };
    const first = await api.http.post('/v1/stores').set(t.auth).set(key).send({ code: 'idem', name: 'Idem', channel: 'store' });
    expect(first.status).toBe(201);
    const replay = await api.http.post('/v1/stores').set(t.auth).set(key).send({ name: 'Idem', channel: 'store', code: 'idem' });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = await api.http.post('/v1/stores').set(t.auth).set(key).send({ code: 'idem2', name: 'Other', channel: 'store' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
    expect(await api.db.prisma.store.count({ where: { tenantId: t.id, code: { in: ['idem', 'idem2'] } } })).toBe(1);
  });

  it('runs concurrent duplicates once: the others wait for it and replay its response', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.http.post('/v1/members').set(t.auth).set('Idempotency-Key', 'enrol-race').send({ unionId: 'idem-member' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(results.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await api.db.prisma.member.count({ where: { tenantId: t.id, unionId: 'idem-member' } })).toBe(1);
    const tooLong = await api.http
      .post('/v1/stores')
      .set(t.auth)
      .set('Idempotency-Key', 'k'.repeat(256))
      .send({ code: 'x', name: 'x', channel: 'store' });
    expect(tooLong.status).toBe(400);
  });

  it('keys are scoped per tenant', async () => {
    const other = await api.createTenant();
    const a = await api.http
      .post('/v1/stores')
      .set(t.auth)
      .set('Idempotency-Key', 'same')
      .send({ code: 's1', name: 'S', channel: 'store' });
    const b = await api.http
      .post('/v1/stores')
      .set(other.auth)
      .set('Idempotency-Key', 'same')
      .send({ code: 's1', name: 'S', channel: 'store' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.id).not.toBe(a.body.id);
  });
});

describe('stores and API keys', () => {
  it('store codes are unique per tenant', async () => {
    const dup = await api.http.post('/v1/stores').set(t.auth).send({ code: 'mall', name: 'again', channel: 'online' });
    expect(dup.status).toBe(409);
    expect((await api.http.post('/v1/stores').set(t.auth).send({ code: 'x', name: 'x', channel: 'spaceship' })).status).toBe(400);
  });

  it('lists keys by prefix only, and a revoked key fails at once', async () => {
    const created = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'temp' });
    expect(created.status).toBe(201);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    const list = await api.http.get('/v1/api-keys').set(t.auth);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    const temp = { Authorization: `Bearer ${created.body.key}` };
    expect((await api.http.get('/v1/stores').set(temp)).status).toBe(200);
    expect((await api.http.delete(`/v1/api-keys/${created.body.id}`).set(t.auth)).body.revokedAt).toBeTruthy();
    expect((await api.http.get('/v1/stores').set(temp)).status).toBe(401);
    expect((await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'bad', storeId: 'sto_nope' })).status).toBe(400);
  });
});

describe('program', () => {
  it('PATCH merges nested settings, bumps the version and is audited', async () => {
    const before = await api.http.get('/v1/program').set(t.auth);
    const res = await api.http
      .patch('/v1/program')
      .set(t.auth)
      .send({ redeem: { maxShareBps: 3000 }, timezone: 'Europe/Paris' });
    expect(res.status).toBe(200);
    expect(res.body.redeem).toEqual({ pointsPerUnit: 100, maxShareBps: 3000 });
    expect(res.body.timezone).toBe('Europe/Paris');
    expect(res.body.version).toBe(before.body.version + 1);
    const bad = await api.http
      .patch('/v1/program')
      .set(t.auth)
      .send({ redeem: { maxShareBps: 20_000 }, expiry: { months: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['redeem.maxShareBps', 'expiry.months']));
    expect((await api.http.get('/v1/program').set(t.auth)).body.redeem.maxShareBps).toBe(3000);
    const audit = await api.http.get('/v1/audit?limit=5').set(t.auth);
    const entry = audit.body.data.find((e: { action: string }) => e.action === 'program.updated');
    expect(entry.before.redeem.maxShareBps).toBe(5000);
    expect(entry.after.redeem.maxShareBps).toBe(3000);
  });
});

describe('dashboard sessions', () => {
  it('logs in, uses the session with CSRF protection, logs out', async () => {
    const agent = supertest.agent(api.app);
    const wrong = await agent.post('/v1/auth/login').send({ email: t.owner.email, password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toBe('Invalid email or password');
    const login = await agent.post('/v1/auth/login').send({ email: t.owner.email.toUpperCase(), password: t.owner.password });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ role: 'owner', tenantId: t.id });
    const cookie = login.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await agent.get('/v1/members')).status).toBe(200);
    const noCsrf = await agent.post('/v1/stores').send({ code: 'web', name: 'Web', channel: 'online' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('csrf_failed');
    const withCsrf = await agent
      .post('/v1/stores')
      .set('X-CSRF-Token', login.body.csrfToken)
      .send({ code: 'web', name: 'Web', channel: 'online' });
    expect(withCsrf.status).toBe(201);
    expect((await agent.get('/v1/platform/tenants')).status).toBe(403);
    // Logout changes state too: without the token (a cross-site form) it is refused and the session lives on.
    const logoutNoCsrf = await agent.post('/v1/auth/logout');
    expect(logoutNoCsrf.status).toBe(403);
    expect(logoutNoCsrf.body.code).toBe('csrf_failed');
    expect((await agent.post('/v1/auth/logout').set('X-CSRF-Token', `${login.body.csrfToken.slice(0, -1)}x`)).status).toBe(403);
    expect((await agent.get('/v1/members')).status).toBe(200);
    expect((await agent.post('/v1/auth/logout').set('X-CSRF-Token', login.body.csrfToken)).status).toBe(204);
    expect((await agent.get('/v1/members')).status).toBe(401);
    expect((await agent.get('/v1/auth/me')).status).toBe(401);
  });

  it("refuses a suspended tenant's owner at login (403 tenant_suspended, no session) and ends the sessions it had", async () => {
    const s = await api.createTenant();
    const before = supertest.agent(api.app);
    const loggedIn = await before.post('/v1/auth/login').send({ email: s.owner.email, password: s.owner.password });
    expect(loggedIn.status).toBe(200);
    expect((await before.get('/v1/members')).status).toBe(200);
    expect((await api.http.post(`/v1/platform/tenants/${s.id}/suspend`).set(api.platform)).status).toBe(200);
    // A session opened before the suspension is refused on every tenant route.
    const stale = await before.get('/v1/members');
    expect(stale.status).toBe(403);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.body.code).toBe('tenant_suspended');
    const staleWrite = await before
      .post('/v1/stores')
      .set('X-CSRF-Token', loggedIn.body.csrfToken)
      .send({ code: 'late', name: 'Late', channel: 'store' });
    expect(staleWrite.status).toBe(403);
    expect(staleWrite.body.code).toBe('tenant_suspended');
    expect(await api.db.prisma.store.count({ where: { tenantId: s.id, code: 'late' } })).toBe(0);

    const sessions = async () => Number((await api.db.pool.query('SELECT count(*) AS n FROM session')).rows[0].n);
    const count = await sessions();
    const fresh = supertest.agent(api.app);
    const refused = await fresh.post('/v1/auth/login').send({ email: s.owner.email, password: s.owner.password });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('tenant_suspended');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect(await sessions()).toBe(count);
    expect((await fresh.get('/v1/auth/me')).status).toBe(401);
    // A wrong password says nothing about the tenant's status.
    const wrong = await fresh.post('/v1/auth/login').send({ email: s.owner.email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('unauthenticated');
    // Reactivated, the same login works again.
    expect((await api.http.post(`/v1/platform/tenants/${s.id}/reactivate`).set(api.platform)).status).toBe(200);
    expect((await fresh.post('/v1/auth/login').send({ email: s.owner.email, password: s.owner.password })).status).toBe(200);
    expect((await fresh.get('/v1/members')).status).toBe(200);
  });

  it('platform admins reach platform routes with a session; staff cannot', async () => {
    await createUser(api.db.prisma, { email: 'ops@example.com', password: 'platform password', role: 'platform_admin', tenantId: null });
    const admin = supertest.agent(api.app);
    const login = await admin.post('/v1/auth/login').send({ email: 'ops@example.com', password: 'platform password' });
    expect((await admin.get('/v1/platform/tenants')).status).toBe(200);
    expect((await admin.get('/v1/members')).status).toBe(403);
    expect((await admin.post(`/v1/platform/tenants/${t.id}/suspend`).set('X-CSRF-Token', 'forged')).status).toBe(403);
    expect(login.body.csrfToken).toBeTruthy();
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After past the per-key limit', async () => {
    const app = createApp({
      db: api.db,
      redis: api.redis,
      config: { ...(api.app.locals.deps.config as object), rateLimitPerMinute: 3 } as never,
      logger: pino({ level: 'silent' }),
    });
    const http = supertest(app);
    const [other, fresh] = await Promise.all([api.createTenant(), api.createTenant()]);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await http.get('/v1/stores').set(other.auth)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await http.get('/v1/stores').set(other.auth);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.code).toBe('rate_limited');
    // Another key has its own budget.
    expect((await http.get('/v1/stores').set(fresh.auth)).status).toBe(200);
  });
});

describe('documents and health', () => {
  it('serves OpenAPI 3.1 covering every route, and the docs UI', async () => {
    const doc = await api.http.get('/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of ['/v1/members', '/v1/members/{member}', '/v1/platform/tenants', '/v1/program', '/v1/api-keys/{id}'])
      expect(doc.body.paths[path]).toBeDefined();
    expect(doc.body.components.schemas.Member).toBeDefined();
    const docs = await api.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    expect((await api.http.get('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('healthz, readyz, unknown routes and request ids', async () => {
    expect((await api.http.get('/healthz')).status).toBe(200);
    const ready = await api.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'ok', redis: 'ok' });
    const missing = await api.http.get('/v1/nope').set('X-Request-Id', 'req-123');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', requestId: 'req-123' });
    expect(missing.headers['x-request-id']).toBe('req-123');
  });
});

describe('routing by path group', () => {
  it('matches a route in any letter case and with a trailing slash, keeps a group apart from a longer prefix, and 404s the rest', async () => {
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'route-group' }).expect(201);
    for (const path of ['/v1/members/route-group', '/V1/Members/route-group', '/v1/members/route-group/']) {
      const r = await api.http.get(path).set(t.auth);
      expect(r.status, path).toBe(200);
      expect(r.body.unionId).toBe('route-group');
    }
    // '/v1/me' is its own group: '/v1/members…' never reaches it, and a key is refused there.
    expect((await api.http.get('/v1/me').set(t.auth)).status).toBe(403);
    for (const path of ['/v1/members/route-group/nothing-here', '/v1/memberz', '/v1/me/nothing-here']) {
      const r = await api.http.get(path).set(t.auth);
      expect(r.status, path).toBe(404);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});
