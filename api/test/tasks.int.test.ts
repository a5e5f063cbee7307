// The task center (docs/rules.md §15): tenant tasks and the built-in ones, counted in the
// event's transaction, rewarded once per window in the tenant's zone, recounted on refunds.
// Event times are given (completedAt / ?at=), never the wall clock.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApi, TestTenant } from './harness.ts';
import { systemContext } from '@unionpoint/core';
import { updateProgram } from '@unionpoint/core/program';
import { balanceOf, inTenant, ledgerSuite, enrol, patchProgram } from './ledger/helpers.ts';

const suite = ledgerSuite();
let api: TestApi;
beforeAll(() => {
  api = suite.api;
});

async function tenant(): Promise<TestTenant> {
  const t = await suite.tenant();
  // The built-in first-order task off, so each test sees only its own tasks' points.
  await patchProgram(api, t, { timezone: 'Asia/Shanghai', tasks: { firstOrder: 0 }, earn: { pointsPerUnit: 0 }, growthRules: { purchasePerUnit: 0 } });
  return t;
}

const place = (t: TestTenant, body: Record<string, unknown>) => api.http.post('/v1/orders').set(t.auth).send({ storeId: t.stores[0]!.id, ...body });
const refundOf = (t: TestTenant, externalId: string, body: Record<string, unknown>) =>
  api.http.post(`/v1/orders/${externalId}/refunds`).set(t.auth).send({ storeId: t.stores[0]!.id, ...body });

async function addTask(t: TestTenant, body: Record<string, unknown>) {
  const r = await api.http.post('/v1/tasks').set(t.auth).send(body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function memberTasks(t: TestTenant, unionId: string, at: string) {
  const r = await api.http.get(`/v1/members/${unionId}/tasks?at=${encodeURIComponent(at)}`).set(t.auth);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data as { code: string; progress: number; target: number; completed: boolean; windowEnd: string | null }[];
}

async function outbox(t: TestTenant, type: string) {
  const r = await api.db.pool.query(`SELECT payload FROM outbox_events WHERE tenant_id = $1 AND type = $2 ORDER BY seq`, [t.id, type]);
  return r.rows.map((x) => x.payload.data);
}

const weekly = { code: 'w3', name: 'Three orders a week', type: 'growth', trigger: { event: 'order_completed' }, target: 3, repeat: 'weekly', reward: { points: 30, growth: 10 } };

describe('task definitions', () => {
  it('lists the built-ins and the tenant tasks; patch, archive; the built-ins are the program settings', async () => {
    const t = await tenant();
    const created = await addTask(t, weekly);
    expect(created).toMatchObject({ code: 'w3', target: 3, repeat: 'weekly', reward: { points: 30, growth: 10, couponTemplateCode: null }, builtin: false, archivedAt: null });
    const list = await api.http.get('/v1/tasks').set(t.auth).expect(200);
    expect(list.body.data.map((x: { code: string }) => x.code)).toEqual(['first_order', 'profile_completed', 'w3']);
    // Built-in tasks are named in the tenant's language (zh-CN by default), as members read them.
    expect(list.body.data.slice(0, 2).map((x: { name: string }) => x.name)).toEqual(['完成首单', '完善个人资料']);
    await api.http.patch('/v1/program').set(t.auth).send({ language: 'en' }).expect(200);
    const inEnglish = await api.http.get('/v1/tasks').set(t.auth).expect(200);
    expect(inEnglish.body.data.slice(0, 2).map((x: { name: string }) => x.name)).toEqual(['First order', 'Complete your profile']);
    await api.http.patch('/v1/program').set(t.auth).send({ language: 'zh-CN' }).expect(200);
    expect((await api.http.post('/v1/tasks').set(t.auth).send(weekly)).status).toBe(409);
    expect((await api.http.post('/v1/tasks').set(t.auth).send({ ...weekly, code: 'first_order' })).status).toBe(409);
    // A trigger's fields belong to it; a task must reward something.
    expect((await api.http.post('/v1/tasks').set(t.auth).send({ ...weekly, code: 'x', trigger: { event: 'check_in', minAmountCents: 5 } })).status).toBe(400);
    expect((await api.http.post('/v1/tasks').set(t.auth).send({ ...weekly, code: 'x', reward: {} })).status).toBe(400);
    expect((await api.http.post('/v1/tasks').set(t.auth).send({ ...weekly, code: 'x', tiers: ['nope'] })).status).toBe(400);

    const patched = await api.http.patch('/v1/tasks/w3').set(t.auth).send({ target: 2, name: 'Two orders a week' }).expect(200);
    expect(patched.body).toMatchObject({ target: 2, name: 'Two orders a week', reward: { points: 30 } });

    // The built-in first-order task reads and writes tasks.firstOrder / firstOrderMinAmountCents.
    const fo = await api.http.patch('/v1/tasks/first_order').set(t.auth).send({ reward: { points: 120 }, trigger: { event: 'order_completed', minAmountCents: 2000 } }).expect(200);
    expect(fo.body).toMatchObject({ builtin: true, reward: { points: 120 }, trigger: { minAmountCents: 2000 } });
    expect((await api.http.get('/v1/program').set(t.auth)).body.tasks).toMatchObject({ firstOrder: 120, firstOrderMinAmountCents: 2000 });
    expect((await api.http.patch('/v1/tasks/first_order').set(t.auth).send({ target: 2 })).status).toBe(422);
    expect((await api.http.delete('/v1/tasks/first_order').set(t.auth)).status).toBe(422);

    const archived = await api.http.delete('/v1/tasks/w3').set(t.auth).expect(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await api.http.get('/v1/tasks').set(t.auth)).body.data.map((x: { code: string }) => x.code)).toEqual(['first_order', 'profile_completed']);
    expect((await api.http.get('/v1/tasks?includeArchived=true').set(t.auth)).body.data).toHaveLength(3);
    // An archived task counts nothing.
    await enrol(api, t, 'u1');
    for (let i = 0; i < 3; i++) await place(t, { externalId: `a${i}`, member: 'u1', amountCents: 3000, completedAt: '2026-11-24T04:00:00Z' }).expect(201);
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 120, growth: 0 });
  });
});

