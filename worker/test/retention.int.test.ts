import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { grantKeepTierGifts, processRetentionRun, warnMembersAtRisk, type KeepTierGift } from '@unionpoint/core/retention';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';
import { eventually, testWorker } from './helpers.ts';
import { HANDLERS } from '../src/handlers/index.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

// Q2 2026 in Asia/Shanghai: [2026-04-01, 2026-07-01) local.
const Q2_END = '2026-06-30';
const ts = (s: string) => new Date(`${s}+08:00`);

interface Fixture {
  id: string;
  tier: string;
  createdAt: string;
  changes?: [string | null, string, string][]; // from, to, at
  trialUntil?: string;
}

/** Members of every case: the ids sort in this order, so small batches cut between them. */
function fixture(n = 1): Fixture[] {
  const out: Fixture[] = [];
  for (let i = 0; i < n; i++) {
    const p = `m${String(i).padStart(3, '0')}`;
    out.push(
      // Gold since January, nothing earned in Q2: drops.
      { id: `${p}a`, tier: 'gold', createdAt: '2025-12-01T10:00:00', changes: [['bronze', 'gold', '2026-01-15T10:00:00']] },
      // Reached silver during Q2: protected until the end of Q3.
      { id: `${p}b`, tier: 'silver', createdAt: '2026-01-01T10:00:00', changes: [['bronze', 'silver', '2026-05-10T10:00:00']] },
      // Bronze: nothing to lose.
      { id: `${p}c`, tier: 'bronze', createdAt: '2026-01-01T10:00:00' },
      // Gold at the period end, diamond since August (a later event): stays diamond.
      { id: `${p}d`, tier: 'diamond', createdAt: '2025-12-01T10:00:00', changes: [['bronze', 'gold', '2026-02-01T10:00:00'], ['gold', 'diamond', '2026-08-01T10:00:00']] },
      // Joined after the period: not evaluated.
      { id: `${p}e`, tier: 'silver', createdAt: '2026-07-05T10:00:00', changes: [['bronze', 'silver', '2026-07-06T10:00:00']] },
      // Diamond on a trial that outlasts the period end: the trial reverts it, not retention.
      { id: `${p}f`, tier: 'diamond', createdAt: '2026-03-01T10:00:00', changes: [['bronze', 'diamond', '2026-03-01T10:00:00']], trialUntil: '2026-07-03T10:00:00' },
    );
  }
  return out;
}

