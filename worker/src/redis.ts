import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export interface ClusterSeed {
  host: string;
  port: number;
}

/**
 * Where Redis is: one server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES, a few of its
 * nodes as `host:port` or `redis://[user:password@]host:port`, comma-separated; the client
 * discovers the rest). The credentials and TLS (`rediss://`) of the first node apply to every
 * node. REDIS_CLUSTER_NODES wins over REDIS_URL. Null: no Redis.
 */
export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; nodes: ClusterSeed[]; nodeOptions: RedisOptions };

export function redisTargetFromEnv(env: NodeJS.ProcessEnv = process.env): RedisTarget | null {
  const nodes = parseClusterNodes(env.REDIS_CLUSTER_NODES);
  if (nodes) return nodes;
  return env.REDIS_URL ? { kind: 'single', url: env.REDIS_URL } : null;
}

export function parseClusterNodes(value: string | undefined): RedisTarget | null {
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const urls = entries.map((e) => new URL(/^rediss?:\/\//.test(e) ? e : `redis://${e}`));
  const first = urls[0]!;
  const nodeOptions: RedisOptions = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return { kind: 'cluster', nodes: urls.map((u) => ({ host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379 })), nodeOptions };
}

/** A short description for logs and errors (no credentials). */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'single') {
    const u = new URL(target.url);
    return `${u.hostname}:${u.port || 6379}`;
  }
  return `cluster ${target.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
}

/**
 * A Redis Cluster client. `redisOptions` go to each node's connection; the cluster-level
 * `enableOfflineQueue` follows them, so a client that must not wait fails fast in both modes.
 */
export function connectCluster(target: Extract<RedisTarget, { kind: 'cluster' }>, redisOptions: RedisOptions, options: Partial<ClusterOptions> = {}): Cluster {
  return new Cluster(target.nodes, {
    redisOptions: { ...target.nodeOptions, ...redisOptions },
    ...(redisOptions.enableOfflineQueue === false ? { enableOfflineQueue: false } : {}),
    // A node that restarts: retry its connection and the slot map instead of giving up.
    clusterRetryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5000),
    slotsRefreshTimeout: 2000,
    ...options,
  });
}

/** One Redis client for `target`: a Cluster for a cluster, else a single connection. */
export function connectRedis(target: RedisTarget, redisOptions: RedisOptions, clusterOptions: Partial<ClusterOptions> = {}): Redis | Cluster {
  if (target.kind === 'cluster') return connectCluster(target, redisOptions, clusterOptions);
  return new Redis(target.url, redisOptions);
}

/**
 * The BullMQ key prefix of one queue. On a cluster every key of a queue must hash to one slot
 * (BullMQ's scripts touch several of its keys at once), so the prefix carries the queue name as
 * a hash tag: `{up:outbox-relay}:outbox-relay:wait`; each queue lands on its own slot, spread
 * over the masters. A single Redis keeps the plain layout (`up:outbox-relay:wait`), so an
 * existing deployment keeps its queued jobs.
 */
export function queuePrefix(prefix: string, queueName: string, cluster: boolean): string {
  return cluster ? `{${prefix}:${queueName}}` : prefix;
}
