// Member sessions and the member-scoped API (/v1/me): a upm_ token sees its own member only, on
// /v1/me/* only; revocation is at once; an expired token is 401 session_expired. The inbox is
// written by the outbox relay and read in the tenant's language.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@unionpoint/core';
import { openMemberSession } from '@unionpoint/core/sessions';
import { enrolMember } from '@unionpoint/core/members';
import { unsafeCreateTenant } from '@unionpoint/core/tenants';
import { unsafeRelayOutbox } from '@unionpoint/core/webhooks';
import { withTenant } from '@unionpoint/db';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  other = await api.createTenant();
  for (const unionId of ['alice', 'bob']) await api.http.post('/v1/members').set(t.auth).send({ unionId }).expect(201);
  await api.http.post('/v1/members').set(other.auth).send({ unionId: 'alice' }).expect(201);
  await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'TEN', name: '满100减10', kind: 'amount', amountCents: 1000, validDays: 30 }).expect(201);
  await api.http.post('/v1/rewards').set(t.auth).send({ code: 'R10', name: '10元券', pointsCost: 300, couponTemplateCode: 'TEN', stock: 5 }).expect(201);
  await api.http.post('/v1/rewards').set(other.auth).send({ code: 'OTHER', name: 'Other tenant', pointsCost: 1, stock: 5 }).expect(201);
});
afterAll(() => api.close());

async function open(tenant: TestTenant, member: string, body: Record<string, unknown> = {}) {
  const res = await api.http.post(`/v1/members/${member}/sessions`).set(tenant.auth).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...(res.body as { token: string; expiresAt: string; centerUrl: string }), auth: { Authorization: `Bearer ${res.body.token}` } };
}

describe('opening a session', () => {
  it('gives a upm_ token, stored only as its sha256, and a centerUrl with the token in the fragment', async () => {
    const s = await open(t, 'alice', { ttlSeconds: 600 });
    expect(s.token).toMatch(/^upm_[1-9A-HJ-NP-Za-km-z]{40,}$/);
    const url = new URL(s.centerUrl);
    expect(url.hash).toBe(`#token=${s.token}`);
    expect(url.search).toBe('');
    expect(url.pathname.endsWith(`/${t.id}`)).toBe(true);
    const { rows } = await api.db.pool.query(`SELECT to_jsonb(s)::text AS row, hash FROM member_sessions s WHERE tenant_id = $1`, [t.id]);
    expect(rows.some((r) => r.hash === createHash('sha256').update(s.token).digest('hex'))).toBe(true);
    expect(rows.every((r) => !String(r.row).includes(s.token))).toBe(true);
  });

  it('never stores the token, not even as an Idempotency-Key reply: a retry opens another session', async () => {
    const first = await api.http.post('/v1/members/alice/sessions').set(t.auth).set('Idempotency-Key', 'open-1').send({});
    const again = await api.http.post('/v1/members/alice/sessions').set(t.auth).set('Idempotency-Key', 'open-1').send({});
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.token).not.toBe(first.body.token);
    const { rows } = await api.db.pool.query(`SELECT count(*)::int AS n FROM idempotency_records WHERE response::text LIKE '%upm_%'`);
    expect(rows[0].n).toBe(0);
  });

  it('lives ttlSeconds (default 3600) from when it was opened', async () => {
    const at = new Date('2026-03-01T00:00:00.000Z');
    const [a, b] = await withTenant(api.db.prisma, t.id, async (tx) => [
      await openMemberSession(tx, systemContext(t.id, 'test'), { ref: 'alice' }, {}, at),
      await openMemberSession(tx, systemContext(t.id, 'test'), { ref: 'alice' }, { ttlSeconds: 60 }, at),
    ]);
    expect(a.expiresAt.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(b.expiresAt.toISOString()).toBe('2026-03-01T00:01:00.000Z');
  });

  it('refuses a ttl outside 60–86400 s and an unknown member, writing nothing', async () => {
    const before = (await api.db.pool.query(`SELECT count(*)::int AS n FROM member_sessions`)).rows[0].n;
    for (const ttlSeconds of [59, 86_401, 1.5, '600']) {
      const res = await api.http.post('/v1/members/alice/sessions').set(t.auth).send({ ttlSeconds });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await api.http.post('/v1/members/nobody/sessions').set(t.auth).send({})).status).toBe(404);
    expect((await api.db.pool.query(`SELECT count(*)::int AS n FROM member_sessions`)).rows[0].n).toBe(before);
  });

  it('may be opened by a store-bound key for its own store only', async () => {
    const till = await api.http.post('/v1/api-keys').set(t.auth).send({ name: 'till', storeId: t.stores[1]!.id });
    const key = { Authorization: `Bearer ${till.body.key}` };
    expect((await api.http.post('/v1/members/alice/sessions').set(key).send({})).status).toBe(201);
    const foreign = await api.http.post('/v1/members/alice/sessions').set(key).send({ storeId: t.stores[0]!.id });
    expect(foreign.status).toBe(403);
  });
});

