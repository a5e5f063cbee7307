// withTenant's tenant settings: applied by the adapter right after BEGIN, transaction-local,
// once per withTenant call (only to its own transaction).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant, APP_ROLE, type Db } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;
let db: Db;
type Settings = { tenant: string | null; role: string };
const settings = `SELECT current_setting('app.tenant_id', true) AS tenant, current_user AS role`;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb({ url: database.url, max: 3 });
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

describe('withTenant', () => {
  it('runs as the app role with app.tenant_id set, for its transaction only', async () => {
    const inside = await withTenant(db.prisma, 'tenant-x', (tx) => tx.$queryRawUnsafe<Settings[]>(settings));
    expect(inside[0]).toEqual({ tenant: 'tenant-x', role: APP_ROLE });
    // The pooled connection is back to the owner role with no tenant afterwards.
    const c = await db.pool.connect();
    try {
      for (let i = 0; i < 3; i++) {
        const after = (await c.query<Settings>(settings)).rows[0]!;
        expect(after.role).not.toBe(APP_ROLE);
        expect(after.tenant || null).toBeNull();
      }
    } finally {
      c.release();
    }
  });

  it('concurrent calls each see their own tenant', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `tenant-${i}`);
    const seen = await Promise.all(ids.map((id) => withTenant(db.prisma, id, (tx) => tx.$queryRawUnsafe<Settings[]>(settings))));
    expect(seen.map((r) => r[0]!.tenant)).toEqual(ids);
  });

  it('a transaction started inside the scope on the root client does not inherit the tenant', async () => {
    const nested = await withTenant(db.prisma, 'tenant-y', async () =>
      db.prisma.$transaction(async (tx) => tx.$queryRawUnsafe<Settings[]>(settings)),
    );
    expect(nested[0]!.role).not.toBe(APP_ROLE);
    expect(nested[0]!.tenant || null).toBeNull();
  });

  it('a failing use case rolls back and the settings do not leak', async () => {
    await expect(withTenant(db.prisma, 'tenant-z', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const plain = await db.prisma.$queryRawUnsafe<Settings[]>(settings);
    expect(plain[0]!.role).not.toBe(APP_ROLE);
  });
});
