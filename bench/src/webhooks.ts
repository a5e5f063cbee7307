// Webhook relay rate: BENCH_WEBHOOKS outbox events relayed, signed and delivered to a local
// receiver by the real worker (BullMQ on REDIS_URL, else its PostgreSQL backend), against bare
// signed HTTP POSTs to the same receiver at the same concurrency. Target: ≥ 1,000 deliveries/s.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { signWebhook } from '@unionpoint/core/webhooks';
import { createQueueBackend, loadWorkerConfig, startWorker, type WorkerConfig } from '@unionpoint/worker';
import { benchDatabase, benchTenant, seconds } from './fixtures.ts';

const TENANT = 'ten_bench_webhooks';

async function receiver(): Promise<{ url: string; count: () => number; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(200).end('ok');
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => n,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function webhooksBenchmark(): Promise<boolean> {
  const total = Number(process.env.BENCH_WEBHOOKS ?? 20_000);
  const concurrency = Number(process.env.WEBHOOK_CONCURRENCY ?? 50);
  const bench = await benchDatabase();
  const sink = await receiver();
  const { db } = bench;
  try {
    await benchTenant(db, TENANT);
    const secret = 'whsec_bench';
    await db.pool.query(
      `INSERT INTO webhook_endpoints (tenant_id, id, url, events, secret) VALUES ($1, 'whk_bench', $2, ARRAY['points.earned'], $3)`,
      [TENANT, sink.url, secret],
    );

    // Floor: bare signed POSTs, same receiver, same concurrency.
    const body = JSON.stringify({ id: 'evt_x', type: 'points.earned', tenantId: TENANT, data: { memberId: 'mem_1', points: 10 } });
    const floorCount = Math.min(total, 10_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    let next = 0;
    let t0 = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < floorCount) {
          next++;
          await new Promise<void>((resolve, reject) => {
            const req = http.request(sink.url, {
              method: 'POST',
              agent,
              headers: {
                'content-type': 'application/json',
                'unionpoint-signature': signWebhook(secret, body, Math.floor(Date.now() / 1000)),
              },
            });
            req.on('response', (res) => res.resume().on('end', resolve));
            req.on('error', reject);
            req.end(body);
          });
        }
      }),
    );
    const floorRate = floorCount / ((Date.now() - t0) / 1000);

    // Events for total/4 members (4 per member, so order per lane is exercised).
    await db.pool.query(
      `INSERT INTO outbox_events (tenant_id, id, type, member_id, payload)
       SELECT $1, 'evt_' || i, 'points.earned', 'mem_' || (i % greatest($2::int / 4, 1)),
         jsonb_build_object('id', 'evt_' || i, 'type', 'points.earned', 'tenantId', $1::text, 'createdAt', now(), 'data', jsonb_build_object('memberId', 'mem_' || (i % greatest($2::int / 4, 1)), 'points', i))
       FROM generate_series(1, $2) AS i ORDER BY i`,
      [TENANT, total],
    );
    const config: WorkerConfig = {
      ...loadWorkerConfig(),
      redisUrl: process.env.REDIS_URL === '' ? null : process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      webhookAllowPrivateNetworks: true,
      relayIntervalMs: 100,
      logLevel: 'silent',
    };
    const backend = createQueueBackend(config, { databaseUrl: bench.url, prefix: `bench${randomBytes(3).toString('hex')}` });
    const before = sink.count();
    t0 = Date.now();
    const worker = startWorker({ db, config, logger: pino({ level: 'silent' }), backend });
    await worker.scheduleRecurring();
    const deadline = Date.now() + 600_000;
    let lastLog = Date.now();
    while (sink.count() - before < total && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (process.env.BENCH_VERBOSE && Date.now() - lastLog > 1000) {
        lastLog = Date.now();
        const relayed = (await db.pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1`, [TENANT])).rows[0].n;
        console.log(`  ${seconds(Date.now() - t0)}: relayed ${relayed}, delivered ${sink.count() - before}`);
      }
    }
    const elapsed = Date.now() - t0;
    await worker.close();
    const delivered = sink.count() - before;
    const ok = (
      await db.pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'succeeded'`, [TENANT])
    ).rows[0].n;
    const rate = delivered / (elapsed / 1000);
    console.log(
      `webhooks: ${delivered.toLocaleString()} deliveries (${ok.toLocaleString()} logged as succeeded) in ${seconds(elapsed)} = ${Math.round(rate).toLocaleString()}/s ` +
        `on ${backend.kind} (target ≥ 1,000/s); bare signed POSTs ${Math.round(floorRate).toLocaleString()}/s: ${(floorRate / rate).toFixed(2)}× the floor's time per delivery`,
    );
    return rate >= 1000;
  } finally {
    await sink.close();
    await bench.close();
  }
}
