// The key-scope matrix: every route of the route table × every kind of caller (tenant-wide key,
// store-bound key, each dashboard role — owner, admin, staff, store-limited staff, viewer —, the
// platform key, a platform staff session, a member session). The
// expectations come from the table below, written from API.md's clarification "Who may do
// what" — not from the routes' own `access` field — so changing a route's access, or adding a
// route without placing it here, fails this file.
// A refused caller gets 403 problem+json `forbidden` with an empty body (the refusal comes
// before validation, so nothing ran) and changes nothing in the database; an allowed caller
// never gets 403 (its empty request answers 400/404/2xx).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantContext } from '@unionpoint/core';
import { createUser, listApiKeys, createApiKey, revokeApiKey } from '@unionpoint/core/auth';
import { updateProgram } from '@unionpoint/core/program';
import { adjustPoints } from '@unionpoint/core/points';
import { mergeMembers } from '@unionpoint/core/merges';
import { startTrial, changeTier, replaceLadder, updateTier } from '@unionpoint/core/tiers';
import { clearMemberFlag } from '@unionpoint/core/orders';
import { queueRetentionRun } from '@unionpoint/core/retention';
import { getRecompute, requestRecomputeApply, requestRecomputePreview } from '@unionpoint/core/recompute';
import { changeMemberPlan, createPlan } from '@unionpoint/core/plans';
import { createImport, getImport, listImports } from '@unionpoint/core/imports';
import { archiveBenefit, createBenefit, updateBenefit } from '@unionpoint/core/benefits';
import { listAudit } from '@unionpoint/core/audit';
import { createStore } from '@unionpoint/core/stores';
import { grantCoupon, createCouponTemplate } from '@unionpoint/core/coupons';
import { createReward } from '@unionpoint/core/rewards';
import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks, replayWebhookDelivery } from '@unionpoint/core/webhooks';
import { archiveTask, createTask, listTasks, updateTask } from '@unionpoint/core/tasks';
import { approveApplication, createCampaign, listApplications, listCampaigns } from '@unionpoint/core/campaigns';
import type { Tx } from '@unionpoint/db';
import { buildRoutes } from '../src/index.ts';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

type Who = 'tenant_key' | 'store_key' | 'owner' | 'admin' | 'staff' | 'staff_stores' | 'viewer' | 'platform_key' | 'platform_admin' | 'member_token';
const EVERYONE: Who[] = ['tenant_key', 'store_key', 'owner', 'admin', 'staff', 'staff_stores', 'viewer', 'platform_key', 'platform_admin', 'member_token'];
// Dashboard roles (API.md "Staff accounts"): `viewer` reads; `staff` (store-limited or not)
// adds members, points adjust, coupon grant and lookups; `admin` everything but users; `owner`
// everything.
const READERS: Who[] = ['owner', 'admin', 'staff', 'staff_stores', 'viewer'];
const STAFF: Who[] = ['owner', 'admin', 'staff', 'staff_stores'];
const ADMINS: Who[] = ['owner', 'admin'];
// Writes store staff may do: enrol, add identities, adjust points, grant coupons.
const STAFF_WRITES = [
  'POST /v1/members',
  'POST /v1/members/:member/identities',
  'POST /v1/members/:member/points/adjust',
  'POST /v1/members/:member/coupons',
  'POST /v1/members/:member/entitlements/:benefitCode/use',
  'PATCH /v1/members/:member/profile',
];
// POSTs that compute and write nothing: a quote and the what-ifs, for every role.
const READ_POSTS = ['POST /v1/quotes', 'POST /v1/tiers/simulate', 'POST /v1/retention/preview'];
const rolesFor = (k: string): Who[] => (k.startsWith('GET ') || READ_POSTS.includes(k) ? READERS : STAFF_WRITES.includes(k) ? STAFF : ADMINS);

