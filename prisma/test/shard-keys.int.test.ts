// The migrated schema has the shape a database sharded by tenant_id needs (docs/SCALING.md
// "Citus"), checked in the catalogue of a database built by `prisma migrate deploy`: every
// tenant table leads its primary key with tenant_id, includes it in every unique key and in
// every foreign key, no foreign key cascades, sets null or sets a default on update, and no
// column is of a Postgres enum type.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

/** Platform tables (reference tables on Citus): `users` carries a nullable tenant_id. */
const PLATFORM = ['tenants', 'users', 'session', '_prisma_migrations'];

let database: TestDatabase;
let client: pg.Client;
let tenantTables: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
       AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
     ORDER BY 1`,
  );
  tenantTables = rows.map((r) => r.table).filter((t) => !PLATFORM.includes(t));
});
afterAll(async () => {
  await client.end();
  await database.drop();
});

describe('keys of the tenant tables', () => {
  it('finds the tenant tables (a check over nothing proves nothing)', () => {
    expect(tenantTables.length).toBeGreaterThan(35);
    expect(tenantTables).toContain('members');
  });

  it('lead every primary key with tenant_id', async () => {
    const { rows } = await client.query<{ table: string; first: string | null }>(
      `SELECT c.relname AS table, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = i.indkey[0]) AS first
       FROM pg_class c LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
       WHERE c.relname = ANY($1) AND c.relnamespace = 'public'::regnamespace`,
      [tenantTables],
    );
    expect(rows.filter((r) => r.first !== 'tenant_id')).toEqual([]);
    expect(rows).toHaveLength(tenantTables.length);
  });

  it('include tenant_id in every unique key', async () => {
    const { rows } = await client.query<{ index: string }>(
      `SELECT i.indexrelid::regclass::text AS index
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       WHERE i.indisunique AND c.relname = ANY($1) AND c.relnamespace = 'public'::regnamespace
         AND NOT (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') = ANY(i.indkey::int2[])`,
      [tenantTables],
    );
    expect(rows).toEqual([]);
  });

  it('include tenant_id in every foreign key between tenant tables, and tie it to the referenced tenant', async () => {
    const { rows } = await client.query<{ key: string; def: string }>(
      `SELECT c.conrelid::regclass || '.' || c.conname AS key, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
       WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1)`,
      [tenantTables],
    );
    expect(rows.length).toBeGreaterThan(60);
    const bad = rows.filter(({ def }) => {
      const m = /^FOREIGN KEY \(([^)]*)\) REFERENCES (\w+)\(([^)]*)\)/.exec(def);
      if (!m) return true;
      const [from, to, cols] = [m[1]!.split(', '), m[2]!, m[3]!.split(', ')];
      if (to === 'tenants') return from.join() !== 'tenant_id' || cols.join() !== 'id';
      return from[0] !== 'tenant_id' || cols[0] !== 'tenant_id';
    });
    expect(bad).toEqual([]);
  });

  it('never cascade, set null or set a default on update: every foreign key is ON UPDATE RESTRICT', async () => {
    const { rows } = await client.query<{ key: string; action: string }>(
      `SELECT conrelid::regclass || '.' || conname AS key, confupdtype::text AS action FROM pg_constraint
       WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND confupdtype <> 'r'`,
    );
    expect(rows).toEqual([]);
    const { rows: all } = await client.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`);
    expect(all[0].n).toBeGreaterThan(60);
  });

  it('use no Postgres enum type: text columns with CHECK constraints', async () => {
    const { rows } = await client.query(
      `SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'USER-DEFINED'`,
    );
    expect(rows).toEqual([]);
    const { rows: enums } = await client.query(`SELECT typname FROM pg_type WHERE typtype = 'e' AND typnamespace = 'public'::regnamespace`);
    expect(enums).toEqual([]);
    await expect(client.query(`UPDATE tenants SET status = 'paused' WHERE false`)).resolves.toBeDefined();
    await client.query(`INSERT INTO tenants (id, slug, name, updated_at) VALUES ('ten_check', 'ten-check', 'C', now())`);
    await expect(client.query(`UPDATE tenants SET status = 'paused' WHERE id = 'ten_check'`)).rejects.toMatchObject({ code: '23514' });
    await expect(client.query(`INSERT INTO users (id, email, role) VALUES ('usr_check', 'c@check.test', 'root')`)).rejects.toMatchObject({ code: '23514' });
  });

  it('keep RLS enabled and forced on every tenant table', async () => {
    const { rows } = await client.query<{ table: string }>(
      `SELECT relname AS table FROM pg_class WHERE relname = ANY($1) AND relnamespace = 'public'::regnamespace AND NOT (relrowsecurity AND relforcerowsecurity)`,
      [tenantTables],
    );
    expect(rows).toEqual([]);
  });
});
