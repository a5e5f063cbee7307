// A tenant transaction whose connection the server closes (57P01, as on a restart or
// pg_terminate_backend): the process must not crash on the client's 'error' event, the
// transaction fails as DatabaseUnavailableError (the API's 503), the broken client is
// destroyed, and the pool goes on serving. The client's behaviour, so a plain database even on a
// Citus test server (terminating a coordinator backend there also cuts its connections to the
// workers, which is not what is tested).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant, DatabaseUnavailableError, isDatabaseUnavailable, type Db } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;
let db: Db;
let admin: pg.Client;
beforeAll(async () => {
  database = await createTestDatabase({ plain: true });
  db = createDb({ url: database.url, max: 2 });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await db.prisma.tenant.create({ data: { id: 'tenant-c', slug: 'tenant-c', name: 'C' } });
});
afterAll(async () => {
  await admin.end();
  await db.close();
  await database.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);

describe('withTenant when the server closes its connection', () => {
  it('between two raw statements: DatabaseUnavailableError, no crash, the pool serves on', async () => {
    const error = await withTenant(db.prisma, 'tenant-c', async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await terminate(row!.pid);
      await sleep(300); // the FATAL 57P01 arrives while no query is active
      return tx.$queryRaw`SELECT 1`;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    for (let i = 0; i < 4; i++) {
      const rows = await withTenant(db.prisma, 'tenant-c', (tx) => tx.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`);
      expect(rows).toEqual([{ ok: 1 }]);
    }
  });

  it('before a model call: the same', async () => {
    const error = await withTenant(db.prisma, 'tenant-c', async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await terminate(row!.pid);
      await sleep(300);
      return tx.tier.findMany({ where: { tenantId: 'tenant-c' } });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(await withTenant(db.prisma, 'tenant-c', (tx) => tx.tier.findMany({ where: { tenantId: 'tenant-c' } }))).toEqual([]);
  });

  it('a server that refuses connections: DatabaseUnavailableError', async () => {
    const u = new URL(database.url);
    u.port = '1';
    const gone = createDb({ url: u.toString(), max: 1 });
    try {
      const error = await withTenant(gone.prisma, 'tenant-c', (tx) => tx.$queryRaw`SELECT 1`).catch((e: unknown) => e);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await gone.close();
    }
  });
});