// What a store-bound key (a till) may do: enrol and look up members (the member, their
// coupons, ledger and tier history), add identities for its store, report orders, refunds,
// activities and check-ins, quote, redeem, exchange rewards, open and end member sessions; read a member's tasks and
// referrals, change their profile, apply to a campaign for them.
const TILL = [
  'POST /v1/members',
  'GET /v1/members',
  'GET /v1/members/:member',
  'GET /v1/members/:member/coupons',
  'GET /v1/members/:member/ledger',
  'GET /v1/members/:member/tier-history',
  'POST /v1/members/:member/identities',
  'POST /v1/orders',
  'POST /v1/orders/:externalId/refunds',
  'POST /v1/members/:member/activities',
  'DELETE /v1/members/:member/activities/:reference',
  'POST /v1/members/:member/check-ins',
  'POST /v1/quotes',
  'POST /v1/members/:member/points/redeem',
  'POST /v1/members/:member/rewards/:code/exchange',
  'GET /v1/members/:member/entitlements',
  'POST /v1/members/:member/entitlements/:benefitCode/use',
  'GET /v1/members/:member/benefit-usages',
  'GET /v1/members/:member/plan-value',
  'GET /v1/members/:member/tasks',
  'PATCH /v1/members/:member/profile',
  'GET /v1/members/:member/referrals',
  'POST /v1/campaigns/:code/applications',
  'POST /v1/members/:member/sessions',
  'DELETE /v1/members/:member/sessions',
];
// Tenant work that is not a till's: program, tiers, catalogue, webhooks, audit, keys, stores,
// retention, adjust, merge, tier changes and trials, flag clearing, plans, manual coupon grants,
// analytics. Tenant-wide keys and dashboard users by role (above).
const ADMIN = [
  'GET /v1/program',
  'PATCH /v1/program',
  'GET /v1/tiers',
  'PUT /v1/tiers',
  'PATCH /v1/tiers/:code',
  'POST /v1/tiers/simulate',
  'POST /v1/members/:member/tier',
  'POST /v1/members/:member/tier-trial',
  'GET /v1/stores',
  'POST /v1/stores',
  'GET /v1/api-keys',
  'POST /v1/api-keys',
  'DELETE /v1/api-keys/:id',
  'POST /v1/members/:member/merge',
  'POST /v1/members/:member/flag/clear',
  'POST /v1/members/:member/points/adjust',
  'GET /v1/coupon-templates',
  'POST /v1/coupon-templates',
  'PATCH /v1/coupon-templates/:code',
  'DELETE /v1/coupon-templates/:code',
  'POST /v1/members/:member/coupons',
  'GET /v1/plans',
  'POST /v1/plans',
  'PATCH /v1/plans/:code',
  'DELETE /v1/plans/:code',
  'POST /v1/members/:member/plan',
  'GET /v1/rewards',
  'POST /v1/rewards',
  'PATCH /v1/rewards/:code',
  'DELETE /v1/rewards/:code',
  'GET /v1/audit',
  'GET /v1/webhooks',
  'POST /v1/webhooks',
  'DELETE /v1/webhooks/:id',
  'GET /v1/webhooks/:id/deliveries',
  'POST /v1/webhooks/:id/deliveries/:deliveryId/replay',
  'POST /v1/webhooks/:id/test',
  'POST /v1/retention/preview',
  'POST /v1/retention/runs',
  'GET /v1/retention/runs',
  'GET /v1/retention/runs/:id',
  'POST /v1/recompute/preview',
  'GET /v1/recompute/:id',
  'POST /v1/recompute/:id/apply',
  'POST /v1/imports',
  'PUT /v1/imports/:id/data',
  'GET /v1/imports',
  'GET /v1/imports/:id',
  'GET /v1/analytics/summary',
  'GET /v1/benefits',
  'POST /v1/benefits',
  'PATCH /v1/benefits/:code',
  'DELETE /v1/benefits/:code',
  'GET /v1/analytics/plans',
  'GET /v1/analytics/benefits',
  'GET /v1/tasks',
  'POST /v1/tasks',
  'PATCH /v1/tasks/:code',
  'DELETE /v1/tasks/:code',
  'GET /v1/campaigns',
  'POST /v1/campaigns',
  'GET /v1/campaigns/:code/applications',
  'POST /v1/campaigns/:code/applications/:id/approve',
  'GET /v1/analytics/trends',
  'GET /v1/analytics/settlement',
  'GET /v1/tenant',
];
const PLATFORM = [
  'POST /v1/platform/tenants',
  'GET /v1/platform/tenants',
  'POST /v1/platform/tenants/:id/suspend',
  'POST /v1/platform/tenants/:id/reactivate',
];
const PUBLIC = ['POST /v1/auth/login', 'GET /v1/auth/me', 'POST /v1/auth/logout', 'POST /v1/auth/set-password', 'GET /v1/member-center/:tenantId'];
// Staff accounts: dashboard sessions only (no API key); owners manage users, owners and admins
// list them and reset passwords (API.md's clarification).
const USERS: [string, Who[]][] = [
  ['GET /v1/users', ADMINS],
  ['POST /v1/users', ['owner']],
  ['PATCH /v1/users/:id', ['owner']],
  ['DELETE /v1/users/:id', ['owner']],
  ['POST /v1/users/:id/reset-password', ADMINS],
];
// A member session (upm_ token) sees its own member on /v1/me/* and nothing else; nobody else
// may call /v1/me.
const MEMBER = [
  'GET /v1/me',
  'GET /v1/me/ledger',
  'GET /v1/me/coupons',
  'GET /v1/me/entitlements',
  'GET /v1/me/tasks',
  'GET /v1/me/rewards',
  'GET /v1/me/inbox',
  'POST /v1/me/check-ins',
  'POST /v1/me/rewards/:code/exchange',
  'POST /v1/me/inbox/:id/read',
  'PATCH /v1/me/profile',
];

