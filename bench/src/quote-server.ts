// The servers of the quote benchmark, in their own process so that the load generator does
// not share their event loop: the API (createApp, with the LISTEN config listener as in
// production) and the bare Express + pg floor reading the same member row in the same kind of
// transaction (RLS role switch). Prints one JSON line with the targets; on any stdin line it
// cleans up and exits.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import express from 'express';
import pino from 'pino';
import { createDb, APP_ROLE, type Db } from '@unionpoint/db';
import { createTestDatabase } from '@unionpoint/db/testing';
import { ApiKeyCache, createApp, loadConfig, startConfigListener } from '@unionpoint/api';
import { TIERS } from './quote-fixtures.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200);
const PLATFORM_KEY = 'bench-platform-key-0123456789';

function listen(app: express.Express | ReturnType<typeof createApp>): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}
/** The floor: one transaction with the RLS role switch reading the member row, as JSON. */
function bareApp(db: Db, tenantId: string) {
  const app = express();
  app.use(express.json());
  app.post('/bare/quote', async (req, res) => {
    const { member } = req.body as { member: string };
    const c = await db.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, APP_ROLE]);
      const m = await c.query('SELECT id, union_id, tier_code, points_balance, flagged FROM members WHERE tenant_id = $1 AND union_id = $2', [tenantId, member]);
      await c.query('COMMIT');
      if (!m.rows[0]) return res.status(404).json({ code: 'not_found' });
      res.json(m.rows[0]);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      res.status(500).json({ code: 'internal', detail: String(err) });
    } finally {
      c.release();
    }
  });
  return app;
}



const database = await createTestDatabase();
const db = createDb({ url: database.url, max: 20 });
const config = { ...loadConfig({ NODE_ENV: 'production' }), platformApiKey: PLATFORM_KEY, rateLimitPerMinute: 10_000_000, logLevel: 'silent' };
// As api/src/main.ts: the API-key cache, trusted while the LISTEN listener runs.
const apiKeyCache = new ApiKeyCache();
const api = await listen(createApp({ db, redis: null, config, logger: pino({ level: 'silent' }), apiKeyCache }));
const listener = await startConfigListener(db, pino({ level: 'silent' }), { apiKeyCache });
const slug = `bench-${randomBytes(3).toString('hex')}`;
const send = (path: string, body: unknown, auth: string, method = 'POST') =>
  fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
const created = (await (
  await send('/v1/platform/tenants', { name: slug, slug, owner: { email: `${slug}@example.com`, password: 'correct horse battery' } }, `Bearer ${PLATFORM_KEY}`)
).json()) as { tenant: { id: string }; apiKey: { key: string } };
const tenantId = created.tenant.id;
const auth = `Bearer ${created.apiKey.key}`;
await send('/v1/program', { earn: { memberDay: { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 } } }, auth, 'PATCH');
await send('/v1/tiers', { tiers: TIERS }, auth, 'PUT');
for (let i = 0; i < MEMBERS; i++) await send('/v1/members', { unionId: `m${i}` }, auth);
await db.pool.query(`UPDATE members SET growth = (random() * 30000)::int, points_balance = 5000 WHERE tenant_id = $1`, [tenantId]);
await send('/v1/tiers', { tiers: TIERS }, auth, 'PUT'); // re-tier by growth
const bare = await listen(bareApp(db, tenantId));
console.log(JSON.stringify({ api: api.url, bare: bare.url, auth, members: MEMBERS }));
process.stdin.setEncoding('utf8');
process.stdin.once('data', async () => {
  await listener.close();
  api.server.close();
  bare.server.close();
  await db.close();
  await database.drop();
  process.exit(0);
});
