import http from 'node:http';
import https from 'node:https';
import type { Db } from '@unionpoint/db';

type Pool = Db['pool'];
import { newId } from '../shared/ids.ts';
import { nextAttemptAt } from './retry-schedule.ts';
import { signWebhook } from './signature.ts';
import { assertDeliverableUrl } from './url-safety.ts';

export interface DeliverOptions {
  allowPrivateNetworks: boolean;
  /** No answer within this time is a failed attempt (10 s). */
  timeoutMs?: number;
  /** Deliveries sent per call before yielding back to the queue. */
  maxPerRun?: number;
  now?: () => Date;
  /** The retry schedule; the product's by default (tests shorten it). */
  retrySchedule?: { delaysMs?: readonly number[]; thenMs?: number; windowMs?: number };
}

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

// Keep-alive agents shared by every delivery of the process (node:http is several times faster
// than fetch here, which matters at thousands of deliveries a second).
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

function send(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ statusCode: number; responseBody: string }> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: agents[url.protocol as 'http:' | 'https:'] });
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
    await assertDeliverableUrl(url, options.allowPrivateNetworks);
    // Redirects are not followed (node:http never does): a 3xx could point into a private network.
    const res = await send(new URL(url), headers, body, options.timeoutMs ?? 10_000);
    return { statusCode: res.statusCode, latencyMs: Math.round(performance.now() - started), responseBody: res.responseBody, error: null };
  } catch (error) {
    const e = error as Error & { code?: string };
    const message = e.name === 'TimeoutError' ? 'timeout' : e.name === 'AppError' ? e.message : `${e.code ?? e.name}: ${e.message}`;
    return { statusCode: null, latencyMs: Math.round(performance.now() - started), responseBody: null, error: message.slice(0, 500) };
  }
}

/**
 * Sends one lane (endpoint + member) in order: its lowest pending delivery first, the next only
 * after a 2xx (or after the earlier one exhausted its retries). The head is leased while it is
 * sent, so a second job for the same lane finds nothing to claim and leaves. Every attempt is
 * logged. Runs across tenants on the owner connection, always filtered by the given tenant.
 */
type Claimed = { id: string; event_type: string; payload: unknown; attempts: number; created_at: Date };

// Leases the lane's head when it is due and not leased. `$4` excludes the delivery just
// recorded in the same statement (its pending row is still in this statement's snapshot);
// `$5` must be true (a data-modifying CTE runs whether or not its result is selected).
const CLAIM_HEAD = `
  head AS (
    SELECT id FROM webhook_deliveries
    WHERE $5::boolean AND tenant_id = $1 AND endpoint_id = $2 AND lane = $3 AND status = 'pending' AND id <> $4
    ORDER BY seq, created_at, id LIMIT 1
  ),
  claimed AS (
    UPDATE webhook_deliveries d SET leased_until = now() + ${LEASE}
    FROM head
    WHERE d.tenant_id = $1 AND d.id = head.id AND d.next_attempt_at <= now()
      AND (d.leased_until IS NULL OR d.leased_until < now())
    RETURNING d.id, d.event_type, d.payload, d.attempts, d.created_at
  )`;

export async function unsafeDeliverLane(
  pool: Pool,
  lane: { tenantId: string; endpointId: string; lane: string },
  options: DeliverOptions,
): Promise<LaneOutcome> {
  const now = options.now ?? (() => new Date());
  const outcome: LaneOutcome = { delivered: 0, failed: 0, retry: null };
  const laneParams = [lane.tenantId, lane.endpointId, lane.lane];
  // The endpoint and the first claim in one round trip.
  const first = await pool.query<Claimed & { url: string | null; secret: string | null }>(
    `WITH ep AS (SELECT url, secret FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL),
     ${CLAIM_HEAD}
     SELECT c.*, ep.url, ep.secret FROM ep LEFT JOIN claimed c ON true`,
    [...laneParams, '', true],
  );
  const endpoint = first.rows[0];
  if (!endpoint?.url || !endpoint.secret) return outcome;
  let d: Claimed | undefined = endpoint.id ? endpoint : undefined;
  const max = options.maxPerRun ?? 100;
  for (let i = 0; d && i < max; i++) {
    const body = JSON.stringify(d.payload);
    const t = Math.floor(now().getTime() / 1000);
    const attempt = await post(
      endpoint.url,
      {
        'content-type': 'application/json',
        'user-agent': 'Unionpoint-Webhooks/1',
        'unionpoint-event': d.event_type,
        'unionpoint-delivery': d.id,
        'unionpoint-signature': signWebhook(endpoint.secret, body, t),
      },
      body,
      options,
    );
    const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
    const attemptNo = d.attempts + 1;
    const retryAt = ok ? null : nextAttemptAt(attemptNo, d.created_at, now(), options.retrySchedule);
    const status = ok ? 'succeeded' : retryAt ? 'pending' : 'failed';
    // Records the attempt and, when the lane may move on, leases the next head: one round trip
    // (and one commit) per delivery.
    const moveOn = status !== 'pending' && i + 1 < max;
    const next = await pool.query<Claimed>(
      `WITH rec AS (
         UPDATE webhook_deliveries SET status = $6, attempts = attempts + 1, next_attempt_at = COALESCE($7, next_attempt_at),
           leased_until = NULL, last_status_code = $8, last_error = $9, updated_at = now(),
           delivered_at = CASE WHEN $6 = 'succeeded' THEN now() END
         WHERE tenant_id = $1 AND id = $4 RETURNING attempts
       ),
       att AS (
         INSERT INTO webhook_attempts (tenant_id, id, delivery_id, attempt, status_code, latency_ms, response_body, error, at)
         SELECT $1, $10, $4, rec.attempts, $8, $11, $12, $9, now() FROM rec
         RETURNING 1
       ),
       ${CLAIM_HEAD}
       SELECT c.* FROM claimed c WHERE (SELECT count(*) FROM att) = 1`,
      [...laneParams, d.id, moveOn, status, retryAt, attempt.statusCode, attempt.error, newId('wat'), attempt.latencyMs, attempt.responseBody],
    );
    if (ok) outcome.delivered++;
    else if (retryAt) {
      outcome.retry = { deliveryId: d.id, attempt: attemptNo, at: retryAt };
      break;
    }
    // Exhausted: the delivery stays in the log as failed (replayable) and the lane moves on.
    else outcome.failed++;
    d = next.rows[0];
  }
  return outcome;
}