const EXPECTED = new Map<string, Who[]>([
  ...TILL.map((k) => [k, ['tenant_key', 'store_key', ...rolesFor(k)]] as [string, Who[]]),
  ...ADMIN.map((k) => [k, ['tenant_key', ...rolesFor(k)]] as [string, Who[]]),
  ...USERS,
  ...PLATFORM.map((k) => [k, ['platform_key', 'platform_admin']] as [string, Who[]]),
  ...PUBLIC.map((k) => [k, EVERYONE] as [string, Who[]]),
  ...MEMBER.map((k) => [k, ['member_token']] as [string, Who[]]),
]);

const routes = buildRoutes().list;
const keyOf = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
// Logout last: it ends the session it is called with.
const ordered = [...routes].sort((a, b) => Number(a.path === '/v1/auth/logout') - Number(b.path === '/v1/auth/logout'));

let api: TestApi;
let t: TestTenant;
const headers = {} as Record<Who, Record<string, string>>;

const fill = (path: string) => path.replace(':member', 'no-such-member').replace(/:([A-Za-z]+)/g, 'x-$1');

function call(method: string, path: string, h: Record<string, string>, body?: unknown) {
  const req = (api.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path).set(h);
  return method === 'get' ? req : req.send((body ?? {}) as object);
}

async function login(email: string, password: string): Promise<Record<string, string>> {
  const res = await api.http.post('/v1/auth/login').send({ email, password });
  expect(res.status).toBe(200);
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  return { Cookie: cookie, 'X-CSRF-Token': res.body.csrfToken };
}

/** Every table's rows (api_keys without the informational last_used_at), as one fingerprint per table. */
async function snapshot(): Promise<Record<string, string>> {
  const { rows: tables } = await api.db.pool.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('session', '_prisma_migrations') ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { t: table } of tables) {
    const { rows } = await api.db.pool.query<{ h: string }>(
      `SELECT count(*) || ':' || coalesce(md5(string_agg((to_jsonb(x) - 'last_used_at')::text, '|' ORDER BY (to_jsonb(x) - 'last_used_at')::text)), '') AS h FROM "${table}" x`,
    );
    out[table] = rows[0]!.h;
  }
  return out;
}

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  const bound = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'till', storeId: t.stores[1]!.id });
  expect(bound.status).toBe(201);
  for (const role of ['admin', 'staff', 'viewer'] as const) {
    await createUser(api.db.prisma, { email: `${role}-${t.slug}@example.com`, password: `${role} password 123`, role, tenantId: t.id, name: role });
  }
  await createUser(api.db.prisma, {
    email: `till-staff-${t.slug}@example.com`,
    password: 'staff password 123',
    role: 'staff',
    tenantId: t.id,
    name: 'Store staff',
    storeIds: [t.stores[1]!.id],
  });
  await createUser(api.db.prisma, {
    email: `ops-${t.slug}@example.com`,
    password: 'platform password 123',
    role: 'platform_admin',
    tenantId: null,
    name: 'Ops',
  });
  headers.tenant_key = t.auth;
  headers.store_key = { Authorization: `Bearer ${bound.body.key}` };
  headers.platform_key = api.platform;
  headers.owner = await login(t.owner.email, t.owner.password);
  for (const role of ['admin', 'staff', 'viewer'] as const) headers[role] = await login(`${role}-${t.slug}@example.com`, `${role} password 123`);
  headers.staff_stores = await login(`till-staff-${t.slug}@example.com`, 'staff password 123');
  headers.platform_admin = await login(`ops-${t.slug}@example.com`, 'platform password 123');
  // Members for the write checks below.
  for (const unionId of ['m-a', 'm-b']) expect((await api.http.post('/v1/members').set(t.auth).send({ unionId })).status).toBe(201);
  // A member session of m-c (a member the write checks do not touch).
  expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'm-c' })).status).toBe(201);
  const session = await api.http.post('/v1/members/m-c/sessions').set(t.auth).send({});
  expect(session.status).toBe(201);
  headers.member_token = { Authorization: `Bearer ${session.body.token}` };
});
afterAll(() => api.close());

