// A job whose write would take a value past 2³¹−1 (a birthday gift onto a balance at the cap)
// can never succeed, however often it is retried: the worker records it as a permanent failure
// of that job — one attempt, logged at error with the job and the reason — instead of retrying
// it (five attempts with backoff, then again at every schedule). Nothing is written.
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../api/test/harness.ts';
import { createQueueBackend, loadWorkerConfig, startWorker, type WorkerConfig, type WorkerRuntime } from '../src/index.ts';
import { unsafeFindRunnableRetentionRuns } from '@unionpoint/core/retention';
import { eventually } from './helpers.ts';

let api: TestApi;
let worker: WorkerRuntime;
const logged: { level: number; msg: string; job?: string; jobId?: string; code?: string }[] = [];
let clock = new Date('2027-03-14T16:30:00Z'); // the 15th in Shanghai

beforeAll(async () => {
  api = await startTestApi();
  const config: WorkerConfig = { ...loadWorkerConfig({}), redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379', logLevel: 'info' };
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line));
      done();
    },
  });
  worker = startWorker({
    db: api.db,
    config,
    logger: pino({ level: 'info' }, sink),
    backend: createQueueBackend(config, { databaseUrl: api.databaseUrl, prefix: `t${randomBytes(5).toString('hex')}` }),
    now: () => clock,
  });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
});

describe('a job that would overflow an integer', () => {
  it('fails once, permanently, logged at error, and writes nothing', async () => {
    const t = await api.createTenant({ timezone: 'Asia/Shanghai' });
    const tiers = (await api.http.get('/v1/tiers').set(t.auth)).body.data.map((x: Record<string, unknown>) => {
      const { code, name, rank, minGrowth, benefits } = x as { code: string; name: string; rank: number; minGrowth: number; benefits: Record<string, unknown> };
      return { code, name, rank, minGrowth, benefits: code === 'gold' ? { ...benefits, birthdayGift: { points: 88 } } : benefits };
    });
    expect((await api.http.put('/v1/tiers').set(t.auth).send({ tiers })).status).toBe(200);
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'rich', profile: { birthday: '1990-03-15' } })).status).toBe(201);
    expect((await api.http.post('/v1/members/rich/tier').set(t.auth).send({ tierCode: 'gold', reason: 'promo' })).status).toBe(200);
    // 2147483600 points: the gift of 88 would pass 2147483647.
    for (const delta of [1_000_000_000, 1_000_000_000, 147_483_600]) {
      expect((await api.http.post('/v1/members/rich/points/adjust').set(t.auth).send({ delta, reason: 'top-up' })).status).toBe(201);
    }

    clock = new Date('2027-03-14T16:30:00Z');
    const jobId = `gifts.birthday.${t.id}.overflow`;
    await worker.enqueue('gifts.birthday', { tenantId: t.id }, { jobId });
    const queue = worker.queues.gifts;
    // Finished (failed) after its first attempt: no backoff, no second try.
    await eventually(async () => Boolean((await queue.getJob(jobId))?.finishedOn), 'the job to fail', 10_000);
    const job = (await queue.getJob(jobId))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/2147483647/);
    const errors = logged.filter((l) => l.level >= 50 && l.jobId === jobId);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ job: 'gifts.birthday', code: 'limit_exceeded' });

    const member = await api.http.get('/v1/members/rich').set(t.auth);
    expect(member.body.points.balance).toBe(2_147_483_600);
    const gifts = await api.db.pool.query(`SELECT count(*)::int AS n FROM points_ledger WHERE tenant_id = $1 AND kind = 'birthday_gift'`, [t.id]);
    expect(gifts.rows[0].n).toBe(0);
  }, 60_000);

  it('a retention run that would overflow stops as failed with the reason, and is not taken over again', async () => {
    const t = await api.createTenant();
    await api.db.pool.query(
      `INSERT INTO members (tenant_id, id, union_id, tier_code, tier_since, created_at, updated_at, growth)
       SELECT $1, 'mem_o' || i, 'o' || i, 'bronze', timestamptz '2026-01-15 10:00+08', timestamptz '2025-12-01 10:00+08', now(), 0
       FROM generate_series(1, 3) AS i`,
      [t.id],
    );
    const queued = await api.http.post('/v1/retention/runs').set(t.auth).send({ periodEnd: '2026-06-30' });
    expect(queued.status).toBe(202);
    const runId: string = queued.body.runId;
    // Its counter at the cap: the next batch's `evaluated + 3` cannot be stored.
    await api.db.pool.query(`UPDATE retention_runs SET evaluated = 2147483647 WHERE tenant_id = $1 AND id = $2`, [t.id, runId]);

    const jobId = `retention.${runId}.overflow`;
    await worker.enqueue('retention.run', { tenantId: t.id, runId }, { jobId });
    await eventually(async () => Boolean((await worker.queues.retention.getJob(jobId))?.finishedOn), 'the run job to fail', 10_000);
    const job = (await worker.queues.retention.getJob(jobId))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(logged.filter((l) => l.level >= 50 && l.jobId === jobId)).toHaveLength(1);

    const run = await api.http.get(`/v1/retention/runs/${runId}`).set(t.auth);
    expect(run.body).toMatchObject({ status: 'failed', evaluated: 2147483647, downgraded: 0 });
    const row = await api.db.pool.query<{ error: string }>(`SELECT error FROM retention_runs WHERE tenant_id = $1 AND id = $2`, [t.id, runId]);
    expect(row.rows[0]!.error).toMatch(/^limit_exceeded: .*2147483647/);
    // The dispatcher does not pick it up again, however old its heartbeat.
    expect((await unsafeFindRunnableRetentionRuns(api.db.pool, 0)).filter((r) => r.runId === runId)).toEqual([]);
  }, 60_000);
});
