import { PACK_BATCH_SIZE } from '@unionpoint/core/benefits';
import { allowPrivateNetworksFromEnv } from '@unionpoint/core/webhooks';

export interface WorkerConfig {
  /** Redis for the queues; null selects BullMQ's PostgreSQL backend on DATABASE_URL. */
  redisUrl: string | null;
  /** REDIS_CLUSTER_NODES: seed nodes of a Redis Cluster (`host:port,…`); set, it wins over redisUrl. */
  redisClusterNodes: string | null;
  /** Schema holding BullMQ's tables with the PostgreSQL backend. */
  queueSchema: string;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: refused (throws) with NODE_ENV=production. */
  webhookAllowPrivateNetworks: boolean;
  webhookTimeoutMs: number;
  webhookConcurrency: number;
  /** Lanes per wake-up job from the relay (sent at once, each in its own order). */
  webhookLanesPerJob: number;
  /** WEBHOOK_RETRY_SCHEDULE_MS="d1,d2,…;then;window": overrides the product schedule (tests). */
  webhookRetrySchedule: { delaysMs: number[]; thenMs: number; windowMs: number } | null;
  relayIntervalMs: number;
  relayBatchSize: number;
  sweepIntervalMs: number;
  retentionBatchSize: number;
  /** Members per recompute batch (one set-based statement and one transaction each). */
  recomputeBatchSize: number;
  /** Members per `benefits.packs` batch (one transaction each). */
  packBatchSize: number;
  /**
   * BullMQ's job lock (renewed every half of it while the job runs) and stalled-job check: a job
   * whose worker died is back in its queue within about two of these once its lock lapses.
   */
  jobLockMs: number;
  /** A running retention run without a heartbeat for this long is taken over (its worker died). */
  retentionStaleAfterMs: number;
  /** Lines per history-import batch (whole members), one transaction each. */
  importBatchSize: number;
  /** How often received imports are looked for (and a dead worker's import taken over). */
  importDispatchIntervalMs: number;
  /** A processing import without a heartbeat for this long is taken over (its worker died). */
  importStaleAfterMs: number;
  scheduleSyncIntervalMs: number;
  /** How often the worker checks that its recurring job schedulers still exist (re-created when not). */
  scheduleCheckIntervalMs: number;
  /** Local time of the daily per-tenant jobs, as a cron "minute hour". */
  dailyAt: string;
  logLevel: string;
  /** METRICS_PORT: the port of the worker's /metrics (unset: no metrics server). */
  metricsPort: number | null;
  /** METRICS_TOKEN: when set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for active jobs before exiting 1. */
  shutdownTimeoutMs: number;
}

const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) ? Number(v) : d);

function parseSchedule(v: string | undefined): WorkerConfig['webhookRetrySchedule'] {
  if (!v) return null;
  const [delays = '', then = '3600000', window = '86400000'] = v.split(';');
  return { delaysMs: delays.split(',').filter(Boolean).map(Number), thenMs: Number(then), windowMs: Number(window) };
}

/** Every variable is documented in worker/README.md. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    redisUrl: env.REDIS_URL || null,
    redisClusterNodes: env.REDIS_CLUSTER_NODES || null,
    queueSchema: env.QUEUE_PG_SCHEMA || 'bullmq',
    webhookAllowPrivateNetworks: allowPrivateNetworksFromEnv(env),
    webhookTimeoutMs: num(env.WEBHOOK_TIMEOUT_MS, 10_000),
    webhookConcurrency: num(env.WEBHOOK_CONCURRENCY, 50),
    webhookLanesPerJob: Math.min(1000, Math.max(1, num(env.WEBHOOK_LANES_PER_JOB, 20))),
    webhookRetrySchedule: parseSchedule(env.WEBHOOK_RETRY_SCHEDULE_MS),
    relayIntervalMs: num(env.OUTBOX_RELAY_INTERVAL_MS, 1000),
    relayBatchSize: num(env.OUTBOX_RELAY_BATCH_SIZE, 1000),
    sweepIntervalMs: num(env.WEBHOOK_SWEEP_INTERVAL_MS, 5000),
    retentionBatchSize: num(env.RETENTION_BATCH_SIZE, 5000),
    recomputeBatchSize: Math.max(1, num(env.RECOMPUTE_BATCH_SIZE, 10_000)),
    packBatchSize: Math.max(1, num(env.PACK_BATCH_SIZE, PACK_BATCH_SIZE)),
    retentionStaleAfterMs: num(env.RETENTION_STALE_AFTER_MS, 120_000),
    jobLockMs: Math.max(1000, num(env.JOB_LOCK_MS, 30_000)),
    importBatchSize: Math.max(1, num(env.IMPORT_BATCH_SIZE, 10_000)),
    importDispatchIntervalMs: Math.max(100, num(env.IMPORT_DISPATCH_INTERVAL_MS, 2000)),
    importStaleAfterMs: num(env.IMPORT_STALE_AFTER_MS, 120_000),
    scheduleSyncIntervalMs: num(env.SCHEDULE_SYNC_INTERVAL_MS, 10 * 60_000),
    scheduleCheckIntervalMs: num(env.SCHEDULE_CHECK_INTERVAL_MS, 5000),
    dailyAt: env.DAILY_JOBS_AT || '10 0',
    logLevel: env.LOG_LEVEL ?? 'info',
    metricsPort: env.METRICS_PORT ? num(env.METRICS_PORT, 0) : null,
    metricsToken: env.METRICS_TOKEN || null,
    shutdownTimeoutMs: num(env.SHUTDOWN_TIMEOUT_MS, 30_000),
  };
}
