// POST /v1/quotes under load against a bare Express + pg endpoint that reads the same member
// row in the same kind of transaction (RLS role switch) and returns it as JSON, measured in one
// run with both servers in a child process (quote-server.ts). The quote path reads the
// program and ladder from the in-process cache (dropped across processes by LISTEN
// unionpoint_config), so per request it reads the member and their plan in one query. Then it
// checks that a ladder change reaches the next quote.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { TIERS } from './quote-fixtures.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

const cart = [
  { sku: 'tea', priceCents: 2999, quantity: 2 },
  { sku: 'cup', priceCents: 1500, quantity: 1, memberPriceCents: 1400 },
  { sku: 'pot', priceCents: 12_900, quantity: 1, category: 'kitchen' },
];

async function load(name: string, url: string, auth: string | null, members: number, connections = CONNECTIONS, duration = DURATION) {
  let n = 0;
  const r = await autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ member: `m${n++ % members}`, items: cart, shippingFeeCents: 800, redeemPoints: 500 }),
        }),
      },
    ],
  });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok: r['2xx'], errors: r.non2xx + r.errors + r.timeouts };
}

export async function quoteBenchmark(): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./quote-server.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const t = JSON.parse((await lines.next()).value as string) as { api: string; bare: string; auth: string; members: number };
  try {
    const warm = Math.max(1, Math.floor(DURATION / 5));
    await load('warm', `${t.api}/v1/quotes`, t.auth, t.members, 4, warm);
    await load('warm', `${t.bare}/bare/quote`, null, t.members, 4, warm);
    const b = await load('bare Express + pg', `${t.bare}/bare/quote`, null, t.members);
    const a = await load('POST /v1/quotes', `${t.api}/v1/quotes`, t.auth, t.members);
    console.log(
      `\nquote: ${CONNECTIONS} connections, ${DURATION}s each, ${t.members} members, 3-line cart with points, servers in a separate process`,
    );
    for (const r of [a, b])
      console.log(
        `  ${r.name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}   errors ${r.errors}`,
      );
    console.log(`  throughput ratio ${((a.rps / b.rps) * 100).toFixed(0)}% (target >= 60%)`);

    // A ladder change reaches the next quote (same process at once; others by NOTIFY).
    const send = (path: string, body: unknown, method = 'POST') =>
      fetch(`${t.api}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: t.auth },
        body: JSON.stringify(body),
      });
    const body = { member: 'm1', items: cart, shippingFeeCents: 800 };
    const before = (await (await send('/v1/quotes', body)).json()) as { goodsCents: number };
    await send('/v1/tiers', { tiers: TIERS.map((x) => ({ ...x, benefits: { ...x.benefits, discountBps: 5000 } })) }, 'PUT');
    const after = (await (await send('/v1/quotes', body)).json()) as { goodsCents: number };
    const invalidated = after.goodsCents < before.goodsCents;
    console.log(
      `  cache invalidation on ladder change: ${invalidated ? 'OK' : 'STALE'} (goods ${before.goodsCents} -> ${after.goodsCents})`,
    );
    return a.errors === 0 && invalidated;
  } finally {
    child.stdin!.write('stop\n');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
