// The API and the worker on a real Redis Cluster: three masters from the machine's
// `redis-server` (private ports and folder; the shared Redis is never touched). Each queue's keys
// share one slot (a hash-tagged prefix) and the queues spread over the masters; rate limits and
// login counters are shared by two API instances through the cluster; under a load of writes
// the master holding the outbox relay's queue (and the one holding the writer's rate limit) is
// stopped and started again with its nodes.conf (no failover): every write is answered, the
// relay goes on by itself, its schedulers survive, and every event reaches the webhook exactly once.
import { Cluster } from 'ioredis';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, loadConfig } from '../../../api/src/index.ts';
import { connectApiRedis } from '../../../api/src/http/redis.ts';
import { PLATFORM_KEY, startTestApi, type TestApi, type TestTenant } from '../../../api/test/harness.ts';
import { startPrivateRedisCluster, type PrivateRedisCluster } from '../../../api/test/faults/private-redis-cluster.ts';
import { parseClusterNodes, queuePrefix, QUEUE_NAMES, type RedisTarget, type WorkerRuntime } from '../../src/index.ts';
import { eventually, startReceiver, testWorker, type Receiver } from '../helpers.ts';

const ORDERS = 60;
const RECOVERY_BOUND_MS = 60_000;
let api: TestApi;
let cluster: PrivateRedisCluster;
let target: Extract<RedisTarget, { kind: 'cluster' }>;
let receiver: Receiver;
let worker: WorkerRuntime;
const clients: Cluster[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An API instance whose rate limits and login counters live in the cluster. */
async function clusterApi(rateLimitPerMinute: number) {
  const redis = connectApiRedis(target) as Cluster;
  redis.on('error', () => {});
  clients.push(redis);
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  const config = { ...loadConfig({ NODE_ENV: 'test' }), platformApiKey: PLATFORM_KEY, logLevel: 'silent', rateLimitPerMinute, trustProxy: true, redisClusterNodes: cluster.seeds };
  return supertest(createApp({ db: api.db, redis, config, logger: pino({ level: 'silent' }) }));
}

/** Every key of the cluster, by the port of the master holding it. */
async function keysByNode(): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const n of cluster.nodes) out.set(n.port, (await cluster.cli(n.port, '--scan')).split('\n').filter(Boolean));
  return out;
}

beforeAll(async () => {
  cluster = await startPrivateRedisCluster(3);
  const parsed = parseClusterNodes(cluster.seeds);
  if (parsed?.kind !== 'cluster') throw new Error('not a cluster target');
  target = parsed;
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  receiver = await startReceiver();
  worker = testWorker(api.db, api.databaseUrl, { redisUrl: null, redisClusterNodes: cluster.seeds, scheduleCheckIntervalMs: 500 });
  expect(worker.backend.kind).toBe('redis-cluster');
  await worker.scheduleRecurring();
}, 120_000);

afterAll(async () => {
  // After a node restart BullMQ 6.7's close() of a worker on a Cluster sometimes never returns
  // (its blocking connection; see docs/SCALING.md, "Redis Cluster"): bounded here as the worker
  // process bounds its shutdown, then the connections are closed under it.
  let closed = false;
  await Promise.race([worker?.close().then(() => (closed = true)), sleep(15_000)]);
  if (!closed) console.log('[cluster] a BullMQ worker did not close within 15 s after the node restart');
  await worker?.backend.close();
  for (const c of clients) c.disconnect();
  await receiver?.close();
  await api?.close();
  await cluster?.stop();
});