describe('windows in the tenant time zone', () => {
  it('weekly: weeks start on Monday at local midnight (Asia/Shanghai); rewarded once per window, again the next week', async () => {
    const t = await tenant();
    await addTask(t, weekly);
    await enrol(api, t, 'u1');
    // Sunday 2026-11-29 23:30 in Shanghai is 15:30Z; Monday 00:10 local is 16:10Z the same UTC day.
    await place(t, { externalId: 'sat', member: 'u1', amountCents: 100, completedAt: '2026-11-28T04:00:00Z' }).expect(201);
    await place(t, { externalId: 'sun', member: 'u1', amountCents: 100, completedAt: '2026-11-29T15:30:00Z' }).expect(201);
    const mon = await place(t, { externalId: 'mon', member: 'u1', amountCents: 100, completedAt: '2026-11-29T16:10:00Z' });
    expect(mon.body.bonusPointsAwarded).toBe(0);
    expect(await memberTasks(t, 'u1', '2026-11-29T15:59:00Z')).toContainEqual(expect.objectContaining({ code: 'w3', progress: 2, completed: false, windowEnd: '2026-11-30' }));
    expect(await memberTasks(t, 'u1', '2026-11-29T16:00:00Z')).toContainEqual(expect.objectContaining({ code: 'w3', progress: 1, completed: false, windowEnd: '2026-12-07' }));
    await place(t, { externalId: 'tue', member: 'u1', amountCents: 100, completedAt: '2026-12-01T02:00:00Z' }).expect(201);
    const third = await place(t, { externalId: 'wed', member: 'u1', amountCents: 100, completedAt: '2026-12-02T02:00:00Z' });
    expect(third.body.bonusPointsAwarded).toBe(30);
    expect(third.body.member.points.balance).toBe(30);
    const fourth = await place(t, { externalId: 'thu', member: 'u1', amountCents: 100, completedAt: '2026-12-03T02:00:00Z' });
    expect(fourth.body.bonusPointsAwarded).toBe(0);
    expect(await memberTasks(t, 'u1', '2026-12-03T03:00:00Z')).toContainEqual(expect.objectContaining({ code: 'w3', progress: 4, completed: true }));
    // The next week is a new window.
    for (const [i, d] of ['2026-12-07T01:00:00Z', '2026-12-08T01:00:00Z', '2026-12-09T01:00:00Z'].entries()) {
      await place(t, { externalId: `n${i}`, member: 'u1', amountCents: 100, completedAt: d }).expect(201);
    }
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 60, growth: 20 });
    const events = await outbox(t, 'task.completed');
    expect(events.map((e) => [e.task, e.windowStart, e.points])).toEqual([
      ['w3', '2026-11-30', 30],
      ['w3', '2026-12-07', 30],
    ]);
  });

  it('daily and monthly windows turn at local midnight; once is for ever; minAmountCents filters orders', async () => {
    const t = await tenant();
    await addTask(t, { code: 'd2', name: 'Two a day', type: 'daily', trigger: { event: 'order_completed', minAmountCents: 1000 }, target: 2, repeat: 'daily', reward: { points: 5 } });
    await addTask(t, { code: 'm1', name: 'One a month', type: 'growth', trigger: { event: 'order_completed' }, target: 1, repeat: 'monthly', reward: { points: 7 } });
    await addTask(t, { code: 'o1', name: 'Ever', type: 'special', trigger: { event: 'order_completed' }, target: 1, repeat: 'once', reward: { points: 100 } });
    await enrol(api, t, 'u1');
    // 2026-11-30 23:50 local = 15:50Z; 2026-12-01 00:05 local = 16:05Z (a new day and a new month).
    await place(t, { externalId: 'a', member: 'u1', amountCents: 1000, completedAt: '2026-11-30T15:50:00Z' }).expect(201); // d2 1/2, m1 Nov, o1
    await place(t, { externalId: 'small', member: 'u1', amountCents: 999, completedAt: '2026-11-30T15:55:00Z' }).expect(201); // not d2; m1 Nov already
    await place(t, { externalId: 'b', member: 'u1', amountCents: 1000, completedAt: '2026-11-30T16:05:00Z' }).expect(201); // d2 Dec 1 1/2, m1 Dec
    expect((await balanceOf(api, t, 'u1')).points).toBe(7 + 100 + 7);
    const c = await place(t, { externalId: 'c', member: 'u1', amountCents: 1000, completedAt: '2026-12-01T10:00:00Z' }); // d2 Dec 1 2/2
    expect(c.body.bonusPointsAwarded).toBe(5);
    expect((await balanceOf(api, t, 'u1')).points).toBe(7 + 100 + 7 + 5);
  });
});

