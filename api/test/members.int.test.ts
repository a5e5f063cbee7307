import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
});
afterAll(() => api.close());

const members = () => api.db.prisma.member.count({ where: { tenantId: t.id } });

describe('enrolment and identities (unionId / openId)', () => {
  it('enrols idempotently by unionId: 201 then 200, identity added when new', async () => {
    const [mall, shop] = t.stores;
    const first = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'U1', openId: 'wx-1', storeId: mall!.id, profile: { name: '张三', phone: '+86 138 0000 0000', birthday: '1990-05-20' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      unionId: 'U1',
      tier: { code: 'bronze' },
      points: { balance: 0 },
      growth: { value: 0, nextTier: { code: 'silver', missing: 1000 } },
      profile: { name: '张三', birthday: '1990-05-20' },
      flagged: false,
    });
    const again = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'U1', openId: 'shop-1', storeId: shop!.id });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.identities).toEqual([
      { storeId: mall!.id, openId: 'wx-1' },
      { storeId: shop!.id, openId: 'shop-1' },
    ]);
    const byOpenId = await api.http.get(`/v1/members/openid:shop-1?storeId=${shop!.id}`).set(t.auth);
    expect(byOpenId.body.id).toBe(first.body.id);
  });

  it('concurrent enrolments of one unionId create one member', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => api.http.post('/v1/members').set(t.auth).send({ unionId: 'RACE' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });

  it('an openId is unique per store: bound to another member is 409; the same openId in another store is fine', async () => {
    const [mall, shop] = t.stores;
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'U2' });
    const taken = await api.http.post('/v1/members/U2/identities').set(t.auth).send({ storeId: mall!.id, openId: 'wx-1' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('conflict');
    const enrolTaken = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'U3', openId: 'wx-1', storeId: mall!.id });
    expect(enrolTaken.status).toBe(409);
    expect(await api.db.prisma.member.count({ where: { tenantId: t.id, unionId: 'U3' } })).toBe(0);
    const otherStore = await api.http.post('/v1/members/U2/identities').set(t.auth).send({ storeId: shop!.id, openId: 'wx-1' });
    expect(otherStore.status).toBe(201);
    const same = await api.http.post('/v1/members/U2/identities').set(t.auth).send({ storeId: shop!.id, openId: 'wx-1' });
    expect(same.status).toBe(200);
  });

  it('the same unionId in two tenants is two members with nothing shared', async () => {
    const other = await api.createTenant();
    const a = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'SHARED' });
    const b = await api.http.post('/v1/members').set(other.auth).send({ unionId: 'SHARED' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('openid addressing needs a store, and unknown stores are 404', async () => {
    const noStore = await api.http.get('/v1/members/openid:wx-1').set(t.auth);
    expect(noStore.status).toBe(400);
    expect((await api.http.get('/v1/members/openid:wx-1?storeId=sto_nope').set(t.auth)).status).toBe(404);
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'U9', openId: 'x' })).status).toBe(400);
  });

  it('referrals must name an existing other member', async () => {
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'R1', referredBy: 'nobody' })).status).toBe(400);
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'R1', referredBy: 'R1' })).status).toBe(400);
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'R1', referredBy: 'U1' })).status).toBe(201);
  });
});

describe('listing', () => {
  it('pages with a cursor through every member exactly once', async () => {
    const t2 = await api.createTenant();
    for (let i = 0; i < 7; i++) await api.http.post('/v1/members').set(t2.auth).send({ unionId: `p${i}`, profile: { phone: `1380000000${i}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { data: { unionId: string }[]; nextCursor: string | null } } = await api.http
        .get(`/v1/members?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .set(t2.auth);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((m) => m.unionId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen[0]).toBe('p6'); // newest first
    const byPhone = await api.http.get('/v1/members?q=13800000003').set(t2.auth);
    expect(byPhone.body.data.map((m: { unionId: string }) => m.unionId)).toEqual(['p3']);
    const byTier = await api.http.get('/v1/members?tier=gold').set(t2.auth);
    expect(byTier.body.data).toEqual([]);
  });

  it('refuses bad limits and cursors', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'cursor=not-a-cursor']) {
      const res = await api.http.get(`/v1/members?${q}`).set(t.auth);
      expect(res.status, q).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});

describe('bad input writes nothing', () => {
  it('malformed JSON is 400 malformed_json', async () => {
    const before = await members();
    const res = await api.http.post('/v1/members').set(t.auth).set('Content-Type', 'application/json').send('{"unionId": "x",');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_json');
    expect(await members()).toBe(before);
  });

  it.each([
    ['wrong types', { unionId: 123 }, 'unionId'],
    ['missing field', {}, 'unionId'],
    ['over-long string', { unionId: 'x'.repeat(129) }, 'unionId'],
    ['impossible date', { unionId: 'd1', profile: { birthday: '2023-02-30' } }, 'profile.birthday'],
    ['bad email', { unionId: 'd2', profile: { email: 'not-an-email' } }, 'profile.email'],
    ['unknown field', { unionId: 'd3', tenantId: 'ten_other' }, ''],
    ['NUL byte', { unionId: 'a\u0000b' }, 'unionId'],
    ['array body', [1, 2], ''],
  ])('%s is 400 with field paths', async (_name, payload, path) => {
    const before = await members();
    const res = await api.http.post('/v1/members').set(t.auth).send(payload as object);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(JSON.stringify(res.body)).not.toMatch(/prisma|SELECT|at .*\.ts/i);
    expect(await members()).toBe(before);
  });

  it('a path with broken percent-encoding is 400, not 500', async () => {
    const res = await api.http.get('/v1/members/%E0%A4%A').set(t.auth);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('an oversized body is 413', async () => {
    const res = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'big', profile: { name: 'x'.repeat(1_100_000) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('hostile strings are stored as data and returned verbatim', async () => {
    const hostile = `<script>alert(1)</script>'; DROP TABLE members; -- 🎉`;
    const res = await api.http.post('/v1/members').set(t.auth).send({ unionId: "o'brien\"; --", profile: { name: hostile } });
    expect(res.status).toBe(201);
    const got = await api.http.get(`/v1/members/${encodeURIComponent("o'brien\"; --")}`).set(t.auth);
    expect(got.body.profile.name).toBe(hostile);
    expect(await api.db.prisma.member.count()).toBeGreaterThan(0);
  });
});