describe('the table', () => {
  it('places every route of the route table, and only those', () => {
    expect([...EXPECTED.keys()].sort()).toEqual(routes.map(keyOf).sort());
    expect(new Set(EXPECTED.keys()).size).toBe(TILL.length + ADMIN.length + USERS.length + PLATFORM.length + PUBLIC.length + MEMBER.length);
  });
  it('is what the OpenAPI document publishes (x-unionpoint-access)', async () => {
    const doc = (await api.http.get('/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-unionpoint-access'?: string[]; description?: string }>>;
    };
    for (const r of routes) {
      const op = doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]![r.method]!;
      const published = op['x-unionpoint-access']!;
      const expected = EXPECTED.get(keyOf(r))!;
      // The document names API callers and roles, never the store-limited flavour of staff.
      const named = expected.filter((w) => w !== 'staff_stores');
      expect(published.includes('anyone') ? [...EVERYONE].filter((w) => w !== 'staff_stores').sort() : [...published].sort(), keyOf(r)).toEqual([...named].sort());
      if (!published.includes('anyone')) for (const role of named.filter((w) => READERS.includes(w))) expect(op.description, keyOf(r)).toContain(`dashboard ${role}`);
      expect(op.description, keyOf(r)).toMatch(/Access: /);
    }
  });
});

