// Fault: the worker is killed (SIGKILL, no shutdown hook) in the middle of a history import
// (imports.run: batches of IMPORT_BATCH_SIZE lines of whole members, one transaction each) and started again.
// The import's heartbeat goes stale and imports.dispatch hands it to the restarted worker (or
// BullMQ's stalled check returns the job), which goes on from the cursor: every order is
// imported once, and the members end exactly as an uninterrupted import leaves them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { processImport } from '@unionpoint/core/imports';
import { verifyLedger } from '@unionpoint/core/points';
import { startTestApi, type TestApi, type TestTenant } from '../../../api/test/harness.ts';
import { startPrivateRedis, type PrivateRedis } from '../../../api/test/faults/private-redis.ts';
import { serviceProcess, type ServiceProcess } from '../../../api/test/faults/service-process.ts';
import { eventually } from '../helpers.ts';

const MEMBERS = 600;
const ORDERS_PER_MEMBER = 4;
const BATCH = 10; // members per batch: 60 batches
const RECOVERY_BOUND_MS = 60_000;

let api: TestApi;
let redis: PrivateRedis;
let worker: ServiceProcess;

beforeAll(async () => {
  api = await startTestApi();
  redis = await startPrivateRedis();
  worker = serviceProcess('worker/src/main.ts', {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: api.databaseUrl,
    REDIS_URL: redis.url,
    DATABASE_POOL_SIZE: '4',
    IMPORT_BATCH_SIZE: String(BATCH * ORDERS_PER_MEMBER),
    IMPORT_DISPATCH_INTERVAL_MS: '200',
    IMPORT_STALE_AFTER_MS: '2000',
    JOB_LOCK_MS: '3000',
    SCHEDULE_CHECK_INTERVAL_MS: '1000',
    LOG_LEVEL: 'warn',
  });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await redis?.stop();
  await api?.close();
}, 60_000);

const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const members = Array.from({ length: MEMBERS }, (_, i) => ({
  unionId: `k${String(i).padStart(4, '0')}`,
  joinedAt: '2024-01-02T00:00:00Z',
}));
const orders = members.flatMap((m, i) =>
  Array.from({ length: ORDERS_PER_MEMBER }, (_, j) => ({
    externalId: `K-${i}-${j}`,
    member: m.unionId,
    storeCode: 'mall',
    amountCents: 25_000 + ((i * 7 + j * 13) % 50) * 1000,
    completedAt: new Date(Date.parse('2024-02-01T00:00:00Z') + (i % 90) * 86_400_000 + j * 30 * 86_400_000).toISOString(),
    ...(j === 1
      ? {
          refunds: [
            {
              refundId: `KR-${i}`,
              amountCents: 5000,
              at: new Date(Date.parse('2024-02-01T00:00:00Z') + (i % 90) * 86_400_000 + 40 * 86_400_000).toISOString(),
            },
          ],
        }
      : {}),
  })),
);

async function staged(t: TestTenant, kind: string, text: string): Promise<string> {
  const created = await api.http.post('/v1/imports').set(t.auth).send({ kind });
  expect(created.status).toBe(201);
  const up = await api.http.put(`/v1/imports/${created.body.id}/data`).set(t.auth).set('Content-Type', 'application/x-ndjson').send(text);
  expect(up.status, JSON.stringify(up.body)).toBe(202);
  return created.body.id as string;
}

async function summary(t: TestTenant) {
  const r = await api.db.pool.query(
    `SELECT union_id, points_balance, growth, tier_code, tier_since FROM members WHERE tenant_id = $1 ORDER BY union_id`,
    [t.id],
  );
  const counts = await api.db.pool.query(
    `SELECT (SELECT count(*)::int FROM orders WHERE tenant_id = $1) AS orders, (SELECT count(*)::int FROM order_refunds WHERE tenant_id = $1) AS refunds,
            (SELECT count(*)::int FROM points_ledger WHERE tenant_id = $1) AS entries, (SELECT count(*)::int FROM tier_changes WHERE tenant_id = $1) AS tier_changes`,
    [t.id],
  );
  return { members: r.rows, counts: counts.rows[0] };
}

describe('worker killed in the middle of imports.run', () => {
  it('the import resumes from its cursor after the restart and ends as an uninterrupted one', async () => {
    // The reference: the same files applied in-process without interruption.
    const clean = await api.createTenant();
    await processImport(api.db, clean.id, await staged(clean, 'members', ndjson(members)), { batchSize: 200 });
    await processImport(api.db, clean.id, await staged(clean, 'orders', ndjson(orders)), { batchSize: 200 });

    const t = await api.createTenant();
    await processImport(api.db, t.id, await staged(t, 'members', ndjson(members)), { batchSize: 200 });
    const id = await staged(t, 'orders', ndjson(orders));
    const processed = async () =>
      (
        await api.db.pool.query<{ processed: number; status: string }>(
          `SELECT processed, status FROM imports WHERE tenant_id = $1 AND id = $2`,
          [t.id, id],
        )
      ).rows[0]!;

    worker.start();
    await eventually(
      async () => (await processed()).processed >= BATCH * ORDERS_PER_MEMBER * 3,
      `the first batches to commit\n${worker.output()}`,
      90_000,
    );
    await worker.kill9();
    const atKill = await processed();
    expect(atKill.status).toBe('processing');
    expect(atKill.processed).toBeLessThan(orders.length);
    expect(atKill.processed % (BATCH * ORDERS_PER_MEMBER)).toBe(0); // whole batches: the open one rolled back
    await new Promise((r) => setTimeout(r, 300));
    expect((await processed()).processed).toBe(atKill.processed);

    worker.start();
    await eventually(
      async () => (await processed()).status === 'completed',
      `the import to complete after the restart\n${worker.output()}`,
      RECOVERY_BOUND_MS,
    );
    const got = await api.http.get(`/v1/imports/${id}`).set(t.auth);
    expect(got.body).toMatchObject({
      status: 'completed',
      total: orders.length,
      processed: orders.length,
      imported: orders.length,
      skipped: 0,
      errors: [],
    });
    expect(await summary(t)).toEqual(await summary(clean));
    const report = await withTenant(api.db.prisma, t.id, (tx) => verifyLedger(tx, systemContext(t.id, 'test')));
    expect(report.mismatches).toEqual([]);
    expect(worker.crashed()).toBeNull();
    console.log(
      `[faults] worker killed mid imports.run: ${orders.length} orders of ${MEMBERS} members in batches of ${BATCH}, killed at ${atKill.processed}; resumed to completion, 0 lost, 0 doubled`,
    );
  }, 240_000);
});
