import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { emitEvent, verifyWebhookSignature, type EventType } from '@unionpoint/core/webhooks';
import { systemContext } from '@unionpoint/core';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';
import { eventually, startReceiver, testWorker, type Receiver } from './helpers.ts';
import type { WorkerRuntime } from '../src/index.ts';

let api: TestApi;
let receiver: Receiver;
let worker: WorkerRuntime;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  receiver = await startReceiver();
  worker = testWorker(api.db, api.databaseUrl);
  await worker.scheduleRecurring();
});
afterAll(async () => {
  await worker?.close();
  await receiver?.close();
  await api?.close();
});

async function register(t: TestTenant, events: EventType[], url = receiver.url) {
  const res = await api.http.post('/v1/webhooks').set(t.auth).send({ url, events });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; url: string; events: string[] };
}

async function emit(t: TestTenant, memberId: string | null, type: EventType, data: Record<string, unknown>) {
  await withTenant(api.db.prisma, t.id, (tx) => emitEvent(tx, systemContext(t.id, 'test'), { type, memberId, data }));
}

describe('webhooks: happy path', () => {
  it('signs, retries a failing delivery with the same delivery id, and keeps per-member order', async () => {
    const t = await api.createTenant();
    const hook = await register(t, ['points.earned', 'member.created']);
    expect(hook.secret).toMatch(/^whsec_/);

    // The first two attempts of event n=2 of member A fail; A's n=3..5 must wait for it.
    receiver.respond = (r) => {
      const body = JSON.parse(r.body);
      if (body.data.member === 'A' && body.data.n === 2 && receiver.received.filter((x) => x.delivery === r.delivery).length <= 2) return 500;
      return 200;
    };
    for (let n = 1; n <= 5; n++) {
      await emit(t, 'mem_A', 'points.earned', { member: 'A', n });
      await emit(t, 'mem_B', 'points.earned', { member: 'B', n });
    }
    // Not subscribed: never delivered.
    await emit(t, 'mem_A', 'order.completed', { member: 'A' });

    const mine = () => receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`));
    await eventually(() => mine().filter((r) => r.event === 'points.earned').length === 12, 'all deliveries incl. 2 retries');

    for (const r of mine()) expect(verifyWebhookSignature(hook.secret, r.body, r.signature)).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', mine()[0]!.body, mine()[0]!.signature)).toBe(false);

    const order = (member: string) =>
      mine()
        .map((r) => JSON.parse(r.body))
        .filter((b) => b.data.member === member)
        .map((b) => b.data.n);
    expect(order('A')).toEqual([1, 2, 2, 2, 3, 4, 5]);
    expect(order('B')).toEqual([1, 2, 3, 4, 5]);
    expect(mine().some((r) => r.event === 'order.completed')).toBe(false);

    const retried = mine().filter((r) => JSON.parse(r.body).data.member === 'A' && JSON.parse(r.body).data.n === 2);
    expect(new Set(retried.map((r) => r.delivery)).size).toBe(1);

    const log = await api.http.get(`/v1/webhooks/${hook.id}/deliveries?limit=200`).set(t.auth);
    expect(log.status).toBe(200);
    expect(log.body.data).toHaveLength(10);
    const d2 = log.body.data.find((d: { id: string }) => d.id === retried[0]!.delivery);
    expect(d2.status).toBe('succeeded');
    expect(d2.attempts).toBe(3);
    expect(d2.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
    expect(d2.attemptLog[0].responseBody.length).toBe(1024);
    expect(d2.attemptLog.every((a: { latencyMs: number }) => a.latencyMs >= 0)).toBe(true);
  });

  it('replays a delivery as a new delivery of the same event', async () => {
    const t = await api.createTenant();
    receiver.respond = () => 200;
    const hook = await register(t, ['member.created']);
    const enrol = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'replay-1' });
    expect(enrol.status).toBe(201);
    const mine = () => receiver.received.filter((r) => r.body.includes(`"tenantId":"${t.id}"`));
    await eventually(() => mine().length === 1, 'member.created delivered');
    const first = mine()[0]!;
    expect(first.event).toBe('member.created');
    const replay = await api.http.post(`/v1/webhooks/${hook.id}/deliveries/${first.delivery}/replay`).set(t.auth).send({});
    expect(replay.status).toBe(202);
    expect(replay.body.replayOf).toBe(first.delivery);
    await eventually(() => mine().length === 2, 'replay delivered');
    expect(mine()[1]!.delivery).toBe(replay.body.id);
    expect(JSON.parse(mine()[1]!.body).id).toBe(JSON.parse(first.body).id);
  });

  it('lists endpoints without secrets and stops delivering after delete', async () => {
    const t = await api.createTenant();
    const hook = await register(t, ['points.earned']);
    const list = await api.http.get('/v1/webhooks').set(t.auth);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([expect.objectContaining({ id: hook.id, url: receiver.url, events: ['points.earned'] })]);
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
    const del = await api.http.delete(`/v1/webhooks/${hook.id}`).set(t.auth);
    expect(del.status).toBe(200);
    expect(del.body.deletedAt).not.toBeNull();
    expect((await api.http.get('/v1/webhooks').set(t.auth)).body.data).toEqual([]);
    await emit(t, 'mem_X', 'points.earned', { member: 'X' });
    await eventually(async () => (await api.db.pool.query('SELECT 1 FROM outbox_events WHERE tenant_id = $1 AND published_at IS NULL', [t.id])).rowCount === 0, 'relayed');
    const rows = await api.db.pool.query('SELECT 1 FROM webhook_deliveries WHERE tenant_id = $1', [t.id]);
    expect(rows.rowCount).toBe(0);
  });
});

describe('webhooks: errors', () => {
  it('refuses bad bodies and unknown ids', async () => {
    const t = await api.createTenant();
    for (const body of [{ url: 'ftp://x.example/h', events: ['member.created'] }, { url: receiver.url, events: [] }, { url: receiver.url, events: ['nope'] }, {}]) {
      const res = await api.http.post('/v1/webhooks').set(t.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await api.http.delete('/v1/webhooks/whk_missing').set(t.auth)).status).toBe(404);
    expect((await api.http.get('/v1/webhooks/whk_missing/deliveries').set(t.auth)).status).toBe(404);
    const hook = await register(t, ['member.created']);
    expect((await api.http.post(`/v1/webhooks/${hook.id}/deliveries/dlv_missing/replay`).set(t.auth).send({})).status).toBe(404);
  });
});

describe('webhooks: security', () => {
  it('refuses loopback and private URLs unless allowed', async () => {
    const strict = await startTestApi({ webhookAllowPrivateNetworks: false });
    try {
      const t = await strict.createTenant();
      for (const url of [
        'http://127.0.0.1:9/h',
        'http://localhost/h',
        'http://10.1.2.3/h',
        'http://192.168.0.1/h',
        'http://[::1]/h',
        'http://169.254.169.254/latest',
        'http://0x7f.1/h',
        'http://[::127.0.0.1]/h',
        'http://[::a9fe:a9fe]/latest',
        'http://[64:ff9b::a9fe:a9fe]/latest',
        'http://[2002:7f00:1::]/h',
        'http://[::ffff:0:127.0.0.1]/h',
        'http://[fec0::1]/h',
        'http://[100::1]/h',
      ]) {
        const res = await strict.http.post('/v1/webhooks').set(t.auth).send({ url, events: ['member.created'] });
        expect(res.status, url).toBe(400);
        expect(res.body.code).toBe('validation_failed');
      }
    } finally {
      await strict.close();
    }
  });

  it("hides another tenant's endpoints and deliveries", async () => {
    const a = await api.createTenant();
    const b = await api.createTenant();
    const hook = await register(a, ['member.created']);
    expect((await api.http.get(`/v1/webhooks/${hook.id}/deliveries`).set(b.auth)).status).toBe(404);
    expect((await api.http.delete(`/v1/webhooks/${hook.id}`).set(b.auth)).status).toBe(404);
    expect((await api.http.get('/v1/webhooks').set(b.auth)).body.data).toEqual([]);
    expect((await api.http.get('/v1/webhooks')).status).toBe(401);
    expect((await api.http.post('/v1/webhooks').set(api.platform).send({ url: receiver.url, events: ['member.created'] })).status).toBe(403);
  });
});
