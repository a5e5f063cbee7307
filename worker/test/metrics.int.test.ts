// The worker's series after real jobs: jobs by name and outcome with their durations, the
// counts their summaries report, webhook deliveries by result (a failed attempt then a 2xx:
// one retried, one delivered), queue depth per queue and state, and the outbox lag.
import pino from 'pino';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../api/test/harness.ts';
import {
  createQueueBackend,
  createRegistry,
  createWorkerMetrics,
  instrumentPool,
  loadWorkerConfig,
  startWorker,
  type WorkerConfig,
  type WorkerRuntime,
} from '../src/index.ts';
import { eventually, startReceiver, type Receiver } from './helpers.ts';

let api: TestApi;
let receiver: Receiver;
let worker: WorkerRuntime | null = null;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  receiver = await startReceiver();
});
afterAll(async () => {
  await worker?.close();
  await receiver?.close();
  await api?.close();
});

/** The value of the series `name` whose labels include every `k="v"` of `labels` (in any order). */
const line = (text: string, name: string, labels: string) => {
  const wanted = labels.split(/,(?=\w+=")/);
  for (const l of text.split('\n')) {
    const m = /^([\w:]+)\{(.*)\} (\S+)$/.exec(l);
    if (!m || m[1] !== name) continue;
    const have = m[2]!.split(/,(?=\w+=")/);
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
};

describe('worker metrics', () => {
  it('counts jobs, deliveries by result and queue depth, and reads the outbox lag', async () => {
    const t = await api.createTenant();
    expect(
      (
        await api.http
          .post('/v1/webhooks')
          .set(t.auth)
          .send({ url: receiver.url, events: ['member.created'] })
      ).status,
    ).toBe(201);
    // The first attempt fails (500), the retry succeeds.
    receiver.respond = (_r, n) => (n === 1 ? 500 : 200);
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'WM-1' })).status).toBe(201);

    const config: WorkerConfig = {
      ...loadWorkerConfig({}),
      redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      webhookAllowPrivateNetworks: true,
      webhookRetrySchedule: { delaysMs: [100], thenMs: 100, windowMs: 60_000 },
      relayIntervalMs: 100,
      sweepIntervalMs: 300,
      logLevel: 'silent',
    };
    const registry = createRegistry('worker');
    instrumentPool(registry, api.db.pool, 'main');
    const backend = createQueueBackend(config, { databaseUrl: api.databaseUrl, prefix: `m${randomBytes(5).toString('hex')}` });
    let rt: WorkerRuntime | null = null;
    const metrics = createWorkerMetrics(registry, { queues: () => rt?.queues ?? {}, pool: api.db.pool });
    rt = worker = startWorker({ db: api.db, config, logger: pino({ level: 'silent' }), backend, metrics });
    await rt.scheduleRecurring();

    await eventually(() => receiver.received.length >= 2, 'a failed attempt and its retry');
    await eventually(
      async () => line(await registry.metrics(), 'unionpoint_webhook_deliveries_total', 'result="delivered"') === 1,
      'the delivery counted',
    );
    const text = await registry.metrics();

    expect(line(text, 'unionpoint_webhook_deliveries_total', 'result="retried"')).toBe(1);
    expect(line(text, 'unionpoint_webhook_deliveries_total', 'result="failed"')).toBe(0);
    expect(line(text, 'unionpoint_worker_jobs_total', 'job="outbox.relay",outcome="completed"')).toBeGreaterThanOrEqual(1);
    expect(line(text, 'unionpoint_worker_job_duration_seconds_count', 'job="outbox.relay"')).toBeGreaterThanOrEqual(1);
    // The relay's summary: the one member.created event (and whatever else onboarding wrote).
    expect(line(text, 'unionpoint_worker_job_items_total', 'job="outbox.relay",item="events"')).toBeGreaterThanOrEqual(1);
    for (const queue of ['outbox-relay', 'webhook-delivery', 'retention', 'ledger-maintenance', 'gifts', 'schedules']) {
      for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'failed']) {
        expect(line(text, 'unionpoint_queue_jobs', `queue="${queue}",state="${state}"`), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
      }
      expect(line(text, 'unionpoint_queue_oldest_waiting_seconds', `queue="${queue}"`)).toBeGreaterThanOrEqual(0);
    }
    // The schedulers' delayed jobs are there (the relay's next run is delayed between its runs,
    // every 100 ms here: read until the gauge is taken between two).
    await eventually(
      async () => (line(await registry.metrics(), 'unionpoint_queue_jobs', 'queue="outbox-relay",state="delayed"') ?? 0) >= 1,
      "the relay scheduler's delayed job",
    );
    expect(line(text, 'unionpoint_outbox_pending_events', 'service="worker"')).toBe(0);
    expect(line(text, 'unionpoint_outbox_lag_seconds', 'service="worker"')).toBe(0);
  }, 120_000);
});
