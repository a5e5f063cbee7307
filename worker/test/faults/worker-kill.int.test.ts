// Fault: the worker is killed (SIGKILL, no shutdown hook) in the middle of a retention run and
// started again. The worker runs as its own process, as in production, on the test API's
// database and a private redis-server. The run must complete by itself (the dispatcher takes
// over a run whose heartbeat stopped: RETENTION_STALE_AFTER_MS), each member is evaluated once
// (one tier change at most, the run's counts equal an uninterrupted run's), and the outbox
// drains with every event delivered (at least once: only a delivery the kill cut is sent again,
// with its event id).
//
// The same for the other long job, gifts.trial-expiry (bounded transactions of 500 trials): the
// job whose worker died goes back to its queue once its lock lapses (JOB_LOCK_MS) and the
// restarted worker ends the trials that are left, each once. (The coupon-pack job's kill is
// worker-kill-packs.int.test.ts; the other daily jobs are single statements that a re-run
// repeats harmlessly, worker/test/daily-jobs.int.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../api/test/harness.ts';
import { startPrivateRedis, type PrivateRedis } from '../../../api/test/faults/private-redis.ts';
import { serviceProcess, type ServiceProcess } from '../../../api/test/faults/service-process.ts';
import { eventually, expectDeliveredAcrossKill, startReceiver, type Receiver } from '../helpers.ts';
import { createQueueBackend, loadWorkerConfig } from '../../src/index.ts';
import type { Queue } from 'bullmq';

// Three kinds of member, ids in a repeating order so every batch holds each kind.
const MEMBERS = 3_000;
const BATCH = 40;
const STALE_AFTER_MS = 5_000;
const RECOVERY_BOUND_MS = 60_000;
const TRIALS = 600; // the job's transactions take 500: killed after the first
const JOB_LOCK_MS = 5_000;
// Q2 2026 in Asia/Shanghai (the tenant's default time zone).
const Q2_END = '2026-06-30';

let api: TestApi;
let redis: PrivateRedis;
let receiver: Receiver;
let worker: ServiceProcess;
let gifts: Queue;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  redis = await startPrivateRedis();
  receiver = await startReceiver();
  worker = serviceProcess('worker/src/main.ts', {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: api.databaseUrl,
    REDIS_URL: redis.url,
    DATABASE_POOL_SIZE: '4',
    RETENTION_BATCH_SIZE: String(BATCH),
    RETENTION_STALE_AFTER_MS: String(STALE_AFTER_MS),
    JOB_LOCK_MS: String(JOB_LOCK_MS),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_RETRY_SCHEDULE_MS: '200,400;500;60000',
    OUTBOX_RELAY_INTERVAL_MS: '200',
    WEBHOOK_SWEEP_INTERVAL_MS: '500',
    SCHEDULE_CHECK_INTERVAL_MS: '1000',
    LOG_LEVEL: 'warn',
  });
  // The child's queues (same Redis, the default prefix), to queue a job into them.
  gifts = createQueueBackend({ ...loadWorkerConfig({}), redisUrl: redis.url }).queue('gifts');
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await gifts?.close();
  await redis?.stop();
  await receiver?.close();
  await api?.close();
}, 60_000);

