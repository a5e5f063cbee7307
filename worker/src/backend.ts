import { Queue, Worker, createPostgresBackend, withBackend, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { databaseUrl } from '@unionpoint/db';
import type { WorkerConfig } from './config.ts';

/**
 * The queue datastore: Redis when REDIS_URL is set, else BullMQ 6's PostgreSQL backend on
 * DATABASE_URL (its tables in their own schema). The same queues, workers and schedulers run on
 * either; nothing else in the worker knows which one it has.
 */
export interface QueueBackend {
  kind: 'redis' | 'postgres';
  queue(name: string): Queue;
  worker(name: string, processor: Processor, options: Omit<WorkerOptions, 'connection'>): Worker;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
};

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Workers must wait for Redis rather than fail commands while it is away.
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(1000 * 2 ** Math.min(times, 4), 20_000),
  };
}

export function createQueueBackend(config: WorkerConfig, options: { databaseUrl?: string; prefix?: string } = {}): QueueBackend {
  const prefix = options.prefix ?? 'up';
  if (config.redisUrl) {
    const connection = redisConnection(config.redisUrl);
    return {
      kind: 'redis',
      queue: (name) => new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
      worker: (name, processor, opts) => new Worker(name, processor, { ...opts, connection, prefix }),
    };
  }
  const pgBound = withBackend(createPostgresBackend);
  const connection = {
    connectionString: options.databaseUrl ?? databaseUrl(),
    max: 4,
    schema: config.queueSchema,
    // Migrations of BullMQ's own schema run once, under its advisory lock.
    migrate: true,
  };
  return {
    kind: 'postgres',
    queue: (name) => new pgBound.Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }) as unknown as Queue,
    worker: (name, processor, opts) => new pgBound.Worker(name, processor, { ...opts, connection, prefix }) as unknown as Worker,
  };
}
