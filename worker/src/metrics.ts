// Prometheus metrics (prom-client): the pieces the API and the worker share (a registry with the
// process metrics, the Postgres pool's usage and waits, the /metrics endpoint and its token) and
// the worker's own series (queues, jobs, outbox lag, webhook deliveries). Every name is listed in
// METRIC_NAMES, which infra/grafana/unionpoint.json is checked against (infra/test/grafana.test.ts).
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type pino from 'pino';
import type { Queue } from 'bullmq';
import type { Db } from '@unionpoint/db';
import { unsafeOutboxLag } from '@unionpoint/core/webhooks';

type Pool = Db['pool'];

/** Every series the services register (prom-client names, without _bucket/_sum/_count). */
export const METRIC_NAMES = {
  httpRequests: 'unionpoint_http_requests_total',
  httpDuration: 'unionpoint_http_request_duration_seconds',
  httpErrors: 'unionpoint_http_request_errors_total',
  httpInFlight: 'unionpoint_http_requests_in_flight',
  poolConnections: 'unionpoint_db_pool_connections',
  poolMax: 'unionpoint_db_pool_max_connections',
  poolAcquire: 'unionpoint_db_pool_acquire_seconds',
  queueJobs: 'unionpoint_queue_jobs',
  queueOldestAge: 'unionpoint_queue_oldest_waiting_seconds',
  jobs: 'unionpoint_worker_jobs_total',
  jobDuration: 'unionpoint_worker_job_duration_seconds',
  jobItems: 'unionpoint_worker_job_items_total',
  outboxPending: 'unionpoint_outbox_pending_events',
  outboxLag: 'unionpoint_outbox_lag_seconds',
  webhookDeliveries: 'unionpoint_webhook_deliveries_total',
} as const;

/** The process metrics prom-client collects (CPU, memory, event loop lag, GC): `unionpoint_process_cpu_seconds_total`, `unionpoint_nodejs_eventloop_lag_seconds`… */
export const PROCESS_METRIC_PREFIX = 'unionpoint_';

/** A registry for one service; `processMetrics` adds CPU, memory, event loop and GC series. */
export function createRegistry(service: 'api' | 'worker', options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: PROCESS_METRIC_PREFIX });
  return registry;
}

type AcquireListener = (seconds: number, ok: boolean) => void;
const poolListeners = new WeakMap<Pool, AcquireListener[]>();

/** Calls `listener` with the wait of every connection checkout of the pool (wrapped once per pool). */
function onAcquire(pool: Pool, listener: AcquireListener): void {
  let listeners = poolListeners.get(pool);
  if (!listeners) {
    const list: AcquireListener[] = [];
    listeners = list;
    poolListeners.set(pool, list);
    const connect = pool.connect.bind(pool) as (
      cb?: (err: Error | undefined, client: unknown, done: unknown) => void,
    ) => Promise<unknown> | void;
    const report = (started: bigint, ok: boolean) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const l of list) l(seconds, ok);
    };
    (pool as unknown as { connect: unknown }).connect = (cb?: (err: Error | undefined, client: unknown, done: unknown) => void) => {
      const started = process.hrtime.bigint();
      if (typeof cb === 'function') {
        return connect((err, client, done) => {
          report(started, !err);
          cb(err, client, done);
        });
      }
      return (connect() as Promise<unknown>).then(
        (client) => (report(started, true), client),
        (err: unknown) => {
          report(started, false);
          throw err;
        },
      );
    };
  }
  listeners.push(listener);
}

