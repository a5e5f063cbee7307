// One API per test file, on its own database cloned from the migrations template, with the
// real local Redis. Nothing is mocked.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import supertest from 'supertest';
import { createDb, type Db } from '@unionpoint/db';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import { createApp, loadConfig, type ApiConfig } from '../src/index.ts';
import { captureStatements } from './tenant-filters.ts';

export const PLATFORM_KEY = 'test-platform-key-0123456789';

export interface TestTenant {
  id: string;
  slug: string;
  key: string;
  stores: { id: string; code: string }[];
  owner: { email: string; password: string };
  auth: { Authorization: string };
}

export interface TestApi {
  app: ReturnType<typeof createApp>;
  db: Db;
  /** The test database's URL (for a worker runtime or BullMQ's PostgreSQL backend in it). */
  databaseUrl: string;
  redis: Redis;
  http: ReturnType<typeof supertest>;
  platform: { Authorization: string };
  createTenant(overrides?: Record<string, unknown>): Promise<TestTenant>;
  close(): Promise<void>;
}

export function redisUrl(): string {
  return process.env.REDIS_URL || 'redis://127.0.0.1:6379';
}

export async function startTestApi(configOverrides: Partial<ApiConfig> = {}): Promise<TestApi> {
  const database: TestDatabase = await createTestDatabase();
  const db = createDb({ url: database.url, max: 6 });
  // UP_SQL_CAPTURE=<folder>: every statement this API sends is written there when it closes,
  // for the tenant-filter sweep over a whole integration run (docs/SCALING.md "Citus").
  const capture = process.env.UP_SQL_CAPTURE ? captureStatements(db.pool) : null;
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1, lazyConnect: false });
  const config: ApiConfig = {
    ...loadConfig({ NODE_ENV: 'test' }),
    platformApiKey: PLATFORM_KEY,
    rateLimitPerMinute: 100_000,
    logLevel: 'silent',
    ...configOverrides,
  };
  const app = createApp({ db, redis, config, logger: pino({ level: 'silent' }) });
  const http = supertest(app);
  const platform = { Authorization: `Bearer ${PLATFORM_KEY}` };
  let n = 0;
  return {
    app,
    db,
    databaseUrl: database.url,
    redis,
    http,
    platform,
    createTenant: (overrides = {}) => createTenantThrough(http, platform, `t-${randomBytes(4).toString('hex')}-${n++}`, overrides),
    async close() {
      if (capture) writeFileSync(path.join(process.env.UP_SQL_CAPTURE!, `${database.name}.json`), JSON.stringify([...capture.statements]));
      await db.close();
      redis.disconnect();
      await database.drop();
    },
  };
}

/** Onboards a tenant through the platform route (two stores, an owner, the first key). */
export async function createTenantThrough(
  http: ReturnType<typeof supertest>,
  platform: { Authorization: string },
  slug: string,
  overrides: Record<string, unknown> = {},
): Promise<TestTenant> {
  const owner = { email: `owner-${slug}@example.com`, password: 'correct horse battery' };
  const res = await http
    .post('/v1/platform/tenants')
    .set(platform)
    .send({
      name: `Tenant ${slug}`,
      slug,
      owner,
      stores: [
        { code: 'mall', name: 'Online mall', channel: 'online' },
        { code: 'shop1', name: 'Flagship store', channel: 'store' },
      ],
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.tenant.id,
    slug,
    key: res.body.apiKey.key,
    stores: res.body.stores,
    owner,
    auth: { Authorization: `Bearer ${res.body.apiKey.key}` },
  };
}
