// What the API benchmarks' server processes share: a fresh database cloned from the migrations
// template, the API started as api/src/main.ts starts it (API-key cache, LISTEN listener for
// config and key invalidation), a tenant onboarded and members enrolled through the API.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createDb, type Db } from '@unionpoint/db';
import { createTestDatabase } from '@unionpoint/db/testing';
import { ApiKeyCache, createApp, loadConfig, startConfigListener } from '@unionpoint/api';

const PLATFORM_KEY = 'bench-platform-key-0123456789';

export interface Listening {
  server: Server;
  url: string;
}

export function listen(app: { listen(port: number, cb: () => void): Server }): Promise<Listening> {
  return new Promise((resolve) => {
    const server = app.listen(0, () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

export interface BenchApi {
  db: Db;
  databaseUrl: string;
  api: Listening;
  /** A JSON request to the API; `auth` is the whole Authorization value. */
  send(path: string, body: unknown, auth: string, method?: string): Promise<Response>;
  /** A tenant onboarded by the platform (with `stores`), its owner key as `auth`. */
  tenant(stores?: { code: string; name: string; channel: string }[]): Promise<{ tenantId: string; storeIds: string[]; auth: string }>;
  /** Members m0 … m(n-1), enrolled through the API. */
  enrol(auth: string, members: number): Promise<void>;
  /** Closes the servers given, the API, the listener and the pool, and drops the database. */
  close(...others: Listening[]): Promise<void>;
}

export async function startBenchApi(pool = Number(process.env.BENCH_POOL ?? 20)): Promise<BenchApi> {
  const database = await createTestDatabase();
  const db = createDb({ url: database.url, max: pool });
  const config = {
    ...loadConfig({ NODE_ENV: 'production' }),
    platformApiKey: PLATFORM_KEY,
    rateLimitPerMinute: 10_000_000,
    logLevel: 'silent',
  };
  const apiKeyCache = new ApiKeyCache();
  const api = await listen(createApp({ db, redis: null, config, logger: pino({ level: 'silent' }), apiKeyCache }));
  const listener = await startConfigListener(db, pino({ level: 'silent' }), { apiKeyCache });
  const send = (path: string, body: unknown, auth: string, method = 'POST') =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(body),
    });
  return {
    db,
    databaseUrl: database.url,
    api,
    send,
    async tenant(stores = []) {
      const slug = `bench-${randomBytes(3).toString('hex')}`;
      const res = await send(
        '/v1/platform/tenants',
        { name: slug, slug, owner: { email: `${slug}@example.com`, password: 'correct horse battery' }, stores },
        `Bearer ${PLATFORM_KEY}`,
      );
      if (res.status !== 201) throw new Error(`tenant onboarding failed: ${res.status} ${await res.text()}`);
      const created = (await res.json()) as { tenant: { id: string }; stores: { id: string }[]; apiKey: { key: string } };
      return { tenantId: created.tenant.id, storeIds: created.stores.map((s) => s.id), auth: `Bearer ${created.apiKey.key}` };
    },
    async enrol(auth, members) {
      for (let i = 0; i < members; i++) {
        const res = await send('/v1/members', { unionId: `m${i}` }, auth);
        if (!res.ok) throw new Error(`enrolment failed: ${res.status} ${await res.text()}`);
      }
    },
    async close(...others) {
      await listener.close();
      for (const s of [api, ...others]) s.server.close();
      await db.close();
      await database.drop();
    },
  };
}