async function seed(t: TestTenant, members: Fixture[]) {
  for (const m of members) {
    await api.db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at, trial_until, growth)
       VALUES ($1, $2, $6, $3, $4, $4, now(), $5, 0)`,
      [t.id, `mem_${m.id}`, m.tier, ts(m.createdAt), m.trialUntil ? ts(m.trialUntil) : null, m.id],
    );
    for (const [i, [from, to, at]] of (m.changes ?? []).entries()) {
      await api.db.pool.query(`INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at) VALUES ($1, $2, $3, $4, $5, 'upgrade', $6)`, [
        t.id,
        `tch_${m.id}_${i}`,
        `mem_${m.id}`,
        from,
        to,
        ts(at),
      ]);
    }
  }
}

/**
 * Every id the tenant's rows got follows newId's one scheme (prefix + base58 of 16 bytes),
 * whether minted in TS or in a set-based statement; an event's payload carries its row's id.
 */
async function expectOneIdScheme(t: TestTenant) {
  const base58 = '[1-9A-HJ-NP-Za-km-z]{21,22}';
  for (const [table, prefix] of [['outbox_events', 'evt'], ['tier_changes', 'tch'], ['growth_ledger', 'gle'], ['points_ledger', 'ple']] as const) {
    // Fixture rows (seed()) are written by the test with readable ids.
    const { rows } = await api.db.pool.query<{ id: string }>(`SELECT id FROM ${table} WHERE tenant_id = $1 AND id NOT LIKE 'tch\\_m%'`, [t.id]);
    for (const r of rows) expect(r.id, table).toMatch(new RegExp(`^${prefix}_${base58}$`));
  }
  const events = await api.db.pool.query<{ id: string; payload: { id: string } }>(`SELECT id, payload FROM outbox_events WHERE tenant_id = $1`, [t.id]);
  for (const e of events.rows) expect(e.payload.id).toBe(e.id);
}

async function state(t: TestTenant) {
  const { rows } = await api.db.pool.query(
    `SELECT m.union_id, m.tier_code, m.tier_since, m.protected_until,
       (SELECT count(*)::int FROM tier_changes c WHERE c.tenant_id = m.tenant_id AND c.member_id = m.id AND c.reason = 'retention') AS retention_changes
     FROM members m WHERE m.tenant_id = $1 ORDER BY m.union_id`,
    [t.id],
  );
  return rows.map((r) => ({ ...r, tier_since: r.tier_since.toISOString(), protected_until: r.protected_until?.toISOString() ?? null }));
}

describe('retention: happy path', () => {
  it('previews, queues idempotently, runs through the worker and records the run', async () => {
    const t = await api.createTenant();
    await seed(t, fixture());

    const preview = await api.http.post('/v1/retention/preview').set(t.auth).send({ periodEnd: Q2_END });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ periodStart: '2026-04-01', periodEnd: '2026-06-30', evaluated: 5, atRisk: 1, protected: 1, wouldDowngrade: [{ code: 'gold', count: 1 }] });
    expect(preview.body.sample[0]).toMatchObject({ unionId: 'm000a', from: 'gold', to: 'bronze', shortfall: { growth: 600 } });

    const queued = await api.http.post('/v1/retention/runs').set(t.auth).send({ periodEnd: Q2_END });
    expect(queued.status).toBe(202);
    const again = await api.http.post('/v1/retention/runs').set(t.auth).send({ periodEnd: '2026-05-15' });
    expect(again.status).toBe(202);
    expect(again.body.runId).toBe(queued.body.runId);

    const worker = testWorker(api.db, api.databaseUrl);
    try {
      await worker.scheduleRecurring();
      await eventually(async () => (await api.http.get(`/v1/retention/runs/${queued.body.runId}`).set(t.auth)).body.status === 'completed', 'run completed');
    } finally {
      await worker.close();
    }
    const run = await api.http.get(`/v1/retention/runs/${queued.body.runId}`).set(t.auth);
    expect(run.body).toMatchObject({ periodStart: '2026-04-01', periodEnd: '2026-06-30', status: 'completed', evaluated: 5, downgraded: 1, protected: 1 });
    expect(run.body.startedAt).not.toBeNull();
    expect(run.body.finishedAt).not.toBeNull();
    const list = await api.http.get('/v1/retention/runs').set(t.auth);
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([queued.body.runId]);

    const s = await state(t);
    const by = Object.fromEntries(s.map((r) => [r.union_id, r]));
    expect(by.m000a).toMatchObject({ tier_code: 'bronze', retention_changes: 1, tier_since: ts('2026-07-01T00:00:00').toISOString() });
    expect(by.m000b).toMatchObject({ tier_code: 'silver', retention_changes: 0, protected_until: ts('2026-10-01T00:00:00').toISOString() });
    expect(by.m000c.tier_code).toBe('bronze');
    expect(by.m000d).toMatchObject({ tier_code: 'diamond', retention_changes: 0 });
    expect(by.m000e).toMatchObject({ tier_code: 'silver', retention_changes: 0 });
    expect(by.m000f).toMatchObject({ tier_code: 'diamond', retention_changes: 0 });

    const events = await api.db.pool.query(`SELECT type, member_id, payload FROM outbox_events WHERE tenant_id = $1 AND type IN ('member.tier_changed', 'retention.completed') ORDER BY seq`, [t.id]);
    expect(events.rows.map((e) => [e.type, e.member_id])).toEqual([
      ['member.tier_changed', 'mem_m000a'],
      ['retention.completed', null],
    ]);
    expect(events.rows[0].payload.data).toMatchObject({ from: 'gold', to: 'bronze', reason: 'retention' });
    expect(events.rows[1].payload.data).toMatchObject({ runId: queued.body.runId, evaluated: 5, downgraded: 1 });

    await expectOneIdScheme(t);

    // Running the same run again changes nothing.
    const before = await state(t);
    expect((await processRetentionRun(api.db, t.id, queued.body.runId)).status).toBe('skipped');
    expect(await state(t)).toEqual(before);
  });

  it('resumes a run that crashed mid-way with the same result as an uninterrupted one', async () => {
    const crashed = await api.createTenant();
    const clean = await api.createTenant();
    await seed(crashed, fixture(5));
    await seed(clean, fixture(5));
    const q1 = await api.http.post('/v1/retention/runs').set(crashed.auth).send({ periodEnd: Q2_END });
    const q2 = await api.http.post('/v1/retention/runs').set(clean.auth).send({ periodEnd: Q2_END });

    let batches = 0;
    await expect(
      processRetentionRun(api.db, crashed.id, q1.body.runId, {
        batchSize: 4,
        afterBatch: () => {
          if (++batches === 2) throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    const mid = await api.http.get(`/v1/retention/runs/${q1.body.runId}`).set(crashed.auth);
    expect(mid.body).toMatchObject({ status: 'running', evaluated: 8 });

    const resumed = await processRetentionRun(api.db, crashed.id, q1.body.runId, { batchSize: 4 });
    const whole = await processRetentionRun(api.db, clean.id, q2.body.runId, { batchSize: 1000 });
    expect(resumed).toEqual(whole);
    expect(whole).toMatchObject({ status: 'completed', evaluated: 25, downgraded: 5, protected: 5 });
    expect(await state(crashed)).toEqual(await state(clean));
    const changes = await api.db.pool.query(`SELECT count(*)::int AS n FROM tier_changes WHERE tenant_id = $1 AND reason = 'retention'`, [crashed.id]);
    expect(changes.rows[0].n).toBe(5);
  });
});

describe('retention: with orders and the growth ledger', () => {
  it('keeps members who earned the requirement, drops the others to the tier they met and resets growth', async () => {
    const t = await api.createTenant();
    const storeId = t.stores[0]!.id;
    const order = async (member: string, externalId: string, amountCents: number, completedAt: string) => {
      const res = await api.http.post('/v1/orders').set(t.auth).send({ externalId, member, storeId, amountCents, completedAt: ts(completedAt).toISOString() });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    for (const u of ['g1', 'g2', 'g3']) expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: u })).status).toBe(201);
    // Members of the past: enrolled last year (retention evaluates members who existed at the end).
    await api.db.pool.query(`UPDATE members SET created_at = $2 WHERE tenant_id = $1`, [t.id, ts('2025-12-01T10:00:00')]);
    // All three reach gold in January (growth 7000 ≥ 5000).
    for (const u of ['g1', 'g2', 'g3']) await order(u, `${u}-jan`, 700_000, '2026-01-10T12:00:00');
    // Q2: g1 earns 300 (silver's 200 met, gold's 600 not); g2 earns 700 (keeps gold); g3 nothing.
    await order('g1', 'g1-may', 30_000, '2026-05-05T12:00:00');
    await order('g2', 'g2-may', 70_000, '2026-05-06T12:00:00');
    // After the period: kept by the reset (growth booked after the end stays).
    await order('g1', 'g1-aug', 10_000, '2026-08-01T12:00:00');

    const preview = await api.http.post('/v1/retention/preview').set(t.auth).send({ periodEnd: Q2_END });
    expect(preview.body).toMatchObject({ evaluated: 3, atRisk: 2, wouldDowngrade: [{ code: 'gold', count: 2 }] });

    const q = await api.http.post('/v1/retention/runs').set(t.auth).send({ periodEnd: Q2_END });
    const outcome = await processRetentionRun(api.db, t.id, q.body.runId, { batchSize: 2 });
    expect(outcome).toMatchObject({ status: 'completed', evaluated: 3, downgraded: 2, protected: 0 });

    const member = async (u: string) => (await api.http.get(`/v1/members/${u}`).set(t.auth)).body;
    const [g1, g2, g3] = [await member('g1'), await member('g2'), await member('g3')];
    expect([g1.tier.code, g2.tier.code, g3.tier.code]).toEqual(['silver', 'gold', 'bronze']);
    // g1: 7300 at the end → silver's 1000, plus the 100 earned in August.
    expect(g1.growth.value).toBe(1100);
    expect(g2.growth.value).toBe(7700);
    expect(g3.growth.value).toBe(0);
    const ledger = await api.http.get('/v1/members/g1/ledger?kind=growth').set(t.auth);
    const reset = ledger.body.data.find((e: { reason: string; delta: number }) => e.delta === -6300);
    expect(reset).toBeDefined();
    // The growth ledger still sums to the cached value for every member.
    const sums = await api.db.pool.query(
      `SELECT m.union_id, m.growth, COALESCE((SELECT sum(delta) FROM growth_ledger g WHERE g.tenant_id = m.tenant_id AND g.member_id = m.id), 0)::int AS total
       FROM members m WHERE m.tenant_id = $1`,
      [t.id],
    );
    for (const r of sums.rows) expect(r.total, r.union_id).toBe(r.growth);
    await expectOneIdScheme(t);

    // Keep-tier gift through the worker's handler: points credited once through the ledger.
    expect((await api.http.patch('/v1/program').set(t.auth).send({ retention: { keepTierGiftPoints: 100 } })).status).toBe(200);
    const before = (await member('g2')).points.balance;
    const worker = testWorker(api.db, api.databaseUrl, {}, { process: false });
    try {
      const handler = HANDLERS['gifts.keep-tier']!;
      await handler({ tenantId: t.id }, worker.context, undefined as never);
      await handler({ tenantId: t.id }, worker.context, undefined as never);
    } finally {
      await worker.close();
    }
    expect((await member('g2')).points.balance).toBe(before + 100);
    const points = await api.http.get('/v1/members/g2/ledger?kind=points').set(t.auth);
    expect(points.body.data.filter((e: { delta: number; reason: string }) => e.delta === 100 && e.reason === 'Kept gold')).toHaveLength(1);
  });
});

describe('retention: warnings and gifts', () => {
  it('warns members at risk once, from warnDays before the period end, with the shortfall', async () => {
    const t = await api.createTenant();
    await seed(t, fixture());
    const ctx = systemContext(t.id, 'test');
    const warn = (at: string) => withTenant(api.db.prisma, t.id, (tx) => warnMembersAtRisk(tx, ctx, ts(at)));
    expect(await warn('2026-06-14T12:00:00')).toEqual({ warned: 0, skipped: true });
    expect(await warn('2026-06-15T12:00:00')).toEqual({ warned: 1, skipped: false });
    expect(await warn('2026-06-16T12:00:00')).toEqual({ warned: 0, skipped: false });
    const events = await api.db.pool.query(`SELECT member_id, payload FROM outbox_events WHERE tenant_id = $1 AND type = 'member.tier_at_risk'`, [t.id]);
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0].member_id).toBe('mem_m000a');
    expect(events.rows[0].payload.data).toMatchObject({ tier: 'gold', wouldDropTo: 'bronze', periodEnd: '2026-06-30', shortfall: { growth: 600 } });
    await expectOneIdScheme(t);
  });

  it('grants the keep-tier gift once per block of months held, when configured', async () => {
    const t = await api.createTenant();
    await seed(t, fixture());
    const ctx = systemContext(t.id, 'test');
    const credited: (KeepTierGift & { idempotencyKey: string })[] = [];
    const grant = (at: string) => withTenant(api.db.prisma, t.id, (tx) => grantKeepTierGifts(tx, ctx, async (_tx, _ctx, g) => void credited.push(g), ts(at)));
    // Off by default (keepTierGiftPoints 0).
    expect(await grant('2026-06-20T12:00:00')).toEqual({ granted: 0 });
    const patch = await api.http.patch('/v1/program').set(t.auth).send({ retention: { keepTierGiftPoints: 100 } });
    expect(patch.status).toBe(200);
    // Gold since mid-January (5 months by June 20th); the others hold their tier for less than 3.
    await api.db.pool.query(`UPDATE members SET tier_since = $2 WHERE tenant_id = $1 AND union_id = 'm000a'`, [t.id, ts('2026-01-15T10:00:00')]);
    await api.db.pool.query(`UPDATE members SET tier_since = $2 WHERE tenant_id = $1 AND union_id = 'm000b'`, [t.id, ts('2026-05-10T10:00:00')]);
    await api.db.pool.query(`UPDATE members SET tier_since = $2, trial_until = NULL WHERE tenant_id = $1 AND union_id IN ('m000d', 'm000e', 'm000f')`, [t.id, ts('2026-06-01T10:00:00')]);
    expect(await grant('2026-06-20T12:00:00')).toEqual({ granted: 1 });
    expect(credited).toEqual([expect.objectContaining({ memberId: 'mem_m000a', tierCode: 'gold', block: 1, points: 100 })]);
    expect(await grant('2026-06-21T12:00:00')).toEqual({ granted: 0 });
    // Three more months: the next block.
    expect(await grant('2026-07-16T12:00:00')).toEqual({ granted: 1 });
    expect(credited[1]).toMatchObject({ memberId: 'mem_m000a', block: 2 });
    expect(new Set(credited.map((c) => c.idempotencyKey)).size).toBe(2);
  });
});

describe('retention: errors', () => {
  it('refuses bad dates, periods not over and unknown runs', async () => {
    const t = await api.createTenant();
    for (const body of [{ periodEnd: '2026-02-30' }, { periodEnd: 'soon' }, {}, { periodEnd: Q2_END, extra: 1 }]) {
      const res = await api.http.post('/v1/retention/runs').set(t.auth).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const future = await api.http.post('/v1/retention/runs').set(t.auth).send({ periodEnd: '2027-03-31' });
    expect(future.status).toBe(422);
    expect((await api.http.get('/v1/retention/runs/rrn_missing').set(t.auth)).status).toBe(404);
    expect((await api.http.post('/v1/retention/preview').set(t.auth).send({ periodEnd: 'x' })).status).toBe(400);
    const current = await api.http.post('/v1/retention/preview').set(t.auth).send({});
    expect(current.status).toBe(200);
    expect(current.body.evaluated).toBe(0);
  });
});

describe('retention: security', () => {
  it("keeps runs to their tenant and needs a tenant key", async () => {
    const a = await api.createTenant();
    const b = await api.createTenant();
    const q = await api.http.post('/v1/retention/runs').set(a.auth).send({ periodEnd: Q2_END });
    expect((await api.http.get(`/v1/retention/runs/${q.body.runId}`).set(b.auth)).status).toBe(404);
    expect((await api.http.get('/v1/retention/runs').set(b.auth)).body.data).toEqual([]);
    expect((await api.http.post('/v1/retention/runs').send({ periodEnd: Q2_END })).status).toBe(401);
    expect((await api.http.post('/v1/retention/preview').set(api.platform).send({})).status).toBe(403);
    // b's run for the same period is its own.
    const qb = await api.http.post('/v1/retention/runs').set(b.auth).send({ periodEnd: Q2_END });
    expect(qb.body.runId).not.toBe(q.body.runId);
  });
});