describe('a change of the tenant’s zone', () => {
  it('applies to task windows from the next window on: the running one is neither cut short nor met again', async () => {
    const t = await tenant(); // Asia/Shanghai
    await addTask(t, { code: 'd2', name: '每日两单', type: 'daily', trigger: { event: 'order_completed' }, target: 2, repeat: 'daily', reward: { points: 5 } });
    await enrol(api, t, 'u1');
    // 21 January 01:00 in Shanghai (20 January 12:00 in New York): the Shanghai day 21 January.
    await place(t, { externalId: 'a', member: 'u1', amountCents: 100, completedAt: '2027-01-20T17:00:00Z' }).expect(201);
    await inTenant(api, t.id, (tx) => updateProgram(tx, systemContext(t.id, 'test'), { timezone: 'America/New_York' }, new Date('2027-01-20T18:00:00Z')));
    // 20 January 15:00 in New York: not a new (earlier) day, the running day 21 January goes on
    // and completes with this second order.
    const b = await place(t, { externalId: 'b', member: 'u1', amountCents: 100, completedAt: '2027-01-20T20:00:00Z' });
    expect(b.body.bonusPointsAwarded).toBe(5);
    // 21 January 10:00 in New York is still that same window (its New York end is later): no second reward.
    await place(t, { externalId: 'c', member: 'u1', amountCents: 100, completedAt: '2027-01-21T15:00:00Z' }).expect(201);
    const d = await place(t, { externalId: 'd', member: 'u1', amountCents: 100, completedAt: '2027-01-21T16:00:00Z' });
    expect(d.body.bonusPointsAwarded).toBe(0);
    expect(await memberTasks(t, 'u1', '2027-01-21T16:30:00Z')).toContainEqual(expect.objectContaining({ code: 'd2', progress: 4, completed: true, windowEnd: '2027-01-22' }));
    // From 22 January 00:00 in New York the days are New York's.
    await place(t, { externalId: 'e', member: 'u1', amountCents: 100, completedAt: '2027-01-22T05:00:00Z' }).expect(201);
    const f = await place(t, { externalId: 'f', member: 'u1', amountCents: 100, completedAt: '2027-01-22T06:00:00Z' });
    expect(f.body.bonusPointsAwarded).toBe(5);
    const windows = (await outbox(t, 'task.completed')).map((e) => e.windowStart);
    expect(windows).toEqual(['2027-01-21', '2027-01-22']);
  });
});

