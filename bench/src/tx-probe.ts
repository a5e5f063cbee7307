import { createDb, withTenant, APP_ROLE } from '@unionpoint/db';
import { createTestDatabase } from '@unionpoint/db/testing';
const database = await createTestDatabase();
const db = createDb({ url: database.url, max: 4 });
const tenant = 'ten_x';
const N = 300;
async function time(name: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 30; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  console.log(name, ((performance.now() - t0) / N).toFixed(3), 'ms');
}
for (let round = 0; round < 2; round++) {
await time('raw pg', async () => {
  const c = await db.pool.connect();
  await c.query('BEGIN');
  await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenant, APP_ROLE]);
  await c.query('SELECT 1 AS x FROM members WHERE tenant_id = $1 LIMIT 1', [tenant]);
  await c.query('COMMIT');
  c.release();
});
await time('withTenant + queryRaw', () => withTenant(db.prisma, tenant, (tx) => tx.$queryRaw`SELECT 1 AS x FROM members WHERE tenant_id = ${tenant} LIMIT 1`));
await time('prisma tx only', () => db.prisma.$transaction(async (tx) => 1));
await time('prisma tx + 1 raw', () => db.prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1`));
await time('prisma queryRaw no tx', () => db.prisma.$queryRaw`SELECT 1`);
await time('prisma findFirst no tx', () => db.prisma.member.findFirst({ where: { tenantId: tenant } }));
}
await db.close();
await database.drop();
