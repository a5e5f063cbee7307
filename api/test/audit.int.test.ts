// The audit log's filters (GET /v1/audit): actor, action or kind, member and a time range, each
// narrowing the newest-first page, paging within the filter, and every bad filter a 400 or 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
let other: TestTenant;
let owner: Record<string, string>;
let ownerId: string;

interface Entry {
  id: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string | null; id: string | null };
  createdAt: string;
}

async function audit(query: string, as: Record<string, string> = t.auth): Promise<{ status: number; body: { data: Entry[]; nextCursor: string | null; code?: string } }> {
  const r = await api.http.get(`/v1/audit?${query}`).set(as);
  return { status: r.status, body: r.body };
}

async function adjust(unionId: string, delta: number, as: Record<string, string> = t.auth) {
  const r = await api.http.post(`/v1/members/${unionId}/points/adjust`).set(as).send({ delta, reason: 'goodwill' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  other = await api.createTenant();
  const login = await api.http.post('/v1/auth/login').send(t.owner);
  expect(login.status).toBe(200);
  owner = {
    Cookie: ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .map((c: string) => c.split(';')[0])
      .join('; '),
    'X-CSRF-Token': login.body.csrfToken,
  };
  ownerId = login.body.user.id;
  for (const unionId of ['au-alice', 'au-bob']) expect((await api.http.post('/v1/members').set(t.auth).send({ unionId })).status).toBe(201);
  expect((await api.http.post('/v1/members').set(other.auth).send({ unionId: 'au-alice' })).status).toBe(201);
  await adjust('au-alice', 10);
  await adjust('au-bob', 20);
  await adjust('au-alice', 30, owner);
  expect((await api.http.patch('/v1/program').set(owner).send({ earn: { pointsPerUnit: 2 } })).status).toBe(200);
  // The other tenant's entries about its own au-alice never show here.
  const r = await api.http.post('/v1/members/au-alice/points/adjust').set(other.auth).send({ delta: 5, reason: 'other tenant' });
  expect(r.status).toBe(201);
});
afterAll(() => api.close());

describe('GET /v1/audit filters', () => {
  it('by member: only the entries about that member, newest first', async () => {
    const r = await audit('member=au-alice');
    expect(r.status).toBe(200);
    expect(r.body.data.map((e) => e.action)).toEqual(['points.adjusted', 'points.adjusted']);
    const all = await audit('limit=200');
    const aliceId = r.body.data[0]!.target.id;
    expect(all.body.data.filter((e) => e.target.type === 'member' && e.target.id === aliceId)).toHaveLength(2);
    expect(new Set(r.body.data.map((e) => e.target.id))).toEqual(new Set([aliceId]));
  });

  it('by actor: a dashboard user, or every API key', async () => {
    const byOwner = await audit(`actorType=user&actorId=${ownerId}`);
    expect(byOwner.body.data.map((e) => e.action).sort()).toEqual(['points.adjusted', 'program.updated']);
    const byKeys = await audit('actorType=api_key&kind=points');
    expect(byKeys.body.data).toHaveLength(2);
    expect(byKeys.body.data.every((e) => e.actor.type === 'api_key')).toBe(true);
  });

  it('by action, or by kind (every action of it)', async () => {
    const program = await audit('action=program.updated');
    expect(program.body.data.map((e) => e.action)).toEqual(['program.updated']);
    const points = await audit('kind=points&limit=200');
    expect(points.body.data).toHaveLength(3);
    expect(points.body.data.every((e) => e.action.startsWith('points.'))).toBe(true);
    const both = await audit('kind=points&action=points.adjusted');
    expect(both.body.data).toHaveLength(3);
  });

  it('by time: [from, to) splits the log without losing or repeating an entry', async () => {
    const all = (await audit('limit=200')).body.data;
    expect(all.length).toBeGreaterThan(3);
    const cut = all[1]!.createdAt;
    const after = (await audit(`limit=200&from=${encodeURIComponent(cut)}`)).body.data;
    const before = (await audit(`limit=200&to=${encodeURIComponent(cut)}`)).body.data;
    expect([...after, ...before].map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(after.every((e) => e.createdAt >= cut)).toBe(true);
    expect(before.every((e) => e.createdAt < cut)).toBe(true);
    const empty = await audit(`from=${encodeURIComponent(cut)}&to=${encodeURIComponent(cut)}`);
    expect(empty.body.data).toEqual([]);
  });

  it('pages within the filter', async () => {
    const first = await audit('kind=points&limit=2');
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const next = await audit(`kind=points&limit=2&cursor=${first.body.nextCursor}`);
    expect(next.body.data).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
    expect(next.body.data[0]!.action).toBe('points.adjusted');
  });

  it('refuses a bad filter with a problem, and an unknown member with 404', async () => {
    for (const [query, status, path] of [
      ['action=points.nope', 400, 'action'],
      ['kind=nope', 400, 'kind'],
      ['actorType=robot', 400, 'actorType'],
      ['from=yesterday', 400, 'from'],
      ['from=2026-12-02T10:00:00Z&to=2026-12-01T10:00:00Z', 400, 'query.from'],
      ['kind=member&action=points.adjusted', 400, 'query.kind'],
    ] as const) {
      const r = await api.http.get(`/v1/audit?${query}`).set(t.auth);
      expect(r.status, query).toBe(status);
      expect(r.body.code).toBe('validation_failed');
      expect(JSON.stringify(r.body.errors), query).toContain(path);
    }
    const unknown = await audit('member=nobody-here');
    expect(unknown.status).toBe(404);
  });
});
