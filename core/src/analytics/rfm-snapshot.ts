import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { addDays, localDate, startOfLocalDay } from '../shared/time.ts';
import { isReplicaRead, PrimaryRequiredError } from '../shared/replica-read.ts';
import { getProgram } from '../program/index.ts';
import type { RfmSegment } from './analytics.contract.ts';

export const RFM_SEGMENTS = ['champions', 'loyal', 'recent', 'potential', 'at_risk', 'hibernating'] as const satisfies readonly RfmSegment[];
const WINDOW_MS = 365 * 86_400_000;

export interface RfmSnapshot {
  /** The local day the segments were computed for (the window ends with it). */
  asOf: string;
  /** Every segment in a fixed order, `no_orders` last. */
  segments: { segment: RfmSegment; members: number }[];
  /** Members with an order in the window. */
  membersScored: number;
  computedAt: Date;
  /** True when this call computed and stored it, false when it was read. */
  computed: boolean;
}

/**
 * The day whose RFM segments a summary ending on `to` shows: `to` itself once it is over in
 * the tenant's time zone, else yesterday. A snapshot of a finished day never has to be redone
 * (the daily job computes yesterday's right after midnight), where one of the running day
 * would freeze it at whatever moment it was first asked for.
 */
export function rfmDayFor(to: string, timeZone: string, now = new Date()): string {
  const yesterday = addDays(localDate(now, timeZone), -1);
  return to < yesterday ? to : yesterday;
}

type Row = { as_of: string; segments: Record<string, number>; members_scored: number; computed_at: Date };

function toSnapshot(row: Row, computed: boolean): RfmSnapshot {
  const s = row.segments;
  return {
    asOf: row.as_of,
    segments: [...RFM_SEGMENTS, 'no_orders' as const].map((segment) => ({ segment, members: Number(s[segment] ?? 0) })),
    membersScored: Number(row.members_scored),
    computedAt: row.computed_at,
    computed,
  };
}

/**
 * The tenant's RFM snapshot for local day `asOf`: read when stored, else computed by one
 * set-based statement and stored, in the caller's transaction. A transaction-scoped advisory
 * lock per tenant and day makes concurrent callers wait for the one computing it and then read
 * its row, so a day is computed at most once (the row is the idempotency key; later runs read).
 *
 * Definitions (unchanged from the per-call query it replaces): the window is the 365 days
 * ending with the end of `asOf`; among the members with an order there, quintiles of recency
 * (last order), frequency (order count, ties by spend) and monetary (spend net of refunds),
 * named champions / loyal / recent / potential / at_risk / hibernating; every other member
 * of the tenant at computation time is `no_orders`.
 */
export async function ensureRfmSnapshot(tx: Tx, ctx: TenantContext, asOf: string): Promise<RfmSnapshot> {
  const tenantId = ctx.tenantId;
  const read = () => tx.$queryRaw<Row[]>`
    SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, segments, members_scored, computed_at
    FROM rfm_snapshots WHERE tenant_id = ${tenantId} AND as_of = ${asOf}::date`;
  const [stored] = await read();
  if (stored) return toSnapshot(stored, false);
  // Computing the day stores it: on a replica (read-only) the request runs on the primary instead.
  if (isReplicaRead(tx)) throw new PrimaryRequiredError(`the RFM snapshot of ${asOf} is not stored yet`);

  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('unionpoint.rfm-snapshot'), hashtext(${`${tenantId}/${asOf}`}))`;
  // Whoever held the lock before us has committed the day by now.
  const [after] = await read();
  if (after) return toSnapshot(after, false);

  const tz = (await getProgram(tx, ctx)).timezone;
  const end = startOfLocalDay(addDays(asOf, 1), tz);
  const start = new Date(end.getTime() - WINDOW_MS);
  const [row] = await tx.$queryRaw<Row[]>`
    WITH b AS (
      SELECT member_id, max(completed_at) AS last, count(*) AS f, sum(amount_cents - refunded_cents) AS m
      FROM orders
      WHERE tenant_id = ${tenantId} AND completed_at >= ${start} AND completed_at < ${end}
      GROUP BY member_id
    ), s AS (
      SELECT ntile(5) OVER (ORDER BY last) AS r, ntile(5) OVER (ORDER BY f, m) AS fq, ntile(5) OVER (ORDER BY m) AS mq FROM b
    ), seg AS (
      SELECT CASE
               WHEN r >= 4 AND fq >= 4 THEN 'champions'
               WHEN fq >= 4 OR mq >= 4 THEN 'loyal'
               WHEN r >= 4 THEN 'recent'
               WHEN r <= 2 AND fq >= 3 THEN 'at_risk'
               WHEN r <= 2 THEN 'hibernating'
               ELSE 'potential'
             END AS segment, count(*) AS n
      FROM s GROUP BY 1
    ), scored AS (SELECT count(*) AS n FROM b)
    INSERT INTO rfm_snapshots (tenant_id, as_of, segments, members_scored, computed_at)
    SELECT ${tenantId}, ${asOf}::date,
           (SELECT jsonb_object_agg(k.segment, COALESCE(seg.n, 0))
            FROM unnest(ARRAY['champions', 'loyal', 'recent', 'potential', 'at_risk', 'hibernating']) AS k(segment)
            LEFT JOIN seg ON seg.segment = k.segment)
             || jsonb_build_object('no_orders', greatest(0, (SELECT count(*) FROM members WHERE tenant_id = ${tenantId}) - scored.n)),
           scored.n, now()
    FROM scored
    RETURNING to_char(as_of, 'YYYY-MM-DD') AS as_of, segments, members_scored, computed_at`;
  return toSnapshot(row!, true);
}
