import type pino from 'pino';
import type { Db, Tx } from '@unionpoint/db';
import type { LocalCaches, TenantContext } from '@unionpoint/core';
import type { ApiConfig } from '../config.ts';
import type { ApiKeyCache } from './api-key-cache.ts';
import type { ApiMetrics } from './metrics.ts';
import type { ApiRedis } from './redis.ts';
import type { ReadReplica } from './replica.ts';

export interface ApiDeps {
  db: Db;
  /** Null runs without Redis: rate limits fall back to memory. One server or a Redis Cluster. */
  redis: ApiRedis | null;
  config: ApiConfig;
  logger: pino.Logger;
  /** Resolved API keys; createApp makes one when absent. Trusted only while startConfigListener runs with it. */
  apiKeyCache?: ApiKeyCache;
  /** DATABASE_REPLICA_URL: the streaming replica that routes marked `replica` read from; absent, everything reads the primary. */
  replica?: ReadReplica | null;
  /** The clock member sessions are checked against (tests fix it); default the wall clock. */
  now?: () => Date;
  /** Prometheus series; createApp makes a registry of its own when absent (main.ts passes one). */
  metrics?: ApiMetrics;
}

export type RunInTenant = <T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>) => Promise<T>;

/**
 * This instance's own caches, for the transactions its requests run: a change a use case
 * announces (announceChange) drops their entries right after commit.
 */
export function localCaches(deps: ApiDeps): LocalCaches {
  const keys = deps.apiKeyCache;
  return keys ? { unionpoint_auth: (tenantId) => keys.invalidate(tenantId) } : {};
}
