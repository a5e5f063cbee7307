import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@unionpoint/core';
import { checkIn, recordActivity } from '@unionpoint/core/activities';
import { lockMember } from '@unionpoint/core/identities';
import { grantMonthlyShoppingBonus } from '@unionpoint/core/orders';
import type { TestApi, TestTenant } from '../harness.ts';
import { balanceOf, ledgerSuite, enrol, inTenant, order, patchProgram } from './helpers.ts';

const suite = ledgerSuite();
let api: TestApi;
beforeAll(() => {
  api = suite.api;
});
const tenant = (overrides: Record<string, unknown> = {}) => suite.tenant(overrides);
const activity = (t: TestTenant, unionId: string, body: Record<string, unknown>) =>
  api.http.post(`/v1/members/${unionId}/activities`).set(t.auth).send(body);

/** Runs a core activity use case at a chosen instant (time-zone edges). */
function at<T>(
  t: TestTenant,
  memberId: string,
  fn: (tx: Parameters<Parameters<typeof inTenant>[2]>[0], ctx: ReturnType<typeof systemContext>) => Promise<T>,
) {
  const ctx = systemContext(t.id, 'test');
  return inTenant(api, t.id, async (tx) => {
    await lockMember(tx, ctx, memberId);
    return fn(tx, ctx);
  });
}

describe('activities', () => {
  it('login: growth for the first login of the local day only; replays by reference', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const a = await activity(t, 'u1', { type: 'login', reference: 's1' });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({ growthAwarded: 5, pointsAwarded: 0 });
    expect((await activity(t, 'u1', { type: 'login', reference: 's1' })).status).toBe(200);
    expect((await activity(t, 'u1', { type: 'login', reference: 's2' })).body).toEqual({ growthAwarded: 0, pointsAwarded: 0 });
    expect((await activity(t, 'u1', { type: 'review', reference: 's1', itemPriceCents: 5000 })).status).toBe(409);
    expect((await balanceOf(api, t, 'u1')).growth).toBe(5);
  });

  it('first login of the day follows the tenant time zone', async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    const m = await enrol(api, t, 'u1');
    const login = (ref: string, iso: string) =>
      at(t, m.id, (tx, ctx) => recordActivity(tx, ctx, { memberId: m.id }, { type: 'login', reference: ref }, { now: new Date(iso) }));
    expect((await login('a', '2026-11-20T15:59:59Z')).body.growthAwarded).toBe(5); // 23:59:59 on the 20th
    expect((await login('b', '2026-11-20T16:00:00Z')).body.growthAwarded).toBe(5); // 00:00 on the 21st
    expect((await login('c', '2026-11-21T10:00:00Z')).body.growthAwarded).toBe(0); // 18:00 on the 21st
  });

  it('reviews need an item price at the minimum; photo reviews count the first N of an item', async () => {
    const t = await tenant();
    await patchProgram(api, t, { growthRules: { photoReviewsPerItem: 2 } });
    await enrol(api, t, 'u1');
    await enrol(api, t, 'u2');
    expect((await activity(t, 'u1', { type: 'review', reference: 'r1', itemPriceCents: 1999 })).body.growthAwarded).toBe(0);
    expect((await activity(t, 'u1', { type: 'review', reference: 'r2', itemPriceCents: 2000 })).body.growthAwarded).toBe(20);
    expect((await activity(t, 'u1', { type: 'photo_review', reference: 'p1', itemSku: 'SKU' })).body.growthAwarded).toBe(20);
    expect((await activity(t, 'u2', { type: 'photo_review', reference: 'p2', itemSku: 'SKU' })).body.growthAwarded).toBe(20);
    expect((await activity(t, 'u2', { type: 'photo_review', reference: 'p3', itemSku: 'SKU' })).body.growthAwarded).toBe(0);
    expect((await activity(t, 'u2', { type: 'photo_review', reference: 'p4', itemSku: 'OTHER' })).body.growthAwarded).toBe(20);
  });

  it('deleting a review claws back its growth, once; unknown reference is 404', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    await activity(t, 'u1', { type: 'review', reference: 'r1', itemPriceCents: 5000 });
    const del = await api.http.delete('/v1/members/u1/activities/r1').set(t.auth);
    expect(del.status).toBe(200);
    expect(del.body.growthClawedBack).toBe(20);
    expect((await api.http.delete('/v1/members/u1/activities/r1').set(t.auth)).body.growthClawedBack).toBe(20);
    expect((await balanceOf(api, t, 'u1')).growth).toBe(0);
    expect((await api.http.delete('/v1/members/u1/activities/nope').set(t.auth)).status).toBe(404);
  });

  it('profile_completed gives the task points once, only when the profile holds the required fields; daily caps cut awards', async () => {
    const t = await tenant();
    await patchProgram(api, t, { caps: { activityGrowthPerDay: 30, activityPointsPerDay: 200 }, growthRules: { share: 4 }, tasks: { profileRequiredFields: ['name', 'phone'] } });
    await api.http.post('/v1/members').set(t.auth).send({ unionId: 'u1', profile: { name: 'Li', phone: '13800000000' } }).expect(201);
    // The storefront's word is not enough: the profile must hold the fields.
    await enrol(api, t, 'u2');
    expect((await activity(t, 'u2', { type: 'profile_completed', reference: 'pc0' })).body).toEqual({ growthAwarded: 0, pointsAwarded: 0 });
    expect((await activity(t, 'u1', { type: 'profile_completed', reference: 'pc' })).body).toEqual({ growthAwarded: 0, pointsAwarded: 50 });
    // A replay answers what the first call did.
    expect((await activity(t, 'u1', { type: 'profile_completed', reference: 'pc' })).body).toEqual({ growthAwarded: 0, pointsAwarded: 50 });
    expect((await activity(t, 'u1', { type: 'profile_completed', reference: 'pc2' })).body.pointsAwarded).toBe(0);
    expect((await activity(t, 'u1', { type: 'review', reference: 'r1', itemPriceCents: 5000 })).body.growthAwarded).toBe(20);
    expect((await activity(t, 'u1', { type: 'review', reference: 'r2', itemPriceCents: 5000 })).body.growthAwarded).toBe(10);
    expect((await activity(t, 'u1', { type: 'share', reference: 'sh' })).body.growthAwarded).toBe(0);
    expect(await balanceOf(api, t, 'u1')).toMatchObject({ growth: 30, points: 50 });
  });

  it('refuses unknown types and missing references', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    expect((await activity(t, 'u1', { type: 'dance', reference: 'x' })).status).toBe(400);
    expect((await activity(t, 'u1', { type: 'login' })).status).toBe(400);
  });
});

