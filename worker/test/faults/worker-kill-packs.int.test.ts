// Fault: the worker is killed (SIGKILL, no shutdown hook) in the middle of the benefit
// coupon-pack job (benefits.packs: member-id batches of PACK_BATCH_SIZE, one transaction each)
// and started again. The job whose worker died goes back to its queue once its lock lapses
// (JOB_LOCK_MS) and the restarted worker issues the packs that are missing: every member ends
// with exactly one pack for the period, its coupons once, one entitlement.granted event per
// pack, and the outbox drains with every event delivered (at least once: only a delivery the kill
// cut is sent again, with its event id). The child's clock is fixed
// (worker-at.ts, FAULT_WORKER_NOW), so the period does not depend on the wall clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../api/test/harness.ts';
import { startPrivateRedis, type PrivateRedis } from '../../../api/test/faults/private-redis.ts';
import { serviceProcess, type ServiceProcess } from '../../../api/test/faults/service-process.ts';
import { eventually, expectDeliveredAcrossKill, startReceiver, type Receiver } from '../helpers.ts';
import { createQueueBackend, loadWorkerConfig } from '../../src/index.ts';
import type { Queue } from 'bullmq';

const MEMBERS = 2_000;
const BATCH = 25; // 80 batches
const PER_MONTH = 3;
const JOB_LOCK_MS = 5_000;
const RECOVERY_BOUND_MS = 60_000;
// 2026-06-10 12:00 in Asia/Shanghai (the tenant's default time zone): June's packs.
const NOW = '2026-06-10T04:00:00.000Z';
const JUNE_START = new Date('2026-05-31T16:00:00.000Z').toISOString();
const JUNE_END = new Date('2026-06-30T16:00:00.000Z').toISOString();

let api: TestApi;
let redis: PrivateRedis;
let receiver: Receiver;
let worker: ServiceProcess;
let gifts: Queue;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  redis = await startPrivateRedis();
  receiver = await startReceiver();
  worker = serviceProcess('worker/test/faults/worker-at.ts', {
    ...process.env,
    NODE_ENV: 'test',
    FAULT_WORKER_NOW: NOW,
    DATABASE_URL: api.databaseUrl,
    REDIS_URL: redis.url,
    DATABASE_POOL_SIZE: '4',
    PACK_BATCH_SIZE: String(BATCH),
    JOB_LOCK_MS: String(JOB_LOCK_MS),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_RETRY_SCHEDULE_MS: '200,400;500;60000',
    OUTBOX_RELAY_INTERVAL_MS: '200',
    WEBHOOK_SWEEP_INTERVAL_MS: '500',
    SCHEDULE_CHECK_INTERVAL_MS: '1000',
    LOG_LEVEL: 'warn',
  });
  // The child's queues (same Redis, the default prefix), to queue the job into them.
  gifts = createQueueBackend({ ...loadWorkerConfig({}), redisUrl: redis.url }).queue('gifts');
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await gifts?.close();
  await redis?.stop();
  await receiver?.close();
  await api?.close();
}, 60_000);