describe('a member token', () => {
  it('reads its own member on GET /v1/me: member-safe, progress equal to member.progress', async () => {
    const s = await open(t, 'alice');
    const me = await api.http.get('/v1/me').set(s.auth);
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.member.unionId).toBe('alice');
    expect(me.body.member).not.toHaveProperty('flagged');
    const tenantView = await api.http.get('/v1/members/alice').set(t.auth);
    expect(me.body.progress).toEqual(tenantView.body.progress);
    expect(me.body.member.progress).toEqual(tenantView.body.progress);
    expect(me.body).toMatchObject({ entitlements: [], unreadMessages: 0, coupons: [], benefits: tenantView.body.benefits });
    expect(me.body.tasks[0]).toMatchObject({ code: 'check_in', type: 'daily', completed: false, target: 1 });
    expect(me.body.center).toMatchObject({ language: 'zh-CN', currency: expect.any(String), ladder: expect.any(Array) });
  });

  it('is refused on every tenant and platform route (403), and /v1/me refuses keys and dashboard sessions (403)', async () => {
    const s = await open(t, 'alice');
    for (const [method, path] of [
      ['get', '/v1/members/alice'],
      ['get', '/v1/members/bob'],
      ['post', '/v1/members/alice/check-ins'],
      ['get', '/v1/program'],
      ['get', '/v1/platform/tenants'],
    ] as const) {
      const res = await api.http[method](path).set(s.auth).send();
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await api.http.get('/v1/me').set(t.auth)).status).toBe(403);
    expect((await api.http.get('/v1/me').set(api.platform)).status).toBe(403);
    expect((await api.http.get('/v1/me')).status).toBe(401);
    expect((await api.http.get('/v1/me').set({ Authorization: 'Bearer upm_unknown' })).status).toBe(401);
  });

  it('never reaches another member: their message ids and another tenant’s reward are 404', async () => {
    await api.http.post('/v1/members/bob/coupons').set(t.auth).send({ templateCode: 'TEN', reference: 'bob-gift' }).expect(201);
    await unsafeRelayOutbox(api.db.pool);
    const bob = await open(t, 'bob');
    const alice = await open(t, 'alice');
    const bobInbox = await api.http.get('/v1/me/inbox').set(bob.auth);
    const bobMessage = bobInbox.body.data[0].id as string;
    expect((await api.http.post(`/v1/me/inbox/${bobMessage}/read`).set(alice.auth).send()).status).toBe(404);
    expect((await api.http.get('/v1/me/inbox').set(alice.auth)).body.data.map((m: { id: string }) => m.id)).not.toContain(bobMessage);
    expect((await api.http.get('/v1/me/coupons').set(alice.auth)).body.data).toEqual([]);
    const foreign = await api.http.post('/v1/me/rewards/OTHER/exchange').set(alice.auth).send({ reference: 'x-1' });
    expect(foreign.status).toBe(404);
    // The other tenant's alice is another member: her token sees her own (empty) inbox.
    const otherAlice = await open(other, 'alice');
    expect((await api.http.get('/v1/me/inbox').set(otherAlice.auth)).body.data).toEqual([]);
    expect((await api.http.get('/v1/me').set(otherAlice.auth)).body.member.id).not.toBe((await api.http.get('/v1/me').set(alice.auth)).body.member.id);
  });

  it('stops at once when the member’s sessions are revoked, every token of that member', async () => {
    const a = await open(t, 'alice');
    const b = await open(t, 'alice');
    const bob = await open(t, 'bob');
    expect((await api.http.get('/v1/me').set(a.auth)).status).toBe(200);
    expect((await api.http.delete('/v1/members/alice/sessions').set(t.auth)).status).toBe(204);
    for (const s of [a, b]) {
      const res = await api.http.get('/v1/me').set(s.auth);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
    expect((await api.http.get('/v1/me').set(bob.auth)).status).toBe(200);
  });

  it('past its expiry is 401 session_expired', async () => {
    const opened = await withTenant(api.db.prisma, t.id, (tx) =>
      openMemberSession(tx, systemContext(t.id, 'test'), { ref: 'alice' }, { ttlSeconds: 60 }, new Date('2026-01-01T00:00:00.000Z')),
    );
    const res = await api.http.get('/v1/me').set({ Authorization: `Bearer ${opened.token}` });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('session_expired');
    // Expired is checked before the route: a tenant route says session_expired too, not 403.
    expect((await api.http.get('/v1/program').set({ Authorization: `Bearer ${opened.token}` })).body.code).toBe('session_expired');
  });
});

