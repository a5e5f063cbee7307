// A process that imports only order intake (and the use cases to set a tenant up), like a
// small job runner would: coupons must still be used by an order and given back by its full
// refund, and a process that forgot registerCoreExtensions() must fail loudly, not skip parts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant, type Db } from '@unionpoint/db';
import { createTestDatabase, type TestDatabase } from '@unionpoint/db/testing';
import type { TenantContext } from '@unionpoint/core';
import { couponTemplateBody, createCouponTemplate, grantCoupon } from '@unionpoint/core/coupons';
import { ExtensionsNotRegisteredError, registerCoreExtensions } from '@unionpoint/core/extensions';
import { enrolMember } from '@unionpoint/core/members';
import { createOrder, refundOrder } from '@unionpoint/core/orders';
import { createTenantBody, unsafeCreateTenant } from '@unionpoint/core/tenants';

let database: TestDatabase;
let db: Db;
let ctx: TenantContext;
let storeId: string;
const at = new Date('2026-03-10T04:00:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb({ url: database.url, max: 3 });
  const created = await unsafeCreateTenant(
    db.prisma,
    { type: 'platform', id: 'test' },
    createTenantBody.parse({ name: 'Wiring', slug: 'wiring', owner: { email: 'owner@wiring.test', password: 'correct horse battery' }, stores: [{ code: 'shop', name: 'Shop', channel: 'store' }] }),
  );
  ctx = { tenantId: created.tenant.id, actor: { type: 'system', id: 'test' } };
  storeId = created.stores[0]!.id;
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const count = async (table: 'members' | 'orders') => {
  const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [ctx.tenantId]);
  return Number(rows[0]!.n);
};

describe('core extensions wired explicitly', () => {
  it('without registerCoreExtensions, member views and order intake throw a clear error and write nothing', async () => {
    await expect(withTenant(db.prisma, ctx.tenantId, (tx) => enrolMember(tx, ctx, { unionId: 'u-early' }))).rejects.toThrow(ExtensionsNotRegisteredError);
    await expect(withTenant(db.prisma, ctx.tenantId, (tx) => enrolMember(tx, ctx, { unionId: 'u-early' }))).rejects.toThrow(/registerCoreExtensions\(\)/);
    expect(await count('members')).toBe(0);
    // A member that exists (written outside the use cases): its order is refused, not taken without coupons.
    await db.pool.query(`INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) SELECT $1, 'mem_raw', 'u-raw', code, now() FROM tiers WHERE tenant_id = $1 ORDER BY rank LIMIT 1`, [ctx.tenantId]);
    await expect(
      withTenant(db.prisma, ctx.tenantId, (tx) => createOrder(tx, ctx, { externalId: 'o-early', member: 'u-raw', storeId, amountCents: 10_000, completedAt: at.toISOString() })),
    ).rejects.toThrow(ExtensionsNotRegisteredError);
    expect(await count('orders')).toBe(0);
  });

  it('after registerCoreExtensions (twice: idempotent), an order uses its coupon and a full refund gives it back', async () => {
    registerCoreExtensions();
    registerCoreExtensions();
    const coupon = await withTenant(db.prisma, ctx.tenantId, async (tx) => {
      await createCouponTemplate(tx, ctx, couponTemplateBody.parse({ code: 'TEN', name: '10 off', kind: 'amount', amountCents: 1000, validDays: 3650 }));
      const { member } = await enrolMember(tx, ctx, { unionId: 'u1' });
      // The extension columns are read once each, not once per registration.
      expect(Object.keys(member.points)).toContain('expiringSoon');
      return (await grantCoupon(tx, ctx, { memberId: member.id }, { templateCode: 'TEN' })).coupon;
    });
    const status = async () => (await db.pool.query<{ status: string; order_id: string | null }>(`SELECT status::text AS status, order_id FROM coupons WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, coupon.id])).rows[0]!;
    expect((await status()).status).toBe('available');

    const order = await withTenant(db.prisma, ctx.tenantId, (tx) =>
      createOrder(tx, ctx, { externalId: 'o1', member: 'u1', storeId, amountCents: 10_000, couponCodes: [coupon.code], completedAt: at.toISOString() }),
    );
    expect(order.status).toBe(201);
    expect(await status()).toEqual({ status: 'used', order_id: order.body.order.id });

    await withTenant(db.prisma, ctx.tenantId, (tx) => refundOrder(tx, ctx, 'o1', { refundId: 'r1', amountCents: 10_000, storeId }));
    expect(await status()).toEqual({ status: 'available', order_id: null });
  });
});
