// History import (docs/imports.md): uploads, bad lines, idempotency, crash resume, and the
// event-time result compared with the same history sent live through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { processImport, receiveImportData } from '@unionpoint/core/imports';
import { enrolMember } from '@unionpoint/core/members';
import { verifyLedger } from '@unionpoint/core/points';
import { processRetentionRun } from '@unionpoint/core/retention';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
}, 120_000);
afterAll(async () => {
  await api?.close();
});

// A program where nothing but the rules replayed in event time moves balances: no first-order
// bonus, a member day on Wednesdays (double points), refunds as debt.
const PROGRAM = {
  tasks: { firstOrder: 0, profileCompleted: 0 },
  earn: { memberDay: { weekdays: [3], pointsMultiplierBps: 20_000 } },
  refunds: { clawback: 'debt' },
};

async function tenant(program: Record<string, unknown> = PROGRAM): Promise<TestTenant> {
  const t = await api.createTenant();
  const r = await api.http.patch('/v1/program').set(t.auth).send(program);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return t;
}

const ndjson = (records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

async function startImport(t: TestTenant, kind: string): Promise<string> {
  const r = await api.http.post('/v1/imports').set(t.auth).send({ kind });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.status).toBe('awaiting_data');
  return r.body.id as string;
}

async function upload(t: TestTenant, id: string, text: string) {
  return api.http.put(`/v1/imports/${id}/data`).set(t.auth).set('Content-Type', 'application/x-ndjson').send(text);
}

/** Creates, uploads and applies an import (the worker's use case, in small batches). */
async function runImport(t: TestTenant, kind: string, records: unknown[], batchSize = 2) {
  const id = await startImport(t, kind);
  const up = await upload(t, id, ndjson(records));
  expect(up.status, JSON.stringify(up.body)).toBe(202);
  await processImport(api.db, t.id, id, { batchSize });
  const got = await api.http.get(`/v1/imports/${id}`).set(t.auth);
  expect(got.status).toBe(200);
  return got.body as {
    id: string;
    status: string;
    total: number;
    processed: number;
    imported: number;
    skipped: number;
    errors: { line: number; message: string }[];
  };
}

// ---- a deterministic history ----
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}
const MEMBERS = ['hist-a', 'hist-b', 'hist-c', 'hist-d'];
const JOINED = '2024-01-05T02:00:00Z';
type Ord = {
  externalId: string;
  member: string;
  storeCode: string;
  amountCents: number;
  completedAt: string;
  refunds?: { refundId: string; amountCents: number; at: string }[];
};
function history(): Ord[] {
  const r = rng(42);
  const out: Ord[] = [];
  const start = Date.parse('2024-01-10T00:00:00Z');
  for (const [mi, m] of MEMBERS.entries()) {
    for (let i = 0; i < 14; i++) {
      const at = start + Math.floor(r() * 600) * 86_400_000 + Math.floor(r() * 86_400_000);
      const amount = 20_000 + Math.floor(r() * 130_000);
      const o: Ord = {
        externalId: `H-${mi}-${i}`,
        member: m,
        storeCode: i % 3 === 0 ? 'shop1' : 'mall',
        amountCents: amount,
        completedAt: new Date(at).toISOString(),
      };
      if (r() < 0.3) {
        const part = Math.floor(amount * (r() < 0.5 ? 0.4 : 1));
        const first = Math.floor(part / 2);
        o.refunds = [
          { refundId: `R-${mi}-${i}-1`, amountCents: first, at: new Date(at + 3 * 86_400_000).toISOString() },
          ...(part - first > 0
            ? [{ refundId: `R-${mi}-${i}-2`, amountCents: part - first, at: new Date(at + 40 * 86_400_000).toISOString() }]
            : []),
        ];
      }
      out.push(o);
    }
  }
  return out;
}