describe('worker killed in the middle of a retention run', () => {
  it('the restarted worker completes the run by itself: each member evaluated once, each event delivered once', async () => {
    const t = await api.createTenant();
    const hook = await api.http.post('/v1/webhooks').set(t.auth).send({ url: receiver.url, events: ['member.tier_changed', 'retention.completed'] });
    expect(hook.status).toBe(201);
    // Set-based fixture: i % 3 = 0 gold since January with no growth in Q2 (drops to bronze),
    // 1 reached silver in May (protected), 2 bronze (nothing to lose).
    await api.db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at, growth)
       SELECT $1, 'mem_k' || lpad(i::text, 6, '0'), 'k' || lpad(i::text, 6, '0'),
              CASE i % 3 WHEN 0 THEN 'gold' WHEN 1 THEN 'silver' ELSE 'bronze' END,
              CASE i % 3 WHEN 1 THEN timestamptz '2026-05-10 10:00+08' ELSE timestamptz '2026-01-15 10:00+08' END,
              timestamptz '2025-12-01 10:00+08', now(), 0
       FROM generate_series(0, $2::int - 1) AS i`,
      [t.id, MEMBERS],
    );
    await api.db.pool.query(
      `INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
       SELECT $1, 'tch_k' || lpad(i::text, 6, '0'), 'mem_k' || lpad(i::text, 6, '0'), 'bronze',
              CASE i % 3 WHEN 0 THEN 'gold' ELSE 'silver' END, 'upgrade',
              CASE i % 3 WHEN 1 THEN timestamptz '2026-05-10 10:00+08' ELSE timestamptz '2026-01-15 10:00+08' END
       FROM generate_series(0, $2::int - 1) AS i WHERE i % 3 <> 2`,
      [t.id, MEMBERS],
    );
    const expectedDowngrades = Math.ceil(MEMBERS / 3);
    const expectedProtected = Math.floor((MEMBERS + 1) / 3);

    const run = async () =>
      (await api.db.pool.query<{ status: string; evaluated: number; downgraded: number; protected_count: number; heartbeat_at: Date | null }>(
        `SELECT status, evaluated, downgraded, protected_count, heartbeat_at FROM retention_runs WHERE tenant_id = $1 AND id = $2`,
        [t.id, runId],
      )).rows[0]!;

    const queued = await api.http.post('/v1/retention/runs').set(t.auth).send({ periodEnd: Q2_END });
    expect(queued.status).toBe(202);
    const runId: string = queued.body.runId;

    worker.start();
    // Mid-run: some batches done, not all.
    await eventually(async () => (await run()).evaluated >= BATCH * 3, `the run to get going\n${worker.output()}`, 90_000);
    await worker.kill9();
    const killedAt = performance.now();
    const atKill = await run();
    expect(atKill.status).toBe('running');
    expect(atKill.evaluated).toBeGreaterThan(0);
    expect(atKill.evaluated).toBeLessThan(MEMBERS);
    // Nothing moves while no worker runs.
    await new Promise((r) => setTimeout(r, 300));
    expect((await run()).evaluated).toBe(atKill.evaluated);
    const mine = () => receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`)).map((r) => JSON.parse(r.body).id as string);
    const beforeRestart = new Set(mine());

    worker.start();
    await eventually(async () => (await run()).status === 'completed', `the run to complete after the restart\n${worker.output()}`, RECOVERY_BOUND_MS);
    const completedAt = performance.now();
    const done = await run();
    expect(done).toMatchObject({ status: 'completed', evaluated: MEMBERS, downgraded: expectedDowngrades, protected_count: expectedProtected });

    // Each member evaluated once: at most one retention tier change each, exactly for the drops.
    const changes = await api.db.pool.query<{ member_id: string; n: number }>(
      `SELECT member_id, count(*)::int AS n FROM tier_changes WHERE tenant_id = $1 AND reason = 'retention' GROUP BY member_id`,
      [t.id],
    );
    expect(changes.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(changes.rows).toHaveLength(expectedDowngrades);
    const tiers = await api.db.pool.query<{ tier_code: string; n: number }>(
      `SELECT tier_code, count(*)::int AS n FROM members WHERE tenant_id = $1 GROUP BY tier_code ORDER BY tier_code`,
      [t.id],
    );
    expect(Object.fromEntries(tiers.rows.map((r) => [r.tier_code, r.n]))).toEqual({ bronze: expectedDowngrades + Math.floor(MEMBERS / 3), silver: expectedProtected });
    const growth = await api.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM members m WHERE m.tenant_id = $1
         AND m.growth <> COALESCE((SELECT sum(delta) FROM growth_ledger g WHERE g.tenant_id = m.tenant_id AND g.member_id = m.id), 0)`,
      [t.id],
    );
    expect(growth.rows[0]!.n).toBe(0);

    // The outbox drains: one event per drop and one retention.completed, each delivered (again only
    // if the kill cut its first send).
    const events = await api.db.pool.query<{ id: string; type: string }>(
      `SELECT id, type FROM outbox_events WHERE tenant_id = $1 AND type IN ('member.tier_changed', 'retention.completed')`,
      [t.id],
    );
    expect(events.rows.filter((e) => e.type === 'member.tier_changed')).toHaveLength(expectedDowngrades);
    expect(events.rows.filter((e) => e.type === 'retention.completed')).toHaveLength(1);
    await eventually(() => new Set(mine()).size === events.rows.length, `every event delivered\n${worker.output()}`, RECOVERY_BOUND_MS);
    const deliveredAt = performance.now();
    await new Promise((r) => setTimeout(r, 1_500)); // a duplicate would arrive within a few sweeps
    const { resent } = expectDeliveredAcrossKill(mine(), beforeRestart, events.rows.map((e) => e.id));
    const pending = await api.db.pool.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND published_at IS NULL`, [t.id]);
    expect(pending.rows[0].n).toBe(0);
    expect(worker.crashed()).toBeNull();

    console.log(
      `[faults] worker killed mid retention run: ${MEMBERS} members in batches of ${BATCH}, killed at ${atKill.evaluated} evaluated; ` +
        `completed ${((completedAt - killedAt) / 1000).toFixed(1)} s after the kill (restart included), ${done.downgraded} downgraded once, ${done.protected_count} protected, ` +
        `${events.rows.length} events delivered (${((deliveredAt - killedAt) / 1000).toFixed(1)} s after the kill), ${resent} sent again (cut by the kill)`,
    );
  }, 180_000);

  it('gifts.trial-expiry killed between its transactions: the job runs again by itself and ends every trial once', async () => {
    const t = await api.createTenant();
    const hook = await api.http.post('/v1/webhooks').set(t.auth).send({ url: receiver.url, events: ['member.tier_changed'] });
    expect(hook.status).toBe(201);
    // Diamond trials from bronze that ended long ago, no growth: each goes back to bronze.
    await api.db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at, growth, trial_until)
       SELECT $1, 'mem_t' || lpad(i::text, 6, '0'), 't' || lpad(i::text, 6, '0'), 'diamond', timestamptz '2020-05-01 10:00+08',
              timestamptz '2020-04-01 10:00+08', now(), 0, timestamptz '2020-06-01 10:00+08' + i * interval '1 second'
       FROM generate_series(0, $2::int - 1) AS i`,
      [t.id, TRIALS],
    );
    await api.db.pool.query(
      `INSERT INTO tier_changes (tenant_id, id, member_id, from_code, to_code, reason, at)
       SELECT $1, 'tch_t' || lpad(i::text, 6, '0'), 'mem_t' || lpad(i::text, 6, '0'), 'bronze', 'diamond', 'trial_started', timestamptz '2020-05-01 10:00+08'
       FROM generate_series(0, $2::int - 1) AS i`,
      [t.id, TRIALS],
    );
    const ended = async () =>
      (await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM members WHERE tenant_id = $1 AND trial_until IS NULL`, [t.id])).rows[0]!.n;

    if (!worker.running()) worker.start();
    await gifts.add('gifts.trial-expiry', { tenantId: t.id }, { jobId: `trial-expiry.${t.id}.kill` });
    // Mid-job: the first transaction of 500 committed, not all of them.
    await eventually(async () => (await ended()) > 0, `the first trials to end\n${worker.output()}`, 90_000);
    await worker.kill9();
    const killedAt = performance.now();
    const killedAtWall = Date.now();
    const atKill = await ended();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(TRIALS);
    const mine = () => receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`)).map((r) => JSON.parse(r.body).id as string);
    await new Promise((r) => setTimeout(r, 300)); // deliveries that reached the receiver before the kill are counted
    const beforeRestart = new Set(mine());

    worker.start();
    // The job is back: its dead worker's lock lapsed, a stalled check moved it to the queue, and
    // the restarted worker took it up again.
    await eventually(
      async () => ((await gifts.getJob(`trial-expiry.${t.id}.kill`))?.processedOn ?? 0) > killedAtWall,
      `the job to run again after the restart\n${worker.output()}`,
      RECOVERY_BOUND_MS,
    );
    const resumedAt = performance.now();
    await eventually(async () => (await ended()) === TRIALS, `every trial to end after the restart\n${worker.output()}`, RECOVERY_BOUND_MS);
    const doneAt = performance.now();
    const changes = await api.db.pool.query<{ member_id: string; n: number }>(
      `SELECT member_id, count(*)::int AS n FROM tier_changes WHERE tenant_id = $1 AND reason = 'trial_ended' GROUP BY member_id`,
      [t.id],
    );
    expect(changes.rows).toHaveLength(TRIALS);
    expect(changes.rows.filter((r) => r.n !== 1)).toEqual([]);
    const tiers = await api.db.pool.query(`SELECT tier_code, count(*)::int AS n FROM members WHERE tenant_id = $1 GROUP BY tier_code`, [t.id]);
    expect(tiers.rows).toEqual([{ tier_code: 'bronze', n: TRIALS }]);
    const job = await gifts.getJob(`trial-expiry.${t.id}.kill`);
    await eventually(async () => (await job?.getState()) === 'completed', 'the job to complete', 20_000);

    const events = await api.db.pool.query<{ id: string }>(`SELECT id FROM outbox_events WHERE tenant_id = $1 AND type = 'member.tier_changed'`, [t.id]);
    expect(events.rows).toHaveLength(TRIALS);
    await eventually(() => new Set(mine()).size === TRIALS, `every event delivered\n${worker.output()}`, RECOVERY_BOUND_MS);
    await new Promise((r) => setTimeout(r, 1_500));
    const { resent } = expectDeliveredAcrossKill(mine(), beforeRestart, events.rows.map((e) => e.id));
    expect(worker.crashed()).toBeNull();
    console.log(
      `[faults] worker killed mid gifts.trial-expiry: ${TRIALS} trials in transactions of 500, killed at ${atKill} ended; ` +
        `the job ran again ${((resumedAt - killedAt) / 1000).toFixed(1)} s after the kill (restart, lock lapse and stalled check), all ended ${((doneAt - killedAt) / 1000).toFixed(1)} s after the kill, ` +
        `each once, ${TRIALS} events delivered, ${resent} sent again (cut by the kill)`,
    );
  }, 180_000);
});
