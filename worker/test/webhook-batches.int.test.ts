// Lanes sent together: the relay's multi-lane wake-up job, driven through the worker's handler
// (no worker processes the queue here, so retries stay queued for inspection), and the shared
// statements the lanes' database steps go through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { emitEvent, unsafeDeliverLanes, unsafeRelayOutbox, verifyWebhookSignature } from '@unionpoint/core/webhooks';
import { startTestApi, type TestApi, type TestTenant } from '../../api/test/harness.ts';
import { startReceiver, testWorker, type Receiver } from './helpers.ts';
import { HANDLERS } from '../src/handlers/index.ts';
import type { WorkerRuntime } from '../src/index.ts';

let api: TestApi;
let ok: Receiver;
let failing: Receiver;
let producer: WorkerRuntime;

beforeAll(async () => {
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  ok = await startReceiver();
  failing = await startReceiver();
  failing.respond = () => 503;
  // A retry a minute away: the failed heads stay "later" while the test looks at them.
  producer = testWorker(api.db, api.databaseUrl, { webhookRetrySchedule: { delaysMs: [60_000], thenMs: 60_000, windowMs: 3_600_000 } }, { process: false });
});
afterAll(async () => {
  await producer?.close();
  await ok?.close();
  await failing?.close();
  await api?.close();
});