describe('worker killed in the middle of benefits.packs', () => {
  it('the job runs again by itself and every member gets the period pack once, its coupons and its event once', async () => {
    const t = await api.createTenant();
    const hook = await api.http.post('/v1/webhooks').set(t.auth).send({ url: receiver.url, events: ['entitlement.granted'] });
    expect(hook.status).toBe(201);
    expect((await api.http.post('/v1/coupon-templates').set(t.auth).send({ code: 'DRINK', name: 'Free drink', kind: 'amount', amountCents: 1500, validDays: 90 })).status).toBe(201);
    const benefit = await api.http
      .post('/v1/benefits')
      .set(t.auth)
      .send({ code: 'monthly-drinks', name: 'Three free drinks a month', category: 'shopping', kind: 'coupon_pack', couponTemplateCode: 'DRINK', grants: [{ tier: 'bronze', count: PER_MONTH, per: 'month' }] });
    expect(benefit.status).toBe(201);
    // Set-based fixture: bronze (the base tier) members, each entitled to the pack.
    await api.db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at, growth)
       SELECT $1, 'mem_p' || lpad(i::text, 6, '0'), 'p' || lpad(i::text, 6, '0'), 'bronze', timestamptz '2026-01-15 10:00+08',
              timestamptz '2025-12-01 10:00+08', now(), 0
       FROM generate_series(0, $2::int - 1) AS i`,
      [t.id, MEMBERS],
    );
    const packs = async () => (await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM benefit_packs WHERE tenant_id = $1`, [t.id])).rows[0]!.n;
    const jobId = `benefits.packs.${t.id}.kill`;

    worker.start();
    await gifts.add('benefits.packs', { tenantId: t.id }, { jobId });
    // Mid-job: some batches committed, not all.
    await eventually(async () => (await packs()) >= BATCH * 3, `the first batches to commit\n${worker.output()}`, 90_000);
    await worker.kill9();
    const killedAt = performance.now();
    const killedAtWall = Date.now();
    const atKill = await packs();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(MEMBERS);
    expect(atKill % BATCH).toBe(0); // whole batches: the open one rolled back
    // Nothing moves while no worker runs.
    await new Promise((r) => setTimeout(r, 300));
    expect(await packs()).toBe(atKill);
    const mine = () => receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`)).map((r) => JSON.parse(r.body).id as string);
    const beforeRestart = new Set(mine());

    worker.start();
    // The job is back: its dead worker's lock lapsed, a stalled check moved it to the queue, and
    // the restarted worker took it up again.
    await eventually(async () => ((await gifts.getJob(jobId))?.processedOn ?? 0) > killedAtWall, `the job to run again after the restart\n${worker.output()}`, RECOVERY_BOUND_MS);
    const resumedAt = performance.now();
    await eventually(async () => (await packs()) === MEMBERS, `every member's pack after the restart\n${worker.output()}`, RECOVERY_BOUND_MS);
    const doneAt = performance.now();
    const job = await gifts.getJob(jobId);
    await eventually(async () => (await job?.getState()) === 'completed', 'the job to complete', 20_000);
    // The rerun issued only what was missing.
    expect((await gifts.getJob(jobId))?.returnvalue).toEqual({ packs: MEMBERS - atKill, coupons: (MEMBERS - atKill) * PER_MONTH });

    // Every member: exactly one pack, for June, of PER_MONTH coupons.
    const perMember = await api.db.pool.query<{ n: number; members: number; period_start: Date; period_end: Date; count: number }>(
      `SELECT n, count(*)::int AS members, period_start, period_end, count FROM (
         SELECT m.id, count(p.id)::int AS n, min(p.period_start) AS period_start, min(p.period_end) AS period_end, min(p.count) AS count
         FROM members m LEFT JOIN benefit_packs p ON p.tenant_id = m.tenant_id AND p.member_id = m.id
         WHERE m.tenant_id = $1 GROUP BY m.id) x
       GROUP BY n, period_start, period_end, count`,
      [t.id],
    );
    expect(perMember.rows.map((r) => ({ ...r, period_start: r.period_start.toISOString(), period_end: r.period_end.toISOString() }))).toEqual([
      { n: 1, members: MEMBERS, period_start: JUNE_START, period_end: JUNE_END, count: PER_MONTH },
    ]);
    // Coupons: PER_MONTH per pack, none without its pack, none doubled.
    const coupons = await api.db.pool.query<{ coupons: number; packs: number; wrong: number; orphans: number }>(
      `SELECT count(*)::int AS coupons, count(DISTINCT c.source_ref)::int AS packs,
              count(*) FILTER (WHERE p.member_id IS DISTINCT FROM c.member_id)::int AS wrong,
              count(*) FILTER (WHERE p.id IS NULL)::int AS orphans
       FROM coupons c LEFT JOIN benefit_packs p ON p.tenant_id = c.tenant_id AND p.id = c.source_ref
       WHERE c.tenant_id = $1 AND c.source = 'benefit_pack'`,
      [t.id],
    );
    expect(coupons.rows[0]).toEqual({ coupons: MEMBERS * PER_MONTH, packs: MEMBERS, wrong: 0, orphans: 0 });
    // One entitlement.granted per pack.
    const events = await api.db.pool.query<{ id: string; pack: string }>(
      `SELECT id, payload->'data'->>'packId' AS pack FROM outbox_events WHERE tenant_id = $1 AND type = 'entitlement.granted'`,
      [t.id],
    );
    expect(events.rows).toHaveLength(MEMBERS);
    expect(new Set(events.rows.map((e) => e.pack)).size).toBe(MEMBERS);

    // The outbox drains: each event delivered, a second time only if the kill cut its first send.
    await eventually(() => new Set(mine()).size === MEMBERS, `every event delivered\n${worker.output()}`, RECOVERY_BOUND_MS);
    const deliveredAt = performance.now();
    await new Promise((r) => setTimeout(r, 1_500)); // a duplicate would arrive within a few sweeps
    const received = mine();
    const { resent } = expectDeliveredAcrossKill(received, beforeRestart, events.rows.map((e) => e.id));
    const pending = await api.db.pool.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND published_at IS NULL`, [t.id]);
    expect(pending.rows[0].n).toBe(0);
    expect(worker.crashed()).toBeNull();
    console.log(
      `[faults] worker killed mid benefits.packs: ${MEMBERS} members in ${MEMBERS / BATCH} batches of ${BATCH}, killed at ${atKill} packs; ` +
        `the job ran again ${((resumedAt - killedAt) / 1000).toFixed(1)} s after the kill (restart, lock lapse and stalled check), all packs ${((doneAt - killedAt) / 1000).toFixed(1)} s after the kill, ` +
        `${MEMBERS} packs and ${MEMBERS * PER_MONTH} coupons once, ${MEMBERS} events delivered (${((deliveredAt - killedAt) / 1000).toFixed(1)} s after the kill), 0 lost, ` +
        `${resent} sent again (cut by the kill, ${beforeRestart.size} delivered before it)`,
    );
  }, 180_000);
});
