// POST /v1/orders under load against a bare Express + pg endpoint doing the same writes in one
// transaction (same RLS role switch, same row lock, same rows), measured in the same run with the
// servers in their own process (order-earn-server.ts), then the ledger proof: zero lost or
// doubled points.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

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
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      fileURLToPath(new URL('./order-earn-server.ts', import.meta.url)),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value as string);
  const t = (await next()) as { api: string; bare: string; auth: string; storeId: string; members: number };
  // Warm both paths (JIT, pool, plan cache) before measuring.
  const warm = Math.max(1, Math.floor(DURATION / 5));
  await load('warm', `${t.bare}/bare/orders`, null, t.storeId, 'wbare', t.members, 4, warm);
  await load('warm', `${t.api}/v1/orders`, t.auth, t.storeId, 'wapi', t.members, 4, warm);
  const b = await load('bare Express + pg', `${t.bare}/bare/orders`, null, t.storeId, 'bare', t.members);
  const a = await load('POST /v1/orders', `${t.api}/v1/orders`, t.auth, t.storeId, 'api', t.members);
  console.log(`\norder-earn: ${CONNECTIONS} connections, ${DURATION}s each, ${t.members} members, servers in a separate process`);
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
  await new Promise((resolve) => child.once('exit', resolve));
  return consistent;
}
