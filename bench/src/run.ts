// Benchmarks: each prints its ratios against a raw floor measured in the same run and returns
// whether it met its target. `npm run bench [name]` runs one; BENCH_MEMBERS and BENCH_WEBHOOKS
// size retention, recompute, analytics and webhooks. `scale` compares one API process with two on one database.
// size retention, analytics and webhooks; BENCH_IMPORT_ORDERS and BENCH_IMPORT_MEMBERS the import.
import { analyticsBenchmark } from './analytics.ts';
import { benefitPacksBenchmark } from './benefit-packs.ts';
import { orderEarnBenchmark } from './order-earn.ts';
import { meBenchmark } from './me.ts';
import { quoteBenchmark } from './quote.ts';
import { retentionBenchmark } from './retention.ts';
import { recomputeBenchmark } from './recompute.ts';
import { scaleBenchmark } from './scale.ts';
import { webhooksBenchmark } from './webhooks.ts';
import { importBenchmark } from './import.ts';

const benches: [string, () => Promise<boolean | { agree: boolean; met: boolean }>][] = [
  ['order-earn', orderEarnBenchmark],
  ['quote', quoteBenchmark],
  ['me', meBenchmark],
  ['retention', retentionBenchmark],
  ['recompute', recomputeBenchmark],
  ['webhooks', webhooksBenchmark],
  ['analytics', analyticsBenchmark],
  ['benefit-packs', benefitPacksBenchmark],
  ['scale', scaleBenchmark],
  ['import', importBenchmark],
];
const only = process.argv[2];
let failed = false;
for (const [name, run] of benches) {
  if (only && only !== name) continue;
  const outcome = await run();
  if (typeof outcome === 'boolean' ? !outcome : !(outcome.agree && outcome.met)) failed = true;
}
process.exit(failed ? 1 : 0);