describe('Redis Cluster', () => {
  it('keeps each queue in one slot, the queues spread over the masters', async () => {
    const byNode = await keysByNode();
    const prefix = (worker.queues['outbox-relay'].opts.prefix ?? '').replace(/^\{|:outbox-relay\}$/g, '');
    const nodeOfQueue = new Map<string, Set<number>>();
    for (const [port, keys] of byNode) {
      for (const key of keys) {
        const queue = QUEUE_NAMES.find((q) => key.startsWith(`${queuePrefix(prefix, q, true)}:`));
        if (!queue) continue;
        if (!nodeOfQueue.has(queue)) nodeOfQueue.set(queue, new Set());
        nodeOfQueue.get(queue)!.add(port);
      }
    }
    // The recurring jobs' queues have keys by now; every queue's keys sit on one master.
    expect([...nodeOfQueue.keys()]).toEqual(expect.arrayContaining(['outbox-relay', 'webhook-delivery', 'retention', 'schedules']));
    for (const ports of nodeOfQueue.values()) expect(ports.size).toBe(1);
    const masters = new Set([...nodeOfQueue.values()].map((s) => [...s][0]));
    expect(masters.size).toBeGreaterThan(1);
  });

  it('holds rate limits and login counters for every API instance in the cluster', async () => {
    const t: TestTenant = await api.createTenant();
    const a = await clusterApi(12);
    const b = await clusterApi(12);
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await (i % 2 ? b : a).get('/v1/stores').set(t.auth)).status);
    // 12 a minute for the key, counted once across both instances: each instance alone saw 8.
    // (A consume the cluster answers later than the 50 ms bound is counted in that instance's
    // memory for the request, and still lands in the cluster: hence the count, not only statuses.)
    expect(statuses.slice(0, 12)).toEqual(Array(12).fill(200));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const keys = [...(await keysByNode()).values()].flat().filter((k) => k.startsWith('up:rl:key:'));
    expect(keys).toHaveLength(1);
    expect(Number(await cluster.cli((await cluster.nodeFor(keys[0]!)).port, 'GET', keys[0]!))).toBe(16);

    const login = (http: typeof a) => http.post('/v1/auth/login').set('X-Forwarded-For', '10.9.0.1').send({ email: t.owner.email, password: 'wrong password' });
    const logins: number[] = [];
    for (let i = 0; i < 12; i++) logins.push((await login(i % 2 ? b : a)).status);
    // Each instance counts 6 in its memory: only the shared count reaches the limit of 10.
    expect(logins.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(logins.slice(10)).toContain(429);
    expect([...(await keysByNode()).values()].flat().filter((k) => k.startsWith('up:login:'))).toHaveLength(3);
  });

  it('shows the queues on the board (/admin/queues) from the cluster', async () => {
    const http = await clusterApi(1000);
    const res = await http.get('/admin/queues/api/queues').set({ Authorization: `Bearer ${PLATFORM_KEY}` });
    expect(res.status).toBe(200);
    expect(res.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    const keys = [...(await keysByNode()).values()].flat();
    // The board's queues are the production prefix's: `{up:<queue>}` on the cluster.
    expect(keys.some((k) => k.startsWith('{up:'))).toBe(true);
  });

  it('delivers every event exactly once through a failover-free restart of the relay queue’s master', async () => {
    const t = await api.createTenant();
    const hook = await api.http.post('/v1/webhooks').set(t.auth).send({ url: receiver.url, events: ['member.created', 'points.earned'] });
    expect(hook.status).toBe(201);
    const storeId = t.stores[0]!.id;
    // The writes go through an API instance whose rate limit is in the cluster.
    const http = await clusterApi(1_000_000);
    const keysBefore = new Set([...(await keysByNode()).values()].flat());
    expect((await http.get('/v1/stores').set(t.auth)).status).toBe(200);
    const limitKey = [...(await keysByNode()).values()].flat().find((k) => k.startsWith('up:rl:key:') && !keysBefore.has(k));
    expect(limitKey).toBeTruthy();
    // Restarted in turn: the master of the relay's queue, and the one holding the key's rate limit.
    const relayNode = await cluster.nodeFor(`${worker.queues['outbox-relay'].opts.prefix}:outbox-relay:wait`);
    const restartNodes = [...new Set([relayNode, await cluster.nodeFor(limitKey!)])];
    const pending = async () =>
      (await api.db.pool.query(`SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND published_at IS NULL`, [t.id])).rows[0].n as number;

    let acked = 0;
    let restarted = false;
    const restart = (async () => {
      await eventually(() => acked >= ORDERS / 4, 'a quarter of the load', 60_000);
      for (const node of restartNodes) {
        await node.stop();
        await sleep(1000);
        await node.start();
        await cluster.waitHealthy();
      }
      restarted = true;
    })();
    const writer = async (w: number) => {
      for (let i = w; i < ORDERS; i += 4) {
        const member = `m-${i}`;
        expect((await http.post('/v1/members').set(t.auth).send({ unionId: member })).status).toBe(201);
        const order = await http.post('/v1/orders').set(t.auth).send({ externalId: `o-${i}`, member, storeId, amountCents: 1000 + i });
        expect(order.status).toBe(201);
        acked++;
      }
    };
    await Promise.all([restart, ...[0, 1, 2, 3].map(writer)]);
    expect(restarted).toBe(true);

    await eventually(async () => (await pending()) === 0, 'the outbox drained after the restart', RECOVERY_BOUND_MS);
    await eventually(
      async () => (await api.db.pool.query(`SELECT 1 FROM webhook_deliveries WHERE tenant_id = $1 AND status <> 'succeeded'`, [t.id])).rowCount === 0,
      'every delivery succeeded',
      RECOVERY_BOUND_MS,
    );
    // The restarted master kept its keys (append-only file): the schedulers were not lost.
    expect(await worker.queues['outbox-relay'].getJobScheduler('outbox.relay')).toBeTruthy();
    expect(await worker.ensureRecurring()).toBe(false);
    // Settle: a duplicate would arrive within a few sweeper cycles.
    await sleep(1500);

    const events = await api.db.pool.query(`SELECT id FROM outbox_events WHERE tenant_id = $1 AND type IN ('member.created', 'points.earned') ORDER BY id`, [t.id]);
    expect(events.rows).toHaveLength(ORDERS * 2);
    const received = receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`)).map((r) => JSON.parse(r.body).id as string);
    expect(new Set(received).size).toBe(received.length);
    expect([...received].sort()).toEqual(events.rows.map((e) => e.id as string).sort());
    console.log(`[cluster] ${ORDERS * 2} events over restarts of the masters on ${restartNodes.map((n) => n.port).join(', ')}: ${received.length} deliveries, each once`);
  }, 180_000);
});