describe('the member acts for themselves', () => {
  it('checks in once a day; the ledger shows it', async () => {
    const s = await open(t, 'alice');
    const first = await api.http.post('/v1/me/check-ins').set(s.auth).send();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ streak: 1 });
    const again = await api.http.post('/v1/me/check-ins').set(s.auth).send();
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('already_checked_in');
    const me = await api.http.get('/v1/me').set(s.auth);
    expect(me.body.tasks[0]).toMatchObject({ code: 'check_in', completed: true, streak: 1 });
    const ledger = await api.http.get('/v1/me/ledger').set(s.auth);
    expect(ledger.body.data[0]).toMatchObject({ delta: first.body.pointsAwarded });
  });

  it('exchanges a reward once per reference', async () => {
    await api.http.post('/v1/members/alice/points/adjust').set(t.auth).send({ delta: 1000, reason: 'welcome' }).expect(201);
    const s = await open(t, 'alice');
    const before = (await api.http.get('/v1/me').set(s.auth)).body.member.points.balance as number;
    const ex = await api.http.post('/v1/me/rewards/R10/exchange').set(s.auth).send({ reference: 'mall-1' });
    expect(ex.status, JSON.stringify(ex.body)).toBe(201);
    expect(ex.body).toMatchObject({ pointsSpent: 300, balance: before - 300 });
    const retry = await api.http.post('/v1/me/rewards/R10/exchange').set(s.auth).send({ reference: 'mall-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(ex.body);
    expect((await api.http.get('/v1/me').set(s.auth)).body.member.points.balance).toBe(before - 300);
    expect((await api.http.post('/v1/me/rewards/R10/exchange').set(s.auth).send({})).status).toBe(400);
    const rewards = await api.http.get('/v1/me/rewards').set(s.auth);
    expect(rewards.body.data.map((r: { code: string }) => r.code)).toEqual(['R10']);
  });

  it('edits their own profile; bad input is 400 and changes nothing', async () => {
    const s = await open(t, 'bob');
    const res = await api.http.patch('/v1/me/profile').set(s.auth).send({ name: '王小明', birthday: '1990-05-01' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.profile).toMatchObject({ name: '王小明', birthday: '1990-05-01' });
    expect(res.body).not.toHaveProperty('flagged');
    expect((await api.http.patch('/v1/me/profile').set(s.auth).send({ email: 'not-an-email' })).status).toBe(400);
    expect((await api.http.get('/v1/members/bob').set(t.auth)).body.profile).toMatchObject({ name: '王小明', email: null });
  });
});

describe('the inbox', () => {
  it('gets a message per member event once relayed, in the tenant’s language; unread counts and read', async () => {
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'carol' }).expect(201);
    const s = await open(t, 'carol');
    await api.http.post('/v1/members/carol/coupons').set(t.auth).send({ templateCode: 'TEN', reference: 'carol-1' }).expect(201);
    await api.http.post('/v1/members/carol/tier').set(t.auth).send({ tierCode: 'gold', reason: 'VIP' }).expect(200);
    // Not yet relayed: nothing in the inbox.
    expect((await api.http.get('/v1/me').set(s.auth)).body.unreadMessages).toBe(0);
    await unsafeRelayOutbox(api.db.pool);
    await unsafeRelayOutbox(api.db.pool);
    const me = await api.http.get('/v1/me').set(s.auth);
    expect(me.body.unreadMessages).toBe(2);
    const inbox = await api.http.get('/v1/me/inbox').set(s.auth);
    expect(inbox.body.data.map((m: { kind: string }) => m.kind)).toEqual(['member.tier_changed', 'coupon.issued']);
    expect(inbox.body.data[0].title).toMatch(/^恭喜升级/);
    expect(inbox.body.data[1].body).toContain('满100减10');
    const read = await api.http.post(`/v1/me/inbox/${inbox.body.data[1].id}/read`).set(s.auth).send();
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await api.http.get('/v1/me').set(s.auth)).body.unreadMessages).toBe(1);
    expect((await api.http.get('/v1/me/inbox?unread=true').set(s.auth)).body.data).toHaveLength(1);
    // In English for an English-speaking tenant.
    await api.http.patch('/v1/program').set(t.auth).send({ language: 'en' }).expect(200);
    const en = await api.http.get('/v1/me/inbox').set(s.auth);
    expect(en.body.data[0].title).toMatch(/^You reached/);
    expect(en.body.data[1].title).toBe('You have a new coupon');
    await api.http.patch('/v1/program').set(t.auth).send({ language: 'zh-CN' }).expect(200);
  });

  it('tells of a benefit pack granted and a task reward earned, by name, in the tenant’s language', async () => {
    const u = await api.createTenant();
    await api.http.post('/v1/members').set(u.auth).send({ unionId: 'dave' }).expect(201);
    await api.http.post('/v1/coupon-templates').set(u.auth).send({ code: 'SHIP', name: '免运费券', kind: 'free_shipping', validDays: 365 }).expect(201);
    await api.http
      .post('/v1/benefits')
      .set(u.auth)
      .send({ code: 'ship', name: '金牌免运费券', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'SHIP', grants: [{ tier: 'gold', count: 2, per: 'month' }] })
      .expect(201);
    await api.http.post('/v1/tasks').set(u.auth).send({ code: 'sign', name: '每日签到', type: 'daily', trigger: { event: 'check_in' }, target: 1, repeat: 'daily', reward: { points: 10, growth: 5 } }).expect(201);
    const s = await open(u, 'dave');
    // Gold now: the pack is issued at once (entitlement.granted); the check-in completes the task.
    await api.http.post('/v1/members/dave/tier').set(u.auth).send({ tierCode: 'gold', reason: 'VIP' }).expect(200);
    await api.http.post('/v1/me/check-ins').set(s.auth).send().expect(201);
    await unsafeRelayOutbox(api.db.pool);
    await unsafeRelayOutbox(api.db.pool);
    const inbox = (await api.http.get('/v1/me/inbox').set(s.auth).expect(200)).body.data as { kind: string; title: string; body: string }[];
    const byKind = Object.fromEntries(inbox.map((m) => [m.kind, m]));
    expect(Object.keys(byKind)).toEqual(expect.arrayContaining(['member.tier_changed', 'entitlement.granted', 'task.completed']));
    expect(byKind['entitlement.granted']).toMatchObject({ title: '本期权益已到账：金牌免运费券' });
    expect(byKind['entitlement.granted']!.body).toMatch(/^2 张券已放入您的券包，最晚 \d{4}-\d{2}-\d{2} 前有效。$/);
    expect(byKind['task.completed']).toMatchObject({ title: '任务完成：每日签到', body: '恭喜！您获得了 10 积分、5 成长值。' });
    await api.http.patch('/v1/program').set(u.auth).send({ language: 'en' }).expect(200);
    const en = (await api.http.get('/v1/me/inbox').set(s.auth).expect(200)).body.data as { kind: string; title: string }[];
    expect(en.find((m) => m.kind === 'task.completed')!.title).toBe('Task done: 每日签到');
    expect(en.find((m) => m.kind === 'entitlement.granted')!.title).toBe('Your 金牌免运费券 for this period');
    // Relayed again: no message twice.
    await unsafeRelayOutbox(api.db.pool);
    expect((await api.http.get('/v1/me/inbox').set(s.auth)).body.data).toHaveLength(inbox.length);
  });

  it('celebrates an upgrade once: the newest unread tier change, while it moved the member up', async () => {
    const u = await api.createTenant();
    await api.http.post('/v1/members').set(u.auth).send({ unionId: 'erin' }).expect(201);
    const s = await open(u, 'erin');
    expect((await api.http.get('/v1/me').set(s.auth)).body.celebration).toBeNull();
    await api.http.post('/v1/members/erin/tier').set(u.auth).send({ tierCode: 'gold', reason: 'VIP' }).expect(200);
    // Known once the event is published (the message is what the member has or has not seen).
    expect((await api.http.get('/v1/me').set(s.auth)).body.celebration).toBeNull();
    await unsafeRelayOutbox(api.db.pool);
    const me = (await api.http.get('/v1/me').set(s.auth)).body;
    expect(me.celebration).toMatchObject({ tier: { code: 'gold', name: 'Gold' }, from: { code: 'bronze', name: 'Bronze' }, messageId: expect.stringMatching(/^msg_/) });
    // Shown, then read: never again.
    await api.http.post(`/v1/me/inbox/${me.celebration.messageId}/read`).set(s.auth).send().expect(200);
    expect((await api.http.get('/v1/me').set(s.auth)).body.celebration).toBeNull();
    // A downgrade is no celebration, and neither is an upgrade the member has since lost.
    await api.http.post('/v1/members/erin/tier').set(u.auth).send({ tierCode: 'diamond', reason: 'VIP' }).expect(200);
    await api.http.post('/v1/members/erin/tier').set(u.auth).send({ tierCode: 'silver', reason: 'correction' }).expect(200);
    await unsafeRelayOutbox(api.db.pool);
    expect((await api.http.get('/v1/me').set(s.auth)).body.celebration).toBeNull();
  });
});

