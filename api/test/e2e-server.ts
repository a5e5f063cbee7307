// The API for the dashboard's Playwright run: a fresh database cloned from the migrations
// template, the real local Redis, the platform admin login, and one seeded tenant (owner,
// staff, members) so that journeys do not depend on each other. Prints one JSON line with
// the URL and the seeded logins, then serves until SIGTERM, when it drops its database.
import { Redis } from 'ioredis';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { createDb } from '@unionpoint/db';
import { createTestDatabase } from '@unionpoint/db/testing';
import { createUser, unsafeEnsurePlatformAdmin } from '@unionpoint/core/auth';
import { unsafeRelayOutbox } from '@unionpoint/core/webhooks';
import { processRecomputeRun, unsafeFindRunnableRecomputeRuns } from '@unionpoint/core/recompute';
import { processImport, unsafeFindRunnableImports } from '@unionpoint/core/imports';
import { createApp, loadConfig } from '../src/index.ts';

const PLATFORM_KEY = 'e2e-platform-key-0123456789abcdef';
const admin = { email: 'admin@platform.test', password: 'platform admin password' };
const owner = { email: 'owner@acme.test', password: 'acme owner password' };
const staff = { email: 'staff@acme.test', password: 'acme staff password' };

const database = await createTestDatabase();
const db = createDb({ url: database.url, max: 6 });
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
const config = {
  ...loadConfig({ NODE_ENV: 'test' }),
  platformApiKey: PLATFORM_KEY,
  rateLimitPerMinute: 100_000,
  logLevel: 'silent',
  platformAdmin: admin,
  // Journeys register webhook endpoints on hosts that do not resolve here.
  webhookAllowPrivateNetworks: true,
};
await unsafeEnsurePlatformAdmin(db.prisma, admin.email, admin.password);
const app = createApp({ db, redis, config, logger: pino({ level: 'silent' }) });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function call<T = unknown>(method: string, path: string, auth: string, body?: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

const created = await call<{ tenant: { id: string }; stores: { id: string }[]; apiKey: { key: string } }>(
  'POST',
  '/v1/platform/tenants',
  PLATFORM_KEY,
  {
    name: 'Acme Mall',
    slug: 'acme',
    owner,
    stores: [
      { code: 'mall', name: 'Acme Online', channel: 'online' },
      { code: 'shop1', name: 'Acme Flagship', channel: 'store' },
    ],
  },
);
await createUser(db.prisma, { ...staff, role: 'staff', tenantId: created.tenant.id, name: 'Staff' });
const [mall, shop] = created.stores;
const members = [
  { unionId: 'U-1001', openId: 'wx-open-1001', storeId: mall!.id, profile: { name: 'Li Lei', phone: '13800000001' } },
  { unionId: 'U-1002', openId: 'pos-2002', storeId: shop!.id, profile: { name: 'Han Meimei', phone: '13800000002' } },
  { unionId: 'U-1003', profile: { name: 'Wang Fang' } },
];
for (const m of members) await call('POST', '/v1/members', created.apiKey.key, m);
// 800.00 of completed spend: 800 growth for U-1002 (Silver needs 1000 by default).
await call('POST', '/v1/orders', created.apiKey.key, { externalId: 'seed-1', member: 'U-1002', storeId: shop!.id, amountCents: 80_000 });

// The outbox relay, as the worker runs it (continuously): inbox messages appear once their
// event is published, as in production. Deliveries to the journeys' webhooks are written, never sent.
const relay = setInterval(() => void unsafeRelayOutbox(db.pool).catch(() => undefined), 300);
// The journeys run no worker: recompute previews and applies are carried out here, as the
// worker's recompute.dispatch and recompute.run would (the same core use cases).
let recomputing = false;
const recomputeTimer = setInterval(() => {
  if (recomputing) return;
  recomputing = true;
  void (async () => {
    try {
      for (const r of await unsafeFindRunnableRecomputeRuns(db.pool, 60_000)) await processRecomputeRun(db, r.tenantId, r.runId);
    } catch (error) {
      console.error('recompute', error);
    } finally {
      recomputing = false;
    }
  })();
}, 300);
// Stands in for the worker's imports queue (imports.dispatch / imports.run): received imports
// are applied here, a member per batch, so a journey sees the progress move.
let importing = false;
const importTimer = setInterval(() => {
  if (importing) return;
  importing = true;
  void (async () => {
    for (const r of await unsafeFindRunnableImports(db.pool, 60_000)) await processImport(db, r.tenantId, r.importId, { batchSize: 1 });
  })()
    .catch(() => {})
    .finally(() => (importing = false));
}, 300);

console.log(JSON.stringify({ ready: true, url, database: database.name, admin, owner, staff, tenantKey: created.apiKey.key }));

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  clearInterval(relay);
  clearInterval(recomputeTimer);
  clearInterval(importTimer);
  server.close();
  await db.close().catch(() => {});
  redis.disconnect();
  await database.drop().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
