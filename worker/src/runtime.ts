import { randomUUID } from 'node:crypto';
import { UnrecoverableError, type Queue, type Worker } from 'bullmq';
import { isIntegerOverflow } from '@unionpoint/core';
import { registerCoreExtensions } from '@unionpoint/core/extensions';
import type pino from 'pino';
import type { Db } from '@unionpoint/db';
import { createQueueBackend, type QueueBackend } from './backend.ts';
import type { WorkerConfig } from './config.ts';
import { JOBS, QUEUE_NAMES, isJobName, parsePayload, type JobName, type QueueName } from './jobs/catalogue.ts';
import { HANDLERS } from './handlers/index.ts';
import type { Enqueue, Handler, HandlerMap, WorkerContext } from './handler-types.ts';
import type { WorkerMetrics } from './metrics.ts';
import { traceJob } from './tracing.ts';

export type { Enqueue, WorkerContext, Handler, HandlerMap } from './handler-types.ts';

export interface WorkerRuntime {
  backend: QueueBackend;
  queues: Record<QueueName, Queue>;
  workers: Worker[];
  enqueue: Enqueue;
  context: WorkerContext;
  /**
   * Upserts the platform-wide repeatable jobs (relay, sweeper, dispatch, schedule sync), then
   * checks every scheduleCheckIntervalMs that the relay's scheduler still exists: a queue store
   * that came back empty (a Redis restart without persistence) gets them all again, and the
   * per-tenant daily schedulers through an immediate schedules.sync, so the outbox drains by itself.
   */
  scheduleRecurring(): Promise<void>;
  /** One such check now; true when the schedulers were missing and have been re-created. */
  ensureRecurring(): Promise<boolean>;
  /** Graceful: stops taking jobs, lets active ones finish, closes connections. */
  close(): Promise<void>;
}

const CONCURRENCY: Record<QueueName, (c: WorkerConfig) => number> = {
  // One relay at a time keeps outbox order (it also holds an advisory lock).
  'outbox-relay': () => 1,
  'webhook-delivery': (c) => c.webhookConcurrency,
  retention: () => 2,
  'ledger-maintenance': () => 2,
  gifts: () => 2,
  schedules: () => 1,
  imports: () => 1,
};

export interface StartOptions {
  db: Db;
  config: WorkerConfig;
  logger: pino.Logger;
  backend?: QueueBackend;
  /** Start processing (default); false gives producers only (API, tests). */
  process?: boolean;
  handlers?: HandlerMap;
  /** The handlers' clock; the wall clock by default. */
  now?: () => Date;
  /** Counts and times every job it runs (worker/src/metrics.ts). */
  metrics?: WorkerMetrics;
}

export function startWorker(options: StartOptions): WorkerRuntime {
  registerCoreExtensions();
  const { db, config, logger } = options;
  const backend = options.backend ?? createQueueBackend(config);
  const handlers = options.handlers ?? HANDLERS;
  const queues = Object.fromEntries(QUEUE_NAMES.map((n) => [n, backend.queue(n)])) as Record<QueueName, Queue>;
  for (const q of Object.values(queues)) q.on('error', (err) => logger.warn({ err: err.message, queue: q.name }, 'queue connection error'));

  const enqueue = (async (name, payload, opts = {}) => {
    const data = parsePayload(name, payload);
    await queues[JOBS[name].queue].add(name, data, opts);
  }) as Enqueue;
  enqueue.bulk = async (name, jobs) => {
    if (jobs.length === 0) return;
    const queue = queues[JOBS[name].queue];
    await queue.addBulk(jobs.map((j) => ({ name, data: parsePayload(name, j.payload), opts: { jobId: j.jobId, ...(j.delay ? { delay: j.delay } : {}) } })));
  };

  const context: WorkerContext = { db, config, logger, enqueue, queues, now: options.now ?? (() => new Date()) };
  const workers: Worker[] = [];
  if (options.process !== false) {
    for (const queueName of QUEUE_NAMES) {
      const worker = backend.worker(
        queueName,
        async (job) => {
          if (!isJobName(job.name) || JOBS[job.name].queue !== queueName) throw new Error(`Unknown job ${job.name} on ${queueName}`);
          const handler = handlers[job.name] as Handler<JobName> | undefined;
          if (!handler) throw new Error(`No handler for ${job.name}`);
          const name: JobName = job.name;
          const started = process.hrtime.bigint();
          const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
          try {
            const summary = await traceJob(name, queueName, () => handler(parsePayload(name, job.data), context, job));
            options.metrics?.jobFinished(job.name, 'completed', seconds(), summary);
            return summary;
          } catch (err) {
            options.metrics?.jobFinished(job.name, 'failed', seconds(), null);
            // A write past 2³¹−1 (a balance or counter at the cap) fails the same way on every
            // retry: a permanent, logged failure of this job (the API answers it 422 limit_exceeded).
            if (!isIntegerOverflow(err)) throw err;
            logger.error(
              { job: job.name, jobId: job.id, payload: job.data, code: 'limit_exceeded', err: (err as Error).message },
              'job failed permanently: a value would pass the largest allowed (2147483647); not retried',
            );
            throw new UnrecoverableError(`limit_exceeded: a value would pass the largest allowed (2147483647) — ${(err as Error).message}`);
          }
        },
        // A job whose worker died (SIGKILL, a crash) is moved back to its queue by the stalled
        // check of any live worker once its lock lapses, and runs again (once: maxStalledCount 1).
        { concurrency: CONCURRENCY[queueName](config), autorun: true, lockDuration: config.jobLockMs, stalledInterval: config.jobLockMs },
      );
      worker.on('failed', (job, err) => logger.warn({ job: job?.name, jobId: job?.id, err: err.message }, 'job failed'));
      worker.on('error', (err) => logger.warn({ err: err.message, queue: queueName }, 'worker error'));
      workers.push(worker);
    }
  }

  const every = (name: JobName, ms: number) =>
    queues[JOBS[name].queue].upsertJobScheduler(name, { every: ms }, { name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
  const upsertRecurring = async () => {
    await every('outbox.relay', config.relayIntervalMs);
    await every('webhooks.sweep', config.sweepIntervalMs);
    await every('retention.dispatch', 5000);
    await every('recompute.dispatch', 5000);
    await every('imports.dispatch', config.importDispatchIntervalMs);
    await every('schedules.sync', config.scheduleSyncIntervalMs);
  };
  let watch: NodeJS.Timeout | null = null;
  let checking: Promise<boolean> | null = null;
  let closed = false;
  const ensureRecurring = (): Promise<boolean> =>
    (checking ??= (async () => {
      try {
        if (await queues['outbox-relay'].getJobScheduler('outbox.relay')) return false;
        if (closed) return false;
        logger.warn('recurring job schedulers missing (queue store restarted empty?): re-creating them');
        await upsertRecurring();
        await enqueue('schedules.sync', {}, { jobId: `schedules.sync.restore.${randomUUID()}` });
        return true;
      } finally {
        checking = null;
      }
    })());

  return {
    backend,
    queues,
    workers,
    enqueue,
    context,
    async scheduleRecurring() {
      await upsertRecurring();
      if (watch || closed) return;
      const check = () => void ensureRecurring().catch((err: Error) => logger.warn({ err: err.message }, 'recurring job check failed'));
      watch = setInterval(check, config.scheduleCheckIntervalMs);
      watch.unref();
    },
    ensureRecurring,
    async close() {
      closed = true;
      if (watch) clearInterval(watch);
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      // A backend handed in by the caller is the caller's to close.
      if (!options.backend) await backend.close();
    },
  };
}