describe('branding', () => {
  it('PATCH /v1/program {branding} is validated (https URLs, #RRGGBB, https origins) and shown to the member', async () => {
    for (const branding of [
      { logoUrl: 'http://cdn.example.com/logo.png' },
      { logoUrl: 'javascript:alert(1)' },
      { colour: 'red' },
      { colour: '#12345' },
      { frameAncestors: ['https://shop.example.com/path'] },
      { frameAncestors: ['*'] },
      { frameAncestors: ["https://a.example.com 'unsafe-inline'"] },
      { displayName: '' },
      { unknown: 1 },
    ]) {
      const res = await api.http.patch('/v1/program').set(t.auth).send({ branding });
      expect(res.status, JSON.stringify(branding)).toBe(400);
    }
    const ok = await api.http
      .patch('/v1/program')
      .set(t.auth)
      .send({ branding: { displayName: '示例商城', logoUrl: 'https://cdn.example.com/logo.png', colour: '#C8102E', frameAncestors: ['https://shop.example.com', 'https://m.example.com:8443'] } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const s = await open(t, 'alice');
    const me = await api.http.get('/v1/me').set(s.auth);
    expect(me.body.center).toMatchObject({ displayName: '示例商城', logoUrl: 'https://cdn.example.com/logo.png', colour: '#C8102E' });
    // The page reads it without a token, by the tenant id of its centerUrl.
    const pub = await api.http.get(`/v1/member-center/${t.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ displayName: '示例商城', frameAncestors: ['https://shop.example.com', 'https://m.example.com:8443'] });
    expect((await api.http.get('/v1/member-center/ten_unknown1')).status).toBe(404);
    expect((await api.http.get('/v1/member-center/not-a-tenant')).status).toBe(400);
    // A partial change keeps the other fields.
    await api.http.patch('/v1/program').set(t.auth).send({ branding: { colour: '#0A7E3B' } }).expect(200);
    expect((await api.http.get('/v1/program').set(t.auth)).body.branding).toEqual({
      displayName: '示例商城',
      logoUrl: 'https://cdn.example.com/logo.png',
      colour: '#0A7E3B',
      frameAncestors: ['https://shop.example.com', 'https://m.example.com:8443'],
    });
  });
});

describe('rate limits', () => {
  it('count per member: every token of the member shares one budget, another member has its own', async () => {
    const limited = await startTestApi({ rateLimitPerMinute: 3 });
    try {
      // Set up through core, not the (limited) API.
      const onboarded = await unsafeCreateTenant(limited.db.prisma, { type: 'platform', id: 'test' }, {
        name: 'Limited',
        currency: 'CNY',
        timezone: 'Asia/Shanghai',
        slug: `limited-${Math.random().toString(36).slice(2, 8)}`,
        owner: { email: `limited-${Math.random().toString(36).slice(2, 8)}@example.com`, password: 'correct horse battery' },
        stores: [{ code: 'mall', name: 'Mall', channel: 'online' }],
      });
      const ctx = systemContext(onboarded.tenant.id, 'test');
      await withTenant(limited.db.prisma, ctx.tenantId, async (tx) => {
        for (const unionId of ['dora', 'eve']) await enrolMember(tx, ctx, { unionId });
      });
      const token = async (m: string) => ({
        Authorization: `Bearer ${(await withTenant(limited.db.prisma, ctx.tenantId, (tx) => openMemberSession(tx, ctx, { ref: m }, {}))).token}`,
      });
      const [d1, d2, e1] = [await token('dora'), await token('dora'), await token('eve')];
      const statuses = [];
      for (const h of [d1, d2, d1, d2]) statuses.push((await limited.http.get('/v1/me').set(h)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await limited.http.get('/v1/me').set(e1)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
