// up_seeded_id mints exactly up_new_id's id for a seed (ids written before it existed are the
// ids a rerun mints now), is IMMUTABLE (so a statement minting seeded ids can run on a tenant's
// shard), and refuses a missing seed or time instead of minting a random id.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await database.drop();
});

describe('up_seeded_id', () => {
  it('gives up_new_id’s id for the same prefix, time and seed, over many seeds and times', async () => {
    const { rows } = await client.query<{ same: number; total: number; distinct: number }>(`
      SELECT count(*) FILTER (WHERE up_seeded_id('gle', t, s) = up_new_id('gle', t, s))::int AS same, count(*)::int AS total,
             count(DISTINCT up_seeded_id('gle', t, s))::int AS distinct
      FROM generate_series(1, 400) g,
           LATERAL (SELECT timestamptz '2026-02-28 23:59:59.999+08' + make_interval(secs => g * 3601.5) AS t, 'run_' || g || '.mem_' || (g * 7919) AS s) x`);
    expect(rows[0]).toEqual({ same: 400, total: 400, distinct: 400 });
  });

  it('is IMMUTABLE while up_new_id stays VOLATILE', async () => {
    const { rows } = await client.query<{ proname: string; provolatile: string }>(
      `SELECT proname, provolatile FROM pg_proc WHERE proname IN ('up_seeded_id', 'up_new_id') ORDER BY proname`,
    );
    expect(rows).toEqual([
      { proname: 'up_new_id', provolatile: 'v' },
      { proname: 'up_seeded_id', provolatile: 'i' },
    ]);
  });

  it('refuses a missing seed or time', async () => {
    await expect(client.query(`SELECT up_seeded_id('gle', now(), NULL)`)).rejects.toThrow(/needs a time and a seed/);
    await expect(client.query(`SELECT up_seeded_id('gle', NULL, 'x')`)).rejects.toThrow(/needs a time and a seed/);
  });
});
