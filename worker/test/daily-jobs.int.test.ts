// The daily per-tenant jobs, driven through the worker's real queues and handlers (Redis and
// PostgreSQL) with the worker's clock set to the day under test. Each job then runs a second
// time for the same day, as a retried or re-scheduled job would, and must change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { lockMember } from '@unionpoint/core/identities';
import { creditPoints, verifyLedger } from '@unionpoint/core/points';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';
import { runJob, testWorker } from './helpers.ts';
import type { WorkerRuntime } from '../src/index.ts';

let api: TestApi;
let worker: WorkerRuntime;
/** The worker's clock: each test sets the day it runs the jobs on. */
let clock = new Date();
let jobs = 0;
const tenants: TestTenant[] = [];

beforeAll(async () => {
  api = await startTestApi();
  worker = testWorker(api.db, api.databaseUrl, {}, { now: () => clock });
});
afterAll(async () => {
  for (const t of tenants) {
    const report = await withTenant(api.db.prisma, t.id, (tx) => verifyLedger(tx, systemContext(t.id, 'test')));
    expect(report.mismatches, t.id).toEqual([]);
  }
  await worker?.close();
  await api?.close();
});

async function tenant(overrides: Record<string, unknown> = {}) {
  const t = await api.createTenant(overrides);
  tenants.push(t);
  return t;
}

/** Runs a daily job for the tenant at `at` through the queue (a fresh job id each time). */
function run(name: Parameters<typeof runJob>[1], t: TestTenant, at: string) {
  clock = new Date(at);
  return runJob(worker, name, { tenantId: t.id }, `${name}.${t.id}.${++jobs}`);
}