describe('refunds recount the window', () => {
  it('the reward stays while the window holds the target and is taken back (points and growth) when it no longer does', async () => {
    const t = await tenant();
    await addTask(t, { ...weekly, target: 2 });
    await enrol(api, t, 'u1');
    for (const [i, d] of ['2026-12-01T02:00:00Z', '2026-12-02T02:00:00Z', '2026-12-03T02:00:00Z'].entries()) {
      await place(t, { externalId: `o${i}`, member: 'u1', amountCents: 1000, completedAt: d }).expect(201);
    }
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 30, growth: 10 });
    // A partial refund keeps the order counted.
    expect((await refundOf(t, 'o0', { refundId: 'p', amountCents: 500 })).status).toBe(201);
    const first = await refundOf(t, 'o0', { refundId: 'f', amountCents: 500 });
    expect(first.body).toMatchObject({ pointsClawedBack: 0, growthClawedBack: 0 });
    const second = await refundOf(t, 'o1', { refundId: 'f', amountCents: 1000 });
    expect(second.body).toMatchObject({ pointsClawedBack: 30, growthClawedBack: 10 });
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ points: 0, growth: 0 });
    // The window is closed: counting again does not reward it a second time.
    await place(t, { externalId: 'o9', member: 'u1', amountCents: 1000, completedAt: '2026-12-04T02:00:00Z' }).expect(201);
    expect((await balanceOf(api, t, 'u1')).points).toBe(0);
    const ledger = await api.http.get('/v1/members/u1/ledger?limit=50').set(t.auth).expect(200);
    expect(ledger.body.data.filter((e: { kind: string }) => e.kind === 'refund_clawback').map((e: { delta: number }) => e.delta)).toEqual([-30]);
  });

  it('a reward coupon taken back with its window is revoked while unused; one an order used stays used', async () => {
    const t = await tenant();
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'gift', name: '任务奖励券', kind: 'amount', amountCents: 500, validDays: 30 }).expect(201);
    await addTask(t, { code: 'd1', name: '今日下单', type: 'daily', trigger: { event: 'order_completed' }, target: 1, repeat: 'daily', reward: { couponTemplateCode: 'gift' } });
    await enrol(api, t, 'u1');
    await place(t, { externalId: 'a', member: 'u1', amountCents: 1000, completedAt: '2026-12-01T02:00:00Z' }).expect(201);
    await place(t, { externalId: 'b', member: 'u1', amountCents: 1000, completedAt: '2026-12-02T02:00:00Z' }).expect(201);
    const coupons = async () => (await api.http.get('/v1/members/u1/coupons').set(t.auth).expect(200)).body.data as { code: string; status: string; createdAt: string }[];
    const [second, first] = await coupons();
    expect([first!.status, second!.status]).toEqual(['available', 'available']);
    // The second day's coupon pays for an order of the third day.
    await place(t, { externalId: 'c', member: 'u1', amountCents: 2000, couponCodes: [second!.code], completedAt: '2026-12-03T02:00:00Z' }).expect(201);
    // Both rewarded orders are fully refunded: the unused coupon is revoked, the used one stays used.
    await refundOf(t, 'a', { refundId: 'ra', amountCents: 1000 }).expect(201);
    await refundOf(t, 'b', { refundId: 'rb', amountCents: 1000 }).expect(201);
    const after = Object.fromEntries((await coupons()).map((c) => [c.code, c.status]));
    expect(after[first!.code]).toBe('revoked');
    expect(after[second!.code]).toBe('used');
    expect((await api.http.get('/v1/members/u1/coupons?status=revoked').set(t.auth).expect(200)).body.data.map((c: { code: string }) => c.code)).toEqual([first!.code]);
    // A revoked coupon cannot be used: the quote says why and the order refuses it.
    const quote = await api.http.post('/v1/quotes').set(t.auth).send({ storeId: t.stores[0]!.id, member: 'u1', items: [{ sku: 'x', quantity: 1, priceCents: 2000 }], shippingFeeCents: 0, couponCodes: [first!.code] });
    expect(quote.status, JSON.stringify(quote.body)).toBe(200);
    expect(JSON.stringify(quote.body)).toContain('Revoked');
    expect((await place(t, { externalId: 'd', member: 'u1', amountCents: 2000, couponCodes: [first!.code] })).status).toBe(422);
  });

  it('the built-in first-order bonus is taken back on a full refund and never earned again (once per member)', async () => {
    const t = await tenant();
    await patchProgram(api, t, { tasks: { firstOrder: 100 } });
    await enrol(api, t, 'u1');
    expect((await place(t, { externalId: 'f1', member: 'u1', amountCents: 1000 })).body.bonusPointsAwarded).toBe(100);
    expect((await refundOf(t, 'f1', { refundId: 'r', amountCents: 1000 })).body.pointsClawedBack).toBe(100);
    expect((await place(t, { externalId: 'f2', member: 'u1', amountCents: 1000 })).body.bonusPointsAwarded).toBe(0);
    const tasks = await api.http.get('/v1/members/u1/tasks').set(t.auth).expect(200);
    expect(tasks.body.data).toContainEqual(expect.objectContaining({ code: 'first_order', completed: false, progress: 0 }));
  });
});