describe('check-ins', () => {
  it('rising streak rewards, 422 on the same local day, reset after a missed day (tenant time zone)', async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    const m = await enrol(api, t, 'u1');
    const ci = (iso: string) => at(t, m.id, (tx, ctx) => checkIn(tx, ctx, { memberId: m.id }, { now: new Date(iso) }));
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08'];
    const got = [];
    // 23:30 local each day (15:30Z): the same instant is already the next day in UTC+8 terms.
    for (const d of days) got.push(await ci(`${d}T15:30:00Z`));
    expect(got.map((g) => g.streak)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(got.map((g) => g.pointsAwarded)).toEqual([1, 2, 3, 5, 5, 5, 10, 10]);
    // 2026-11-08T16:30Z is 00:30 on the 9th locally: a new day, streak goes on.
    expect((await ci('2026-11-08T16:30:00Z')).streak).toBe(9);
    await expect(ci('2026-11-09T10:00:00Z')).rejects.toMatchObject({ code: 'already_checked_in' });
    // The 10th is missed: the 11th restarts at 1.
    expect(await ci('2026-11-11T02:00:00Z')).toMatchObject({ streak: 1, pointsAwarded: 1 });
  });

  it('over HTTP: 201 then 422 already_checked_in', async () => {
    const t = await tenant();
    await enrol(api, t, 'u1');
    const first = await api.http.post('/v1/members/u1/check-ins').set(t.auth).send();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ streak: 1, pointsAwarded: 1 });
    const second = await api.http.post('/v1/members/u1/check-ins').set(t.auth).send();
    expect(second.status).toBe(422);
    expect(second.body.code).toBe('already_checked_in');
    expect((await balanceOf(api, t, 'u1')).points).toBe(1);
  });
});

describe('monthly shopping bonus', () => {
  it('grants the bonus on the 10th of the next month to members who shopped on 3 local days, once', async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    await patchProgram(api, t, { tasks: { firstOrder: 0 } });
    await enrol(api, t, 'a');
    await enrol(api, t, 'b');
    // a: three local October days (10-01, 10-02, 10-15); 2026-10-31T16:30Z is already November locally.
    for (const [id, iso] of [
      ['a1', '2026-10-01T02:00:00Z'],
      ['a2', '2026-10-01T17:00:00Z'],
      ['a3', '2026-10-15T02:00:00Z'],
      ['a4', '2026-10-31T16:30:00Z'],
    ] as const) {
      await order(api, t, { externalId: id, member: 'a', amountCents: 100, completedAt: iso });
    }
    // b: three orders on two local days.
    for (const [id, iso] of [
      ['b1', '2026-10-03T02:00:00Z'],
      ['b2', '2026-10-03T05:00:00Z'],
      ['b3', '2026-10-04T02:00:00Z'],
    ] as const) {
      await order(api, t, { externalId: id, member: 'b', amountCents: 100, completedAt: iso });
    }
    const ctx = systemContext(t.id, 'test');
    await expect(
      inTenant(api, t.id, (tx) => grantMonthlyShoppingBonus(tx, ctx, { month: '2026-10', now: new Date('2026-11-09T15:00:00Z') })),
    ).rejects.toMatchObject({ code: 'business_rule' });
    const run = await inTenant(api, t.id, (tx) => grantMonthlyShoppingBonus(tx, ctx, { now: new Date('2026-11-10T00:00:00Z') }));
    expect(run).toMatchObject({ month: '2026-10', granted: 1 });
    const again = await inTenant(api, t.id, (tx) =>
      grantMonthlyShoppingBonus(tx, ctx, { month: '2026-10', now: new Date('2026-11-11T00:00:00Z') }),
    );
    expect(again.granted).toBe(0);
    expect((await balanceOf(api, t, 'a')).growth).toBe(4 + 50);
    expect((await balanceOf(api, t, 'b')).growth).toBe(3);
    const ledger = await api.http.get('/v1/members/a/ledger?kind=growth').set(t.auth);
    expect(ledger.body.data[0]).toMatchObject({ kind: 'monthly_shopping', delta: 50, reference: '2026-10' });
  });
});
