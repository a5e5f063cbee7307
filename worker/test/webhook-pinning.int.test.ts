// DNS rebinding: an attempt resolves the endpoint's host once, checks every address, and connects
// only to those addresses. The resolver is injected: it answers one address at the check and
// another at any later call; two receivers on the same port (127.0.0.2 and 127.0.0.1) show where
// each attempt's request went.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { emitEvent, unsafeDeliverLane, unsafeRelayOutbox, type ResolvedAddress, type Resolver } from '@unionpoint/core/webhooks';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';

interface Sink {
  hits: { host: string | undefined; delivery: string }[];
  status: number;
  server: http.Server;
}

function listen(host: string, port: number): Promise<Sink> {
  const sink: Sink = { hits: [], status: 200, server: http.createServer() };
  sink.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      sink.hits.push({ host: req.headers.host, delivery: String(req.headers['unionpoint-delivery']) });
      res.writeHead(sink.status).end();
    });
  });
  return new Promise((resolve, reject) => {
    sink.server.once('error', reject);
    sink.server.listen(port, host, () => resolve(sink));
  });
}

let api: TestApi;
let checked: Sink; // 127.0.0.2: the address the resolver answers first
let rebound: Sink; // 127.0.0.1: the address it answers afterwards
let port: number;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  rebound = await listen('127.0.0.1', 0);
  port = (rebound.server.address() as AddressInfo).port;
  checked = await listen('127.0.0.2', port);
});
afterAll(async () => {
  for (const s of [checked, rebound]) await new Promise((r) => s?.server.close(r));
  await api?.close();
});

/** Answers `first` on the first call and `then` on every later one, counting the calls. */
function rebinding(first: string, then: string): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    return [{ address: calls.length === 1 ? first : then, family: 4 }];
  };
  return Object.assign(resolve, { calls });
}

async function laneFor(t: TestTenant) {
  const res = await api.http.post('/v1/webhooks').set(t.auth).send({ url: `http://hooks.rebind.test:${port}/h`, events: ['points.earned'] });
  expect(res.status).toBe(201);
  await withTenant(api.db.prisma, t.id, (tx) => emitEvent(tx, systemContext(t.id, 'test'), { type: 'points.earned', memberId: 'mem_r', data: { n: 1 } }));
  const relayed = await unsafeRelayOutbox(api.db.pool);
  const [lane] = relayed.lanes.filter((l) => l.tenantId === t.id).map(({ tenantId, endpointId, lane }) => ({ tenantId, endpointId, lane }));
  return lane!;
}

const attempts = async (t: TestTenant) =>
  (await api.db.pool.query(`SELECT attempt, status_code, error FROM webhook_attempts WHERE tenant_id = $1 ORDER BY attempt`, [t.id])).rows;

describe('webhooks: the connection goes to the address that was checked', () => {
  it('resolves once per attempt and connects to that answer, keeping the host name in Host', async () => {
    const t = await api.createTenant();
    const lane = await laneFor(t);
    const resolve = rebinding('127.0.0.2', '127.0.0.1');
    const options = { allowPrivateNetworks: true, resolve, retrySchedule: { delaysMs: [0], thenMs: 0, windowMs: 60_000 } };

    checked.status = 500;
    const first = await unsafeDeliverLane(api.db.pool, lane, options);
    expect(first.retry).not.toBeNull();
    expect(resolve.calls).toEqual(['hooks.rebind.test']);
    expect(checked.hits).toEqual([{ host: `hooks.rebind.test:${port}`, delivery: first.retry!.deliveryId }]);
    expect(rebound.hits).toEqual([]);

    // The retry resolves again (once) and goes to its own answer, not to the first attempt's
    // pooled connection.
    await api.db.pool.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE tenant_id = $1`, [t.id]);
    const second = await unsafeDeliverLane(api.db.pool, lane, options);
    expect(second).toMatchObject({ delivered: 1, retry: null });
    expect(resolve.calls).toHaveLength(2);
    expect(checked.hits).toHaveLength(1);
    expect(rebound.hits).toEqual([{ host: `hooks.rebind.test:${port}`, delivery: first.retry!.deliveryId }]);
    expect((await attempts(t)).map((a) => a.status_code)).toEqual([500, 200]);
  });

  it('refuses an attempt whose host resolves to a private address, without resolving again or connecting', async () => {
    const t = await api.createTenant();
    const lane = await laneFor(t);
    const before = rebound.hits.length + checked.hits.length;
    const resolve = rebinding('127.0.0.1', '127.0.0.2');
    const outcome = await unsafeDeliverLane(api.db.pool, lane, { allowPrivateNetworks: false, resolve, retrySchedule: { delaysMs: [60_000], thenMs: 60_000, windowMs: 3_600_000 } });
    expect(outcome.retry).not.toBeNull();
    expect(resolve.calls).toEqual(['hooks.rebind.test']);
    expect(rebound.hits.length + checked.hits.length).toBe(before);
    expect(await attempts(t)).toEqual([{ attempt: 1, status_code: null, error: expect.stringMatching(/non-public/) }]);
  });
});