describe('what counting keeps', () => {
  it('an event is kept once with the windows it counted; progress rows keep their size; a full refund takes the event off each window', async () => {
    const t = await tenant();
    await addTask(t, { code: 'ever', name: 'Orders for ever', type: 'growth', trigger: { event: 'order_completed' }, target: 1000, repeat: 'once', reward: { points: 1 } });
    await addTask(t, { code: 'day', name: 'Orders today', type: 'daily', trigger: { event: 'order_completed' }, target: 1000, repeat: 'daily', reward: { points: 1 } });
    await enrol(api, t, 'u1');
    const rowSize = async () =>
      (await api.db.pool.query<{ n: number }>(`SELECT pg_column_size(p.*)::int AS n FROM task_progress p WHERE tenant_id = $1 AND task_code = 'ever'`, [t.id])).rows[0]!.n;
    const progress = async () =>
      Object.fromEntries(
        (await api.db.pool.query<{ k: string; progress: number }>(
          `SELECT task_code || ':' || to_char(window_start, 'YYYY-MM-DD') AS k, progress FROM task_progress WHERE tenant_id = $1 AND task_code IN ('day', 'ever') ORDER BY 1`,
          [t.id],
        )).rows.map((r) => [r.k, r.progress]),
      );
    // 2026-12-01 and 2026-12-02 in Asia/Shanghai.
    const day = (i: number) => (i < 15 ? '2026-12-01T02:00:00Z' : '2026-12-02T02:00:00Z');
    await place(t, { externalId: 'e0', member: 'u1', amountCents: 1000, completedAt: day(0) }).expect(201);
    const sizeAfterOne = await rowSize();
    for (let i = 1; i < 30; i++) await place(t, { externalId: `e${i}`, member: 'u1', amountCents: 1000, completedAt: day(i) }).expect(201);
    // A replay counts nothing.
    expect((await place(t, { externalId: 'e3', member: 'u1', amountCents: 1000, completedAt: day(3) })).status).toBe(200);
    expect(await progress()).toEqual({ 'day:2026-12-01': 15, 'day:2026-12-02': 15, 'ever:1970-01-01': 30 });
    expect(await rowSize()).toBe(sizeAfterOne);
    const events = await api.db.pool.query<{ source: string; task_codes: string[]; window_starts: string[] }>(
      `SELECT e.source, e.task_codes, array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(e.window_starts) AS d) AS window_starts
       FROM task_events e JOIN orders o ON o.tenant_id = e.tenant_id AND o.id = e.source
       WHERE e.tenant_id = $1 AND o.external_id = 'e20'`,
      [t.id],
    );
    expect(events.rows.map((r) => [r.task_codes, r.window_starts])).toEqual([[['day', 'ever'], ['2026-12-02', '1970-01-01']]]);
    expect((await api.db.pool.query(`SELECT count(*)::int AS n FROM task_events WHERE tenant_id = $1 AND 'ever' = ANY (task_codes)`, [t.id])).rows[0].n).toBe(30);
    // e20 fully refunded: off the 2 December window and the once window, its row gone.
    await refundOf(t, 'e20', { refundId: 'r', amountCents: 1000 }).expect(201);
    expect(await progress()).toEqual({ 'day:2026-12-01': 15, 'day:2026-12-02': 14, 'ever:1970-01-01': 29 });
    expect((await api.db.pool.query(`SELECT count(*)::int AS n FROM task_events WHERE tenant_id = $1 AND source = $2`, [t.id, events.rows[0]!.source])).rows[0].n).toBe(0);
  });
});

