import type { Db } from '@unionpoint/db';
import { inboxRowsFromOutboxSql } from '../inbox/index.ts';

type Pool = Db['pool'];

export interface LaneRef {
  tenantId: string;
  endpointId: string;
  lane: string;
  /** Highest seq relayed into the lane by this batch: part of the wake-up job's business key. */
  seq: string;
}

export interface RelayResult {
  events: number;
  deliveries: number;
  lanes: LaneRef[];
}

/**
 * The outbox relay, across tenants on the owner connection: takes the oldest unpublished outbox
 * rows, creates one delivery per subscribed (not deleted) endpoint, and marks the rows
 * published, in one statement. Relaying the same rows twice creates nothing (unique index on
 * endpoint + event). A transaction-scoped advisory lock keeps one relay at a time across
 * processes: two relays committing out of seq order could invert a member's events.
 * The same statement writes the members' inbox messages of the batch (the inbox module's
 * builder), so a message exists exactly when its event was published.
 *
 * Per-member order holds because every use case takes the member row lock before it emits, so
 * a member's outbox seqs commit in order.
 */
export async function unsafeRelayOutbox(pool: Pool, options: { batchSize?: number } = {}): Promise<RelayResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const lock = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('unionpoint.outbox-relay')) AS ok`);
    if (!lock.rows[0]?.ok) {
      await client.query('ROLLBACK');
      return { events: 0, deliveries: 0, lanes: [] };
    }
    const { rows } = await client.query<{ tenant_id: string; endpoint_id: string | null; lane: string | null; seq: string | null; n: string; events: string }>(
      `WITH batch AS (
         SELECT tenant_id, seq, id, type, member_id, payload, trace_parent FROM outbox_events
         WHERE published_at IS NULL ORDER BY seq LIMIT $1
       ), ins AS (
         INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, member_id, lane, seq, payload, next_attempt_at, created_at, updated_at, trace_parent)
         SELECT b.tenant_id, 'dlv_' || replace(gen_random_uuid()::text, '-', ''), e.id, b.id, b.type, b.member_id,
                COALESCE(b.member_id, 'tenant'), b.seq, b.payload, now(), now(), now(), b.trace_parent
         FROM batch b
         JOIN webhook_endpoints e ON e.tenant_id = b.tenant_id AND e.deleted_at IS NULL AND b.type = ANY (e.events)
         ORDER BY b.seq
         ON CONFLICT (tenant_id, endpoint_id, event_id) WHERE replay_of IS NULL DO NOTHING
         RETURNING tenant_id, endpoint_id, lane, seq
       ), inbox AS (
         ${inboxRowsFromOutboxSql('batch')}
       ), published AS (
         UPDATE outbox_events o SET published_at = now() FROM batch b
         WHERE o.tenant_id = b.tenant_id AND o.seq = b.seq
         RETURNING 1
       )
       SELECT tenant_id, endpoint_id, lane, max(seq)::text AS seq, count(*)::text AS n,
              (SELECT count(*) FROM published)::text AS events
       FROM ins GROUP BY tenant_id, endpoint_id, lane
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, '0', (SELECT count(*) FROM published)::text`,
      [options.batchSize ?? 1000],
    );
    await client.query('COMMIT');
    const lanes: LaneRef[] = [];
    let deliveries = 0;
    let events = 0;
    for (const r of rows) {
      events = Number(r.events);
      if (!r.endpoint_id) continue;
      deliveries += Number(r.n);
      lanes.push({ tenantId: r.tenant_id, endpointId: r.endpoint_id, lane: r.lane!, seq: r.seq! });
    }
    return { events, deliveries, lanes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface DueDelivery {
  tenantId: string;
  endpointId: string;
  lane: string;
  deliveryId: string;
  attempts: number;
}

/**
 * The sweeper, across tenants: lane heads that are due and not being sent, so a wake-up lost
 * with Redis (or a replay, which enqueues nothing) is still delivered.
 */
export async function unsafeFindDueLanes(pool: Pool, options: { graceMs?: number; limit?: number } = {}): Promise<DueDelivery[]> {
  const { rows } = await pool.query<{ tenant_id: string; endpoint_id: string; lane: string; id: string; attempts: number }>(
    `SELECT DISTINCT ON (tenant_id, endpoint_id, lane) tenant_id, endpoint_id, lane, id, attempts
     FROM webhook_deliveries
     WHERE status = 'pending' AND next_attempt_at <= now() - make_interval(secs => $1::double precision / 1000)
       AND (leased_until IS NULL OR leased_until < now())
     ORDER BY tenant_id, endpoint_id, lane, seq, created_at, id
     LIMIT $2`,
    [options.graceMs ?? 2000, options.limit ?? 1000],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, endpointId: r.endpoint_id, lane: r.lane, deliveryId: r.id, attempts: r.attempts }));
}