async function register(t: TestTenant, url: string) {
  const res = await api.http.post('/v1/webhooks').set(t.auth).send({ url, events: ['points.earned'] });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

/** `perMember` events for each member, interleaved as they would be in the outbox, then relayed. */
async function emitAndRelay(t: TestTenant, members: string[], perMember: number) {
  for (let n = 1; n <= perMember; n++)
    for (const m of members)
      await withTenant(api.db.prisma, t.id, (tx) => emitEvent(tx, systemContext(t.id, 'test'), { type: 'points.earned', memberId: m, data: { member: m, n } }));
  const relayed = await unsafeRelayOutbox(api.db.pool);
  return relayed.lanes.filter((l) => l.tenantId === t.id).map(({ tenantId, endpointId, lane }) => ({ tenantId, endpointId, lane }));
}

const sentTo = (r: Receiver, t: TestTenant) =>
  r.received.filter((x) => x.body.includes(`"tenantId":"${t.id}"`)).map((x) => ({ ...x, data: JSON.parse(x.body).data as { member: string; n: number } }));

describe('webhooks: lanes sent together', () => {
  it('a failing endpoint holds back only its own lanes: every attempt is logged, the other lanes finish in order', async () => {
    const t = await api.createTenant();
    const good = await register(t, ok.url);
    const bad = await register(t, failing.url);
    const members = ['mem_a', 'mem_b', 'mem_c', 'mem_d', 'mem_e'];
    const lanes = await emitAndRelay(t, members, 3);
    expect(lanes).toHaveLength(10); // 5 members × 2 endpoints

    const result = await HANDLERS['webhooks.deliver-lanes']!({ lanes }, producer.context, undefined as never);
    expect(result).toEqual({ lanes: 10, delivered: 15, failed: 0, retries: 5 });

    // The good endpoint got every event, each member's in order, each signed with its secret.
    const good1 = sentTo(ok, t);
    expect(good1).toHaveLength(15);
    for (const m of members) expect(good1.filter((r) => r.data.member === m).map((r) => r.data.n)).toEqual([1, 2, 3]);
    for (const r of good1) expect(verifyWebhookSignature(good.secret, r.body, r.signature)).toBe(true);

    // The failing endpoint got each lane's head once and nothing behind it.
    const bad1 = sentTo(failing, t);
    expect(bad1.map((r) => [r.data.member, r.data.n]).sort()).toEqual(members.map((m) => [m, 1]));
    for (const r of bad1) expect(verifyWebhookSignature(bad.secret, r.body, r.signature)).toBe(true);

    const log = await api.db.pool.query(
      `SELECT d.id, d.endpoint_id, d.member_id, d.status, d.attempts, d.leased_until, d.next_attempt_at > now() AS later,
              a.attempt, a.status_code, a.latency_ms, length(a.response_body) AS body_length
       FROM webhook_deliveries d LEFT JOIN webhook_attempts a ON a.tenant_id = d.tenant_id AND a.delivery_id = d.id
       WHERE d.tenant_id = $1 ORDER BY d.endpoint_id, d.member_id, d.seq`,
      [t.id],
    );
    const goodRows = log.rows.filter((r) => r.endpoint_id === good.id);
    expect(goodRows.map((r) => [r.status, r.attempts, r.attempt, r.status_code])).toEqual(Array(15).fill(['succeeded', 1, 1, 200]));
    const badRows = log.rows.filter((r) => r.endpoint_id === bad.id);
    const heads = badRows.filter((r) => r.attempts > 0);
    expect(heads).toHaveLength(5);
    for (const h of heads) {
      expect(h).toMatchObject({ status: 'pending', attempts: 1, attempt: 1, status_code: 503, later: true, leased_until: null, body_length: 1024 });
      expect(h.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(badRows.filter((r) => r.attempts === 0).every((r) => r.status === 'pending' && r.attempt === null)).toBe(true);

    // One delayed wake-up per failed head, keyed by delivery and attempt (as the sweeper would).
    const delayed = await producer.queues['webhook-delivery'].getDelayed();
    const retryIds = delayed.filter((j) => heads.some((h) => j.id === `attempt.${h.id}.1`));
    expect(retryIds).toHaveLength(5);
    expect(retryIds.every((j) => j.name === 'webhooks.deliver-lane' && j.data.endpointId === bad.id)).toBe(true);

    // Once the endpoint recovers, each failed lane resumes at its head, in order, same delivery ids.
    failing.respond = () => 200;
    await api.db.pool.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE tenant_id = $1 AND status = 'pending'`, [t.id]);
    const again = await unsafeDeliverLanes(api.db.pool, lanes, { allowPrivateNetworks: true });
    expect(again.every((r) => r.error === null)).toBe(true);
    const bad2 = sentTo(failing, t);
    for (const m of members) expect(bad2.filter((r) => r.data.member === m).map((r) => r.data.n)).toEqual([1, 1, 2, 3]);
    const firstHead = bad2.find((r) => r.data.member === 'mem_a')!;
    expect(bad2.filter((r) => r.data.member === 'mem_a' && r.data.n === 1).map((r) => r.delivery)).toEqual([firstHead.delivery, firstHead.delivery]);
    expect(sentTo(ok, t)).toHaveLength(15); // nothing sent twice to the good endpoint
    const pending = await api.db.pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND status <> 'succeeded'`, [t.id]);
    expect(pending.rows[0].n).toBe(0);
    failing.respond = () => 503;
  });

  it("shares statements between lanes, and hands a lane's head to one sender when two wake-ups of one lane run at once", async () => {
    const t = await api.createTenant();
    await register(t, ok.url);
    const members = Array.from({ length: 12 }, (_, i) => `mem_s${i}`);
    const lanes = await emitAndRelay(t, members, 2);
    expect(lanes).toHaveLength(12);

    // Count the delivery statements and the lanes each one carried (the pool itself is real).
    const carried: number[] = [];
    const pool = new Proxy(api.db.pool, {
      get(target, prop, receiver) {
        if (prop === 'query')
          return (text: string, values?: unknown[][]) => {
            if (typeof text === 'string' && text.includes('webhook_attempts') && values) carried.push(values[0]!.length);
            return target.query(text, values);
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    // Every lane twice, as when a relay's wake-up and the sweeper's land together.
    const results = await unsafeDeliverLanes(pool, [...lanes, ...lanes], { allowPrivateNetworks: true });
    expect(results.every((r) => r.error === null)).toBe(true);
    expect(results.reduce((s, r) => s + r.outcome!.delivered, 0)).toBe(24);

    const sent = sentTo(ok, t);
    expect(sent).toHaveLength(24);
    expect(new Set(sent.map((r) => r.delivery)).size).toBe(24);
    for (const m of members) expect(sent.filter((r) => r.data.member === m).map((r) => r.data.n)).toEqual([1, 2]);

    // The first statement carried the first step of each of the 12 lanes (each duplicate waits
    // for a later one); every sender's steps (a claim, then one per delivery sent) went through.
    expect(carried[0]).toBe(12);
    expect(carried.reduce((s, n) => s + n, 0)).toBe(2 * 12 + 24);
  });

  it('a second sender that saw the head pending, and waited on the first one recording it, does not send it again', async () => {
    const t = await api.createTenant();
    await register(t, ok.url);
    const [lane] = await emitAndRelay(t, ['mem_r'], 2);
    const { rows } = await api.db.pool.query<{ id: string }>(`SELECT id FROM webhook_deliveries WHERE tenant_id = $1 ORDER BY seq`, [t.id]);
    const [head, second] = rows.map((r) => r.id);
    // The first sender records the head as delivered (its row locked, not committed yet)...
    const first = await api.db.pool.connect();
    try {
      await first.query('BEGIN');
      await first.query(`UPDATE webhook_deliveries SET status = 'succeeded', attempts = 1, leased_until = NULL, delivered_at = now() WHERE tenant_id = $1 AND id = $2`, [t.id, head]);
      // ...while a second wake-up of the lane reads the head as pending and waits on that row.
      const other = unsafeDeliverLanes(api.db.pool, [lane!], { allowPrivateNetworks: true });
      const until = Date.now() + 10_000;
      // Sharded by Citus, the wait is on the worker holding the tenant's shard: citus_lock_waits, or
      // the worker's activity as citus_stat_activity shows it.
      const citus = (await api.db.pool.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)).rowCount;
      while (true) {
        const waiting = await api.db.pool.query(
          citus
            ? `SELECT 1 FROM citus_lock_waits UNION ALL SELECT 1 FROM citus_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%webhook_deliveries%'`
            : `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%webhook_attempts%'`,
        );
        if (waiting.rowCount) break;
        if (Date.now() > until) throw new Error('the second sender never waited on the head');
        await new Promise((r) => setTimeout(r, 20));
      }
      await first.query('COMMIT');
      const [r] = await other;
      expect(r!.error).toBeNull();
      // It claimed nothing: the head is not sent again (the lane goes on with its next wake-up).
      expect(r!.outcome).toEqual({ delivered: 0, failed: 0, retry: null });
    } finally {
      first.release();
    }
    expect(sentTo(ok, t).map((x) => x.delivery)).toEqual([]);
    const states = await api.db.pool.query(`SELECT id, status, leased_until IS NOT NULL AS leased FROM webhook_deliveries WHERE tenant_id = $1 ORDER BY seq`, [t.id]);
    expect(states.rows).toEqual([
      { id: head, status: 'succeeded', leased: false },
      { id: second, status: 'pending', leased: false },
    ]);
  });

  it('sends nothing for a deleted endpoint', async () => {
    const t = await api.createTenant();
    const hook = await register(t, ok.url);
    const lanes = await emitAndRelay(t, ['mem_z'], 1);
    expect((await api.http.delete(`/v1/webhooks/${hook.id}`).set(t.auth)).status).toBe(200);
    const [r] = await unsafeDeliverLanes(api.db.pool, lanes, { allowPrivateNetworks: true });
    expect(r!.outcome).toEqual({ delivered: 0, failed: 0, retry: null });
    expect(sentTo(ok, t)).toEqual([]);
  });

  it("lanes of several tenants in one job: one statement per tenant, every table tied to that tenant (a sharded database runs it on the tenant's shard)", async () => {
    const t1 = await api.createTenant();
    const t2 = await api.createTenant();
    await register(t1, ok.url);
    await register(t2, ok.url);
    const lanes = [...(await emitAndRelay(t1, ['mem_a', 'mem_b'], 2)), ...(await emitAndRelay(t2, ['mem_c'], 2))];
    expect(lanes).toHaveLength(3);
    // Every lane statement the job sends, with its values.
    const pool = api.db.pool;
    const sent: { text: string; values: unknown[] }[] = [];
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (text: unknown, values?: unknown) => {
      if (typeof text === 'string' && text.includes('webhook_attempts')) sent.push({ text, values: values as unknown[] });
      return query(text, values);
    };
    try {
      const result = await HANDLERS['webhooks.deliver-lanes']!({ lanes }, producer.context, undefined as never);
      expect(result).toMatchObject({ lanes: 3, delivered: 6, failed: 0 });
    } finally {
      delete (pool as unknown as { query?: unknown }).query;
    }
    expect(sentTo(ok, t1)).toHaveLength(4);
    expect(sentTo(ok, t2)).toHaveLength(2);
    // Each statement names one tenant, as a parameter, and its lanes are that tenant's only.
    expect(sent.length).toBeGreaterThanOrEqual(2);
    const endpoints = new Map(lanes.map((l) => [l.endpointId, l.tenantId]));
    for (const s of sent) {
      expect(s.text).not.toMatch(/=\s*i\.tenant_id/);
      const tenant = s.values.at(-1) as string;
      expect([t1.id, t2.id]).toContain(tenant);
      for (const e of s.values[1] as string[]) expect(endpoints.get(e)).toBe(tenant);
    }
    expect(new Set(sent.map((s) => s.values.at(-1)))).toEqual(new Set([t1.id, t2.id]));
  });
});
