import { Prisma } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** An order of a history import, with what it earned and what its refunds took back. */
export interface ImportedOrder {
  id: string;
  storeId: string;
  externalId: string;
  memberId: string;
  amountCents: number;
  completedAt: Date;
  status: 'completed' | 'partially_refunded' | 'refunded';
  pointsEarned: number;
  growthEarned: number;
  refundedCents: number;
  pointsClawbackDue: number;
  growthClawbackDue: number;
  /** Never equal to a live request's hash: the same externalId sent live later is 409, not a replay. */
  requestHash: string;
}

export interface ImportedRefund {
  id: string;
  orderId: string;
  refundId: string;
  amountCents: number;
  pointsClawedBack: number;
  growthClawedBack: number;
  requestHash: string;
  /** The refund's event time (created_at, what retention and rolling spend read). */
  at: Date;
}

/**
 * The orders and refunds of a history import, one statement each. The caller checked that no
 * (store, externalId) exists yet (existingOrdersSql) under the members' row locks; the unique
 * keys still refuse a duplicate, so a lost race fails the batch rather than doubling an order.
 * `response` stays `{}`: an imported order was never answered to anyone.
 */
export function insertImportedOrdersSql(ctx: TenantContext, orders: ImportedOrder[], refunds: ImportedRefund[]): Prisma.Sql[] {
  const t = ctx.tenantId;
  const out: Prisma.Sql[] = [];
  if (orders.length) {
    const rows = orders.map((o) => ({ ...o, completedAt: o.completedAt.toISOString() }));
    out.push(Prisma.sql`
      INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, completed_at, status, request_hash, points_earned, bonus_points,
                          growth_earned, refunded_cents, points_clawback_due, growth_clawback_due, response, created_at)
      SELECT m.tenant_id, x.id, x."storeId", x."externalId", x."memberId", x."amountCents", x."completedAt", x.status, x."requestHash", x."pointsEarned", 0,
             x."growthEarned", x."refundedCents", x."pointsClawbackDue", x."growthClawbackDue", '{}'::jsonb, now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "storeId" text, "externalId" text, "memberId" text, "amountCents" int,
           "completedAt" timestamptz, status text, "requestHash" text, "pointsEarned" int, "growthEarned" int, "refundedCents" int,
           "pointsClawbackDue" int, "growthClawbackDue" int)
      -- tenant_id from the member row (on Citus: the tenant's shard, RLS kept), likewise the refunds' from their order.
      JOIN members m ON m.tenant_id = ${t} AND m.id = x."memberId"`);
  }
  if (refunds.length) {
    const rows = refunds.map((r) => ({ ...r, at: r.at.toISOString() }));
    out.push(Prisma.sql`
      INSERT INTO order_refunds (tenant_id, id, order_id, refund_id, amount_cents, points_clawed_back, growth_clawed_back, points_returned, request_hash, response, created_at)
      SELECT o.tenant_id, x.id, x."orderId", x."refundId", x."amountCents", x."pointsClawedBack", x."growthClawedBack", 0, x."requestHash", '{}'::jsonb, x.at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "orderId" text, "refundId" text, "amountCents" int, "pointsClawedBack" int,
           "growthClawedBack" int, "requestHash" text, at timestamptz)
      JOIN orders o ON o.tenant_id = ${t} AND o.id = x."orderId"`);
  }
  return out;
}

/** Which of these (store, externalId) are recorded already: rows `store_id`, `external_id`. */
export function existingOrdersSql(ctx: TenantContext, keys: { storeId: string; externalId: string }[]): Prisma.Sql {
  return Prisma.sql`
    SELECT o.store_id, o.external_id FROM orders o
    JOIN unnest(${keys.map((k) => k.storeId)}::text[], ${keys.map((k) => k.externalId)}::text[]) AS x(store_id, external_id)
      ON o.tenant_id = ${ctx.tenantId} AND o.store_id = x.store_id AND o.external_id = x.external_id`;
}

/**
 * The recorded orders of some members with their refunds (amount and time), for a caller that
 * computes rolling spend or RFM scores at past instants (history imports under `spend`/`rfm`).
 */
export function memberOrderHistorySql(ctx: TenantContext, memberIds: string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT o.member_id AS "memberId", o.amount_cents AS "amountCents", o.completed_at AS "completedAt",
           COALESCE((SELECT jsonb_agg(jsonb_build_object('amountCents', r.amount_cents, 'at', r.created_at)) FROM order_refunds r
                     WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id), '[]'::jsonb) AS refunds
    FROM orders o WHERE o.tenant_id = ${ctx.tenantId} AND o.member_id = ANY(${memberIds}::text[])`;
}
