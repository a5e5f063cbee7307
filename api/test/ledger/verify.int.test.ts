// The ledger proof: append-only grants, and `npm run verify:ledger` over every tenant.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestTenant } from '../harness.ts';
import { enrol, expectLedgerConsistent, inTenant, order } from './helpers.ts';

const run = promisify(execFile);
let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
  await enrol(api, t, 'u1');
  await order(api, t, { externalId: 'o1', member: 'u1', amountCents: 5000 });
});
afterAll(async () => {
  await expectLedgerConsistent(api, t.id);
  await api.close();
});

function databaseUrl(): string {
  const o = api.db.pool.options as { host?: string; port?: number; user?: string; password?: string; database?: string };
  const auth = o.password
    ? `${encodeURIComponent(o.user ?? 'postgres')}:${encodeURIComponent(o.password)}`
    : encodeURIComponent(o.user ?? 'postgres');
  return `postgresql://${auth}@${o.host ?? '127.0.0.1'}:${o.port ?? 5432}/${o.database}`;
}

async function verifyCli(): Promise<{ code: number; out: string }> {
  try {
    const r = await run('npx', ['tsx', 'core/src/points/verify-ledger.cli.ts'], {
      cwd: new URL('../../..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: databaseUrl() },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('ledger tables are append-only for the app role', () => {
  for (const table of ['points_ledger', 'growth_ledger', 'order_refunds', 'check_ins']) {
    it(`${table}: UPDATE and DELETE are refused`, async () => {
      await expect(inTenant(api, t.id, (tx) => tx.$executeRawUnsafe(`UPDATE ${table} SET created_at = now()`))).rejects.toThrow(
        /permission denied/,
      );
      await expect(inTenant(api, t.id, (tx) => tx.$executeRawUnsafe(`DELETE FROM ${table}`))).rejects.toThrow(/permission denied/);
    });
  }
});

describe('lots, orders and activities are never deleted by the app role', () => {
  for (const table of ['points_lots', 'orders', 'activities']) {
    it(`${table}: DELETE is refused`, async () => {
      await expect(inTenant(api, t.id, (tx) => tx.$executeRawUnsafe(`DELETE FROM ${table}`))).rejects.toThrow(/permission denied/);
    });
  }
});

describe('npm run verify:ledger', () => {
  it('passes on a consistent database and exits 1 on a tampered balance', async () => {
    const ok = await verifyCli();
    expect(ok.out).toMatch(/verify-ledger: \d+ tenants, \d+ members, 0 mismatches/);
    expect(ok.code).toBe(0);
    // Tamper as the owner (outside the app role), then restore.
    await api.db.pool.query('UPDATE members SET points_balance = points_balance + 1 WHERE tenant_id = $1', [t.id]);
    const bad = await verifyCli();
    await api.db.pool.query('UPDATE members SET points_balance = points_balance - 1 WHERE tenant_id = $1', [t.id]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/MISMATCH/);
    expect(bad.out).toMatch(/1 mismatches/);
  }, 180_000); // two cold tsx processes: generous on a loaded machine
});
