// The worker's Redis restarts empty (no persistence) under a bounded load of order writes: the
// worker re-creates its schedulers by itself, the outbox drains and every event reaches the
// webhook exactly once. A private redis-server is killed and started again on the same port;
// the shared Redis is never touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../api/test/harness.ts';
import { startPrivateRedis, type PrivateRedis } from '../../../api/test/faults/private-redis.ts';
import { eventually, startReceiver, testWorker, type Receiver } from '../helpers.ts';
import type { WorkerRuntime } from '../../src/index.ts';

const ORDERS = 60;
const RECOVERY_BOUND_MS = 40_000;
let api: TestApi;
let redis: PrivateRedis;
let receiver: Receiver;
let worker: WorkerRuntime;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  redis = await startPrivateRedis();
  receiver = await startReceiver();
  worker = testWorker(api.db, api.databaseUrl, { redisUrl: redis.url, scheduleCheckIntervalMs: 500 });
  await worker.scheduleRecurring();
});
afterAll(async () => {
  await worker?.close();
  await redis?.stop();
  await receiver?.close();
  await api?.close();
});

describe('Redis restarted empty', () => {
  it('the worker relays and delivers again by itself; every event is delivered exactly once', async () => {
    const t = await api.createTenant();
    const hook = await api.http.post('/v1/webhooks').set(t.auth).send({ url: receiver.url, events: ['member.created', 'points.earned'] });
    expect(hook.status).toBe(201);
    const storeId = t.stores[0]!.id;
    const mine = () => receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`));
    const pending = async () =>
      (await api.db.pool.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND published_at IS NULL`, [t.id])).rows[0].n as number;

    // Bounded load: 4 writers, each enrolling members and reporting orders; the restart comes
    // a third of the way in.
    let acked = 0;
    let restartedAt = 0;
    const restart = (async () => {
      await eventually(() => acked >= ORDERS / 3, 'a third of the load', 60_000);
      await redis.restartEmpty();
      restartedAt = performance.now();
    })();
    const writer = async (w: number) => {
      for (let i = w; i < ORDERS; i += 4) {
        const member = `m-${i}`;
        expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: member })).status).toBe(201);
        const order = await api.http.post('/v1/orders').set(t.auth).send({ externalId: `o-${i}`, member, storeId, amountCents: 1000 + i });
        expect(order.status).toBe(201);
        acked++;
      }
    };
    await Promise.all([restart, ...[0, 1, 2, 3].map(writer)]);
    const writesDoneAt = performance.now();

    await eventually(async () => (await pending()) === 0, 'the outbox drained after the restart', RECOVERY_BOUND_MS);
    const drainedAt = performance.now();
    await eventually(
      async () => (await api.db.pool.query(`SELECT 1 FROM webhook_deliveries WHERE tenant_id = $1 AND status <> 'succeeded'`, [t.id])).rowCount === 0,
      'every delivery succeeded',
      RECOVERY_BOUND_MS,
    );
    const deliveredAt = performance.now();
    // Settle: a duplicate would arrive within a few sweeper cycles.
    await new Promise((r) => setTimeout(r, 1500));

    const events = await api.db.pool.query(
      `SELECT e.id, e.type FROM outbox_events e WHERE e.tenant_id = $1 AND e.type IN ('member.created', 'points.earned') ORDER BY e.id`,
      [t.id],
    );
    const byType = (type: string) => events.rows.filter((e) => e.type === type).length;
    expect(byType('member.created')).toBe(ORDERS);
    expect(byType('points.earned')).toBe(ORDERS);
    const received = mine().map((r) => JSON.parse(r.body).id as string);
    expect(new Set(received).size).toBe(received.length);
    expect([...received].sort()).toEqual(events.rows.map((e) => e.id as string).sort());
    const orders = await api.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE tenant_id = $1`, [t.id]);
    expect(orders.rows[0].n).toBe(ORDERS);

    console.log(
      `[faults] Redis restarted empty under ${ORDERS * 2} writes (${ORDERS} orders): outbox drained ${((drainedAt - restartedAt) / 1000).toFixed(1)} s after the restart ` +
        `(${((drainedAt - writesDoneAt) / 1000).toFixed(1)} s after the last write), all ${received.length} deliveries once, ${((deliveredAt - restartedAt) / 1000).toFixed(1)} s after the restart`,
    );
  }, 150_000);
});
