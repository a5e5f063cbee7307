import type { Cluster, Redis } from 'ioredis';
import { connectRedis, type RedisTarget } from '@unionpoint/worker';

/** The API's Redis: one server or a Redis Cluster (ioredis `Cluster`), the same commands on both. */
export type ApiRedis = Redis | Cluster;

/**
 * The API's Redis client (rate limits, login counters). Nothing waits on it: commands fail at
 * once while it is disconnected (no offline queue, one retry) and after 500 ms when it is
 * connected but silent (a frozen server); callers give it ~50 ms before falling back to memory.
 * A URL or a target from `redisTargetFromEnv` (REDIS_CLUSTER_NODES: a Cluster client).
 */
export function connectApiRedis(target: string | RedisTarget): ApiRedis {
  const t: RedisTarget = typeof target === 'string' ? { kind: 'single', url: target } : target;
  return connectRedis(t, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 500, lazyConnect: false });
}

/** How long a request waits on Redis before it uses this process's in-memory count instead. */
export const REDIS_DEADLINE_MS = 50;

/** `p`, or a rejection after `ms`; a late settlement of `p` is ignored (never unhandled). */
export function withDeadline<T>(p: Promise<T>, ms = REDIS_DEADLINE_MS): Promise<T> {
  p.catch(() => {});
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
