// Staff accounts (API.md "Staff accounts" and "Who may do what"): invites and set-password links,
// roles enforced per route class, the last owner, disabling, resets, store-limited staff, and
// every action audited with the acting user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsafeResolveSetPasswordToken, INVITE_TTL_MS } from '@unionpoint/core/auth';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
let owner: Record<string, string>;

async function login(email: string, password: string): Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }> {
  const res = await api.http.post('/v1/auth/login').send({ email, password });
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  return { status: res.status, headers: { Cookie: cookie, 'X-CSRF-Token': res.body.csrfToken }, body: res.body };
}
async function loggedIn(email: string, password: string) {
  const r = await login(email, password);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.headers;
}
const tokenOf = (path: string) => decodeURIComponent(/#token=(.+)$/.exec(path)![1]!);

async function addUser(body: Record<string, unknown>) {
  const res = await api.http.post('/v1/users').set(owner).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; email: string; role: string; storeIds: string[]; status: string; setPassword: { token: string; path: string; expiresAt: string } | null };
}

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  owner = await loggedIn(t.owner.email, t.owner.password);
  for (const unionId of ['s-a', 's-b']) expect((await api.http.post('/v1/members').set(t.auth).send({ unionId })).status).toBe(201);
});
afterAll(() => api.close());

describe('invite → set-password → login', () => {
  it('invites a viewer with a one-time link in the fragment, stores only its hash, and the viewer reads but cannot write', async () => {
    const invited = await addUser({ email: `Viewer-${t.slug}@Example.com`, role: 'viewer', name: 'Vi' });
    expect(invited).toMatchObject({ email: `viewer-${t.slug}@example.com`, role: 'viewer', status: 'invited', storeIds: [] });
    expect(invited.setPassword!.path).toMatch(/^\/set-password#token=upw_/);
    expect(invited.setPassword!.path).not.toContain('?');
    const token = tokenOf(invited.setPassword!.path);
    expect(token).toBe(invited.setPassword!.token);
    const { rows } = await api.db.pool.query(`SELECT password_hash, password_token_hash FROM users WHERE id = $1`, [invited.id]);
    expect(rows[0].password_hash).toBeNull();
    expect(rows[0].password_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows[0])).not.toContain(token.slice(4));

    // No password yet: no login with anything.
    expect((await login(invited.email, 'anything at all')).status).toBe(401);
    const set = await api.http.post('/v1/auth/set-password').send({ token, password: 'viewer secret 123' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual({ email: invited.email });
    // The link works once.
    const again = await api.http.post('/v1/auth/set-password').send({ token, password: 'another secret 123' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('link_invalid');

    const viewer = await login(invited.email, 'viewer secret 123');
    expect(viewer.status).toBe(200);
    expect((viewer.body.user as { role: string }).role).toBe('viewer');
    expect((await api.http.get('/v1/members').set(viewer.headers)).status).toBe(200);
    expect((await api.http.get('/v1/program').set(viewer.headers)).status).toBe(200);
    expect((await api.http.post('/v1/quotes').set(viewer.headers).send({ items: [] })).status).not.toBe(403);
    for (const [method, path, body] of [
      ['post', '/v1/members', { unionId: 'by-viewer' }],
      ['patch', '/v1/program', { earn: { pointsPerUnit: 5 } }],
      ['post', '/v1/members/s-a/points/adjust', { delta: 5, reason: 'viewer' }],
      ['get', '/v1/users', undefined],
    ] as const) {
      const req = (api.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path).set(viewer.headers);
      const res = method === 'get' ? await req : await req.send(body as object);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await api.http.get('/v1/members/by-viewer').set(t.auth)).status).toBe(404);
  });

  it('refuses an expired link', async () => {
    const invited = await addUser({ email: `late-${t.slug}@example.com`, role: 'staff' });
    const token = invited.setPassword!.token;
    const expires = new Date(invited.setPassword!.expiresAt);
    // Its expiry is the invite's lifetime after the invite, and past it the link resolves to nothing.
    await expect(unsafeResolveSetPasswordToken(api.db.prisma, token, new Date(expires.getTime() - INVITE_TTL_MS + 1000))).resolves.toMatchObject({ userId: invited.id });
    await expect(unsafeResolveSetPasswordToken(api.db.prisma, token, new Date(expires.getTime() + 1))).rejects.toMatchObject({ code: 'link_invalid' });
    await api.db.pool.query(`UPDATE users SET password_token_expires_at = '2001-01-01' WHERE id = $1`, [invited.id]);
    const res = await api.http.post('/v1/auth/set-password').send({ token, password: 'too late 12345' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('link_invalid');
    expect((await api.http.post('/v1/auth/set-password').send({ token: 'upw_unknown', password: 'too late 12345' })).body.code).toBe('link_invalid');
  });

  it('refuses a second user with the same email (409) and stores for a role other than staff (400)', async () => {
    await addUser({ email: `dup-${t.slug}@example.com`, role: 'viewer', password: 'dup password 123' });
    const dup = await api.http.post('/v1/users').set(owner).send({ email: `DUP-${t.slug}@example.com`, role: 'admin' });
    expect(dup.status).toBe(409);
    const stores = await api.http.post('/v1/users').set(owner).send({ email: `v2-${t.slug}@example.com`, role: 'viewer', storeIds: [t.stores[0]!.id] });
    expect(stores.status).toBe(400);
    const unknown = await api.http.post('/v1/users').set(owner).send({ email: `s2-${t.slug}@example.com`, role: 'staff', storeIds: ['sto_nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('storeIds.0');
  });
});

describe('roles', () => {
  it('an admin does everything but users: program yes, user management no, list and reset (not an owner) yes', async () => {
    const admin = await addUser({ email: `admin-${t.slug}@example.com`, role: 'admin', password: 'admin password 123' });
    const staff = await addUser({ email: `staff-r-${t.slug}@example.com`, role: 'staff', password: 'staff password 123' });
    const h = await loggedIn(admin.email, 'admin password 123');
    expect((await api.http.patch('/v1/program').set(h).send({ earn: { pointsPerUnit: 2 } })).status).toBe(200);
    expect((await api.http.get('/v1/users').set(h)).status).toBe(200);
    expect((await api.http.post('/v1/users').set(h).send({ email: `x-${t.slug}@example.com`, role: 'viewer' })).status).toBe(403);
    expect((await api.http.patch(`/v1/users/${staff.id}`).set(h).send({ role: 'admin' })).status).toBe(403);
    expect((await api.http.delete(`/v1/users/${staff.id}`).set(h)).status).toBe(403);
    const reset = await api.http.post(`/v1/users/${staff.id}/reset-password`).set(h);
    expect(reset.status).toBe(201);
    expect(reset.body.path).toMatch(/^\/set-password#token=/);
    const ownerId = (await api.db.pool.query(`SELECT id FROM users WHERE email = $1`, [t.owner.email])).rows[0].id;
    const refused = await api.http.post(`/v1/users/${ownerId}/reset-password`).set(h);
    expect(refused.status).toBe(403);
    // A tenant key manages no users.
    expect((await api.http.get('/v1/users').set(t.auth)).status).toBe(403);
  });

  it('staff adjust points and grant coupons, but change no program; a role change applies to the next request', async () => {
    const staff = await addUser({ email: `staff-w-${t.slug}@example.com`, role: 'staff', password: 'staff password 123' });
    const h = await loggedIn(staff.email, 'staff password 123');
    expect((await api.http.post('/v1/members/s-a/points/adjust').set(h).send({ delta: 10, reason: 'goodwill', reference: 'staff-adj-1' })).status).toBe(201);
    expect((await api.http.post('/v1/members').set(h).send({ unionId: 'by-staff' })).status).toBe(201);
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'STAFF5', name: '5 off', kind: 'amount', amountCents: 500, validDays: 7, stock: 10 }).expect(201);
    expect((await api.http.post('/v1/members/s-a/coupons').set(h).send({ templateCode: 'STAFF5', reference: 'staff-grant-1' })).status).toBe(201);
    expect((await api.http.post('/v1/coupon-templates').set(h).send({ code: 'NOPE', name: 'n', kind: 'amount', amountCents: 5, validDays: 7, stock: 1 })).status).toBe(403);
    expect((await api.http.patch('/v1/program').set(h).send({ earn: { pointsPerUnit: 3 } })).status).toBe(403);
    expect((await api.http.post('/v1/members/s-a/merge').set(h).send({ fromUnionId: 's-b' })).status).toBe(403);
    expect((await api.http.patch(`/v1/users/${staff.id}`).set(owner).send({ role: 'viewer' })).status).toBe(200);
    const res = await api.http.post('/v1/members/s-a/points/adjust').set(h).send({ delta: 10, reason: 'again', reference: 'staff-adj-2' });
    expect(res.status).toBe(403);
  });
});

describe('the last owner', () => {
  it('cannot be demoted, disabled or removed (422 last_owner); with a second owner it can', async () => {
    const me = (await api.http.get('/v1/auth/me').set(owner)).body.user.id as string;
    for (const res of [
      await api.http.patch(`/v1/users/${me}`).set(owner).send({ role: 'admin' }),
      await api.http.patch(`/v1/users/${me}`).set(owner).send({ disabled: true }),
      await api.http.delete(`/v1/users/${me}`).set(owner),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('last_owner');
    }
    const second = await addUser({ email: `owner2-${t.slug}@example.com`, role: 'owner', password: 'owner two pass 123' });
    const h2 = await loggedIn(second.email, 'owner two pass 123');
    // The second owner may be demoted by the first, and is the last one then.
    expect((await api.http.patch(`/v1/users/${second.id}`).set(owner).send({ role: 'admin' })).status).toBe(200);
    expect((await api.http.patch(`/v1/users/${me}`).set(owner).send({ role: 'admin' })).body.code).toBe('last_owner');
    expect((await api.http.patch(`/v1/users/${second.id}`).set(owner).send({ role: 'owner' })).status).toBe(200);
    expect((await api.http.get('/v1/users').set(h2)).status).toBe(200);
    expect((await api.http.delete(`/v1/users/${second.id}`).set(owner)).status).toBe(204);
    expect((await api.http.get('/v1/users').set(h2)).status).toBe(401);
  });

  it('two owners demoting each other at once: one wins, the other gets last_owner', async () => {
    const other = await api.createTenant();
    const a = await loggedIn(other.owner.email, other.owner.password);
    const bUser = (await api.http.post('/v1/users').set(a).send({ email: `race-${other.slug}@example.com`, role: 'owner', password: 'race owner 12345' })).body;
    const b = await loggedIn(bUser.email, 'race owner 12345');
    const aId = (await api.http.get('/v1/auth/me').set(a)).body.user.id;
    const results = await Promise.all([
      api.http.patch(`/v1/users/${bUser.id}`).set(a).send({ role: 'admin' }),
      api.http.patch(`/v1/users/${aId}`).set(b).send({ role: 'admin' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    // The loser is refused for the role check (its demotion already committed: 403) or the last owner (422).
    expect(statuses[0]).toBe(200);
    expect([403, 422]).toContain(statuses[1]);
    const { rows } = await api.db.pool.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND role = 'owner'`, [other.id]);
    expect(rows[0].n).toBe(1);
  });
});

describe('disable and reset', () => {
  it("disabling ends the user's sessions at once and refuses their login; enabling lets them in again", async () => {
    const u = await addUser({ email: `dis-${t.slug}@example.com`, role: 'staff', password: 'disable me 12345' });
    const h = await loggedIn(u.email, 'disable me 12345');
    expect((await api.http.get('/v1/members').set(h)).status).toBe(200);
    const res = await api.http.patch(`/v1/users/${u.id}`).set(owner).send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('disabled');
    expect((await api.http.get('/v1/members').set(h)).status).toBe(401);
    const { rows } = await api.db.pool.query(`SELECT count(*)::int AS n FROM session WHERE sess::jsonb -> 'passport' ->> 'user' = $1`, [u.id]);
    expect(rows[0].n).toBe(0);
    const again = await login(u.email, 'disable me 12345');
    expect(again.status).toBe(403);
    expect((await api.http.patch(`/v1/users/${u.id}`).set(owner).send({ disabled: false })).body.status).toBe('active');
    expect((await login(u.email, 'disable me 12345')).status).toBe(200);
  });

  it('a reset link sets a new password; the old one works until then, and not after', async () => {
    const u = await addUser({ email: `reset-${t.slug}@example.com`, role: 'viewer', password: 'old password 123' });
    const old = await loggedIn(u.email, 'old password 123');
    const link = await api.http.post(`/v1/users/${u.id}/reset-password`).set(owner);
    expect(link.status).toBe(201);
    expect((await login(u.email, 'old password 123')).status).toBe(200);
    expect((await api.http.post('/v1/auth/set-password').send({ token: link.body.token, password: 'new password 456' })).status).toBe(200);
    expect((await login(u.email, 'old password 123')).status).toBe(401);
    expect((await login(u.email, 'new password 456')).status).toBe(200);
    // Sessions opened with the old password ended.
    expect((await api.http.get('/v1/members').set(old)).status).toBe(401);
  });
});

describe('store-limited staff', () => {
  it('act only for their stores: another store is 403, their own is recorded, several stores need a choice', async () => {
    const mall = t.stores[0]!;
    const shop = t.stores[1]!;
    const one = await addUser({ email: `till1-${t.slug}@example.com`, role: 'staff', storeIds: [shop.id], password: 'store staff 123' });
    expect(one.storeIds).toEqual([shop.id]);
    const h = await loggedIn(one.email, 'store staff 123');
    expect((await api.http.get('/v1/auth/me').set(h)).body.user.storeIds).toEqual([shop.id]);
    const foreign = await api.http.post('/v1/members/s-a/points/adjust').set(h).send({ delta: 5, reason: 'x', storeId: mall.id });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('forbidden');
    expect((await api.http.get(`/v1/members/s-a?storeId=${mall.id}`).set(h)).status).toBe(403);
    const own = await api.http.post('/v1/members/s-a/points/adjust').set(h).send({ delta: 5, reason: 'own store' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.entry.storeId).toBe(shop.id);
    expect((await api.http.post('/v1/members/s-a/points/adjust').set(h).send({ delta: 5, reason: 'named', storeId: shop.id })).status).toBe(201);
    // Enrolment with an openId is bound to their store; another store's identity is refused.
    const enrolled = await api.http.post('/v1/members').set(h).send({ unionId: 'till-enrolled', openId: 'oid-till-1' });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
    expect((await api.http.get(`/v1/members/openid:oid-till-1?storeId=${shop.id}`).set(t.auth)).body.unionId).toBe('till-enrolled');
    expect((await api.http.post('/v1/members/till-enrolled/identities').set(h).send({ storeId: mall.id, openId: 'oid-till-2' })).status).toBe(403);

    const two = await addUser({ email: `till2-${t.slug}@example.com`, role: 'staff', storeIds: [shop.id, mall.id], password: 'store staff 123' });
    const h2 = await loggedIn(two.email, 'store staff 123');
    const unnamed = await api.http.post('/v1/members/s-a/points/adjust').set(h2).send({ delta: 5, reason: 'which store' });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors[0].path).toBe('storeId');
    expect((await api.http.post('/v1/members/s-a/points/adjust').set(h2).send({ delta: 5, reason: 'mall', storeId: mall.id })).status).toBe(201);
    // Limits are for staff only; dropping them by role change clears them.
    const patched = await api.http.patch(`/v1/users/${two.id}`).set(owner).send({ role: 'admin' });
    expect(patched.body.storeIds).toEqual([]);
  });
});

describe('audit', () => {
  it('names the acting user on user management and on their other actions', async () => {
    const staff = await addUser({ email: `aud-${t.slug}@example.com`, role: 'staff', password: 'audit staff 123' });
    const h = await loggedIn(staff.email, 'audit staff 123');
    expect((await api.http.post('/v1/members/s-b/points/adjust').set(h).send({ delta: 7, reason: 'audited' })).status).toBe(201);
    expect((await api.http.patch(`/v1/users/${staff.id}`).set(owner).send({ role: 'viewer' })).status).toBe(200);
    const ownerId = (await api.http.get('/v1/auth/me').set(owner)).body.user.id;
    const entries = (await api.http.get('/v1/audit?limit=200').set(owner)).body.data as { action: string; actor: { type: string; id: string }; target: { id: string } }[];
    const adjusted = entries.find((e) => e.action === 'points.adjusted' && e.actor.id === staff.id);
    expect(adjusted?.actor).toEqual({ type: 'user', id: staff.id });
    const created = entries.find((e) => e.action === 'user.created' && e.target.id === staff.id);
    expect(created?.actor).toEqual({ type: 'user', id: ownerId });
    const updated = entries.find((e) => e.action === 'user.updated' && e.target.id === staff.id);
    expect(updated?.actor).toEqual({ type: 'user', id: ownerId });
    expect(entries.some((e) => e.action === 'user.invited' && e.actor.id === ownerId)).toBe(true);
    expect(entries.some((e) => e.action === 'user.password_set')).toBe(true);
  });
});

describe('a suspended tenant', () => {
  it("refuses its users' login with 403 tenant_suspended and their sessions", async () => {
    const other = await api.createTenant();
    const h = await loggedIn(other.owner.email, other.owner.password);
    expect((await api.http.post(`/v1/platform/tenants/${other.id}/suspend`).set(api.platform)).status).toBe(200);
    const res = await login(other.owner.email, other.owner.password);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('tenant_suspended');
    expect((await api.http.get('/v1/members').set(h)).body.code).toBe('tenant_suspended');
  });
});

describe('one-time links are never stored as an Idempotency-Key reply', () => {
  it('an invite and a reset retried with the same key give no stored link: the invite again is a duplicate, the reset a new link', async () => {
    const email = `keyed-${t.slug}@example.com`;
    const first = await api.http.post('/v1/users').set(owner).set('Idempotency-Key', 'invite-1').send({ email, role: 'viewer' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await api.http.post('/v1/users').set(owner).set('Idempotency-Key', 'invite-1').send({ email, role: 'viewer' });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain('upw_');
    const reset1 = await api.http.post(`/v1/users/${first.body.id}/reset-password`).set(owner).set('Idempotency-Key', 'reset-1').send({});
    const reset2 = await api.http.post(`/v1/users/${first.body.id}/reset-password`).set(owner).set('Idempotency-Key', 'reset-1').send({});
    expect(reset1.status).toBeLessThan(300);
    expect(reset2.status).toBe(reset1.status);
    expect(reset2.body.setPassword?.token ?? reset2.body.token).not.toBe(reset1.body.setPassword?.token ?? reset1.body.token);
    const { rows } = await api.db.pool.query(`SELECT count(*)::int AS n FROM idempotency_records WHERE response::text LIKE '%upw_%'`);
    expect(rows[0].n).toBe(0);
  });
});