describe('refused callers: 403 forbidden before validation, nothing changes', () => {
  let before: Record<string, string>;
  beforeAll(async () => {
    before = await snapshot();
  });
  const refused = ordered.flatMap((r) =>
    EVERYONE.filter((w) => !EXPECTED.get(keyOf(r))?.includes(w)).map((w) => [keyOf(r), w, r] as const),
  );
  it.each(refused)('%s refuses %s', async (_k, who, r) => {
    const res = await call(r.method, fill(r.path), headers[who]);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
  });

  // The findings with real, valid requests from a store-bound key: each is refused.
  const writes: [string, string, unknown][] = [
    ['patch', '/v1/program', { earn: { pointsPerUnit: 10_000 } }],
    ['post', '/v1/members/m-a/points/adjust', { delta: 100_000, reason: 'till' }],
    ['post', '/v1/members/m-a/merge', { fromUnionId: 'm-b' }],
    ['post', '/v1/members/m-a/tier-trial', { days: 90 }],
    ['post', '/v1/members/m-a/flag/clear', {}],
    ['post', '/v1/retention/preview', {}],
    ['get', '/v1/audit', undefined],
    ['get', '/v1/api-keys', undefined],
    ['post', '/v1/benefits', { code: 'till-benefit', name: 'Till', category: 'service', kind: 'service', grants: [] }],
  ];
  it.each(writes)('a store-bound key is refused %s %s with a valid request', async (method, path, body) => {
    const res = await call(method, path, headers.store_key, body);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('changed nothing', async () => {
    expect(await snapshot()).toEqual(before);
  });

  it('the same valid requests are accepted from a tenant-wide key (so the refusals were real requests)', async () => {
    for (const [method, path, body] of writes) {
      const res = await call(method, path, headers.tenant_key, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });
});

describe('allowed callers are not refused', () => {
  const allowed = ordered.flatMap((r) => EVERYONE.filter((w) => EXPECTED.get(keyOf(r))?.includes(w)).map((w) => [keyOf(r), w, r] as const));
  it.each(allowed)('%s admits %s', async (_k, who, r) => {
    const res = await call(r.method, fill(r.path), headers[who]);
    expect(res.status, JSON.stringify(res.body)).not.toBe(403);
    expect(res.status).toBeLessThan(500);
  });
});

describe('a store-bound key naming another store', () => {
  it('is refused (403), not silently served for its own store', async () => {
    const foreign = t.stores[0]!.id;
    for (const [method, path, body] of [
      ['get', `/v1/members/m-a?storeId=${foreign}`, undefined],
      ['get', `/v1/members/m-a/ledger?storeId=${foreign}`, undefined],
      ['get', `/v1/members/m-a/coupons?storeId=${foreign}`, undefined],
      ['post', `/v1/members/m-a/check-ins?storeId=${foreign}`, {}],
      ['post', `/v1/members/m-a/activities?storeId=${foreign}`, { type: 'share', reference: 'foreign-1' }],
      ['post', '/v1/members/m-a/points/redeem', { points: 1, storeId: foreign, reference: 'foreign-r' }],
      ['get', `/v1/members/m-a/entitlements?storeId=${foreign}`, undefined],
      ['post', '/v1/members/m-a/entitlements/any/use', { reference: 'foreign-e', storeId: foreign }],
    ] as [string, string, unknown][]) {
      const res = await call(method, path, headers.store_key, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    // Its own store is served.
    expect((await call('get', `/v1/members/m-a?storeId=${t.stores[1]!.id}`, headers.store_key)).status).toBe(200);
  });
});

describe('the core use cases refuse a store-bound context themselves (defence in depth)', () => {
  // A transaction that fails the test if touched: the refusal must come before any statement.
  const tx = new Proxy(
    {},
    {
      get: (_t, p) => {
        throw new Error(`touched tx.${String(p)}`);
      },
    },
  ) as unknown as Tx;
  const ctx: TenantContext = { tenantId: 'ten_x', actor: { type: 'api_key', id: 'key_x' }, boundStoreId: 'sto_x' };
  const target = { ref: 'm-a' };
  const any = {} as never;
  const cases: [string, () => Promise<unknown>][] = [
    ['updateProgram', () => updateProgram(tx, ctx, any)],
    ['adjustPoints', () => adjustPoints(tx, ctx, target, any)],
    ['mergeMembers', () => mergeMembers(tx, ctx, 'mem_x', 'm-b')],
    ['startTrial', () => startTrial(tx, ctx, target, {})],
    ['changeTier', () => changeTier(tx, ctx, target, any)],
    ['replaceLadder', () => replaceLadder(tx, ctx, any)],
    ['updateTier', () => updateTier(tx, ctx, 'gold', any)],
    ['clearMemberFlag', () => clearMemberFlag(tx, ctx, target)],
    ['queueRetentionRun', () => queueRetentionRun(tx, ctx, { periodEnd: '2026-01-01' })],
    ['requestRecomputePreview', () => requestRecomputePreview(tx, ctx, {})],
    ['requestRecomputeApply', () => requestRecomputeApply(tx, ctx, 'rcp_x')],
    ['getRecompute', () => getRecompute(tx, ctx, 'rcp_x')],
    ['changeMemberPlan', () => changeMemberPlan(tx, ctx, target, any)],
    ['createPlan', () => createPlan(tx, ctx, any)],
    ['listAudit', () => listAudit(tx, ctx, { limit: 10 })],
    ['listApiKeys', () => listApiKeys(tx, ctx, { limit: 10 })],
    ['createApiKey', () => createApiKey(tx, ctx, any)],
    ['revokeApiKey', () => revokeApiKey(tx, ctx, 'key_y')],
    ['createStore', () => createStore(tx, ctx, any)],
    ['grantCoupon', () => grantCoupon(tx, ctx, target, any)],
    ['createCouponTemplate', () => createCouponTemplate(tx, ctx, any)],
    ['createReward', () => createReward(tx, ctx, any)],
    ['createWebhook', () => createWebhook(tx, ctx, { url: 'https://hooks.example.com/x', events: ['member.created'] }, { allowPrivateNetworks: false })],
    ['listWebhooks', () => listWebhooks(tx, ctx, { limit: 10 })],
    ['deleteWebhook', () => deleteWebhook(tx, ctx, 'whk_x')],
    ['listWebhookDeliveries', () => listWebhookDeliveries(tx, ctx, 'whk_x', { limit: 10 })],
    ['replayWebhookDelivery', () => replayWebhookDelivery(tx, ctx, 'whk_x', 'dlv_x')],
    ['createBenefit', () => createBenefit(tx, ctx, any)],
    ['updateBenefit', () => updateBenefit(tx, ctx, 'x', any)],
    ['archiveBenefit', () => archiveBenefit(tx, ctx, 'x')],
    ['createTask', () => createTask(tx, ctx, any)],
    ['updateTask', () => updateTask(tx, ctx, 'x', any)],
    ['archiveTask', () => archiveTask(tx, ctx, 'x')],
    ['listTasks', () => listTasks(tx, ctx)],
    ['createCampaign', () => createCampaign(tx, ctx, any)],
    ['listCampaigns', () => listCampaigns(tx, ctx)],
    ['listApplications', () => listApplications(tx, ctx, 'x')],
    ['approveApplication', () => approveApplication(tx, ctx, 'x', 'y')],
    ['createImport', () => createImport(tx, ctx, { kind: 'orders' })],
    ['getImport', () => getImport(tx, ctx, 'imp_x')],
    ['listImports', () => listImports(tx, ctx, { limit: 10 })],
  ];
  it.each(cases)('%s', async (_name, run) => {
    await expect(run()).rejects.toMatchObject({ code: 'forbidden' });
  });
});
