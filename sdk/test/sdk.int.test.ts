// The SDK against a real API on a real socket: the README's integration example, run as
// written, and verifyWebhook on a delivery the API really signed.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen } from '@unionpoint/api';
import { unsafeDeliverLane, unsafeFindDueLanes } from '@unionpoint/core/webhooks';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';
import { createClient, UnionpointError, verifyWebhook, WebhookVerificationError } from '../src/index.ts';

let api: TestApi;
let server: http.Server;
let baseUrl: string;
let t: TestTenant;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  server = listen(api.app, 0);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The demo tenant's store codes, as the README uses them.
  t = await api.createTenant({
    stores: [
      { code: 'online-mall', name: '线上商城', channel: 'online' },
      { code: 'mini-program', name: '微信小程序', channel: 'miniprogram' },
    ],
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await api?.close();
});

describe('the README example', () => {
  it('runs as written against a real API', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /## Integration in 20 lines[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(example!.trim().split('\n').length).toBeLessThanOrEqual(20);
    const file = new URL('./readme-example.tmp.ts', import.meta.url);
    writeFileSync(file, example!);
    const logs: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.join(' ')));
    process.env.UNIONPOINT_API_URL = baseUrl;
    process.env.UNIONPOINT_API_KEY = t.key;
    try {
      await import(file.href);
    } finally {
      log.mockRestore();
      rmSync(file, { force: true });
    }
    // It did what it says: the member, the order with the quote's amount, the refusal explained.
    const member = await api.http.get('/v1/members/wx_union_8f3a2c').set(t.auth);
    expect(member.status).toBe(200);
    expect(member.body.identities[0].storeId).toBe(t.stores[0]!.id);
    const { rows } = await api.db.pool.query('SELECT amount_cents FROM orders WHERE tenant_id = $1 AND external_id = $2', [
      t.id,
      'SO-1001',
    ]);
    expect(rows).toHaveLength(1);
    expect(logs[0]).toMatch(/^paid ¥\d+(\.\d+)?, earned \d+ points$/);
    expect(logs.some((l) => l.startsWith('wx_union_8f3a2c '))).toBe(true);
    expect(logs.at(-1)).toContain(`${baseUrl}/docs/errors/insufficient_points`);
  });

  it('answers problems as typed errors and reads every page', async () => {
    const up = createClient({ baseUrl, apiKey: t.key });
    for (let i = 0; i < 5; i++) await up.enrolMember({ body: { unionId: `page-${i}` } });
    const seen: string[] = [];
    for await (const m of up.paginate('listMembers', { query: { limit: 2 } })) seen.push(m.unionId);
    expect(seen.filter((u) => u.startsWith('page-')).sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const error = await up.getMember({ params: { member: 'nobody' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnionpointError);
    expect((error as UnionpointError).code).toBe('not_found');
    expect((await fetch((error as UnionpointError).type)).status).toBe(200);
    const bad = await createClient({ baseUrl, apiKey: 'up_wrong' })
      .getProgram()
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('writes once when the same call is retried with its Idempotency-Key', async () => {
    const up = createClient({ baseUrl, apiKey: t.key });
    const body = { delta: 5, reason: 'goodwill' };
    await up.adjustPoints({ params: { member: 'page-0' }, body }, { idempotencyKey: 'adj-1' });
    await up.adjustPoints({ params: { member: 'page-0' }, body }, { idempotencyKey: 'adj-1' });
    const member = await up.getMember({ params: { member: 'page-0' } });
    expect(member.points.balance).toBe(5);
  });
});

describe('verifyWebhook against the API', () => {
  it('verifies a test event the API signed and delivered, and refuses it outside the window', async () => {
    const received: { body: string; signature: string }[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['unionpoint-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const up = createClient({ baseUrl, apiKey: t.key });
      const hook = await up.createWebhook({
        body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['order.completed'] },
      });
      const queued = await up.sendTestWebhookEvent({ params: { id: hook.id }, body: { event: 'points.earned' } });
      expect(queued).toMatchObject({ test: true, status: 'pending' });
      const due = (await unsafeFindDueLanes(api.db.pool, { graceMs: -60_000 })).filter((d) => d.endpointId === hook.id);
      await unsafeDeliverLane(api.db.pool, due[0]!, { allowPrivateNetworks: true });
      expect(received).toHaveLength(1);
      const event = verifyWebhook(received[0]!.body, received[0]!.signature, hook.secret, { toleranceSeconds: 60 });
      expect(event).toMatchObject({ type: 'points.earned', test: true, tenantId: t.id });
      if (event.type === 'points.earned') expect(event.data.points).toBeGreaterThan(0);
      const later = new Date(Date.now() + 120_000);
      expect(() => verifyWebhook(received[0]!.body, received[0]!.signature, hook.secret, { toleranceSeconds: 60, now: later })).toThrow(
        WebhookVerificationError,
      );
      expect(() => verifyWebhook(received[0]!.body, received[0]!.signature, 'whsec_other')).toThrow(/does not match/);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
