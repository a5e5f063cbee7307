import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { mulDivFloor } from '../shared/money.ts';
import { localParts, startOfLocalDay } from '../shared/time.ts';
import { PointsKind } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import type { Settlement, SettlementQuery } from './analytics.contract.ts';

/** The debits a settlement counts: points spent at a store (docs/rules.md §18). */
const SPENT = [PointsKind.Redeem, PointsKind.Exchange] as const;

const n = (v: unknown): number => (v == null ? 0 : Number(v));
const str = (v: unknown): string | null => (v == null ? null : String(v));

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * A month's store settlement (docs/rules.md §18), in the tenant time zone: per store the points
 * credited there and spent there, and the issuer × redeemer matrix from the lot uses (which lot,
 * of which store, each redemption and exchange consumed). Three grouped reads in one round trip
 * after the program: the stores, the month's ledger by store (`points_ledger(tenant_id, at)`)
 * and the month's lot uses (`points_lot_uses(tenant_id, at)`); nothing runs per member.
 * Values are each cell's points at the program's current redeem rate, rounded down; a store's
 * payable and receivable are sums of its cells with another store.
 */
export async function getSettlement(tx: Tx, ctx: TenantContext, query: SettlementQuery, now = new Date()): Promise<Settlement> {
  const program = await getProgram(tx, ctx);
  const tz = program.timezone;
  const month = query.month ?? (() => {
    const p = localParts(now, tz);
    return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}`;
  })();
  const start = startOfLocalDay(`${month}-01`, tz);
  const end = startOfLocalDay(`${nextMonth(month)}-01`, tz);
  const t = ctx.tenantId;
  const spent = Prisma.join(SPENT.map((k) => Prisma.sql`${k}`));
  const [stores, ledger, uses] = await queryBatch(tx, [
    Prisma.sql`SELECT id, code, name FROM stores WHERE tenant_id = ${t} ORDER BY code`,
    Prisma.sql`
      SELECT store_id,
             sum(delta) FILTER (WHERE delta > 0 AND kind <> ${PointsKind.MergeIn}) AS issued,
             -sum(delta) FILTER (WHERE kind IN (${spent})) AS redeemed
      FROM points_ledger WHERE tenant_id = ${t} AND at >= ${start} AND at < ${end}
      GROUP BY store_id`,
    Prisma.sql`
      SELECT issued_store_id, redeemed_store_id, sum(points) AS points
      FROM points_lot_uses WHERE tenant_id = ${t} AND at >= ${start} AND at < ${end} AND kind IN (${spent})
      GROUP BY issued_store_id, redeemed_store_id`,
  ]);
  const pointsPerUnit = program.redeem.pointsPerUnit;
  const value = (points: number) => mulDivFloor(points, 100, pointsPerUnit);
  const codeOf = new Map(stores!.map((s) => [String(s.id), String(s.code)]));
  const rank = (id: string | null) => (id === null ? '\uffff' : (codeOf.get(id) ?? id));

  const matrix = uses!
    .map((r) => {
      const points = n(r.points);
      return { issuedBy: str(r.issued_store_id), redeemedAt: str(r.redeemed_store_id), points, valueCents: value(points) };
    })
    .filter((c) => c.points > 0)
    .sort((a, b) => (rank(a.issuedBy) < rank(b.issuedBy) ? -1 : rank(a.issuedBy) > rank(b.issuedBy) ? 1 : rank(a.redeemedAt) < rank(b.redeemedAt) ? -1 : rank(a.redeemedAt) > rank(b.redeemedAt) ? 1 : 0));

  const byStore = new Map(ledger!.map((r) => [str(r.store_id), { issued: n(r.issued), redeemed: n(r.redeemed) }]));
  const row = (storeId: string | null, code: string | null, name: string | null) => {
    const owed = (c: (typeof matrix)[number]) => c.issuedBy !== null && c.redeemedAt !== null && c.issuedBy !== c.redeemedAt;
    const payableCents = matrix.filter((c) => owed(c) && c.issuedBy === storeId).reduce((s, c) => s + c.valueCents, 0);
    const receivableCents = matrix.filter((c) => owed(c) && c.redeemedAt === storeId).reduce((s, c) => s + c.valueCents, 0);
    const l = byStore.get(storeId);
    return {
      storeId,
      code,
      name,
      issuedPoints: l?.issued ?? 0,
      redeemedPoints: l?.redeemed ?? 0,
      payableCents: storeId === null ? 0 : payableCents,
      receivableCents: storeId === null ? 0 : receivableCents,
      netCents: storeId === null ? 0 : receivableCents - payableCents,
    };
  };
  const out = stores!.map((s) => row(String(s.id), String(s.code), String(s.name)));
  const none = row(null, null, null);
  if (none.issuedPoints !== 0 || none.redeemedPoints !== 0 || matrix.some((c) => c.issuedBy === null || c.redeemedAt === null)) out.push(none);

  const ledgerSpent = [...byStore.values()].reduce((s, l) => s + l.redeemed, 0);
  const attributed = matrix.reduce((s, c) => s + c.points, 0);
  return {
    month,
    timezone: tz,
    currency: program.currency,
    pointsPerUnit,
    stores: out,
    matrix,
    unattributedPoints: Math.max(ledgerSpent - attributed, 0),
  };
}

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The settlement's matrix as CSV (RFC 4180, CRLF, a header row): one line per issuer ×
 * redeemer cell with both stores' ids and codes (empty for no store), points and value in
 * cents.
 */
export function settlementCsv(s: Settlement): string {
  const code = new Map(s.stores.map((r) => [r.storeId, r.code]));
  const lines = [['month', 'issued_by', 'issued_by_code', 'redeemed_at', 'redeemed_at_code', 'points', 'value_cents', 'currency']];
  for (const c of s.matrix) {
    lines.push([s.month, c.issuedBy ?? '', code.get(c.issuedBy) ?? '', c.redeemedAt ?? '', code.get(c.redeemedAt) ?? '', String(c.points), String(c.valueCents), s.currency]);
  }
  return lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
