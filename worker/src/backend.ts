import { Queue, Worker, createPostgresBackend, withBackend, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import type { Cluster } from 'ioredis';
import { databaseUrl } from '@unionpoint/db';
import type { WorkerConfig } from './config.ts';
import { connectCluster, parseClusterNodes, queuePrefix } from './redis.ts';

/**
 * The queue datastore: a Redis Cluster when REDIS_CLUSTER_NODES is set, one Redis when
 * REDIS_URL is, else BullMQ 6's PostgreSQL backend on DATABASE_URL (its tables in their own
 * schema). The same queues, workers and schedulers run on each; nothing else in the worker
 * knows which one it has.
 */
export interface QueueBackend {
  kind: 'redis' | 'redis-cluster' | 'postgres';
  queue(name: string): Queue;
  worker(name: string, processor: Processor, options: Omit<WorkerOptions, 'connection'>): Worker;
  /** Closes the connections the backend opened itself (after its queues and workers are closed). */
  close(): Promise<void>;
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
  const cluster = parseClusterNodes(config.redisClusterNodes ?? undefined);
  if (cluster?.kind === 'cluster') {
    // One client for the queues (producers, the board); one per worker, which BullMQ
    // duplicates for its blocking connection. BullMQ leaves clients it was given open: closed here.
    const clients: Cluster[] = [];
    const connect = () => {
      const c = connectCluster(cluster, { maxRetriesPerRequest: null });
      c.on('error', () => {});
      clients.push(c);
      return c;
    };
    let shared: Cluster | null = null;
    return {
      kind: 'redis-cluster',
      queue: (name) => new Queue(name, { connection: (shared ??= connect()), prefix: queuePrefix(prefix, name, true), defaultJobOptions: DEFAULT_JOB_OPTIONS }),
      worker: (name, processor, opts) => new Worker(name, processor, { ...opts, connection: connect(), prefix: queuePrefix(prefix, name, true) }),
      async close() {
        // QUIT, or a plain disconnect when a node does not answer within 2 s.
        const quit = (c: Cluster) =>
          Promise.race([c.quit().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]).then(
            (ok) => ok || c.disconnect(),
            () => c.disconnect(),
          );
        await Promise.allSettled(clients.map(quit));
      },
    };
  }
  if (config.redisUrl) {
    const connection = redisConnection(config.redisUrl);
    return {
      kind: 'redis',
      queue: (name) => new Queue(name, { connection, prefix: queuePrefix(prefix, name, false), defaultJobOptions: DEFAULT_JOB_OPTIONS }),
      worker: (name, processor, opts) => new Worker(name, processor, { ...opts, connection, prefix: queuePrefix(prefix, name, false) }),
      async close() {},
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
    async close() {},
  };
}
