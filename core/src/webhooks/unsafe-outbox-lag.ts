import type { Db } from '@unionpoint/db';

type Pool = Db['pool'];

export interface OutboxLag {
  /** Events not yet relayed, every tenant together. */
  pending: number;
  /** Seconds since the oldest of them was written; 0 when none waits. */
  oldestSeconds: number;
}

/**
 * Cross-tenant, for the worker's metrics: how far the outbox relay is behind. One read over
 * the unpublished rows only (the `(published_at, seq)` index), on the owner connection.
 */
export async function unsafeOutboxLag(pool: Pool): Promise<OutboxLag> {
  const { rows } = await pool.query<{ pending: string; oldest: string | null }>(
    `SELECT count(*)::text AS pending, EXTRACT(EPOCH FROM (now() - min(created_at)))::text AS oldest
     FROM outbox_events WHERE published_at IS NULL`,
  );
  const row = rows[0];
  return { pending: Number(row?.pending ?? 0), oldestSeconds: Math.max(0, Number(row?.oldest ?? 0)) };
}
