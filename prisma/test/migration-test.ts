// What a migration test needs: the migration's SQL, and a client on a fresh test database that
// already holds every migration (the test rebuilds the earlier shape inside a transaction and
// runs the migration's SQL on it, then rolls back).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

/** The SQL of migration `name` (its folder under prisma/migrations). */
export function migrationSql(name: string): string {
  return readFileSync(path.resolve(import.meta.dirname, '../migrations', name, 'migration.sql'), 'utf8');
}

/**
 * A connected client on a test database of this file's own, closed and dropped after its tests
 * (a plain one on a Citus test server: the earlier layout is not a distributed one).
 */
export function migrationClient(): { readonly client: pg.Client } {
  let database: TestDatabase;
  const holder = {} as { client: pg.Client };
  beforeAll(async () => {
    database = await createTestDatabase({ plain: true });
    holder.client = new pg.Client({ connectionString: database.url });
    await holder.client.connect();
  });
  afterAll(async () => {
    await holder.client.end();
    await database.drop();
  });
  return holder;
}

/**
 * One migration's data step on the layout before it, inside a transaction that is rolled back:
 * `earlier` rebuilds that layout (and its rows), then the migration's SQL runs, then `check`.
 */
export async function fromEarlierLayout(client: pg.Client, migration: string, earlier: string, check: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(earlier);
    await client.query(migrationSql(migration));
    await check();
  } finally {
    await client.query('ROLLBACK');
  }
}
