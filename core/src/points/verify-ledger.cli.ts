// npm run verify:ledger — proves balance = sum(ledger) = sum(remaining lots) and
// growth = sum(growth ledger) for every member of every tenant. Exit 1 on any mismatch.
import { createDb, withTenant } from '@unionpoint/db';
import { systemContext } from '../shared/context.ts';
import { unsafeListTenants } from '../tenants/index.ts';
import { verifyLedger } from './verify-ledger.ts';

const db = createDb({ max: 2 });
let tenants = 0;
let members = 0;
let bad = 0;
try {
  let cursor: string | undefined;
  do {
    const page = await unsafeListTenants(db.prisma, { limit: 200, cursor });
    for (const t of page.data) {
      const report = await withTenant(db.prisma, t.id, (tx) => verifyLedger(tx, systemContext(t.id, 'verify-ledger')));
      tenants++;
      members += report.members;
      bad += report.mismatches.length;
      for (const m of report.mismatches) console.error(`MISMATCH tenant=${t.slug} ${JSON.stringify(m)}`);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  console.log(`verify-ledger: ${tenants} tenants, ${members} members, ${bad} mismatches`);
} finally {
  await db.close();
}
process.exit(bad === 0 ? 0 : 1);