/** The pool's connections by state (in use, idle, requests waiting), its size and checkout waits. */
export function instrumentPool(registry: Registry, pool: Pool, name: string): void {
  new Gauge({
    name: METRIC_NAMES.poolConnections,
    help: 'Postgres pool connections by state: in_use, idle, and waiting (requests queued for a connection)',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      this.set({ pool: name, state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ pool: name, state: 'idle' }, pool.idleCount);
      this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: METRIC_NAMES.poolMax,
    help: 'Largest number of connections the Postgres pool opens',
    labelNames: ['pool'],
    registers: [registry],
    collect() {
      this.set({ pool: name }, (pool as unknown as { options: { max?: number } }).options.max ?? 10);
    },
  });
  const acquire = new Histogram({
    name: METRIC_NAMES.poolAcquire,
    help: 'Time to check a connection out of the Postgres pool (result=error: timed out or failed)',
    labelNames: ['pool', 'result'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  onAcquire(pool, (seconds, ok) => acquire.observe({ pool: name, result: ok ? 'ok' : 'error' }, seconds));
}

/**
 * Who may read /metrics: with METRICS_TOKEN set, only `Authorization: Bearer <token>`
 * (compared in constant time); without one, anybody who reaches the port.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | null): boolean {
  if (!token) return true;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** A server answering only GET /metrics (and /healthz), for METRICS_PORT: an internal port. */
export async function startMetricsServer(
  registry: Registry,
  options: { port: number; token: string | null; logger: pino.Logger },
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (!metricsAuthorized(req.headers.authorization, options.token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => {
        options.logger.warn({ err: err.message }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A collection step that may hang (Redis away: commands wait for it) gives up after `ms`. */
function within<T>(ms: number, work: Promise<T>): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    work.then(
      (v) => (clearTimeout(timer), resolve(v)),
      () => (clearTimeout(timer), resolve(null)),
    );
  });
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

export interface WorkerMetrics {
  registry: Registry;
  /** One finished job: its outcome, duration, and the counts its summary reports. */
  jobFinished(job: string, outcome: 'completed' | 'failed', seconds: number, summary: unknown): void;
}

/**
 * The worker's series. Queue depth and age and the outbox lag are read when Prometheus scrapes
 * (each read bounded to a second); job counts, durations and the numbers of their summaries
 * (retention members, packs and coupons issued, webhook deliveries…) as jobs finish.
 */
export function createWorkerMetrics(registry: Registry, sources: { queues: () => Record<string, Queue>; pool: Pool }): WorkerMetrics {
  new Gauge({
    name: METRIC_NAMES.queueJobs,
    help: 'Jobs per queue and state (waiting, active, delayed, prioritized, failed)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      await Promise.all(
        Object.entries(sources.queues()).map(async ([name, queue]) => {
          const counts = await within(1000, queue.getJobCounts(...QUEUE_STATES));
          if (!counts) return;
          for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  new Gauge({
    name: METRIC_NAMES.queueOldestAge,
    help: 'Age in seconds of the oldest job waiting in each queue (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const now = Date.now();
      await Promise.all(
        Object.entries(sources.queues()).map(async ([name, queue]) => {
          const oldest = await within(1000, queue.getJobs(['waiting'], 0, 0, true));
          if (!oldest) return;
          const ts = oldest[0]?.timestamp;
          this.set({ queue: name }, ts ? Math.max(0, (now - ts) / 1000) : 0);
        }),
      );
    },
  });
  let lag: Promise<{ pending: number; oldestSeconds: number } | null> | null = null;
  // Both outbox gauges read one result per scrape.
  const readLag = () => (lag ??= within(1000, unsafeOutboxLag(sources.pool)).finally(() => setTimeout(() => (lag = null), 0)));
  new Gauge({
    name: METRIC_NAMES.outboxPending,
    help: 'Outbox events written and not yet relayed to webhook deliveries',
    registers: [registry],
    async collect() {
      const r = await readLag();
      if (r) this.set(r.pending);
    },
  });
  new Gauge({
    name: METRIC_NAMES.outboxLag,
    help: 'Seconds since the oldest outbox event not yet relayed was written (0 when the outbox is drained)',
    registers: [registry],
    async collect() {
      const r = await readLag();
      if (r) this.set(r.oldestSeconds);
    },
  });
  const jobs = new Counter({
    name: METRIC_NAMES.jobs,
    help: 'Jobs finished, by job name and outcome',
    labelNames: ['job', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: METRIC_NAMES.jobDuration,
    help: 'Job run time in seconds, by job name',
    labelNames: ['job'],
    buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  const items = new Counter({
    name: METRIC_NAMES.jobItems,
    help: 'Counts reported by finished jobs, by job and item (retention: members processed, downgraded…; benefits.packs: packs, coupons; imports: records)',
    labelNames: ['job', 'item'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: METRIC_NAMES.webhookDeliveries,
    help: 'Webhook deliveries by result: delivered (2xx), failed (retry schedule exhausted), retried (an attempt failed, a retry is scheduled)',
    labelNames: ['result'],
    registers: [registry],
  });
  for (const result of ['delivered', 'failed', 'retried']) deliveries.inc({ result }, 0);

  return {
    registry,
    jobFinished(job, outcome, seconds, summary) {
      jobs.inc({ job, outcome });
      duration.observe({ job }, seconds);
      if (outcome !== 'completed' || summary === null || typeof summary !== 'object') return;
      for (const [item, value] of Object.entries(summary)) {
        if (typeof value === 'number' && Number.isFinite(value) && value > 0) items.inc({ job, item }, value);
      }
      if (job === 'webhooks.deliver-lane' || job === 'webhooks.deliver-lanes') {
        const s = summary as { delivered?: number; failed?: number; retry?: unknown; retries?: number };
        if (s.delivered) deliveries.inc({ result: 'delivered' }, s.delivered);
        if (s.failed) deliveries.inc({ result: 'failed' }, s.failed);
        const retried = job === 'webhooks.deliver-lane' ? (s.retry ? 1 : 0) : (s.retries ?? 0);
        if (retried) deliveries.inc({ result: 'retried' }, retried);
      }
    },
  };
}
