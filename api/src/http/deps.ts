import type { Redis } from 'ioredis';
import type pino from 'pino';
import type { Db, Tx } from '@unionpoint/db';
import type { TenantContext } from '@unionpoint/core';
import type { ApiConfig } from '../config.ts';
import type { ApiKeyCache } from './api-key-cache.ts';

export interface ApiDeps {
  db: Db;
  /** Null runs without Redis: rate limits fall back to memory. */
  redis: Redis | null;
  config: ApiConfig;
  logger: pino.Logger;
  /** Resolved API keys; createApp makes one when absent. Trusted only while startConfigListener runs with it. */
  apiKeyCache?: ApiKeyCache;
}

export type RunInTenant = <T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>) => Promise<T>;