describe('concurrency', () => {
  it('concurrent orders of one member count every event once and reward the window once', async () => {
    const t = await tenant();
    await addTask(t, { code: 'd5', name: 'Five today', type: 'daily', trigger: { event: 'order_completed' }, target: 5, repeat: 'daily', reward: { points: 50 } });
    await enrol(api, t, 'u1');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => place(t, { externalId: `c${i}`, member: 'u1', amountCents: 100, completedAt: '2026-12-01T03:00:00Z' })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(results.map((r) => r.body.bonusPointsAwarded).filter((p) => p > 0)).toEqual([50]);
    expect(await memberTasks(t, 'u1', '2026-12-01T04:00:00Z')).toContainEqual(expect.objectContaining({ code: 'd5', progress: 12, completed: true }));
    expect((await balanceOf(api, t, 'u1')).points).toBe(50);
  });
});

describe('other triggers, tiers and dates', () => {
  it('activities by type, check-ins, tier filters and active dates', async () => {
    const t = await tenant();
    await addTask(t, { code: 'rev', name: 'Two reviews', type: 'growth', trigger: { event: 'activity', activityType: 'review' }, target: 2, repeat: 'once', reward: { growth: 40 } });
    await addTask(t, { code: 'chk', name: 'Check in', type: 'daily', trigger: { event: 'check_in' }, target: 1, repeat: 'daily', reward: { points: 3 } });
    await addTask(t, { code: 'gold', name: 'Gold only', type: 'special', trigger: { event: 'order_completed' }, target: 1, repeat: 'once', reward: { points: 500 }, tiers: ['gold'] });
    await addTask(t, { code: 'past', name: 'Over', type: 'special', trigger: { event: 'order_completed' }, target: 1, repeat: 'once', reward: { points: 900 }, startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-02-01T00:00:00Z' });
    await enrol(api, t, 'u1');
    const share = await api.http.post('/v1/members/u1/activities').set(t.auth).send({ type: 'share', reference: 's1' }).expect(201);
    expect(share.body.pointsAwarded).toBe(0);
    await api.http.post('/v1/members/u1/activities').set(t.auth).send({ type: 'review', reference: 'r1', itemPriceCents: 100 }).expect(201);
    await api.http.post('/v1/members/u1/activities').set(t.auth).send({ type: 'review', reference: 'r2', itemPriceCents: 100 }).expect(201);
    expect((await balanceOf(api, t, 'u1')).growth).toBe(40);
    // Deleting a review recounts: the once-window falls below 2 and the growth goes back.
    const revoked = await api.http.delete('/v1/members/u1/activities/r2').set(t.auth).expect(200);
    expect(revoked.body.growthClawedBack).toBe(40);
    await api.http.post('/v1/members/u1/check-ins').set(t.auth).expect(201);
    expect((await balanceOf(api, t, 'u1')).points).toBeGreaterThanOrEqual(3);
    const before = (await balanceOf(api, t, 'u1')).points;
    await place(t, { externalId: 'o', member: 'u1', amountCents: 100, completedAt: '2026-12-01T03:00:00Z' }).expect(201);
    expect((await balanceOf(api, t, 'u1')).points).toBe(before);
  });
});

describe('PATCH /v1/members/:member/profile', () => {
  it('completes the profile task only when the required fields are present, once', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    // The storefront's word alone gives nothing.
    expect((await api.http.post('/v1/members/u1/activities').set(t.auth).send({ type: 'profile_completed', reference: 'pc' })).body.pointsAwarded).toBe(0);
    const partial = await api.http.patch('/v1/members/u1/profile').set(t.auth).send({ name: '王小明' }).expect(200);
    expect(partial.body.profile).toMatchObject({ name: '王小明', phone: null });
    expect(partial.body.points.balance).toBe(0);
    const full = await api.http.patch('/v1/members/u1/profile').set(t.auth).send({ phone: '13800000000', birthday: '1990-05-01' }).expect(200);
    expect(full.body.points.balance).toBe(50);
    await api.http.patch('/v1/members/u1/profile').set(t.auth).send({ email: 'a@b.cn' }).expect(200);
    expect((await api.http.post('/v1/members/u1/activities').set(t.auth).send({ type: 'profile_completed', reference: 'pc2' })).body.pointsAwarded).toBe(0);
    expect((await balanceOf(api, t, 'u1')).points).toBe(50);
    expect((await api.http.patch('/v1/members/u1/profile').set(t.auth).send({})).status).toBe(400);
    expect((await api.http.patch('/v1/members/u1/profile').set(t.auth).send({ birthday: '1990-02-30' })).status).toBe(400);
    expect((await api.http.patch('/v1/members/nobody/profile').set(t.auth).send({ name: 'x' })).status).toBe(404);
  });
});

describe('referrals', () => {
  it("complete on the invitee's first qualifying order, reward both, count for tasks, and are revoked by a full refund", async () => {
    const t = await tenant();
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'welcome', name: 'Welcome', kind: 'amount', amountCents: 500, validDays: 30 }).expect(201);
    await patchProgram(api, t, { referral: { inviterPoints: 200, inviterGrowth: 50, inviteeCouponTemplateCode: 'welcome', minFirstOrderCents: 5000 } });
    await addTask(t, { code: 'inv', name: 'Invite a friend', type: 'growth', trigger: { event: 'referral_completed' }, target: 1, repeat: 'once', reward: { growth: 100 } });
    await enrol(api, t, 'a');
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'b', referredBy: 'a' }).expect(201);
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'c', referredBy: 'a' }).expect(201);
    await place(t, { externalId: 'small', member: 'b', amountCents: 4000 }).expect(201);
    expect((await api.http.get('/v1/members/a/referrals').set(t.auth).expect(200)).body.data.map((r: { status: string }) => r.status)).toEqual(['pending', 'pending']);
    await place(t, { externalId: 'big', member: 'b', amountCents: 6000 }).expect(201);
    const list = (await api.http.get('/v1/members/a/referrals').set(t.auth)).body.data;
    expect(list).toContainEqual(expect.objectContaining({ unionId: 'b', status: 'completed' }));
    expect(list).toContainEqual(expect.objectContaining({ unionId: 'c', status: 'pending' }));
    expect(await balanceOf(api, t, 'a')).toMatchObject({ points: 200, growth: 150 });
    const coupons = await api.http.get('/v1/members/b/coupons').set(t.auth).expect(200);
    expect(coupons.body.data.map((c: { template: { code: string } }) => c.template.code)).toEqual(['welcome']);
    expect((await outbox(t, 'referral.completed')).map((e) => e.inviterPoints)).toEqual([200]);
    // A second qualifying order completes nothing more.
    await place(t, { externalId: 'again', member: 'b', amountCents: 9000 }).expect(201);
    expect((await balanceOf(api, t, 'a')).points).toBe(200);
    // The full refund of the order that completed it revokes it: points, growth and the task's growth.
    await refundOf(t, 'big', { refundId: 'r', amountCents: 6000 }).expect(201);
    expect(await balanceOf(api, t, 'a')).toMatchObject({ points: 0, growth: 0 });
    expect((await api.http.get('/v1/members/a/referrals').set(t.auth)).body.data).toContainEqual(expect.objectContaining({ unionId: 'b', status: 'revoked' }));
    // The invitee's welcome coupon, unused, is revoked with it.
    expect((await api.http.get('/v1/members/b/coupons').set(t.auth)).body.data.map((c: { status: string }) => c.status)).toEqual(['revoked']);
  });

  it('self-referral and cycles are refused', async () => {
    const t = await tenant();
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'x', referredBy: 'x' })).status).toBe(400);
    await enrol(api, t, 'a');
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'b', referredBy: 'a' }).expect(201);
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'c', referredBy: 'b' }).expect(201);
    const cycle = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'a', referredBy: 'c' });
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors[0].path).toBe('referredBy');
  });
});

describe('onboarding', () => {
  it('a new member gets the trial tier for N days and the welcome coupons; a re-enrolment gets nothing more', async () => {
    const t = await tenant();
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'w1', name: 'New 1', kind: 'amount', amountCents: 300, validDays: 30 }).expect(201);
    await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'w2', name: 'New 2', kind: 'amount', amountCents: 300, validDays: 30, stock: 0 }).expect(201);
    await patchProgram(api, t, { onboarding: { trialTierCode: 'gold', trialDays: 7, welcomeCouponTemplateCodes: ['w1', 'w2'] } });
    const r = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'n1' }).expect(201);
    expect(r.body.tier.code).toBe('gold');
    const history = await api.http.get('/v1/members/n1/tier-history').set(t.auth).expect(200);
    expect(history.body.data.map((h: { reason: string }) => h.reason)).toContain('trial_started');
    const coupons = await api.http.get('/v1/members/n1/coupons').set(t.auth).expect(200);
    expect(coupons.body.data.map((c: { template: { code: string } }) => c.template.code)).toEqual(['w1']);
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'n1' }).expect(200);
    expect((await api.http.get('/v1/members/n1/coupons').set(t.auth)).body.data).toHaveLength(1);
  });
});
