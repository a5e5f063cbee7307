// GET /v1/me under load (member token by its hash, never cached; the member view with its
// progress, available coupons, unread count and built-in tasks in one batch; config from the
// in-process cache) against a bare Express + pg endpoint that reads the same member row in
// the same kind of transaction (RLS role switch), both servers in a child process
// (me-server.ts), in alternating rounds (rounds.ts). Target: >= 60% of the floor's throughput.
import autocannon from 'autocannon';
import { interleaved, ROUNDS } from './rounds.ts';
import { spawnBenchServer } from './spawn-server.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

async function load(
  name: string,
  url: string,
  header: (i: number) => Record<string, string>,
  members: number,
  connections = CONNECTIONS,
  duration = DURATION,
) {
  let n = 0;
  const r = await autocannon({
    url,
    connections,
    duration,
    method: 'GET',
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...header(n++ % members) } }) }],
  });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok: r['2xx'], errors: r.non2xx + r.errors + r.timeouts };
}

export async function meBenchmark(): Promise<boolean> {
  const { child, next } = await spawnBenchServer('./me-server.ts');
  const t = (await next()) as { api: string; bare: string; tokens: string[]; members: number };
  try {
    const api = (i: number) => ({ authorization: `Bearer ${t.tokens[i]}` });
    const bare = (i: number) => ({ 'x-member': `m${i}` });
    // With the measured number of connections: every pooled connection warmed (prepared
    // statements at their generic plans), as on a server that has been running.
    const warm = Math.max(2, Math.floor(DURATION / 4));
    await load('warm', `${t.api}/v1/me`, api, t.members, CONNECTIONS, warm);
    await load('warm', `${t.bare}/bare/me`, bare, t.members, CONNECTIONS, warm);
    const { floor: b, api: a, ratios, seconds } = await interleaved(
      DURATION,
      (_r, secs) => load('bare Express + pg', `${t.bare}/bare/me`, bare, t.members, CONNECTIONS, secs),
      (_r, secs) => load('GET /v1/me', `${t.api}/v1/me`, api, t.members, CONNECTIONS, secs),
    );
    console.log(
      `\nme: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${seconds}s each side, ${t.members} members with points and coupons, servers in a separate process`,
    );
    console.log(`  per round (API / floor): ${ratios.map((x) => `${(x * 100).toFixed(0)}%`).join(' ')}`);
    for (const r of [a, b])
      console.log(
        `  ${r.name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}   errors ${r.errors}`,
      );
    const ratio = a.rps / b.rps;
    console.log(`  throughput ratio ${(ratio * 100).toFixed(0)}% (target >= 60%)`);
    return a.errors === 0 && ratio >= 0.6;
  } finally {
    child.stdin!.write('stop\n');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
