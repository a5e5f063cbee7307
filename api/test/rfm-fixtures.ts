// RFM fixtures shared by the analytics and worker tests: a tenant with a spread of buyers over
// past local days, and the reference definition of the segments (the grouping query the
// summary used to run on every call), evaluated on the owner connection.
import { addDays, localDate, startOfLocalDay } from '@unionpoint/core';
import type { TestApi, TestTenant } from './harness.ts';

export const TZ = 'Asia/Shanghai';

export function localToday(now = new Date()): string {
  return localDate(now, TZ);
}

/** Local noon of `day` in Shanghai as RFC 3339. */
export function noonOf(day: string): string {
  return `${day}T12:00:00+08:00`;
}

/**
 * 12 members: 10 buyers with different last orders, counts and amounts (days before `asOf`),
 * 2 without orders, plus one order older than the 365-day window.
 */
export async function seedRfmTenant(api: TestApi, t: TestTenant, asOf: string): Promise<void> {
  const storeId = t.stores[0]!.id;
  for (let i = 1; i <= 12; i++) {
    const r = await api.http.post('/v1/members').set(t.auth).send({ unionId: `r${i}` });
    if (r.status !== 201) throw new Error(`member: ${r.status}`);
  }
  let k = 0;
  for (let i = 1; i <= 10; i++) {
    // Member i: i orders (capped at 5), the last one i × 20 days before asOf, amounts rising with i.
    for (let j = 0; j < Math.min(i, 5); j++) {
      const day = addDays(asOf, -(i * 20 + j * 7));
      const r = await api.http
        .post('/v1/orders')
        .set(t.auth)
        .send({ externalId: `o${++k}`, member: `r${i}`, storeId, amountCents: 1_000 * ((i * 7) % 11) + 500, completedAt: noonOf(day) });
      if (r.status !== 201) throw new Error(`order: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }
  // Outside the window: does not make r11 a buyer.
  const old = await api.http
    .post('/v1/orders')
    .set(t.auth)
    .send({ externalId: 'o-old', member: 'r11', storeId, amountCents: 9_900, completedAt: noonOf(addDays(asOf, -400)) });
  if (old.status !== 201) throw new Error(`order: ${old.status}`);
}

/** The segments as the former per-call query defined them, for local day `asOf`, now. */
export async function referenceSegments(api: TestApi, tenantId: string, asOf: string): Promise<Record<string, number>> {
  const end = startOfLocalDay(addDays(asOf, 1), TZ);
  const start = new Date(end.getTime() - 365 * 86_400_000);
  const { rows } = await api.db.pool.query<{ segment: string; count: string }>(
    `WITH b AS (
       SELECT member_id, max(completed_at) AS last, count(*) AS f, sum(amount_cents - refunded_cents) AS m
       FROM orders WHERE tenant_id = $1 AND completed_at >= $2 AND completed_at < $3 GROUP BY member_id
     ), s AS (
       SELECT ntile(5) OVER (ORDER BY last) AS r, ntile(5) OVER (ORDER BY f, m) AS fq, ntile(5) OVER (ORDER BY m) AS mq FROM b
     )
     SELECT CASE
              WHEN r >= 4 AND fq >= 4 THEN 'champions'
              WHEN fq >= 4 OR mq >= 4 THEN 'loyal'
              WHEN r >= 4 THEN 'recent'
              WHEN r <= 2 AND fq >= 3 THEN 'at_risk'
              WHEN r <= 2 THEN 'hibernating'
              ELSE 'potential'
            END AS segment, count(*) AS count
     FROM s GROUP BY 1`,
    [tenantId, start, end],
  );
  const out: Record<string, number> = { champions: 0, loyal: 0, recent: 0, potential: 0, at_risk: 0, hibernating: 0 };
  for (const r of rows) out[r.segment] = Number(r.count);
  const buyers = Object.values(out).reduce((a, b) => a + b, 0);
  const { rows: m } = await api.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM members WHERE tenant_id = $1`, [tenantId]);
  out.no_orders = Math.max(0, Number(m[0]!.n) - buyers);
  return out;
}

export function asRecord(segments: { segment: string; members: number }[]): Record<string, number> {
  return Object.fromEntries(segments.map((s) => [s.segment, s.members]));
}
