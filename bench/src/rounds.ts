// Interleaved measurement of an endpoint against its floor: the measured time of each side is
// cut into ROUNDS rounds run in ABBA order (floor, API, API, floor, ...), so that a machine
// getting faster or slower during the run (another tenant of the host, the database's own
// upkeep) weighs on both sides alike instead of on whichever ran second.

export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

/** Rounds per side (`BENCH_ROUNDS`, default 4). */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));

/** The rounds of one side as one: requests per second over their time, p50 and p99 the rounds' mean. */
export function combine(rounds: LoadResult[]): LoadResult {
  const mean = (f: (r: LoadResult) => number) => Math.round(rounds.reduce((s, r) => s + f(r), 0) / rounds.length);
  return {
    name: rounds[0]!.name,
    rps: rounds.reduce((s, r) => s + r.rps, 0) / rounds.length,
    p50: mean((r) => r.p50),
    p99: mean((r) => r.p99),
    ok: rounds.reduce((s, r) => s + r.ok, 0),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
  };
}

/**
 * Runs `floor(round, seconds)` and `api(round, seconds)` for `duration` seconds each in all,
 * in ROUNDS alternating rounds; returns both sides combined, the per-round ratios and the
 * length of a round.
 */
export async function interleaved(
  duration: number,
  floor: (round: number, seconds: number) => Promise<LoadResult>,
  api: (round: number, seconds: number) => Promise<LoadResult>,
): Promise<{ floor: LoadResult; api: LoadResult; ratios: number[]; seconds: number }> {
  const seconds = Math.max(1, Math.round(duration / ROUNDS));
  const floors: LoadResult[] = [];
  const apis: LoadResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const floorFirst = r % 2 === 0;
    for (const side of floorFirst ? ['floor', 'api'] : ['api', 'floor']) {
      if (side === 'floor') floors.push(await floor(r, seconds));
      else apis.push(await api(r, seconds));
    }
  }
  return { floor: combine(floors), api: combine(apis), ratios: apis.map((a, i) => a.rps / floors[i]!.rps), seconds };
}
