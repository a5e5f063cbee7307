// Redis goes away: the API keeps accepting writes (their events wait in the outbox) and the
// worker catches up once Redis is back, delivering every event exactly once. Redis is reached
// through a local TCP proxy that the test stops and restarts; the real server is untouched.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import pino from 'pino';
import supertest from 'supertest';
import { createApp, loadConfig } from '../../api/src/index.ts';
import { redisUrl, startTestApi, PLATFORM_KEY, type TestApi } from '../../api/test/harness.ts';
import { eventually, startReceiver, testWorker, type Receiver } from './helpers.ts';
import type { WorkerRuntime } from '../src/index.ts';

class RedisProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;
  async start(): Promise<void> {
    const target = new URL(redisUrl());
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
}

let api: TestApi;
let receiver: Receiver;
let proxy: RedisProxy;
let worker: WorkerRuntime;
let proxiedRedis: Redis;
let http: ReturnType<typeof supertest>;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  receiver = await startReceiver();
  proxy = new RedisProxy();
  await proxy.start();
  // The API under test uses Redis (rate limits) through the proxy too.
  proxiedRedis = new Redis(proxy.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  proxiedRedis.on('error', () => {});
  const config = { ...loadConfig({ NODE_ENV: 'test' }), platformApiKey: PLATFORM_KEY, logLevel: 'silent', webhookAllowPrivateNetworks: true };
  http = supertest(createApp({ db: api.db, redis: proxiedRedis, config, logger: pino({ level: 'silent' }) }));
  worker = testWorker(api.db, api.databaseUrl, { redisUrl: proxy.url });
  await worker.scheduleRecurring();
});
afterAll(async () => {
  await worker?.close();
  proxiedRedis?.disconnect();
  await proxy?.stop();
  await receiver?.close();
  await api?.close();
});

describe('resilience', () => {
  it('accepts writes while Redis is down and delivers every event once when it returns', async () => {
    const t = await api.createTenant();
    const hook = await http.post('/v1/webhooks').set(t.auth).send({ url: receiver.url, events: ['member.created'] });
    expect(hook.status).toBe(201);
    const mine = () => receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`));

    for (let i = 0; i < 3; i++) expect((await http.post('/v1/members').set(t.auth).send({ unionId: `before-${i}` })).status).toBe(201);
    await eventually(() => mine().length === 3, 'deliveries before the outage');

    await proxy.stop();
    for (let i = 0; i < 5; i++) {
      const res = await http.post('/v1/members').set(t.auth).send({ unionId: `during-${i}` });
      expect(res.status).toBe(201);
    }
    const waiting = await api.db.pool.query('SELECT count(*)::int AS n FROM outbox_events WHERE tenant_id = $1 AND published_at IS NULL', [t.id]);
    expect(waiting.rows[0].n).toBe(5);
    expect(mine()).toHaveLength(3);

    await proxy.start();
    await eventually(() => mine().length >= 8, 'catch-up after Redis returned', 60_000);
    // Settle: any duplicate would arrive within the sweeper's cycle.
    await eventually(async () => (await api.db.pool.query(`SELECT 1 FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'pending'`, [t.id])).rowCount === 0, 'no pending');
    const ids = mine().map((r) => JSON.parse(r.body).id);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    const unions = mine().map((r) => JSON.parse(r.body).data.unionId).sort();
    expect(unions).toEqual([...[0, 1, 2].map((i) => `before-${i}`), ...[0, 1, 2, 3, 4].map((i) => `during-${i}`)].sort());
  });
});