/** The same history sent live: each event at its time, in time order (orders before refunds at one instant). */
async function sendLive(t: TestTenant, orders: Ord[]) {
  await withTenant(api.db.prisma, t.id, async (tx) => {
    for (const m of MEMBERS) await enrolMember(tx, systemContext(t.id, 'test'), { unionId: m }, new Date(JOINED));
  });
  const events = orders.flatMap((o, line) => [
    { t: Date.parse(o.completedAt), k: 0, line, i: 0, o, f: null as null | NonNullable<Ord['refunds']>[number] },
    ...(o.refunds ?? []).map((f, i) => ({ t: Date.parse(f.at), k: 1, line, i: i + 1, o, f })),
  ]);
  events.sort((a, b) => a.t - b.t || a.k - b.k || a.line - b.line || a.i - b.i);
  for (const e of events) {
    const res = e.f
      ? await api.http
          .post(`/v1/orders/${e.o.externalId}/refunds`)
          .set(t.auth)
          .send({ storeId: `code:${e.o.storeCode}`, refundId: e.f.refundId, amountCents: e.f.amountCents, refundedAt: e.f.at })
      : await api.http
          .post('/v1/orders')
          .set(t.auth)
          .send({
            externalId: e.o.externalId,
            member: e.o.member,
            storeId: `code:${e.o.storeCode}`,
            amountCents: e.o.amountCents,
            completedAt: e.o.completedAt,
          });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

/** What a member's history left, without ids: balances, tier, ledgers, lots, tier changes. */
async function stateOf(t: TestTenant) {
  const q = async (sql: string) => (await api.db.pool.query(sql, [t.id])).rows;
  return {
    members: await q(
      `SELECT union_id, points_balance, growth, tier_code, tier_since, created_at FROM members WHERE tenant_id = $1 ORDER BY union_id`,
    ),
    points: await q(`SELECT m.union_id, p.delta, p.kind, p.reason, p.reference, p.balance_after, p.expires_at, p.at, s.code AS store
                     FROM points_ledger p JOIN members m ON m.tenant_id = p.tenant_id AND m.id = p.member_id LEFT JOIN stores s ON s.tenant_id = p.tenant_id AND s.id = p.store_id
                     WHERE p.tenant_id = $1 ORDER BY m.union_id, p.at, p.balance_after, p.kind`),
    lots: await q(`SELECT m.union_id, l.points, l.remaining, l.earned_at, l.expires_at FROM points_lots l JOIN members m ON m.tenant_id = l.tenant_id AND m.id = l.member_id
                   WHERE l.tenant_id = $1 ORDER BY m.union_id, l.earned_at, l.points`),
    growth:
      await q(`SELECT m.union_id, g.delta, g.kind, g.reason, g.reference, g.balance_after, g.at FROM growth_ledger g JOIN members m ON m.tenant_id = g.tenant_id AND m.id = g.member_id
                     WHERE g.tenant_id = $1 ORDER BY m.union_id, g.at, g.balance_after`),
    tiers:
      await q(`SELECT m.union_id, c.from_code, c.to_code, c.reason, c.at FROM tier_changes c JOIN members m ON m.tenant_id = c.tenant_id AND m.id = c.member_id
                    WHERE c.tenant_id = $1 ORDER BY m.union_id, c.at, c.to_code`),
    orders:
      await q(`SELECT o.external_id, o.amount_cents, o.completed_at, o.status, o.points_earned, o.growth_earned, o.refunded_cents, o.points_clawback_due, o.growth_clawback_due
                     FROM orders o WHERE o.tenant_id = $1 ORDER BY o.external_id`),
    refunds: await q(
      `SELECT r.refund_id, r.amount_cents, r.points_clawed_back, r.growth_clawed_back, r.created_at FROM order_refunds r WHERE r.tenant_id = $1 ORDER BY r.refund_id`,
    ),
  };
}

async function ledgerHolds(t: TestTenant) {
  const report = await withTenant(api.db.prisma, t.id, (tx) => verifyLedger(tx, systemContext(t.id, 'test')));
  expect(report.mismatches).toEqual([]);
}

const memberRecords = () =>
  MEMBERS.map((m, i) => ({
    unionId: m,
    joinedAt: JOINED,
    openIds: [{ storeCode: 'shop1', openId: `o-${m}` }],
    ...(i === 0 ? { profile: { name: 'Ada' } } : {}),
  }));
// The file out of time order: the import orders each member's history itself.
const shuffled = (orders: Ord[]) =>
  [...orders].sort((a, b) => (a.externalId.split('').reverse().join('') < b.externalId.split('').reverse().join('') ? -1 : 1));

describe('history import in event time', () => {
  let imported: TestTenant;
  let live: TestTenant;
  const orders = history();

  beforeAll(async () => {
    imported = await tenant();
    live = await tenant();
    const m = await runImport(imported, 'members', memberRecords());
    expect(m).toMatchObject({ status: 'completed', total: 4, processed: 4, imported: 4, skipped: 0, errors: [] });
    const o = await runImport(imported, 'orders', shuffled(orders), 1);
    expect(o).toMatchObject({
      status: 'completed',
      total: orders.length,
      processed: orders.length,
      imported: orders.length,
      skipped: 0,
      errors: [],
    });
    await sendLive(live, orders);
  }, 240_000);

  it('gives what the same history sent live through the API gives: points, lots and expiry, growth, tier, tier changes', async () => {
    const a = await stateOf(imported);
    const b = await stateOf(live);
    // The history crosses tiers and refunds, so the comparison says something.
    expect(new Set(a.tiers.map((r) => r.to_code)).size).toBeGreaterThan(2);
    expect(a.refunds.length).toBeGreaterThan(3);
    expect(a.points.some((p) => p.kind === 'refund_clawback')).toBe(true);
    expect(a.members).toEqual(b.members);
    expect(a.tiers).toEqual(b.tiers);
    expect(a.growth).toEqual(b.growth);
    expect(a.lots).toEqual(b.lots);
    expect(a.points).toEqual(b.points);
    expect(a.orders).toEqual(b.orders);
    expect(a.refunds).toEqual(b.refunds);
    await ledgerHolds(imported);
    await ledgerHolds(live);
  });

  it('members carry their real join date and identities; no events or gifts for the past', async () => {
    const m = await api.http.get('/v1/members/openid:o-hist-a?storeId=code:shop1').set(imported.auth);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ unionId: 'hist-a', createdAt: new Date(JOINED).toISOString(), profile: { name: 'Ada' } });
    const events = await api.db.pool.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1`, [imported.id]);
    expect(events.rows[0].n).toBe(0);
    const coupons = await api.db.pool.query(`SELECT count(*)::int AS n FROM coupons WHERE tenant_id = $1`, [imported.id]);
    expect(coupons.rows[0].n).toBe(0);
  });

  it('a second upload of the same files imports nothing more', async () => {
    const before = await stateOf(imported);
    const m = await runImport(imported, 'members', memberRecords());
    expect(m).toMatchObject({ status: 'completed', total: 4, imported: 0, skipped: 4, errors: [] });
    const o = await runImport(imported, 'orders', orders, 3);
    expect(o).toMatchObject({ status: 'completed', total: orders.length, imported: 0, skipped: orders.length, errors: [] });
    expect(await stateOf(imported)).toEqual(before);
  });

  it('an uploaded import takes no second upload (409), and a finished one runs again as a no-op', async () => {
    const list = await api.http.get('/v1/imports').set(imported.auth);
    expect(list.status).toBe(200);
    const done = list.body.data.find((i: { status: string }) => i.status === 'completed');
    const again = await upload(imported, done.id, ndjson(memberRecords()));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    expect((await processImport(api.db, imported.id, done.id)).status).toBe('skipped');
  });

  it('a retention backfill over a past period counts the imported members', async () => {
    const run = await api.http.post('/v1/retention/runs').set(imported.auth).send({ periodEnd: '2024-12-31' });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    const outcome = await processRetentionRun(api.db, imported.id, run.body.runId);
    expect(outcome.evaluated).toBe(MEMBERS.length);
  });
});

describe.each(['spend', 'rfm'] as const)('history import in event time under the %s model', (model) => {
  it('gives what the same history sent live gives (the upgrade rule reads the score at each order)', async () => {
    const orders = history();
    const imported = await tenant({ ...PROGRAM, qualificationModel: model });
    const live = await tenant({ ...PROGRAM, qualificationModel: model });
    await runImport(imported, 'members', memberRecords());
    const o = await runImport(imported, 'orders', shuffled(orders), 3);
    expect(o).toMatchObject({ status: 'completed', imported: orders.length, errors: [] });
    await sendLive(live, orders);
    const a = await stateOf(imported);
    const b = await stateOf(live);
    expect(a.tiers.filter((r) => r.reason === 'order').length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    await ledgerHolds(imported);
  }, 240_000);
});

describe('bad lines and bad requests', () => {
  it('reports each bad line with its number and imports the rest', async () => {
    const t = await tenant();
    await runImport(t, 'members', [{ unionId: 'ok-1', joinedAt: '2025-01-01T00:00:00Z' }]);
    const lines = [
      { externalId: 'A-1', member: 'ok-1', storeCode: 'mall', amountCents: 10_000, completedAt: '2025-02-01T10:00:00Z' },
      '{not json',
      { externalId: 'A-2', member: 'ok-1', storeCode: 'nowhere', amountCents: 10_000, completedAt: '2025-02-02T10:00:00Z' },
      '',
      { externalId: 'A-3', member: 'nobody', storeCode: 'mall', amountCents: 10_000, completedAt: '2025-02-03T10:00:00Z' },
      { externalId: 'A-1', member: 'ok-1', storeCode: 'mall', amountCents: 500, completedAt: '2025-02-04T10:00:00Z' },
      {
        externalId: 'A-4',
        member: 'ok-1',
        storeCode: 'mall',
        amountCents: 100,
        completedAt: '2025-02-05T10:00:00Z',
        refunds: [{ refundId: 'x', amountCents: 200, at: '2025-02-06T00:00:00Z' }],
      },
      { externalId: 'A-5', member: 'ok-1', storeCode: 'mall', completedAt: '2025-02-05T10:00:00Z' },
      { externalId: 'A-6', member: 'ok-1', storeCode: 'mall', amountCents: 100, completedAt: '2999-01-01T00:00:00Z' },
      [1, 2],
      { externalId: 'A-7', member: 'ok-1', storeCode: 'shop1', amountCents: 20_000, completedAt: '2025-03-01T10:00:00Z' },
    ];
    const r = await runImport(t, 'orders', lines);
    expect(r).toMatchObject({ status: 'completed', total: 10, processed: 10, imported: 2, skipped: 8 });
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 5, 6, 7, 8, 9, 10]);
    const byLine = new Map(r.errors.map((e) => [e.line, e.message]));
    expect(byLine.get(2)).toMatch(/JSON/);
    expect(byLine.get(3)).toMatch(/nowhere/);
    expect(byLine.get(5)).toMatch(/nobody/);
    expect(byLine.get(6)).toMatch(/line 1/);
    expect(byLine.get(7)).toMatch(/above amountCents/);
    expect(byLine.get(8)).toMatch(/amountCents/);
    expect(byLine.get(9)).toMatch(/future/);
    const member = await api.http.get('/v1/members/ok-1').set(t.auth);
    expect(member.body.points.balance).toBe(300);
    await ledgerHolds(t);
  });

  it('opening balances: credited once per reference, expiring when given', async () => {
    const t = await tenant();
    await runImport(t, 'members', [{ unionId: 'bal-1', joinedAt: '2025-01-01T00:00:00Z' }]);
    const records = [
      { member: 'bal-1', points: 500, reference: 'old-1', expiresAt: '2030-06-30T15:59:59Z' },
      { member: 'bal-1', points: 70, reference: 'old-2' },
      { member: 'bal-1', points: 5, reference: 'old-1' },
      { member: 'openid:x', points: 5, reference: 'old-3' },
    ];
    const r = await runImport(t, 'points_balances', records);
    expect(r).toMatchObject({ imported: 2, skipped: 2 });
    expect(r.errors.map((e) => e.line)).toEqual([3, 4]);
    const again = await runImport(t, 'points_balances', records.slice(0, 2));
    expect(again).toMatchObject({ imported: 0, skipped: 2, errors: [] });
    const member = await api.http.get('/v1/members/bal-1').set(t.auth);
    expect(member.body.points.balance).toBe(570);
    const lots = await api.db.pool.query(`SELECT points, expires_at FROM points_lots WHERE tenant_id = $1 ORDER BY points DESC`, [t.id]);
    expect(lots.rows[0]).toMatchObject({ points: 500, expires_at: new Date('2030-06-30T15:59:59Z') });
    await ledgerHolds(t);
  });

  it('answers 4xx for bad bodies and changes nothing', async () => {
    const t = await tenant();
    expect((await api.http.post('/v1/imports').set(t.auth).send({ kind: 'coupons' })).status).toBe(400);
    const id = await startImport(t, 'members');
    const json = await api.http.put(`/v1/imports/${id}/data`).set(t.auth).send({ unionId: 'x' });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('unsupported_media_type');
    const empty = await upload(t, id, '\n\n');
    expect(empty.status).toBe(400);
    expect((await upload(t, 'imp_missing', ndjson([{ unionId: 'x', joinedAt: JOINED }]))).status).toBe(404);
    expect((await api.http.get('/v1/imports/imp_missing').set(t.auth)).status).toBe(404);
    // Too large: the limit is checked while the stream arrives.
    await expect(
      receiveImportData(
        api.db,
        { tenantId: t.id, actor: { type: 'system', id: 'test' } },
        id,
        [Buffer.from(ndjson([{ unionId: 'x', joinedAt: JOINED }]).repeat(100))],
        { maxBytes: 1000 },
      ),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
    const got = await api.http.get(`/v1/imports/${id}`).set(t.auth);
    expect(got.body).toMatchObject({ status: 'awaiting_data', total: 0 });
    const members = await api.db.pool.query(`SELECT count(*)::int AS n FROM members WHERE tenant_id = $1`, [t.id]);
    expect(members.rows[0].n).toBe(0);
    // A retry after the broken upload goes through.
    expect((await upload(t, id, ndjson([{ unionId: 'x', joinedAt: JOINED }]))).status).toBe(202);
  });
});

describe('crash and resume', () => {
  it('an import interrupted after a batch resumes from its cursor and ends as an uninterrupted one', async () => {
    const orders = history();
    const clean = await tenant();
    await runImport(clean, 'members', memberRecords());
    await runImport(clean, 'orders', orders, 1);

    const crashed = await tenant();
    await runImport(crashed, 'members', memberRecords());
    const id = await startImport(crashed, 'orders');
    expect((await upload(crashed, id, ndjson(orders))).status).toBe(202);
    let batches = 0;
    await expect(
      processImport(api.db, crashed.id, id, {
        batchSize: 1,
        afterBatch: () => {
          if (++batches === 2) throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    const mid = await api.http.get(`/v1/imports/${id}`).set(crashed.auth);
    expect(mid.body.status).toBe('processing');
    expect(mid.body.processed).toBeGreaterThan(0);
    expect(mid.body.processed).toBeLessThan(orders.length);
    await processImport(api.db, crashed.id, id, { batchSize: 1 });
    const done = await api.http.get(`/v1/imports/${id}`).set(crashed.auth);
    expect(done.body).toMatchObject({ status: 'completed', processed: orders.length, imported: orders.length });
    expect(await stateOf(crashed)).toEqual(await stateOf(clean));
    await ledgerHolds(crashed);
  });
});
