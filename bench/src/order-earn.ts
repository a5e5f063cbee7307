// POST /v1/orders under load against a bare Express + pg endpoint doing the same writes in one
// transaction (same RLS role switch, same row lock, same rows), measured in the same run with the
// servers in their own process (order-earn-server.ts), then the ledger proof: zero lost or
// doubled points. The two sides run in alternating rounds (BENCH_ROUNDS).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { interleaved, ROUNDS, type LoadResult } from './rounds.ts';
import { spawnBenchServer } from './spawn-server.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

type Result = LoadResult;

async function load(
  name: string,
  url: string,
  auth: string | null,
  storeId: string,
  prefix: string,
  members: number,
  connections = CONNECTIONS,
  duration = DURATION,
): Promise<Result> {
  let n = 0;
  const r = await autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            body: JSON.stringify({ externalId: `${prefix}-${i}`, member: `m${i % members}`, storeId, amountCents: 1000 + (i % 50) * 137 }),
          };
        },
      },
    ],
  });
  const ok = r['2xx'];
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok, errors: r.non2xx + r.errors + r.timeouts };
}

export async function orderEarnBenchmark(): Promise<boolean> {
  const { child, next } = await spawnBenchServer('./order-earn-server.ts');
  const t = (await next()) as {
    api: string;
    bare: string;
    auth: string;
    storeId: string;
    members: number;
    tasks: number;
    database: string;
    tenantId: string;
  };
  // Warm both paths (JIT, pool, plan cache) before measuring.
  // With the measured number of connections, so that every pooled connection has prepared its
  // statements and reached their generic plans (a connection plans a statement afresh for its
  // first five executions) before the measured rounds, as on a server that has been running.
  const warm = Math.max(2, Math.floor(DURATION / 4));
  await load('warm', `${t.bare}/bare/orders`, null, t.storeId, 'wbare', t.members, CONNECTIONS, warm);
  await load('warm', `${t.api}/v1/orders`, t.auth, t.storeId, 'wapi', t.members, CONNECTIONS, warm);
  const { floor: b, api: a, ratios, seconds } = await interleaved(
    DURATION,
    (r, secs) => load('bare Express + pg', `${t.bare}/bare/orders`, null, t.storeId, `bare${r}`, t.members, CONNECTIONS, secs),
    (r, secs) => load('POST /v1/orders', `${t.api}/v1/orders`, t.auth, t.storeId, `api${r}`, t.members, CONNECTIONS, secs),
  );
  console.log(
    `\norder-earn: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${seconds}s each side, ${t.members} members, ${t.tasks} active tasks, servers in a separate process`,
  );
  console.log(`  per round (API / floor): ${ratios.map((x) => `${(x * 100).toFixed(0)}%`).join(' ')}`);
  for (const r of [a, b])
    console.log(
      `  ${r.name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}   errors ${r.errors}`,
    );
  console.log(
    `  throughput ratio ${((a.rps / b.rps) * 100).toFixed(0)}% (target >= 70%)   p99 ratio ${(a.p99 / Math.max(b.p99, 1)).toFixed(2)}x (target <= 1.5x)`,
  );
  child.stdin!.write('verify\n');
  const v = (await next()) as { members: number; mismatches: number; orders: number; awarded: number; balance: number };
  const consistent = v.mismatches === 0 && v.awarded === v.balance;
  console.log(
    `  verify: ${v.members} members, ${v.mismatches} mismatches; ${v.orders} orders awarded ${v.awarded} points, balances hold ${v.balance} -> ${consistent ? 'OK' : 'MISMATCH'}`,
  );
  console.log(`  ${pgbenchReference(t.database, t.tenantId, t.members)}`);
  child.stdin!.write('done\n');
  await new Promise((resolve) => child.once('exit', resolve));
  return consistent;
}

/**
 * For reference, pgbench of the two core statements of an order's earning (the member's cached
 * balance and growth, the ledger entry) in one transaction behind the same tenant settings, at
 * the same concurrency, on the same database after the proof. Skipped without pgbench.
 */
function pgbenchReference(database: string, tenantId: string, members: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'up-pgbench-'));
  try {
    const script = path.join(dir, 'earn.sql');
    writeFileSync(
      script,
      [
        `\\set m random(0, ${members - 1})`,
        `\\set points random(10, 80)`,
        'BEGIN;',
        `SELECT set_config('app.tenant_id', :tenant, true), set_config('role', 'unionpoint_app', true);`,
        `UPDATE members SET points_balance = points_balance + :points, growth = growth + :points WHERE tenant_id = :tenant AND union_id = 'm' || :m;`,
        `INSERT INTO points_ledger (tenant_id, id, member_id, delta, kind, reference, idempotency_key, balance_after, at, created_at)` +
          ` SELECT :tenant, 'ple_pgbench_' || md5(random()::text), id, :points, 'earn_order', 'pgbench', md5(random()::text), points_balance, now(), now()` +
          ` FROM members WHERE tenant_id = :tenant AND union_id = 'm' || :m;`,
        'COMMIT;',
        '',
      ].join('\n'),
    );
    const run = spawnSync(
      'pgbench',
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(CONNECTIONS),
        '-j',
        '2',
        '-T',
        String(DURATION),
        '-D',
        `tenant=${tenantId}`,
        '-f',
        script,
        database,
      ],
      { encoding: 'utf8' },
    );
    if (run.error) return `pgbench (reference): not run (${(run.error as NodeJS.ErrnoException).code ?? run.error.message})`;
    const tps = /tps = ([\d.]+)/.exec(run.stdout ?? '')?.[1];
    const latency = /latency average = ([\d.]+) ms/.exec(run.stdout ?? '')?.[1];
    if (run.status !== 0 || !tps) return `pgbench (reference): failed: ${(run.stderr || run.stdout || '').trim().split('\n').slice(-1)[0]}`;
    return `pgbench (reference, the two core statements in one transaction): ${Number(tps).toFixed(0)} TPS, latency average ${latency} ms`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