async function enrol(t: TestTenant, unionId: string, body: Record<string, unknown> = {}) {
  const r = await api.http.post('/v1/members').set(t.auth).send({ unionId, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string };
}

async function patchProgram(t: TestTenant, patch: Record<string, unknown>) {
  const r = await api.http.patch('/v1/program').set(t.auth).send(patch);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** A lot earned at `at` (as an order completed then would credit). */
async function creditAt(t: TestTenant, memberId: string, points: number, at: string) {
  const ctx = systemContext(t.id, 'test');
  return withTenant(api.db.prisma, t.id, async (tx) => {
    await lockMember(tx, ctx, memberId);
    return creditPoints(tx, ctx, { memberId, points, kind: 'adjust', reason: 'backdated', at: new Date(at) });
  });
}

/** Everything a daily job may write, for the "a second run changes nothing" comparisons. */
async function snapshot(t: TestTenant) {
  const q = async (sql: string) => (await api.db.pool.query(sql, [t.id])).rows;
  return {
    members: await q(`SELECT union_id, tier_code, tier_since, trial_until, points_balance, growth FROM members WHERE tenant_id = $1 ORDER BY union_id`),
    points: await q(`SELECT member_id, kind, delta, balance_after, idempotency_key FROM points_ledger WHERE tenant_id = $1 ORDER BY member_id, id`),
    lots: await q(`SELECT id, remaining, expired_at, expiring_notified_at FROM points_lots WHERE tenant_id = $1 ORDER BY id`),
    growth: await q(`SELECT member_id, kind, delta, idempotency_key FROM growth_ledger WHERE tenant_id = $1 ORDER BY member_id, id`),
    tierChanges: await q(`SELECT member_id, from_code, to_code, reason, at FROM tier_changes WHERE tenant_id = $1 ORDER BY member_id, at, id`),
    events: await q(`SELECT id, type, member_id FROM outbox_events WHERE tenant_id = $1 ORDER BY seq`),
    coupons: await q(`SELECT member_id, source, source_ref FROM coupons WHERE tenant_id = $1 ORDER BY member_id, id`),
  };
}

async function eventsOf(t: TestTenant, type: string) {
  const { rows } = await api.db.pool.query(
    `SELECT o.member_id, m.union_id, o.payload FROM outbox_events o LEFT JOIN members m ON m.tenant_id = o.tenant_id AND m.id = o.member_id
     WHERE o.tenant_id = $1 AND o.type = $2 ORDER BY o.seq`,
    [t.id, type],
  );
  return rows as { member_id: string; union_id: string; payload: { data: Record<string, unknown> } }[];
}

async function member(t: TestTenant, unionId: string) {
  const r = await api.http.get(`/v1/members/${unionId}`).set(t.auth);
  expect(r.status).toBe(200);
  return r.body as { tier: { code: string; trialUntil: string | null }; points: { balance: number }; growth: { value: number } };
}

describe('ledger.expire-points', () => {
  it('burns what is left of expired lots oldest first, one points.expired per member, once', async () => {
    const t = await tenant({ timezone: 'UTC' });
    await patchProgram(t, { expiry: { months: 1 } });
    const a = await enrol(t, 'a');
    const b = await enrol(t, 'b');
    const c = await enrol(t, 'c');
    // a: 40 expiring 2030-10-31, 25 expiring 2030-11-30; spends 10, taken from the oldest lot.
    await creditAt(t, a.id, 40, '2030-09-15T00:00:00Z');
    await creditAt(t, a.id, 25, '2030-10-20T00:00:00Z');
    expect((await api.http.post('/v1/members/a/points/redeem').set(t.auth).send({ points: 10, reference: 'spend' })).status).toBe(201);
    // b: two lots expiring the same day, burnt in the order earned.
    await creditAt(t, b.id, 5, '2030-09-01T00:00:00Z');
    await creditAt(t, b.id, 7, '2030-09-02T00:00:00Z');
    // c: its lot was spent entirely: nothing to burn, no event.
    await creditAt(t, c.id, 15, '2030-09-03T00:00:00Z');
    expect((await api.http.post('/v1/members/c/points/redeem').set(t.auth).send({ points: 15, reference: 'all' })).status).toBe(201);

    // The day before the first expiry: nothing is due.
    await run('ledger.expire-points', t, '2030-10-31T12:00:00Z');
    expect(await eventsOf(t, 'points.expired')).toEqual([]);

    await run('ledger.expire-points', t, '2030-11-10T00:10:00Z');
    expect((await member(t, 'a')).points.balance).toBe(25);
    expect((await member(t, 'b')).points.balance).toBe(0);
    expect((await member(t, 'c')).points.balance).toBe(0);
    const burnt = await api.db.pool.query(
      `SELECT m.union_id, e.delta, e.balance_after, e.reference, l.earned_at FROM points_ledger e JOIN members m ON m.tenant_id = e.tenant_id AND m.id = e.member_id
       JOIN points_lots l ON l.tenant_id = e.tenant_id AND l.id = e.reference WHERE e.tenant_id = $1 AND e.kind = 'expire' ORDER BY m.union_id, e.balance_after DESC`,
      [t.id],
    );
    expect(burnt.rows.map((r) => [r.union_id, r.delta, r.balance_after, r.earned_at.toISOString()])).toEqual([
      ['a', -30, 25, '2030-09-15T00:00:00.000Z'],
      ['b', -5, 7, '2030-09-01T00:00:00.000Z'],
      ['b', -7, 0, '2030-09-02T00:00:00.000Z'],
    ]);
    const events = await eventsOf(t, 'points.expired');
    expect(events.map((e) => [e.union_id, e.payload.data.points, e.payload.data.balance])).toEqual([
      ['a', 30, 25],
      ['b', 12, 0],
    ]);
    expect(events[1]!.payload.data.lots).toEqual(burnt.rows.filter((r) => r.union_id === 'b').map((r) => r.reference));
    // a's newer lot is untouched.
    const lots = await api.db.pool.query(`SELECT remaining, expired_at FROM points_lots WHERE tenant_id = $1 AND member_id = $2 ORDER BY earned_at`, [t.id, a.id]);
    expect(lots.rows.map((l) => [l.remaining, l.expired_at === null])).toEqual([
      [0, false],
      [25, true],
    ]);

    const before = await snapshot(t);
    await run('ledger.expire-points', t, '2030-11-10T00:10:00Z');
    await run('ledger.expire-points', t, '2030-11-11T00:10:00Z');
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('ledger.points-expiring', () => {
  it('announces each lot once, 30 days ahead, one event per member', async () => {
    const t = await tenant({ timezone: 'UTC' });
    await patchProgram(t, { expiry: { months: 1 } });
    const a = await enrol(t, 'a');
    const b = await enrol(t, 'b');
    await creditAt(t, a.id, 40, '2030-10-02T00:00:00Z'); // expires 2030-11-30T23:59:59.999Z
    await creditAt(t, a.id, 6, '2030-10-03T00:00:00Z'); // the same day
    await creditAt(t, a.id, 25, '2030-11-05T00:00:00Z'); // expires 2030-12-31T23:59:59.999Z
    await creditAt(t, b.id, 9, '2030-11-06T00:00:00Z'); // expires 2030-12-31T23:59:59.999Z

    // 2030-11-05: a's first two lots expire within 30 days, the others in 56.
    await run('ledger.points-expiring', t, '2030-11-05T00:10:00Z');
    let events = await eventsOf(t, 'points.expiring');
    expect(events.map((e) => [e.union_id, e.payload.data.points, e.payload.data.earliestExpiresAt])).toEqual([['a', 46, '2030-11-30T23:59:59.999Z']]);
    expect((events[0]!.payload.data.lots as { points: number }[]).map((l) => l.points).sort()).toEqual([40, 6]);

    const before = await snapshot(t);
    await run('ledger.points-expiring', t, '2030-11-05T00:10:00Z');
    await run('ledger.points-expiring', t, '2030-11-06T00:10:00Z');
    expect(await snapshot(t)).toEqual(before);

    // A month later the December lots come into the window; November's are not announced again.
    await run('ledger.points-expiring', t, '2030-12-05T00:10:00Z');
    events = await eventsOf(t, 'points.expiring');
    expect(events.map((e) => [e.union_id, e.payload.data.points])).toEqual([
      ['a', 46],
      ['a', 25],
      ['b', 9],
    ]);
    const notified = await api.db.pool.query(`SELECT count(*)::int AS n FROM points_lots WHERE tenant_id = $1 AND expiring_notified_at IS NULL`, [t.id]);
    expect(notified.rows[0].n).toBe(0);
  });
});

describe('ledger.monthly-bonus', () => {
  it("grants last month's 3-shopping-days bonus from the 10th (tenant time zone), once, upgrades through it, and catches up a missed month", async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    await patchProgram(t, { tasks: { firstOrder: 0 } });
    await enrol(t, 'a');
    await enrol(t, 'b');
    const order = async (externalId: string, unionId: string, amountCents: number, completedAt: string) => {
      const r = await api.http.post('/v1/orders').set(t.auth).send({ externalId, member: unionId, storeId: t.stores[0]!.id, amountCents, completedAt });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    // a: three local October days (2026-10-01T17:00Z is 10-02 in Shanghai), 990 growth in all.
    await order('a1', 'a', 33_000, '2026-10-01T02:00:00Z');
    await order('a2', 'a', 33_000, '2026-10-01T17:00:00Z');
    await order('a3', 'a', 33_000, '2026-10-15T02:00:00Z');
    // b: two days only (2026-10-31T16:30Z is already November locally).
    await order('b1', 'b', 100, '2026-10-03T02:00:00Z');
    await order('b2', 'b', 100, '2026-10-04T02:00:00Z');
    await order('b3', 'b', 100, '2026-10-31T16:30:00Z');
    // c: three September days, whose bonus (due from October 10th) the worker never ran for.
    await enrol(t, 'c');
    for (const [i, day] of ['01', '02', '03'].entries()) await order(`c${i}`, 'c', 100, `2026-09-${day}T02:00:00Z`);
    expect((await member(t, 'a')).growth.value).toBe(990);

    // 2026-11-09 23:00 in Shanghai: before the grant day, October's bonus is not due; the
    // month before is checked again and c's missed September bonus is caught up.
    expect(await run('ledger.monthly-bonus', t, '2026-11-09T15:00:00Z')).toEqual({ month: '2026-09', members: 1, granted: 1, catchUp: true });
    expect((await member(t, 'a')).growth.value).toBe(990);
    expect((await member(t, 'c')).growth.value).toBe(3 + 50);
    expect(await run('ledger.monthly-bonus', t, '2026-11-09T15:30:00Z')).toEqual({ month: '2026-09', members: 1, granted: 0, catchUp: true });

    // 2026-11-10 00:00 in Shanghai.
    expect(await run('ledger.monthly-bonus', t, '2026-11-09T16:00:00Z')).toMatchObject({ month: '2026-10', members: 1, granted: 1 });
    const a = await member(t, 'a');
    expect(a.growth.value).toBe(1040);
    expect(a.tier.code).toBe('silver');
    expect((await member(t, 'b')).growth.value).toBe(3);
    const entry = await api.db.pool.query(`SELECT delta, reference, at FROM growth_ledger WHERE tenant_id = $1 AND kind = 'monthly_shopping' ORDER BY at`, [t.id]);
    expect(entry.rows.map((r) => [r.delta, r.reference, r.at.toISOString()])).toEqual([
      [50, '2026-09', '2026-10-09T16:00:00.000Z'],
      [50, '2026-10', '2026-11-09T16:00:00.000Z'],
    ]);
    const upgrade = await api.db.pool.query(`SELECT from_code, to_code, at FROM tier_changes WHERE tenant_id = $1 AND from_code IS NOT NULL`, [t.id]);
    expect(upgrade.rows.map((r) => [r.from_code, r.to_code, r.at.toISOString()])).toEqual([['bronze', 'silver', '2026-11-09T16:00:00.000Z']]);

    const before = await snapshot(t);
    expect(await run('ledger.monthly-bonus', t, '2026-11-09T16:00:00Z')).toMatchObject({ month: '2026-10', granted: 0 });
    expect(await run('ledger.monthly-bonus', t, '2026-11-20T04:00:00Z')).toMatchObject({ month: '2026-10', granted: 0 });
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('gifts.trial-expiry', () => {
  it('ends the trials that are over, back to the higher of the tier before and the tier earned meanwhile, once', async () => {
    const t = await tenant();
    await enrol(t, 'p');
    await enrol(t, 'q');
    for (const u of ['p', 'q']) expect((await api.http.post(`/v1/members/${u}/tier-trial`).set(t.auth).send({ tierCode: 'gold' })).status).toBe(201);
    // q reaches silver during the trial (not the gold it is trying).
    const r = await api.http.post('/v1/orders').set(t.auth).send({ externalId: 'o-q', member: 'q', storeId: t.stores[0]!.id, amountCents: 120_000 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const ends = await Promise.all(['p', 'q'].map(async (u) => new Date((await member(t, u)).tier.trialUntil!).getTime()));

    expect(await run('gifts.trial-expiry', t, new Date(Math.min(...ends) - 60_000).toISOString())).toEqual({ ended: 0 });
    expect((await member(t, 'p')).tier.code).toBe('gold');

    const after = new Date(Math.max(...ends) + 60_000).toISOString();
    expect(await run('gifts.trial-expiry', t, after)).toEqual({ ended: 2 });
    const tiers = await Promise.all(['p', 'q'].map(async (u) => (await member(t, u)).tier));
    expect(tiers.map((x) => [x.code, x.trialUntil])).toEqual([
      ['bronze', null],
      ['silver', null],
    ]);
    const ended = await api.db.pool.query(
      `SELECT m.union_id, c.from_code, c.to_code, c.at FROM tier_changes c JOIN members m ON m.tenant_id = c.tenant_id AND m.id = c.member_id
       WHERE c.tenant_id = $1 AND c.reason = 'trial_ended' ORDER BY m.union_id`,
      [t.id],
    );
    // Recorded at the trial's end, not at the run.
    expect(ended.rows.map((c) => [c.union_id, c.from_code, c.to_code, c.at.getTime()])).toEqual([
      ['p', 'gold', 'bronze', ends[0]],
      ['q', 'gold', 'silver', ends[1]],
    ]);
    const changed = await eventsOf(t, 'member.tier_changed');
    expect(changed.filter((e) => e.payload.data.to !== 'gold').map((e) => [e.union_id, e.payload.data.from, e.payload.data.to])).toEqual([
      ['p', 'gold', 'bronze'],
      ['q', 'gold', 'silver'],
    ]);

    const before = await snapshot(t);
    expect(await run('gifts.trial-expiry', t, after)).toEqual({ ended: 0 });
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('gifts.birthday', () => {
  it("gives the tier's birthday gift on the tenant's local date, once a year", async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    const tiers = (await api.http.get('/v1/tiers').set(t.auth)).body.data.map((x: Record<string, unknown>) => {
      const { code, name, rank, minGrowth, benefits } = x as { code: string; name: string; rank: number; minGrowth: number; benefits: Record<string, unknown> };
      return { code, name, rank, minGrowth, benefits: code === 'gold' ? { ...benefits, birthdayGift: { points: 88 } } : benefits };
    });
    expect((await api.http.put('/v1/tiers').set(t.auth).send({ tiers })).status).toBe(200);
    await enrol(t, 'g', { profile: { birthday: '1990-03-15' } });
    await enrol(t, 'h', { profile: { birthday: '1990-03-16' } });
    await enrol(t, 's', { profile: { birthday: '1990-03-15' } });
    for (const u of ['g', 'h']) expect((await api.http.post(`/v1/members/${u}/tier`).set(t.auth).send({ tierCode: 'gold', reason: 'promo' })).status).toBe(200);

    // 2027-03-14T15:30Z is still the 14th in Shanghai; 16:30Z is the 15th there (the 14th in UTC).
    expect(await run('gifts.birthday', t, '2027-03-14T15:30:00Z')).toEqual({ granted: 0 });
    expect(await run('gifts.birthday', t, '2027-03-14T16:30:00Z')).toEqual({ granted: 1 });
    expect((await member(t, 'g')).points.balance).toBe(88);
    expect((await member(t, 'h')).points.balance).toBe(0);
    expect((await member(t, 's')).points.balance).toBe(0); // bronze has no gift
    expect((await eventsOf(t, 'points.earned')).map((e) => [e.union_id, e.payload.data.points, e.payload.data.source])).toEqual([['g', 88, 'birthday_gift']]);

    const before = await snapshot(t);
    expect(await run('gifts.birthday', t, '2027-03-14T16:30:00Z')).toEqual({ granted: 0 });
    expect(await run('gifts.birthday', t, '2027-03-15T12:00:00Z')).toEqual({ granted: 0 });
    expect(await snapshot(t)).toEqual(before);

    // The next year's birthday.
    expect(await run('gifts.birthday', t, '2028-03-14T17:00:00Z')).toEqual({ granted: 1 });
    expect((await member(t, 'g')).points.balance).toBe(176);
  });
});

describe('gifts.keep-tier', () => {
  it('credits the keep-tier gift after 3 consecutive months in the tier, once per block', async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    await patchProgram(t, { retention: { keepTierGiftPoints: 100 } });
    await enrol(t, 'g');
    await enrol(t, 'b');
    expect((await api.http.post('/v1/members/g/tier').set(t.auth).send({ tierCode: 'gold', reason: 'promo' })).status).toBe(200);
    await api.db.pool.query(`UPDATE members SET tier_since = '2030-01-15T10:00:00+08:00' WHERE tenant_id = $1 AND union_id = 'g'`, [t.id]);

    // Two months and a few days: not yet.
    expect(await run('gifts.keep-tier', t, '2030-04-14T12:00:00+08:00')).toEqual({ granted: 0 });
    expect(await run('gifts.keep-tier', t, '2030-04-15T12:00:00+08:00')).toEqual({ granted: 1 });
    expect((await member(t, 'g')).points.balance).toBe(100);
    expect((await member(t, 'b')).points.balance).toBe(0); // the lowest tier earns no gift
    expect((await eventsOf(t, 'points.earned')).map((e) => [e.union_id, e.payload.data.points, e.payload.data.balance, e.payload.data.source])).toEqual([
      ['g', 100, 100, 'keep_tier_gift'],
    ]);
    const before = await snapshot(t);
    expect(await run('gifts.keep-tier', t, '2030-04-15T12:00:00+08:00')).toEqual({ granted: 0 });
    expect(await run('gifts.keep-tier', t, '2030-05-20T12:00:00+08:00')).toEqual({ granted: 0 });
    expect(await snapshot(t)).toEqual(before);

    // Three more months: the second block.
    expect(await run('gifts.keep-tier', t, '2030-07-15T12:00:00+08:00')).toEqual({ granted: 1 });
    const gifts = await api.db.pool.query(`SELECT kind, delta, reference FROM points_ledger WHERE tenant_id = $1 ORDER BY id`, [t.id]);
    expect(gifts.rows.filter((r) => r.kind === 'keep_tier_gift').map((r) => [r.delta, r.reference])).toEqual([
      [100, 'gold'],
      [100, 'gold'],
    ]);
  });
});

describe('retention.warn-at-risk and retention.close-period', () => {
  it('warns a member at risk once from 15 days before the end, then queues the run when the period is over', async () => {
    const t = await tenant({ timezone: 'Asia/Shanghai' });
    await api.db.pool.query(`UPDATE tenants SET created_at = '2025-01-01T00:00:00Z' WHERE id = $1`, [t.id]);
    await enrol(t, 'g');
    await enrol(t, 'b');
    expect((await api.http.post('/v1/members/g/tier').set(t.auth).send({ tierCode: 'gold', reason: 'promo' })).status).toBe(200);
    // Gold since before Q2 2030, nothing earned in it.
    await api.db.pool.query(`UPDATE members SET created_at = '2029-12-01T00:00:00Z', tier_since = '2030-01-10T00:00:00Z' WHERE tenant_id = $1`, [t.id]);
    await api.db.pool.query(`UPDATE tier_changes SET at = '2030-01-10T00:00:00Z' WHERE tenant_id = $1`, [t.id]);

    expect(await run('retention.warn-at-risk', t, '2030-06-14T12:00:00+08:00')).toEqual({ warned: 0, skipped: true });
    expect(await run('retention.warn-at-risk', t, '2030-06-15T00:10:00+08:00')).toEqual({ warned: 1, skipped: false });
    const warned = await eventsOf(t, 'member.tier_at_risk');
    expect(warned.map((e) => [e.union_id, e.payload.data.tier, e.payload.data.wouldDropTo, e.payload.data.periodEnd, e.payload.data.shortfall])).toEqual([
      ['g', 'gold', 'bronze', '2030-06-30', { growth: 600 }],
    ]);
    const before = await snapshot(t);
    expect(await run('retention.warn-at-risk', t, '2030-06-15T00:10:00+08:00')).toEqual({ warned: 0, skipped: false });
    expect(await run('retention.warn-at-risk', t, '2030-06-29T00:10:00+08:00')).toEqual({ warned: 0, skipped: false });
    expect(await snapshot(t)).toEqual(before);

    // The first day of Q3: the Q2 run is queued, once.
    const closed = (await run('retention.close-period', t, '2030-07-01T00:10:00+08:00')) as { runId: string; created: boolean };
    expect(closed.created).toBe(true);
    expect(await run('retention.close-period', t, '2030-07-02T00:10:00+08:00')).toEqual({ runId: closed.runId, created: false });
    const runs = await api.db.pool.query(`SELECT id, period_end FROM retention_runs WHERE tenant_id = $1`, [t.id]);
    expect(runs.rows.map((r) => [r.id, r.period_end.toISOString()])).toEqual([[closed.runId, '2030-06-30T16:00:00.000Z']]);
  });
});
