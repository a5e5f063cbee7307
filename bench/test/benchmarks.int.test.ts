// The data benchmarks at a small size: each generates its tenant, runs its floor and the real
// job (retention run, recompute preview, benefit packs) and must find them in agreement. The
// timing targets are `npm run bench`'s (never asserted here); this keeps the benchmarks runnable
// as the use cases they call change.
import { afterEach, describe, expect, it } from 'vitest';
import { retentionBenchmark } from '../src/retention.ts';
import { recomputeBenchmark } from '../src/recompute.ts';
import { benefitPacksBenchmark } from '../src/benefit-packs.ts';

const saved = process.env.BENCH_MEMBERS;
afterEach(() => {
  if (saved === undefined) delete process.env.BENCH_MEMBERS;
  else process.env.BENCH_MEMBERS = saved;
});

describe('data benchmarks, small', () => {
  it.each([
    ['retention', retentionBenchmark],
    ['recompute', recomputeBenchmark],
    ['benefit-packs', benefitPacksBenchmark],
  ] as const)(
    '%s: the job and its one-statement floor agree',
    async (_name, run) => {
      process.env.BENCH_MEMBERS = '500';
      const outcome = await run();
      expect(outcome.agree).toBe(true);
    },
    120_000,
  );
});
