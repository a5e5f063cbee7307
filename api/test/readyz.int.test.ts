import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import type { ApiDeps } from '../src/http/deps.ts';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
// A Redis that accepts connections and never answers (a frozen server: kill -STOP).
let frozen: Server;
const sockets: Socket[] = [];
let frozenPort = 0;
beforeAll(async () => {
  api = await startTestApi();
  frozen = createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => frozen.listen(0, '127.0.0.1', r));
  frozenPort = (frozen.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  frozen.close();
  await api.close();
});

function appWith(redis: Redis) {
  const deps = api.app.locals.deps as ApiDeps;
  return supertest(createApp({ db: deps.db, redis, config: deps.config, logger: pino({ level: 'silent' }) }));
}

describe('/readyz', () => {
  it('is 200 while Postgres answers, with Redis reported down in the body, when Redis refuses connections', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, retryStrategy: () => 200 });
    redis.on('error', () => {});
    try {
      const res = await appWith(redis).get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'down' } });
    } finally {
      redis.disconnect();
    }
  });

  it('answers at once when Redis is frozen (connected, never replying)', async () => {
    const redis = new Redis({ port: frozenPort, host: '127.0.0.1', maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on('error', () => {});
    try {
      const started = performance.now();
      const res = await appWith(redis).get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body.checks).toEqual({ postgres: 'ok', redis: 'down' });
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      redis.disconnect();
    }
  });
});
