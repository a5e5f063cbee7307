// `npm run citus:distribute`: runs infra/citus/distribute.sql on DATABASE_URL (a Citus
// coordinator, after `npm run db:migrate`), in one transaction. See docs/SCALING.md "Citus".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '@unionpoint/db';

const script = readFileSync(path.resolve(import.meta.dirname, '../citus/distribute.sql'), 'utf8');
const db = createDb({ max: 1 });
const client = await db.pool.connect();
try {
  await client.query('BEGIN');
  await client.query(script);
  await client.query('COMMIT');
  console.log('citus: every tenant table is distributed by tenant_id');
} catch (error) {
  await client.query('ROLLBACK').catch(() => {});
  console.error(`citus: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  client.release();
  await db.close();
}
