import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Db } from '@unionpoint/db';

type Pool = Db['pool'];
import { newId } from '../shared/ids.ts';
import { nextAttemptAt } from './retry-schedule.ts';
import { signWebhook } from './signature.ts';
import { resolveDeliverableUrl, type ResolvedAddress, type Resolver } from './url-safety.ts';

export interface DeliverOptions {
  allowPrivateNetworks: boolean;
  /** Resolves the endpoint's host, once per attempt; `dns.lookup` by default (tests inject one). */
  resolve?: Resolver;
  /** No answer within this time is a failed attempt (10 s). */
  timeoutMs?: number;
  /** Deliveries sent per lane and call before yielding back to the queue. */
  maxPerRun?: number;
  now?: () => Date;
  /** The retry schedule; the product's by default (tests shorten it). */
  retrySchedule?: { delaysMs?: readonly number[]; thenMs?: number; windowMs?: number };
  /**
   * Wraps each attempt (the worker's tracing: a span linked to the trace that wrote the event).
   * It must call `send` once and return what it returns.
   */
  aroundAttempt?: AroundAttempt;
}

/** One attempt as `aroundAttempt` sees it; `traceParent` is the writing transaction's, when traced. */
export interface AttemptInfo {
  deliveryId: string;
  eventType: string;
  attempt: number;
  traceParent: string | null;
}
export type AroundAttempt = <T>(info: AttemptInfo, send: () => Promise<T>) => Promise<T>;

export interface LaneOutcome {
  delivered: number;
  failed: number;
  /** Set when the lane's head failed and waits for a retry: schedule a wake-up then. */
  retry: { deliveryId: string; attempt: number; at: Date } | null;
}

const RESPONSE_BODY_LIMIT = 1024;
const LEASE = "interval '60 seconds'";

interface Attempt {
  statusCode: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
}

