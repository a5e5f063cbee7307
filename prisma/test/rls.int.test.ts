// Proof that tenant isolation holds in the database itself, not only in application filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant, UndefinedTenantFilterError, type Db } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;
let db: Db;

async function seedTenant(id: string, members: number) {
  await db.prisma.$transaction(async (tx) => {
    await tx.tenant.create({ data: { id, slug: id, name: id } });
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${id}, true)`;
    await tx.tier.create({ data: { tenantId: id, code: 'bronze', name: 'Bronze', rank: 0 } });
    for (let i = 0; i < members; i++) {
      await tx.member.create({ data: { tenantId: id, id: `${id}-m${i}`, unionId: `u${i}`, tierCode: 'bronze' } });
    }
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb({ url: database.url, max: 3 });
  await seedTenant('tenant-a', 3);
  await seedTenant('tenant-b', 2);
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

describe('row-level security', () => {
  it('a query with no tenant filter sees only its own tenant', async () => {
    const a = await withTenant(db.prisma, 'tenant-a', (tx) => tx.member.findMany({ select: { tenantId: true } }));
    const b = await withTenant(db.prisma, 'tenant-b', (tx) => tx.member.findMany({ select: { tenantId: true } }));
    expect(a).toHaveLength(3);
    expect(new Set(a.map((m) => m.tenantId))).toEqual(new Set(['tenant-a']));
    expect(b).toHaveLength(2);
    const raw = await withTenant(db.prisma, 'tenant-b', (tx) => tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM members`);
    expect(Number(raw[0]!.n)).toBe(2);
  });

  it('a tenant sees only its own tenant row', async () => {
    const rows = await withTenant(db.prisma, 'tenant-a', (tx) => tx.tenant.findMany());
    expect(rows.map((r) => r.id)).toEqual(['tenant-a']);
  });

  it('an insert for another tenant is refused by the database', async () => {
    await expect(
      withTenant(db.prisma, 'tenant-a', (tx) => tx.member.create({ data: { tenantId: 'tenant-b', id: 'intruder', unionId: 'x', tierCode: 'bronze' } })),
    ).rejects.toThrow();
    const count = await db.prisma.member.count({ where: { id: 'intruder' } });
    expect(count).toBe(0);
  });

  it('an update cannot reach another tenant', async () => {
    const changed = await withTenant(db.prisma, 'tenant-a', (tx) => tx.member.updateMany({ where: { id: 'tenant-b-m0' }, data: { name: 'hijacked' } }));
    expect(changed.count).toBe(0);
    const row = await db.prisma.member.findFirst({ where: { id: 'tenant-b-m0' } });
    expect(row?.name).toBeNull();
  });

  it('runs tenant work as the app role, without BYPASSRLS', async () => {
    const [r] = await withTenant(db.prisma, 'tenant-a', (tx) =>
      tx.$queryRaw<{ role: string; bypass: boolean }[]>`SELECT current_user AS role, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`,
    );
    expect(r).toEqual({ role: 'unionpoint_app', bypass: false });
  });

  it('the app role cannot rewrite the audit log', async () => {
    await expect(withTenant(db.prisma, 'tenant-a', (tx) => tx.$executeRaw`DELETE FROM audit_log`)).rejects.toThrow(/permission denied/);
  });

  it('without a tenant set, nothing is visible', async () => {
    const rows = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('role', 'unionpoint_app', true)`;
      return tx.member.findMany();
    });
    expect(rows).toHaveLength(0);
  });

  it('the Prisma guard refuses a where clause whose tenantId is undefined', async () => {
    const ctx: { tenantId?: string } = {};
    await expect(db.prisma.member.findMany({ where: { tenantId: ctx.tenantId } })).rejects.toBeInstanceOf(UndefinedTenantFilterError);
    await expect(
      db.prisma.member.findUnique({ where: { tenantId_id: { tenantId: ctx.tenantId as unknown as string, id: 'x' } } }),
    ).rejects.toBeInstanceOf(UndefinedTenantFilterError);
  });
});
