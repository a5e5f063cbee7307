import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const body = (slug: string, extra: Record<string, unknown> = {}) => ({
  name: 'Acme 购物中心',
  slug,
  owner: { email: `${slug}@example.com`, password: 'long enough password' },
  stores: [{ code: 'mall', name: 'Mall', channel: 'online' }],
  ...extra,
});

describe('onboarding', () => {
  it('creates tenant, stores, owner, key, default program and ladder', async () => {
    const res = await api.http.post('/v1/platform/tenants').set(api.platform).send(body('acme'));
    expect(res.status).toBe(201);
    expect(res.body.tenant).toMatchObject({ slug: 'acme', name: 'Acme 购物中心', status: 'active' });
    expect(res.body.stores).toHaveLength(1);
    expect(res.body.apiKey.key).toMatch(/^up_/);
    const auth = { Authorization: `Bearer ${res.body.apiKey.key}` };
    const program = await api.http.get('/v1/program').set(auth);
    expect(program.status).toBe(200);
    expect(program.body).toMatchObject({ currency: 'CNY', timezone: 'Asia/Shanghai', qualificationModel: 'growth', redeem: { pointsPerUnit: 100, maxShareBps: 5000 } });
    const tiers = await api.http.get('/v1/tiers').set(auth);
    expect(tiers.body.data.map((t: { code: string }) => t.code)).toEqual(['bronze', 'silver', 'gold', 'diamond']);
    expect(tiers.body.data.map((t: { benefits: { pointsMultiplierBps: number } }) => t.benefits.pointsMultiplierBps)).toEqual([10000, 12000, 13000, 15000]);
    // The key is stored as a hash only.
    const stored = await api.db.prisma.apiKey.findFirst({ where: { id: res.body.apiKey.id } });
    expect(stored?.hash).not.toContain(res.body.apiKey.key);
    expect(JSON.stringify(stored)).not.toContain(res.body.apiKey.key);
  });

  it('refuses duplicates and bad input without writing', async () => {
    const before = await api.db.prisma.tenant.count();
    const dup = await api.http.post('/v1/platform/tenants').set(api.platform).send(body('acme', { owner: { email: 'other@example.com', password: 'long enough password' } }));
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');
    const dupEmail = await api.http.post('/v1/platform/tenants').set(api.platform).send(body('acme-2', { owner: { email: 'acme@example.com', password: 'long enough password' } }));
    expect(dupEmail.status).toBe(409);
    const bad = await api.http.post('/v1/platform/tenants').set(api.platform).send({ name: '', slug: 'BAD SLUG', owner: { email: 'nope', password: 'short' }, timezone: 'Mars/Base', currency: 'yuan' });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'slug', 'owner.email', 'owner.password', 'timezone', 'currency']));
    const dupStores = await api.http.post('/v1/platform/tenants').set(api.platform).send(body('twice', { stores: [{ code: 's', name: 'a', channel: 'store' }, { code: 's', name: 'b', channel: 'store' }] }));
    expect(dupStores.status).toBe(409);
    expect(await api.db.prisma.tenant.count()).toBe(before);
  });

  it('lists tenants with member counts', async () => {
    const t = await api.createTenant();
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'm1' });
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'm2' });
    const list = await api.http.get('/v1/platform/tenants?limit=200').set(api.platform);
    expect(list.status).toBe(200);
    const row = list.body.data.find((x: { id: string }) => x.id === t.id);
    expect(row).toMatchObject({ memberCount: 2, storeCount: 2, status: 'active' });
  });

  it('suspends and reactivates: keys get 403 tenant_suspended, then work again; audited', async () => {
    const t = await api.createTenant();
    expect((await api.http.post(`/v1/platform/tenants/${t.id}/suspend`).set(api.platform)).body.status).toBe('suspended');
    const refused = await api.http.get('/v1/members').set(t.auth);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('tenant_suspended');
    expect((await api.http.post(`/v1/platform/tenants/${t.id}/reactivate`).set(api.platform)).body.status).toBe('active');
    expect((await api.http.get('/v1/members').set(t.auth)).status).toBe(200);
    const audit = await api.http.get('/v1/audit').set(t.auth);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['tenant.suspended', 'tenant.reactivated', 'tenant.created']));
    expect((await api.http.post('/v1/platform/tenants/ten_missing/suspend').set(api.platform)).status).toBe(404);
  });
});