/**
 * The connection goes only to the addresses the attempt checked: its `lookup` answers with them
 * instead of resolving the host again (a second answer could point elsewhere: DNS rebinding).
 * The URL, and so the Host header and the TLS server name, keep the host name.
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) return callback(null, addresses);
    const a = addresses.find((x) => !options.family || x.family === options.family) ?? addresses[0]!;
    callback(null, a.address, a.family);
  };
}

type PinnedRequest = { pinned?: string };
// A pooled socket is reused only by a request pinned to the same addresses: the pool's key is
// the origin and those addresses.
class PinnedHttpAgent extends http.Agent {
  override getName(options?: http.ClientRequestArgs): string {
    return `${super.getName(options)}|${(options as PinnedRequest | undefined)?.pinned ?? ''}`;
  }
}
class PinnedHttpsAgent extends https.Agent {
  override getName(options?: https.RequestOptions): string {
    return `${super.getName(options)}|${(options as PinnedRequest | undefined)?.pinned ?? ''}`;
  }
}

// Keep-alive agents shared by every delivery of the process (node:http is several times faster
// than fetch here, which matters at thousands of deliveries a second).
const agents = {
  'http:': new PinnedHttpAgent({ keepAlive: true, maxSockets: 64 }),
  'https:': new PinnedHttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

function send(
  url: URL,
  addresses: ResolvedAddress[],
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ statusCode: number; responseBody: string }> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const options: http.RequestOptions & PinnedRequest = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: agents[url.protocol as 'http:' | 'https:'],
      lookup: pinnedLookup(addresses),
      pinned: addresses.map((a) => a.address).join(','),
    };
    const req = lib.request(url, options);
    // No answer within the timeout (connect, headers and body together) is a failed attempt.
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < RESPONSE_BODY_LIMIT) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, responseBody: Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8') });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    req.end(body);
  });
}

async function post(url: string, headers: Record<string, string>, body: string, options: DeliverOptions): Promise<Attempt> {
  const started = performance.now();
  try {
    // Resolved once and every address checked; the connection goes to those addresses only.
    const target = await resolveDeliverableUrl(url, { allowPrivateNetworks: options.allowPrivateNetworks, ...(options.resolve ? { resolve: options.resolve } : {}) });
    // Redirects are not followed (node:http never does): a 3xx could point into a private network.
    const res = await send(target.url, target.addresses, headers, body, options.timeoutMs ?? 10_000);
    return { statusCode: res.statusCode, latencyMs: Math.round(performance.now() - started), responseBody: res.responseBody, error: null };
  } catch (error) {
    const e = error as Error & { code?: string };
    const message = e.name === 'TimeoutError' ? 'timeout' : e.name === 'AppError' ? e.message : `${e.code ?? e.name}: ${e.message}`;
    return { statusCode: null, latencyMs: Math.round(performance.now() - started), responseBody: null, error: message.slice(0, 500) };
  }
}

export interface LaneKey {
  tenantId: string;
  endpointId: string;
  lane: string;
}

type Claimed = { id: string; event_type: string; payload: unknown; attempts: number; created_at: Date; trace_parent: string | null; url: string; secret: string };

/** One lane's request to the batcher: record the attempt just made (if any), then lease the next head (if `moveOn`). */
interface Step {
  lane: LaneKey;
  recorded: { deliveryId: string; status: string; retryAt: Date | null; attempt: Attempt } | null;
  moveOn: boolean;
  resolve: (next: Claimed | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Records attempts and leases lane heads for many lanes in one statement (one round trip and one
 * commit), however many lanes are sending.
 * Per input row: the attempt is recorded on the delivery and appended to the attempt log; then,
 * when the lane may move on, its lowest pending delivery other than the one just recorded (still
 * pending in this statement's snapshot) is leased if it is due and not leased, and returned with
 * the endpoint's URL and secret (a deleted endpoint returns nothing). Two rows for one lane
 * never share a statement (the batcher holds the second back), so a head is handed to one
 * caller only; across statements the lease condition decides (row lock, then re-check).
 * One statement per tenant ($14): every table is tied to that one tenant_id, so a database
 * sharded by tenant (Citus) runs it on that tenant's shard.
 */
const LANE_STATEMENT = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::int[], $8::text[],
                         $9::text[], $10::int[], $11::text[], $12::boolean[])
      AS i(n, endpoint_id, lane, delivery_id, status, retry_at, status_code, error, attempt_id, latency_ms, response_body, move_on)
  ),
  rec AS (
    UPDATE webhook_deliveries d SET status = i.status, attempts = d.attempts + 1, next_attempt_at = COALESCE(i.retry_at, d.next_attempt_at),
      leased_until = NULL, last_status_code = i.status_code, last_error = i.error, updated_at = now(),
      -- The time as a parameter, not now(): Citus refuses a mutable function inside CASE.
      delivered_at = CASE WHEN i.status = 'succeeded' THEN $13::timestamptz END
    FROM input i
    WHERE i.delivery_id IS NOT NULL AND d.tenant_id = $14::text AND d.id = i.delivery_id
    RETURNING i.n, d.attempts
  ),
  att AS (
    INSERT INTO webhook_attempts (tenant_id, id, delivery_id, attempt, status_code, latency_ms, response_body, error, at)
    SELECT $14::text, i.attempt_id, i.delivery_id, rec.attempts, i.status_code, i.latency_ms, i.response_body, i.error, now()
    FROM input i JOIN rec ON rec.n = i.n
    RETURNING 1
  ),
  -- Materialized: inlined, a planner with stale statistics (a fresh table) joined every lane
  -- to all of the tenant's deliveries before applying the head's id.
  head AS MATERIALIZED (
    SELECT i.n, h.id, e.url, e.secret
    FROM input i
    JOIN webhook_endpoints e ON e.tenant_id = $14::text AND e.id = i.endpoint_id AND e.deleted_at IS NULL
    CROSS JOIN LATERAL (
      SELECT w.id FROM webhook_deliveries w
      WHERE w.tenant_id = $14::text AND w.endpoint_id = i.endpoint_id AND w.lane = i.lane AND w.status = 'pending'
        AND w.id <> COALESCE(i.delivery_id, '')
      ORDER BY w.seq, w.created_at, w.id LIMIT 1
    ) h
    WHERE i.move_on
  ),
  claimed AS (
    UPDATE webhook_deliveries d SET leased_until = now() + ${LEASE}
    FROM head
    -- Still pending, re-checked on the row: a second sender of the lane whose snapshot saw this
    -- head pending waits on the first one's row lock, and then must not claim what the first
    -- recorded meanwhile (its lease is cleared by the record).
    WHERE d.tenant_id = $14::text AND d.id = head.id AND d.status = 'pending' AND d.next_attempt_at <= now()
      AND (d.leased_until IS NULL OR d.leased_until < now())
    RETURNING head.n, d.id, d.event_type, d.payload, d.attempts, d.created_at, d.trace_parent, head.url, head.secret
  )
  SELECT c.* FROM claimed c`;

/**
 * Coalesces the lanes' steps of one process into few statements: a step waits only while
 * `maxInFlight` statements are running, and every step queued meanwhile goes into the next
 * one (group commit). At low load a step is one statement as before; at high load one
 * statement serves hundreds of lanes.
 */
class LaneBatcher {
  private queue: Step[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly pool: Pool,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  step(lane: LaneKey, recorded: Step['recorded'], moveOn: boolean): Promise<Claimed | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lane, recorded, moveOn, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // Lets the steps of the same tick (lanes whose responses arrived together) join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch: Step[] = [];
    const rest: Step[] = [];
    const lanes = new Set<string>();
    for (const s of this.queue) {
      const key = `${s.lane.tenantId}\u0000${s.lane.endpointId}\u0000${s.lane.lane}`;
      if (batch.length >= this.maxBatch || lanes.has(key)) rest.push(s);
      else {
        lanes.add(key);
        batch.push(s);
      }
    }
    this.queue = rest;
    this.inFlight++;
    this.run(batch).finally(() => {
      this.inFlight--;
      this.schedule();
    });
    this.schedule();
  }

  private async run(batch: Step[]) {
    // One statement per tenant of the batch (usually one), run side by side.
    const byTenant = new Map<string, Step[]>();
    for (const s of batch) {
      const steps = byTenant.get(s.lane.tenantId);
      if (steps) steps.push(s);
      else byTenant.set(s.lane.tenantId, [s]);
    }
    await Promise.all([...byTenant].map(([tenantId, steps]) => this.runTenant(tenantId, steps)));
  }

  private async runTenant(tenantId: string, batch: Step[]) {
    const col = <T>(f: (s: Step, i: number) => T) => batch.map((s, i) => f(s, i));
    try {
      const { rows } = await this.pool.query<Claimed & { n: number }>(LANE_STATEMENT, [
        col((_, i) => i),
        col((s) => s.lane.endpointId),
        col((s) => s.lane.lane),
        col((s) => s.recorded?.deliveryId ?? null),
        col((s) => s.recorded?.status ?? null),
        col((s) => s.recorded?.retryAt ?? null),
        col((s) => s.recorded?.attempt.statusCode ?? null),
        col((s) => s.recorded?.attempt.error ?? null),
        col((s) => (s.recorded ? newId('wat') : null)),
        col((s) => s.recorded?.attempt.latencyMs ?? null),
        col((s) => s.recorded?.attempt.responseBody ?? null),
        col((s) => s.moveOn),
        new Date(),
        tenantId,
      ]);
      const byN = new Map(rows.map((r) => [r.n, r]));
      batch.forEach((s, i) => s.resolve(byN.get(i)));
    } catch (error) {
      for (const s of batch) s.reject(error);
    }
  }
}

const batchers = new WeakMap<Pool, LaneBatcher>();
function batcherFor(pool: Pool): LaneBatcher {
  let b = batchers.get(pool);
  if (!b) batchers.set(pool, (b = new LaneBatcher(pool)));
  return b;
}

/**
 * Sends one lane (endpoint + member) in order: its lowest pending delivery first, the next only
 * after a 2xx (or after the earlier one exhausted its retries). The head is leased while it is
 * sent, so a second job for the same lane finds nothing to claim and leaves. Every attempt is
 * logged. Runs across tenants on the owner connection, always filtered by the given tenant; the
 * database work goes through the process's batcher with the other lanes being sent.
 */
export async function unsafeDeliverLane(pool: Pool, lane: LaneKey, options: DeliverOptions): Promise<LaneOutcome> {
  const now = options.now ?? (() => new Date());
  const batcher = batcherFor(pool);
  const outcome: LaneOutcome = { delivered: 0, failed: 0, retry: null };
  let d = await batcher.step(lane, null, true);
  const max = options.maxPerRun ?? 100;
  for (let i = 0; d && i < max; i++) {
    const body = JSON.stringify(d.payload);
    const t = Math.floor(now().getTime() / 1000);
    const claimed = d;
    const sendIt = () =>
      post(
        claimed.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Unionpoint-Webhooks/1',
          'unionpoint-event': claimed.event_type,
          'unionpoint-delivery': claimed.id,
          'unionpoint-signature': signWebhook(claimed.secret, body, t),
        },
        body,
        options,
      );
    const attempt = options.aroundAttempt
      ? await options.aroundAttempt({ deliveryId: d.id, eventType: d.event_type, attempt: d.attempts + 1, traceParent: d.trace_parent ?? null }, sendIt)
      : await sendIt();
    const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
    const attemptNo = d.attempts + 1;
    const retryAt = ok ? null : nextAttemptAt(attemptNo, d.created_at, now(), options.retrySchedule);
    const status = ok ? 'succeeded' : retryAt ? 'pending' : 'failed';
    // Records the attempt and, when the lane may move on, leases the next head.
    const moveOn = status !== 'pending' && i + 1 < max;
    const next = await batcher.step(lane, { deliveryId: d.id, status, retryAt, attempt }, moveOn);
    if (ok) outcome.delivered++;
    else if (retryAt) {
      outcome.retry = { deliveryId: d.id, attempt: attemptNo, at: retryAt };
      break;
    }
    // Exhausted: the delivery stays in the log as failed (replayable) and the lane moves on.
    else outcome.failed++;
    d = next;
  }
  return outcome;
}

/**
 * Sends several lanes at once (a relay's wake-up batch), each in its own order and independent
 * of the others: a failing or slow lane holds back only itself. Each lane's outcome is
 * returned (or its error, when the database failed it: the lease then expires and the sweeper
 * picks the lane up again).
 */
export async function unsafeDeliverLanes(
  pool: Pool,
  lanes: LaneKey[],
  options: DeliverOptions,
): Promise<{ lane: LaneKey; outcome: LaneOutcome | null; error: unknown }[]> {
  const results = await Promise.allSettled(lanes.map((l) => unsafeDeliverLane(pool, l, options)));
  return results.map((r, i) => ({ lane: lanes[i]!, outcome: r.status === 'fulfilled' ? r.value : null, error: r.status === 'rejected' ? r.reason : null }));
}
